import { MEDIA_OF_QUEUE_TYPE, type Queue } from '@frontdesk/protocol';
import { Field } from '../../../ui/index.ts';
import { Checkbox } from '../../admin/components/Checkbox.tsx';
import type { FieldErrors } from '../../admin/state/form-errors.ts';
import { callStrings } from '../../calls/locales/index.ts';
import type { ChannelDraft } from '../state/channel-form.ts';

/**
 * A channel's calls: which the widget offers (voice, video) and the queue that routes the calls the
 * conversation's agent does not answer. Only queues for calls are offered (voice, video and the two
 * click-to-call types); none: only the conversation's agent is rung.
 */
export function CallSettings({ calls, queues, errors, onChange }: { calls: ChannelDraft['calls']; queues: readonly Queue[]; errors: FieldErrors; onChange: (patch: Partial<ChannelDraft['calls']>) => void }) {
  const s = callStrings();
  const callQueues = queues.filter((q) => MEDIA_OF_QUEUE_TYPE[q.type] !== 'chat' || q.id === calls.queueId);
  return (
    <fieldset className="fd-admin-fieldset" data-testid="channel-calls">
      <legend>{s.callsLegend}</legend>
      <Checkbox label={s.callsAudio} checked={calls.audio} onChange={(audio) => onChange({ audio })} />
      <Checkbox label={s.callsVideo} checked={calls.video} onChange={(video) => onChange({ video })} />
      <Field label={s.callsQueue} error={errors['calls.queueId']} hint={s.callsQueueHint}>
        <select name="callsQueueId" value={calls.queueId} onChange={(e) => onChange({ queueId: e.target.value })}>
          <option value="">{s.callsQueueNone}</option>
          {callQueues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
        </select>
      </Field>
    </fieldset>
  );
}
