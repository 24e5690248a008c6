import { OVERFLOW_TRIGGERS, QUEUE_TYPES, type Area, type Queue } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { errorsUnder, formErrorsOf, unplacedErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import {
  OVERFLOW_TRIGGER_LABELS,
  bodyOfQueueDraft,
  checkQueueBody,
  draftOfQueue,
  emptyQueueDraft,
  type EscalationDraft,
  type OverflowDraft,
  type OverflowTrigger,
  type QueueDraft,
} from '../state/queue-form.ts';
import { useFocusFirstError } from '../../admin/hooks/useFocusFirstError.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { HoursEditor } from '../../admin/components/HoursEditor.tsx';
import { queueTypeLabel } from '../state/queue-types.ts';

/** Fields with a place in the form; other errors are listed at the top. */
const PLACED = [
  'name', 'areaId', 'type', 'channelSubtypes', 'mode', 'priority', 'minLevel', 'maxWaitSeconds', 'maxTalkSeconds', 'wrapUpSeconds',
  'ringTimeoutSeconds', 'maxQueueLength', 'maxMissedOffers', 'escalation', 'overflow', 'hours',
];

export interface QueueFormProps {
  api: AdminApi;
  /** The queue edited; a new one when undefined. */
  queue?: Queue;
  queues: readonly Queue[];
  areas: readonly Area[];
  onSaved: (queue: Queue) => void;
  onCancel: () => void;
}

/** Every field of a skill queue (SPEC M15), its overflow (M16) and escalation, checked here and by the server. */
export function QueueForm({ api, queue, queues, areas, onSaved, onCancel }: QueueFormProps) {
  const [draft, setDraft] = useState<QueueDraft>(() => (queue ? draftOfQueue(queue) : emptyQueueDraft()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const { formRef, arm } = useFocusFirstError(errors);
  const [isSaving, setSaving] = useState(false);
  // NOTE: folded unless this queue uses it or it holds an error: most queues need neither.
  const hasAdvanced = Object.values(draft.overflow).some((rule) => rule.action !== 'none') || draft.escalation.length > 0 || Object.keys(errors).some((k) => k.startsWith('overflow') || k.startsWith('escalation'));
  const set = (patch: Partial<QueueDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    // A field's error goes once it is edited; the next submit checks again.
    const edited = Object.keys(patch);
    if (Object.keys(errors).some((path) => edited.some((key) => path === key || path.startsWith(`${key}.`)))) {
      setErrors((current) => Object.fromEntries(Object.entries(current).filter(([path]) => !edited.some((key) => path === key || path.startsWith(`${key}.`)))));
    }
  };
  const otherQueues = queues.filter((q) => q.id !== queue?.id);

  async function submit(event: FormEvent) {
    event.preventDefault();
    arm();
    const body = bodyOfQueueDraft(draft);
    const found = checkQueueBody(body);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      onSaved(queue ? await api.queues.update(queue.id, body) : await api.queues.create(body));
    } catch (err) {
      setErrors(formErrorsOf(err));
    } finally {
      setSaving(false);
    }
  }

  const numberField = (key: keyof QueueDraft & string, label: string, min: number, max: number, hint?: string) => (
    <Field label={label} error={errors[key]} hint={hint ?? `${min}–${max}`}>
      <input type="number" inputMode="numeric" name={key} value={draft[key] as string} onChange={(e) => set({ [key]: e.target.value } as Partial<QueueDraft>)} />
    </Field>
  );

  return (
    <form ref={formRef} className="fd-admin-form" onSubmit={submit} noValidate aria-label={queue ? `Edit queue ${queue.name}` : 'New queue'}>
      <FormAlert messages={unplacedErrors(errors, PLACED)} />
      <div className="fd-admin-grid">
        <Field label="Name" error={errors.name}>
          <input name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} required />
        </Field>
        <Field label="Service area" error={errors.areaId}>
          <select name="areaId" value={draft.areaId} onChange={(e) => set({ areaId: e.target.value })}>
            <option value="">(none)</option>
            {areas.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </Field>
        <Field label="Type" error={errors.type}>
          <select name="type" value={draft.type} onChange={(e) => set({ type: e.target.value as QueueDraft['type'] })}>
            {QUEUE_TYPES.map((t) => <option key={t} value={t}>{queueTypeLabel(t)}</option>)}
          </select>
        </Field>
        <Field label="Channel subtypes" error={errors.channelSubtypes ?? Object.entries(errors).find(([k]) => k.startsWith('channelSubtypes.'))?.[1]} hint="Comma-separated, up to 20 (e.g. web, app)">
          <input name="channelSubtypes" value={draft.channelSubtypes} onChange={(e) => set({ channelSubtypes: e.target.value })} />
        </Field>
        <Field label="Mode" error={errors.mode} hint="Push: offered to one agent at a time. Pool: every agent sees it, the first takes it.">
          <select name="mode" value={draft.mode} onChange={(e) => set({ mode: e.target.value as 'push' | 'pool' })}>
            <option value="push">push</option>
            <option value="pool">pool</option>
          </select>
        </Field>
        {numberField('priority', 'Priority', 0, 100, '0–100; higher queues are served first')}
        {numberField('minLevel', 'Minimum skill level', 1, 5)}
        {numberField('maxWaitSeconds', 'Max wait (s)', 1, 60000, '1–60000 s; then the wait-timeout overflow applies')}
        {numberField('maxTalkSeconds', 'Max talk (s)', 1, 86400, '1–86400 s; then the conversation ends by timer')}
        {numberField('wrapUpSeconds', 'Wrap-up (s)', 0, 3600, '0–3600 s, rounded up to a multiple of 5')}
        {numberField('ringTimeoutSeconds', 'Ring timeout (s)', 5, 600)}
        {numberField('maxMissedOffers', 'Missed offers before not ready', 1, 20)}
        <div className="fd-admin-row">
          <Field label="Max queue length" error={errors.maxQueueLength}>
            <select name="maxQueueLengthKind" value={draft.maxQueueLengthKind} onChange={(e) => set({ maxQueueLengthKind: e.target.value as 'fixed' | 'ratio' })}>
              <option value="fixed">fixed number</option>
              <option value="ratio">ratio of signed-in agents (%)</option>
            </select>
          </Field>
          <Field
            label={draft.maxQueueLengthKind === 'fixed' ? 'Sessions' : 'Percent'}
            error={errors['maxQueueLength.value'] ?? errors['maxQueueLength.percent']}
            hint={draft.maxQueueLengthKind === 'fixed' ? '0–10000' : '1–10000: ceil(% / 100 × signed-in agents)'}
          >
            <input type="number" name="maxQueueLengthValue" value={draft.maxQueueLengthValue} onChange={(e) => set({ maxQueueLengthValue: e.target.value })} />
          </Field>
        </div>
      </div>

      <details className="fd-admin-disclosure" open={hasAdvanced || undefined}>
      <summary>Advanced: overflow and escalation</summary>
      <fieldset className="fd-admin-fieldset">
        <legend>Overflow</legend>
        <p className="fd-field__hint">A transfer happens only while the target&apos;s occupancy% = (non-idle / signed-in agents)·70 + (queued / max queued)·30 is below the threshold.</p>
        {OVERFLOW_TRIGGERS.map((trigger) => (
          <OverflowEditor
            key={trigger}
            trigger={trigger}
            rule={draft.overflow[trigger]}
            queues={otherQueues}
            errors={errorsUnder(errors, `overflow.${trigger}`)}
            onChange={(rule) => set({ overflow: { ...draft.overflow, [trigger]: rule } })}
          />
        ))}
      </fieldset>

      <fieldset className="fd-admin-fieldset">
        <legend>Escalation steps</legend>
        {errors.escalation && <p className="fd-field__error" role="alert">{errors.escalation}</p>}
        {draft.escalation.map((step, i) => (
          <EscalationEditor
            key={i}
            index={i}
            step={step}
            queues={otherQueues}
            errors={errorsUnder(errors, `escalation.${i}`)}
            onChange={(next) => set({ escalation: draft.escalation.map((s, k) => (k === i ? next : s)) })}
            onRemove={() => set({ escalation: draft.escalation.filter((_, k) => k !== i) })}
          />
        ))}
        {draft.escalation.length < 10 && (
          <Button size="sm" onClick={() => set({ escalation: [...draft.escalation, { afterSeconds: '30', minLevel: '', addQueueIds: [], overflowQueueId: '' }] })}>
            Add a step
          </Button>
        )}
      </fieldset>
      </details>

      <HoursEditor label="This queue has working hours" value={draft.hours} onChange={(hours) => set({ hours })} errors={errorsUnder(errors, 'hours')} />

      <div className="fd-admin-actions">
        <Button type="submit" variant="primary" isBusy={isSaving}>{queue ? 'Save queue' : 'Create queue'}</Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function OverflowEditor({ trigger, rule, queues, errors, onChange }: { trigger: OverflowTrigger; rule: OverflowDraft; queues: readonly Queue[]; errors: FieldErrors; onChange: (rule: OverflowDraft) => void }) {
  const label = OVERFLOW_TRIGGER_LABELS[trigger];
  return (
    <div className="fd-admin-row" role="group" aria-label={`Overflow on ${label.toLowerCase()}`}>
      <Field label={label} error={errors.action ?? errors['']}>
        <select name={`overflow.${trigger}.action`} value={rule.action} onChange={(e) => onChange({ ...rule, action: e.target.value as OverflowDraft['action'] })}>
          <option value="none">(no rule)</option>
          <option value="release">release with a message</option>
          <option value="transfer">transfer to another queue</option>
        </select>
      </Field>
      {rule.action === 'transfer' && (
        <>
          <Field label="To queue" error={errors.toQueueId}>
            <select name={`overflow.${trigger}.toQueueId`} value={rule.toQueueId} onChange={(e) => onChange({ ...rule, toQueueId: e.target.value })}>
              <option value="">(choose)</option>
              {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
            </select>
          </Field>
          <Field label="Below occupancy %" error={errors.maxOccupancyPercent} hint="0–100">
            <input type="number" name={`overflow.${trigger}.maxOccupancyPercent`} value={rule.maxOccupancyPercent} onChange={(e) => onChange({ ...rule, maxOccupancyPercent: e.target.value })} />
          </Field>
        </>
      )}
      {rule.action !== 'none' && (
        <Field label="Message to the visitor" error={errors.message}>
          <input name={`overflow.${trigger}.message`} value={rule.message} maxLength={1000} onChange={(e) => onChange({ ...rule, message: e.target.value })} />
        </Field>
      )}
    </div>
  );
}

function EscalationEditor({ index, step, queues, errors, onChange, onRemove }: { index: number; step: EscalationDraft; queues: readonly Queue[]; errors: FieldErrors; onChange: (step: EscalationDraft) => void; onRemove: () => void }) {
  return (
    <div className="fd-admin-row" role="group" aria-label={`Escalation step ${index + 1}`}>
      <Field label={`After (s), step ${index + 1}`} error={errors.afterSeconds ?? errors['']} hint="1–60000">
        <input type="number" value={step.afterSeconds} onChange={(e) => onChange({ ...step, afterSeconds: e.target.value })} />
      </Field>
      <Field label="Lower level to" error={errors.minLevel} hint="1–5, optional">
        <input type="number" value={step.minLevel} onChange={(e) => onChange({ ...step, minLevel: e.target.value })} />
      </Field>
      <Field label="Add queues" error={errors.addQueueIds} hint="Ctrl-click for several">
        <select multiple value={step.addQueueIds} onChange={(e) => onChange({ ...step, addQueueIds: [...e.target.selectedOptions].map((o) => o.value) })}>
          {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
        </select>
      </Field>
      <Field label="Overflow to" error={errors.overflowQueueId}>
        <select value={step.overflowQueueId} onChange={(e) => onChange({ ...step, overflowQueueId: e.target.value })}>
          <option value="">(none)</option>
          {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
        </select>
      </Field>
      <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove escalation step ${index + 1}`}>Remove</Button>
    </div>
  );
}
