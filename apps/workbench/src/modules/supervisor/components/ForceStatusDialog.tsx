import type { AgentState } from '@frontdesk/protocol';
import type { AdminApi, SetAgentStatusInput } from '@frontdesk/sdk-agent';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Dialog, Field } from '../../../ui/index.ts';
import { STATUS_LABELS } from '../state/format.ts';

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
    if (reason.length > 100) return setError('a reason is at most 100 characters');
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
    <Dialog isOpen={target !== undefined} onClose={onClose} title={target ? `Force the status of ${target.name}` : ''}>
      <form id="force-status" onSubmit={submit} noValidate>
        <Field label="New status">
          <select value={status} onChange={(e) => setStatus(e.target.value as SetAgentStatusInput['status'])}>
            {SETTABLE.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
          </select>
        </Field>
        <Field label="Reason" hint="Shown to the agent; optional" error={error}>
          <input value={reason} maxLength={100} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <div className="fd-sup-inline fd-sup-dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isBusy={isBusy}>Set status</Button>
        </div>
      </form>
    </Dialog>
  );
}
