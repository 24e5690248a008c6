import { ANYCHAT_SIGN_TYPES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, type AnyChatSignType, type WebhookEventType, type WebhookFormat, type WebhookSubscription } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { formErrorsOf, unplacedErrors, type FieldErrors } from '../state/form-errors.ts';
import { Checkbox } from './Checkbox.tsx';
import { useFocusFirstError } from '../hooks/useFocusFirstError.ts';
import { FormAlert } from './FormAlert.tsx';
import { adminStrings } from '../locales/index.ts';

export interface WebhookFormProps {
  api: AdminApi;
  subscription?: WebhookSubscription;
  /** `secret` is set on creation (shown once). */
  onSaved: (subscription: WebhookSubscription, secret?: string) => void;
  onCancel: () => void;
}

/** A webhook subscription (SPEC M35, M36): receiver URL, format, event types, description. */
export function WebhookForm({ api, subscription, onSaved, onCancel }: WebhookFormProps) {
  const [url, setUrl] = useState(subscription?.url ?? '');
  const [format, setFormat] = useState<WebhookFormat>(subscription?.format ?? 'standard');
  const [signType, setSignType] = useState<AnyChatSignType>(subscription?.signType ?? 'MD5');
  const [allEvents, setAllEvents] = useState(subscription ? subscription.eventTypes === null : true);
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(subscription?.eventTypes ?? []);
  const [description, setDescription] = useState(subscription?.description ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { formRef, arm } = useFocusFirstError(errors);
  const { webhooks: t, common } = adminStrings();

  async function submit(event: FormEvent) {
    event.preventDefault();
    arm();
    const found: FieldErrors = {};
    if (!/^https?:\/\/[^\s/]+/i.test(url.trim())) found.url = t.badUrl;
    if (!allEvents && eventTypes.length === 0) found.eventTypes = t.noEventType;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = { url: url.trim(), format, signType, eventTypes: allEvents ? null : eventTypes, description: description.trim() };
    try {
      if (subscription) onSaved(await api.webhooks.update(subscription.id, body));
      else {
        const { secret, ...created } = await api.webhooks.subscribe(body);
        onSaved(created, secret);
      }
    } catch (err) {
      const mapped = formErrorsOf(err);
      // URL refusals (private targets, bad scheme) come as their own codes: they belong to the URL field.
      if (mapped[''] && /URL|url|address|target/.test(mapped[''])) setErrors({ url: mapped[''] });
      else setErrors(mapped);
    }
  }

  return (
    <form ref={formRef} className="fd-admin-form" onSubmit={submit} noValidate aria-label={subscription ? t.editFormLabel : t.newTitle}>
      <FormAlert messages={unplacedErrors(errors, ['url', 'format', 'signType', 'eventTypes', 'description'])} />
      <Field label={t.receiverUrl} error={errors.url} hint={t.receiverUrlHint}>
        <input type="url" value={url} maxLength={2048} onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <div className="fd-admin-grid">
        <Field label={t.format} error={errors.format}>
          <select value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)}>
            {WEBHOOK_FORMATS.map((f) => <option key={f} value={f}>{f === 'standard' ? t.standardFormat : t.anychatFormat}</option>)}
          </select>
        </Field>
        {format === 'anychat' && (
          <Field label={t.anychatSignature} error={errors.signType}>
            <select value={signType} onChange={(e) => setSignType(e.target.value as AnyChatSignType)}>
              {ANYCHAT_SIGN_TYPES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
        )}
      </div>
      <fieldset className="fd-admin-fieldset">
        <legend>{t.events}</legend>
        <Checkbox label={t.allEventTypes} checked={allEvents} onChange={setAllEvents} />
        {!allEvents && (
          <div className="fd-admin-checkgrid">
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <Checkbox key={t} label={t} checked={eventTypes.includes(t)} onChange={(on) => setEventTypes(on ? [...eventTypes, t] : eventTypes.filter((x) => x !== t))} />
            ))}
          </div>
        )}
        {errors.eventTypes && <p className="fd-field__error" role="alert">{errors.eventTypes}</p>}
      </fieldset>
      <Field label={t.description} error={errors.description}>
        <input value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <div className="fd-admin-actions">
        <Button type="submit" variant="primary">{subscription ? t.save : t.subscribe}</Button>
        <Button onClick={onCancel}>{common.cancel}</Button>
      </div>
    </form>
  );
}
