import { OVERFLOW_TRIGGERS, QUEUE_TYPES, type Area, type Queue } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { errorsUnder, formErrorsOf, unplacedErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import {
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
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { queueStrings } from '../locales/index.ts';

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
  const t = queueStrings();
  const { common } = adminStrings();
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
    const found = checkQueueBody(body, t);
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
    <form ref={formRef} className="fd-admin-form" onSubmit={submit} noValidate aria-label={queue ? format(t.editFormLabel, { name: queue.name }) : t.newQueue}>
      <FormAlert messages={unplacedErrors(errors, PLACED)} />
      <div className="fd-admin-grid">
        <Field label={common.name} error={errors.name}>
          <input name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} required />
        </Field>
        <Field label={t.serviceArea} error={errors.areaId}>
          <select name="areaId" value={draft.areaId} onChange={(e) => set({ areaId: e.target.value })}>
            <option value="">{common.none}</option>
            {areas.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </Field>
        <Field label={t.columns.type} error={errors.type}>
          <select name="type" value={draft.type} onChange={(e) => set({ type: e.target.value as QueueDraft['type'] })}>
            {QUEUE_TYPES.map((t) => <option key={t} value={t}>{queueTypeLabel(t)}</option>)}
          </select>
        </Field>
        <Field label={t.channelSubtypes} error={errors.channelSubtypes ?? Object.entries(errors).find(([k]) => k.startsWith('channelSubtypes.'))?.[1]} hint={t.channelSubtypesHint}>
          <input name="channelSubtypes" value={draft.channelSubtypes} onChange={(e) => set({ channelSubtypes: e.target.value })} />
        </Field>
        <Field label={t.mode} error={errors.mode} hint={t.modeHint}>
          <select name="mode" value={draft.mode} onChange={(e) => set({ mode: e.target.value as 'push' | 'pool' })}>
            <option value="push">{t.modes.push}</option>
            <option value="pool">{t.modes.pool}</option>
          </select>
        </Field>
        {numberField('priority', t.priority, 0, 100, t.priorityHint)}
        {numberField('minLevel', t.minLevel, 1, 5)}
        {numberField('maxWaitSeconds', t.maxWait, 1, 60000, t.maxWaitHint)}
        {numberField('maxTalkSeconds', t.maxTalk, 1, 86400, t.maxTalkHint)}
        {numberField('wrapUpSeconds', t.wrapUp, 0, 3600, t.wrapUpHint)}
        {numberField('ringTimeoutSeconds', t.ringTimeout, 5, 600)}
        {numberField('maxMissedOffers', t.maxMissed, 1, 20)}
        <div className="fd-admin-row">
          <Field label={t.maxLength} error={errors.maxQueueLength}>
            <select name="maxQueueLengthKind" value={draft.maxQueueLengthKind} onChange={(e) => set({ maxQueueLengthKind: e.target.value as 'fixed' | 'ratio' })}>
              <option value="fixed">{t.fixed}</option>
              <option value="ratio">{t.ratio}</option>
            </select>
          </Field>
          <Field
            label={draft.maxQueueLengthKind === 'fixed' ? t.sessions : t.percent}
            error={errors['maxQueueLength.value'] ?? errors['maxQueueLength.percent']}
            hint={draft.maxQueueLengthKind === 'fixed' ? '0–10000' : t.ratioHint}
          >
            <input type="number" name="maxQueueLengthValue" value={draft.maxQueueLengthValue} onChange={(e) => set({ maxQueueLengthValue: e.target.value })} />
          </Field>
        </div>
      </div>

      <details className="fd-admin-disclosure" open={hasAdvanced || undefined}>
      <summary>{t.advanced}</summary>
      <fieldset className="fd-admin-fieldset">
        <legend>{t.overflow}</legend>
        <p className="fd-field__hint">{t.overflowHint}</p>
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
        <legend>{t.escalation}</legend>
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
            {t.addStep}
          </Button>
        )}
      </fieldset>
      </details>

      <HoursEditor label={t.hours} value={draft.hours} onChange={(hours) => set({ hours })} errors={errorsUnder(errors, 'hours')} />

      <div className="fd-admin-actions">
        <Button type="submit" variant="primary" isBusy={isSaving}>{queue ? t.save : t.create}</Button>
        <Button onClick={onCancel}>{common.cancel}</Button>
      </div>
    </form>
  );
}

