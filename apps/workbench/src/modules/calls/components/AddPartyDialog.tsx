import type { Call, ConversationView } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { visitorLabel } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { Button, Dialog, Icon } from '../../../ui/index.ts';
import { useTransferTargets } from '../../conversation/hooks/use-transfer-targets.ts';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText } from '../state/call-labels.ts';
import { inviteLeg, remoteParties } from '../state/call-parties.ts';
import { ColleagueRow } from './ColleagueRow.tsx';

/** An invite the agent sent: the invitee's leg in the call (its outcome is read from the call) and its name. */
export interface SentInvite {
  seq: number;
  name: string;
}

/**
 * Add a participant to the call (SDK `Call.addParticipant`): a colleague signed in now (the transfer
 * dialog's list of the team with its status) or the visitor of another of this agent's open
 * conversations. The invitee rings; the call window shows the ring and how it ended. A refusal
 * before it rings (busy, signed out, an invite still ringing, six parties) is said here in words.
 */
export function AddPartyDialog({ call, isOpen, onClose, onInvited }: { call: Call; isOpen: boolean; onClose: () => void; onInvited: (invite: SentInvite) => void }) {
  const client = useClient();
  const s = callStrings();
  const { agents, error: loadError } = useTransferTargets(isOpen);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inCall = new Set(remoteParties(call, null).map((p) => p.userId));
  const colleagues = agents.filter(({ agent, status }) => status !== 'offline' && !inCall.has(agent.id));
  const visitors = isOpen ? otherVisitors(client.Chat.list(), call).filter((view) => !inCall.has(view.conversation.visitorId)) : [];

  async function invite(invitee: { userId: string } | { visitorId: string }, name: string) {
    const id = 'userId' in invitee ? invitee.userId : invitee.visitorId;
    setBusyId(id);
    setError(null);
    const result = await client.Call.addParticipant({ sessionId: call.id, ...invitee });
    setBusyId(null);
    if (result.status === 'error') {
      setError(callErrorText(result.errorCode, result.errorMsg, s));
      return;
    }
    const leg = inviteLeg(result.data, invitee);
    if (leg) onInvited({ seq: leg.seq, name });
    onClose();
  }

  const close = () => {
    setError(null);
    onClose();
  };
  return (
    <Dialog isOpen={isOpen} title={s.addParticipant} onClose={close} footer={<Button onClick={close}>{s.close}</Button>}>
      <p className="wb-colleagues__muted">{s.addParticipantHint}</p>
      {(error ?? loadError) && <p className="wb-add-party__error" role="alert" data-testid="add-party-error">{error ?? loadError}</p>}
      <h3 className="wb-add-party__heading">{s.addColleague}</h3>
      {colleagues.length === 0 && !loadError && <p className="wb-colleagues__muted">{s.noColleaguesOnline}</p>}
      <ul className="wb-colleagues" data-testid="add-party-agents">
        {colleagues.map((target) => (
          <ColleagueRow key={target.agent.id} target={target}>
            {(name) => (
              <Button size="sm" onClick={() => void invite({ userId: target.agent.id }, name)} isBusy={busyId === target.agent.id} disabled={busyId !== null} aria-label={format(s.inviteName, { name })} data-testid="add-party-agent">
                <Icon name="userPlus" /> {s.invite}
              </Button>
            )}
          </ColleagueRow>
        ))}
      </ul>
      <h3 className="wb-add-party__heading">{s.addVisitor}</h3>
      {visitors.length === 0 && <p className="wb-colleagues__muted">{s.noOtherVisitors}</p>}
      <ul className="wb-colleagues" data-testid="add-party-visitors">
        {visitors.map((view) => (
          <VisitorRow key={view.conversation.id} view={view} isBusy={busyId === view.conversation.visitorId} isDisabled={busyId !== null} onInvite={(name) => void invite({ visitorId: view.conversation.visitorId }, name)} />
        ))}
      </ul>
    </Dialog>
  );
}

/** A visitor of another open conversation of this agent, by the name the inbox shows. */
function VisitorRow({ view, isBusy, isDisabled, onInvite }: { view: ConversationView; isBusy: boolean; isDisabled: boolean; onInvite: (name: string) => void }) {
  const s = callStrings();
  const { conversation } = view;
  const visitor = useVisitor(conversation.id, conversation.visitorId);
  const name = visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name);
  return (
    <li className="wb-colleagues__row" data-visitor-id={conversation.visitorId}>
      <span className="wb-colleagues__who"><strong>{name}</strong></span>
      <Button size="sm" onClick={() => onInvite(name)} isBusy={isBusy} disabled={isDisabled} aria-label={format(s.inviteName, { name })} data-testid="add-party-visitor">
        <Icon name="userPlus" /> {s.invite}
      </Button>
    </li>
  );
}

/** The visitors of this agent's other open conversations (one row per visitor), not the call's own. */
export function otherVisitors(views: readonly ConversationView[], call: Call): ConversationView[] {
  const seen = new Set<string>([call.visitorId ?? '']);
  return views.filter((view) => {
    const { conversation } = view;
    if (view.role !== 'assigned' || conversation.status !== 'open' || seen.has(conversation.visitorId)) return false;
    seen.add(conversation.visitorId);
    return true;
  });
}
