import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { Button, Dialog, Icon, useToast } from '../../../ui/index.ts';
import { useTransferTargets } from '../../conversation/hooks/use-transfer-targets.ts';
import { useCallsStore } from '../hooks/use-calls.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText } from '../state/call-labels.ts';
import { ColleagueRow } from './ColleagueRow.tsx';

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
        {agents.map((target) => (
          <ColleagueRow key={target.agent.id} target={target}>
            {(name) => (
              <>
                <Button size="sm" onClick={() => void call(target.agent.id, name, 'audio')} isBusy={busyId === target.agent.id} disabled={busyId !== null} aria-label={format(s.callColleague, { name })} data-testid="colleague-voice">
                  <Icon name="phone" /> {s.colleagueVoice}
                </Button>
                <Button size="sm" onClick={() => void call(target.agent.id, name, 'video')} disabled={busyId !== null} aria-label={format(s.callColleagueVideo, { name })} data-testid="colleague-video">
                  <Icon name="video" /> {s.colleagueVideo}
                </Button>
              </>
            )}
          </ColleagueRow>
        ))}
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