function OverflowEditor({ trigger, rule, queues, errors, onChange }: { trigger: OverflowTrigger; rule: OverflowDraft; queues: readonly Queue[]; errors: FieldErrors; onChange: (rule: OverflowDraft) => void }) {
  const t = queueStrings();
  const { common } = adminStrings();
  const label = t.triggers[trigger];
  return (
    <div className="fd-admin-row" role="group" aria-label={format(t.overflowOn, { trigger: label.toLowerCase() })}>
      <Field label={label} error={errors.action ?? errors['']}>
        <select name={`overflow.${trigger}.action`} value={rule.action} onChange={(e) => onChange({ ...rule, action: e.target.value as OverflowDraft['action'] })}>
          <option value="none">{t.noRule}</option>
          <option value="release">{t.releaseWithMessage}</option>
          <option value="transfer">{t.transfer}</option>
        </select>
      </Field>
      {rule.action === 'transfer' && (
        <>
          <Field label={t.toQueue} error={errors.toQueueId}>
            <select name={`overflow.${trigger}.toQueueId`} value={rule.toQueueId} onChange={(e) => onChange({ ...rule, toQueueId: e.target.value })}>
              <option value="">{common.choose}</option>
              {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
            </select>
          </Field>
          <Field label={t.belowOccupancy} error={errors.maxOccupancyPercent} hint="0–100">
            <input type="number" name={`overflow.${trigger}.maxOccupancyPercent`} value={rule.maxOccupancyPercent} onChange={(e) => onChange({ ...rule, maxOccupancyPercent: e.target.value })} />
          </Field>
        </>
      )}
      {rule.action !== 'none' && (
        <Field label={t.messageToVisitor} error={errors.message}>
          <input name={`overflow.${trigger}.message`} value={rule.message} maxLength={1000} onChange={(e) => onChange({ ...rule, message: e.target.value })} />
        </Field>
      )}
    </div>
  );
}

function EscalationEditor({ index, step, queues, errors, onChange, onRemove }: { index: number; step: EscalationDraft; queues: readonly Queue[]; errors: FieldErrors; onChange: (step: EscalationDraft) => void; onRemove: () => void }) {
  const t = queueStrings();
  const { common } = adminStrings();
  return (
    <div className="fd-admin-row" role="group" aria-label={format(t.stepLabel, { n: index + 1 })}>
      <Field label={format(t.after, { n: index + 1 })} error={errors.afterSeconds ?? errors['']} hint="1–60000">
        <input type="number" value={step.afterSeconds} onChange={(e) => onChange({ ...step, afterSeconds: e.target.value })} />
      </Field>
      <Field label={t.lowerLevel} error={errors.minLevel} hint={t.lowerLevelHint}>
        <input type="number" value={step.minLevel} onChange={(e) => onChange({ ...step, minLevel: e.target.value })} />
      </Field>
      <Field label={t.addQueues} error={errors.addQueueIds} hint={common.ctrlClick}>
        <select multiple value={step.addQueueIds} onChange={(e) => onChange({ ...step, addQueueIds: [...e.target.selectedOptions].map((o) => o.value) })}>
          {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
        </select>
      </Field>
      <Field label={t.overflowTo} error={errors.overflowQueueId}>
        <select value={step.overflowQueueId} onChange={(e) => onChange({ ...step, overflowQueueId: e.target.value })}>
          <option value="">{common.none}</option>
          {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
        </select>
      </Field>
      <Button size="sm" variant="ghost" onClick={onRemove} aria-label={format(t.removeStep, { n: index + 1 })}>{common.remove}</Button>
    </div>
  );
}
