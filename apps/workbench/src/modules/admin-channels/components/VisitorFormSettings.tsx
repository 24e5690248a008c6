import { PRE_CHAT_FIELDS, type PreChatFieldKey } from '@frontdesk/protocol';
import { Field } from '../../../ui/index.ts';
import { Checkbox } from '../../admin/components/Checkbox.tsx';
import type { FieldErrors } from '../../admin/state/form-errors.ts';
import type { ChannelDraft, PreChatFieldChoice } from '../state/channel-form.ts';
import { channelAdminStrings } from '../locales/index.ts';

const CHOICES: readonly PreChatFieldChoice[] = ['off', 'optional', 'required'];

/**
 * What visitors see before they chat: the welcome message, and an optional pre-chat form whose
 * answers the agent sees with the conversation. (When nobody can answer, the widget asks for a
 * name and an email or phone in its leave-a-message form instead, whatever is set here.)
 */
export function VisitorFormSettings({
  preChatForm,
  welcomeMessage,
  errors,
  onChange,
}: {
  preChatForm: ChannelDraft['preChatForm'];
  welcomeMessage: string;
  errors: FieldErrors;
  onChange: (patch: Partial<Pick<ChannelDraft, 'preChatForm' | 'welcomeMessage'>>) => void;
}) {
  const t = channelAdminStrings().visitorForms;
  const setField = (key: PreChatFieldKey, choice: PreChatFieldChoice) => onChange({ preChatForm: { ...preChatForm, fields: { ...preChatForm.fields, [key]: choice } } });
  return (
    <fieldset className="fd-admin-fieldset" data-testid="channel-visitor-forms">
      <legend>{t.legend}</legend>
      <Field label={t.welcome} error={errors.welcomeMessage} hint={t.welcomeHint}>
        <textarea name="welcomeMessage" value={welcomeMessage} maxLength={1000} onChange={(e) => onChange({ welcomeMessage: e.target.value })} />
      </Field>
      <Checkbox label={t.preChatOn} checked={preChatForm.enabled} onChange={(enabled) => onChange({ preChatForm: { ...preChatForm, enabled } })} />
      {preChatForm.enabled && (
        <div className="fd-admin-grid">
          {PRE_CHAT_FIELDS.map((key) => (
            <Field key={key} label={t.fields[key]} error={errors['preChatForm.fields']}>
              <select name={`preChat-${key}`} value={preChatForm.fields[key]} onChange={(e) => setField(key, e.target.value as PreChatFieldChoice)}>
                {CHOICES.map((c) => <option key={c} value={c}>{t.choices[c]}</option>)}
              </select>
            </Field>
          ))}
        </div>
      )}
    </fieldset>
  );
}
