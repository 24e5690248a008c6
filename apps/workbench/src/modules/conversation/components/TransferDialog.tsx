import { useEffect, useState, type FormEvent } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { Button, Dialog, Field, useToast } from '../../../ui/index.ts';
import { statusStrings } from '../../status/locales/index.ts';
import { useTransferTargets } from '../hooks/use-transfer-targets.ts';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../locales/index.ts';

/**
 * Transfer a session to another agent or to a queue, with a note for the next agent; or (subject
 * `call`) a call, blind: the visitor waits on hold while the agent rings or the queue routes it; or
 * (subject `consult`) call another agent about the call while the visitor waits on hold (agents only).
 */
export function TransferDialog({
  sessionId,
  subject = 'chat',
  isOpen,
  onClose,
  onTransferred,
}: {
  sessionId: string;
  subject?: 'chat' | 'call' | 'consult';
  isOpen: boolean;
  onClose: () => void;
  onTransferred: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const { queues, agents, error } = useTransferTargets(isOpen);
  const [kind, setKind] = useState<'agent' | 'queue'>('agent');
  const [targetId, setTargetId] = useState('');
  const [note, setNote] = useState('');
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (isOpen) {
      setTargetId('');
      setNote('');
    }
  }, [isOpen]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!targetId) return;
    setIsBusy(true);
    const target = kind === 'agent' ? { userId: targetId } : { skillGroupId: targetId };
    const result =
      subject === 'consult'
        ? await client.Call.consult({ sessionId, userId: targetId })
        : subject === 'call'
          ? await client.Call.transfer({ sessionId, ...target })
          : await client.Chat.transfer({ sessionId, ...target, ...(note.trim() ? { note: note.trim() } : {}) });
    setIsBusy(false);
    if (result.status === 'error') {
      toast({ message: format(cs().transferFailed, { error: result.errorMsg ?? '' }), tone: 'danger' });
      return;
    }
    if (subject !== 'consult') toast({ message: subject === 'call' ? cs().callTransferred : cs().transferred, tone: 'success' });
    onTransferred();
  }

  return (
    <Dialog
      isOpen={isOpen}
      title={subject === 'consult' ? cs().consultTitle : subject === 'call' ? cs().callTransferTitle : cs().transferTitle}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{cs().cancel}</Button>
          <Button variant="primary" type="submit" form={`wb-transfer-form-${subject}`} isBusy={isBusy} disabled={!targetId} data-testid="transfer-submit">{subject === 'consult' ? cs().consult : cs().transfer}</Button>
        </>
      }
    >
      <form id={`wb-transfer-form-${subject}`} onSubmit={submit}>
        {subject !== 'consult' && <fieldset className="wb-segmented">
          <legend className="fd-visually-hidden">{cs().transferTo}</legend>
          <label><input type="radio" name="kind" checked={kind === 'agent'} onChange={() => { setKind('agent'); setTargetId(''); }} /> {cs().anAgent}</label>
          <label><input type="radio" name="kind" checked={kind === 'queue'} onChange={() => { setKind('queue'); setTargetId(''); }} /> {cs().aQueue}</label>
        </fieldset>}
        {kind === 'agent' ? (
          <Field label={cs().agent} error={error}>
            <select value={targetId} onChange={(e) => setTargetId(e.target.value)} required data-testid="transfer-agent">
              <option value="">{cs().chooseAgent}</option>
              {agents.map(({ agent, status }) => (
                <option key={agent.id} value={agent.id}>{agent.name || agent.email} — {statusStrings().statuses[status]}</option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label={cs().queue} error={error} hint={queues.length === 0 ? cs().noQueues : undefined}>
            <select value={targetId} onChange={(e) => setTargetId(e.target.value)} required data-testid="transfer-queue">
              <option value="">{cs().chooseQueue}</option>
              {queues.map((queue) => (
                <option key={queue.id} value={queue.id}>{queue.name}</option>
              ))}
            </select>
          </Field>
        )}
        {subject === 'chat' && (
          <Field label={cs().transferNote} hint={cs().transferNoteHint}>
            <textarea rows={3} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
        )}
      </form>
    </Dialog>
  );
}
