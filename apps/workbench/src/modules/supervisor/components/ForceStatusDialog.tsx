import type { AgentState } from '@frontdesk/protocol';
import type { AdminApi, SetAgentStatusInput } from '@frontdesk/sdk-agent';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Dialog, Field } from '../../../ui/index.ts';
import { format } from '../../../app/locale.ts';
import { supervisionStrings } from '../locales/index.ts';

const SETTABLE: SetAgentStatusInput['status'][] = ['free', 'not_ready', 'rest', 'offline'];

export interface ForceStatusDialogProps {
  api: AdminApi;
  /** The agent whose status is forced; closed when undefined. */
  target: { state: AgentState; name: string } | undefined;
  onClose: () => void;
  onDone: () => void;
}

/** Force an agent's status as a supervisor (SPEC M28): free, not ready, rest with a reason, offline. */
export function ForceStatusDialog({ api, target, onClose, onDone }: ForceStatusDialogProps) {
  const s = supervisionStrings().board;
  const [status, setStatus] = useState<SetAgentStatusInput['status']>('not_ready');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  useEffect(() => {
    setError(undefined);
    setReason('');
    setStatus(target?.state.status === 'free' ? 'not_ready' : 'free');
  }, [target]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!target) return;
    if (reason.length > 100) return setError(s.reasonTooLong);
    setBusy(true);
    try {
      await api.routing.forceStatus(target.state.agentId, { status, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog isOpen={target !== undefined} onClose={onClose} title={target ? format(s.forceTitle, { name: target.name }) : ''}>
      <form id="force-status" onSubmit={submit} noValidate>
        <Field label={s.newStatus}>
          <select value={status} onChange={(e) => setStatus(e.target.value as SetAgentStatusInput['status'])}>
            {SETTABLE.map((x) => <option key={x} value={x}>{s.statuses[x]}</option>)}
          </select>
        </Field>
        <Field label={s.reason} hint={s.reasonHint} error={error}>
          <input value={reason} maxLength={100} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <div className="fd-sup-inline fd-sup-dialog-actions">
          <Button onClick={onClose}>{supervisionStrings().cancel}</Button>
          <Button type="submit" variant="primary" isBusy={isBusy}>{s.setStatus}</Button>
        </div>
      </form>
    </Dialog>
  );
}
