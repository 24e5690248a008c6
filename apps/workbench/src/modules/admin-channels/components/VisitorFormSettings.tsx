import { PRE_CHAT_FIELDS, type PreChatFieldKey } from '@frontdesk/protocol';
import { Field } from '../../../ui/index.ts';
import { Checkbox } from '../../admin/components/Checkbox.tsx';
import type { FieldErrors } from '../../admin/state/form-errors.ts';
import type { ChannelDraft, PreChatFieldChoice } from '../state/channel-form.ts';

const FIELD_LABELS: Record<PreChatFieldKey, string> = { name: 'Name', email: 'Email', phone: 'Phone' };
const CHOICES: { value: PreChatFieldChoice; label: string }[] = [
  { value: 'off', label: 'Not asked' },
  { value: 'optional', label: 'Optional' },
  { value: 'required', label: 'Required' },
];

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
  const setField = (key: PreChatFieldKey, choice: PreChatFieldChoice) => onChange({ preChatForm: { ...preChatForm, fields: { ...preChatForm.fields, [key]: choice } } });
  return (
    <fieldset className="fd-admin-fieldset" data-testid="channel-visitor-forms">
      <legend>Welcome and pre-chat form</legend>
      <Field label="Welcome message" error={errors.welcomeMessage} hint="The first words visitors see in the chat; empty for none">
        <textarea name="welcomeMessage" value={welcomeMessage} maxLength={1000} onChange={(e) => onChange({ welcomeMessage: e.target.value })} />
      </Field>
      <Checkbox label="Ask visitors a few questions before the chat starts" checked={preChatForm.enabled} onChange={(enabled) => onChange({ preChatForm: { ...preChatForm, enabled } })} />
      {preChatForm.enabled && (
        <div className="fd-admin-grid">
          {PRE_CHAT_FIELDS.map((key) => (
            <Field key={key} label={FIELD_LABELS[key]} error={errors['preChatForm.fields']}>
              <select name={`preChat-${key}`} value={preChatForm.fields[key]} onChange={(e) => setField(key, e.target.value as PreChatFieldChoice)}>
                {CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
              </select>
            </Field>
          ))}
        </div>
      )}
    </fieldset>
  );
}
