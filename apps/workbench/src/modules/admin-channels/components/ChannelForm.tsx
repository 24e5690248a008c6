import { DEFAULT_HAND_OFF_KEYWORDS, IDENTITY_MODES, type Channel, type IdentityMode, type Queue } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { bodyOfChannelDraft, checkChannelBody, draftOfChannel, type ChannelDraft } from '../state/channel-form.ts';
import { errorsUnder, formErrorsOf, unplacedErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import { Checkbox } from '../../admin/components/Checkbox.tsx';
import { useFocusFirstError } from '../../admin/hooks/useFocusFirstError.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { HoursEditor } from '../../admin/components/HoursEditor.tsx';
import { CallSettings } from './CallSettings.tsx';
import { IdentitySecret } from './IdentitySecret.tsx';
import { VisitorFormSettings } from './VisitorFormSettings.tsx';
import { format } from '../../../app/locale.ts';
import { channelAdminStrings } from '../locales/index.ts';

export interface ChannelFormProps {
  api: AdminApi;
  channel: Channel;
  queues: readonly Queue[];
  onSaved: (channel: Channel) => void;
}

/** Every setting of a channel: queue, bot and hand-off (M10), hours, reminders, idle end (M11), visitor identity (M3–M5), calls (M22). */
export function ChannelForm({ api, channel, queues, onSaved }: ChannelFormProps) {
  const [draft, setDraft] = useState<ChannelDraft>(() => draftOfChannel(channel));
  const [errors, setErrors] = useState<FieldErrors>({});
  const { formRef, arm } = useFocusFirstError(errors);
  const [isSaving, setSaving] = useState(false);
  const t = channelAdminStrings().form;
  const bot = (patch: Partial<ChannelDraft['bot']>) => setDraft((d) => ({ ...d, bot: { ...d.bot, ...patch } }));
  const reminder = (patch: Partial<ChannelDraft['queueReminder']>) => setDraft((d) => ({ ...d, queueReminder: { ...d.queueReminder, ...patch } }));
  const idle = (patch: Partial<ChannelDraft['idleEnd']>) => setDraft((d) => ({ ...d, idleEnd: { ...d.idleEnd, ...patch } }));
  const identity = (patch: Partial<ChannelDraft['identity']>) => setDraft((d) => ({ ...d, identity: { ...d.identity, ...patch } }));
  const calls = (patch: Partial<ChannelDraft['calls']>) => setDraft((d) => ({ ...d, calls: { ...d.calls, ...patch } }));
  const botErrors = errorsUnder(errors, 'bot');

  async function submit(event: FormEvent) {
    event.preventDefault();
    arm();
    const body = bodyOfChannelDraft(draft);
    const found = checkChannelBody(body, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const saved = await api.channels.update(channel.id, body);
      setDraft(draftOfChannel(saved));
      onSaved(saved);
    } catch (err) {
      setErrors(formErrorsOf(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form ref={formRef} className="fd-admin-form" onSubmit={submit} noValidate aria-label={format(t.label, { name: channel.name })}>
      <FormAlert messages={unplacedErrors(errors, ['name', 'queueId', 'bot', 'hours', 'queueReminder', 'idleEnd', 'identity', 'calls', 'preChatForm', 'welcomeMessage'])} />
      <div className="fd-admin-grid">
        <Field label={t.name} error={errors.name}>
          <input value={draft.name} maxLength={100} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </Field>
        <Field label={t.queue} error={errors.queueId} hint={t.queueHint}>
          <select name="queueId" value={draft.queueId} onChange={(e) => setDraft({ ...draft, queueId: e.target.value })}>
            <option value="">{t.noQueue}</option>
            {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
          </select>
        </Field>
      </div>

      <fieldset className="fd-admin-fieldset">
        <legend>{t.bot}</legend>
        <Checkbox label={t.botFirst} checked={draft.bot.enabled} onChange={(enabled) => bot({ enabled })} />
        <div className="fd-admin-grid">
          <Field label={t.botName} error={botErrors.name}>
            <input value={draft.bot.name} maxLength={64} onChange={(e) => bot({ name: e.target.value })} />
          </Field>
          <Field label={t.avatarUrl} error={botErrors.avatarUrl} hint={t.avatarUrlHint}>
            <input type="url" value={draft.bot.avatarUrl} onChange={(e) => bot({ avatarUrl: e.target.value })} />
          </Field>
          <Field label={t.handOffKeywords} error={botErrors.handOffKeywords ?? Object.entries(botErrors).find(([k]) => k.startsWith('handOffKeywords.'))?.[1]} hint={format(t.handOffKeywordsHint, { defaults: DEFAULT_HAND_OFF_KEYWORDS.join(', ') })}>
            <input value={draft.bot.handOffKeywords} onChange={(e) => bot({ handOffKeywords: e.target.value })} />
          </Field>
        </div>
        <Field label={t.defaultReply} error={botErrors.defaultReply}>
          <textarea value={draft.bot.defaultReply} maxLength={2000} onChange={(e) => bot({ defaultReply: e.target.value })} />
        </Field>
        <Field label={t.timeoutReply} error={botErrors.timeoutReply}>
          <textarea value={draft.bot.timeoutReply} maxLength={2000} onChange={(e) => bot({ timeoutReply: e.target.value })} />
        </Field>
        <Field label={t.handOffText} error={botErrors.handOffText}>
          <textarea value={draft.bot.handOffText} maxLength={2000} onChange={(e) => bot({ handOffText: e.target.value })} />
        </Field>
      </fieldset>

      <VisitorFormSettings preChatForm={draft.preChatForm} welcomeMessage={draft.welcomeMessage} errors={errors} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />

      <HoursEditor label={t.hours} value={draft.hours} onChange={(hours) => setDraft({ ...draft, hours })} errors={errorsUnder(errors, 'hours')} />

      <fieldset className="fd-admin-fieldset">
        <legend>{t.reminders}</legend>
        <Checkbox label={t.remindersOn} checked={draft.queueReminder.enabled} onChange={(enabled) => reminder({ enabled })} />
        <Field label={t.every} error={errors['queueReminder.intervalSeconds']} hint={t.everyHint}>
          <input type="number" value={draft.queueReminder.intervalSeconds} onChange={(e) => reminder({ intervalSeconds: e.target.value })} />
        </Field>
        <Field label={t.reminderText} error={errors['queueReminder.text']} hint={t.reminderTextHint}>
          <textarea value={draft.queueReminder.text} maxLength={1000} onChange={(e) => reminder({ text: e.target.value })} />
        </Field>
      </fieldset>

      <fieldset className="fd-admin-fieldset">
        <legend>{t.idleEnd}</legend>
        <Checkbox label={t.idleEndOn} checked={draft.idleEnd.enabled} onChange={(enabled) => idle({ enabled })} />
        <Field label={t.afterMinutes} error={errors['idleEnd.minutes']} hint={t.afterMinutesHint}>
          <input type="number" value={draft.idleEnd.minutes} onChange={(e) => idle({ minutes: e.target.value })} />
        </Field>
        <Field label={t.endText} error={errors['idleEnd.text']}>
          <textarea value={draft.idleEnd.text} maxLength={1000} onChange={(e) => idle({ text: e.target.value })} />
        </Field>
      </fieldset>

      <details className="fd-admin-disclosure" open={draft.identity.mode !== 'anonymous' || Object.keys(errors).some((k) => k.startsWith('identity')) || undefined}>
      <summary>{t.advancedIdentity}</summary>
      <fieldset className="fd-admin-fieldset">
        <legend>{t.identity}</legend>
        <p className="fd-field__hint">{t.identityHint}</p>
        <Field label={t.identityMode} error={errors['identity.mode']}>
          <select value={draft.identity.mode} onChange={(e) => identity({ mode: e.target.value as IdentityMode })}>
            {IDENTITY_MODES.map((m) => <option key={m} value={m}>{t.identityModes[m]}</option>)}
          </select>
        </Field>
        {draft.identity.mode === 'token' && (
          <Field label={t.validateUrl} error={errors['identity.validateUrl']} hint={t.validateUrlHint}>
            <input type="url" value={draft.identity.validateUrl} onChange={(e) => identity({ validateUrl: e.target.value })} />
          </Field>
        )}
        {(draft.identity.mode === 'hmac' || draft.identity.mode === 'auth-v2') && <IdentitySecret api={api} channelId={channel.id} />}
      </fieldset>
      </details>

      <CallSettings calls={draft.calls} queues={queues} errors={errors} onChange={calls} />

      <fieldset className="fd-admin-fieldset">
        <legend>{t.typingPreview}</legend>
        <Checkbox
          label={t.typingPreviewOn}
          checked={draft.typingPreview}
          onChange={(typingPreview) => setDraft((d) => ({ ...d, typingPreview }))}
        />
      </fieldset>

      <div className="fd-admin-actions">
        <Button type="submit" variant="primary" isBusy={isSaving}>{t.save}</Button>
      </div>
    </form>
  );
}
