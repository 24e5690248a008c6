import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { Button, Dialog, Icon, useToast } from '../../../ui/index.ts';
import { useTransferTargets } from '../../conversation/hooks/use-transfer-targets.ts';
import { statusStrings } from '../../status/locales/index.ts';
import { useCallsStore } from '../hooks/use-calls.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText } from '../state/call-labels.ts';

/**
 * Call a colleague (internal call, SDK `Call.startInternalCall`): the team's other agents with their
 * status now, each with a voice and a video button. The call then runs in the usual call window;
 * a colleague who is busy, signed out or not in the team is said so (the server decides).
 */
export function ColleagueCallDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const client = useClient();
  const store = useCallsStore();
  const toast = useToast();
  const s = callStrings();
  const { agents, error } = useTransferTargets(isOpen);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function call(agentId: string, name: string, type: 'audio' | 'video') {
    setBusyId(agentId);
    const result = await client.Call.startInternalCall({ calleeUserId: agentId, type });
    setBusyId(null);
    if (result.status === 'error') {
      toast({ message: callErrorText(result.errorCode, result.errorMsg, s), tone: 'danger' });
      return;
    }
    store.name(result.data.id, name);
    onClose();
  }

  return (
    <Dialog isOpen={isOpen} title={s.colleagues} onClose={onClose} footer={<Button onClick={onClose}>{s.close}</Button>}>
      <p className="wb-colleagues__muted">{s.colleaguesHint}</p>
      {error && <p role="alert">{error}</p>}
      {agents.length === 0 && !error && <p>{s.noColleagues}</p>}
      <ul className="wb-colleagues" data-testid="colleagues">
        {agents.map(({ agent, status }) => {
          const name = agent.name || agent.email;
          return (
            <li key={agent.id} className="wb-colleagues__row" data-agent-id={agent.id}>
              <span className="wb-colleagues__who">
                <strong>{name}</strong> <span className="wb-colleagues__muted">{statusStrings().statuses[status]}</span>
              </span>
              <Button size="sm" onClick={() => void call(agent.id, name, 'audio')} isBusy={busyId === agent.id} disabled={busyId !== null} aria-label={format(s.callColleague, { name })} data-testid="colleague-voice">
                <Icon name="phone" /> {s.colleagueVoice}
              </Button>
              <Button size="sm" onClick={() => void call(agent.id, name, 'video')} disabled={busyId !== null} aria-label={format(s.callColleagueVideo, { name })} data-testid="colleague-video">
                <Icon name="video" /> {s.colleagueVideo}
              </Button>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}

/** The top bar's "Call a colleague" button and its dialog. */
export function ColleagueCallButton() {
  const [isOpen, setIsOpen] = useState(false);
  const s = callStrings();
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setIsOpen(true)} aria-label={s.colleagues} title={s.colleagues} data-testid="call-colleague">
        <Icon name="phone" />
      </Button>
      <ColleagueCallDialog isOpen={isOpen} onClose={() => setIsOpen(false)} />
    </>
  );
}
