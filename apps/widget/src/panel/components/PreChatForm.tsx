import type { VisitorDetailsInput } from '@frontdesk/sdk-visitor';
import { useState } from 'preact/hooks';
import { usePanel } from '../App.tsx';
import { DETAIL_INPUTS, PanelForm } from './PanelForm.tsx';

/** The channel's pre-chat form: its fields in its order, each required or not; the conversation opens with the answers. */
export function PreChatForm() {
  const { t, model, view } = usePanel();
  const fields = view.channel?.preChatForm.fields ?? [];
  const [values, setValues] = useState<VisitorDetailsInput>({});
  const labels = { name: t.yourName, email: t.yourEmail, phone: t.yourPhone };

  return (
    <PanelForm
      kind="prechat"
      testId="pre-chat"
      title={t.preChatTitle}
      submitLabel={t.startChat}
      onSubmit={() => {
        const details = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v?.trim()]).filter(([, v]) => v)) as VisitorDetailsInput;
        return model.submitPreChat(details);
      }}
    >
      {view.channel?.welcomeMessage && (
        <p class="hint" dir="auto">
          {view.channel.welcomeMessage}
        </p>
      )}
      {fields.map((field) => (
        <label key={field.key}>
          {labels[field.key]} {!field.required && <span class="muted">{t.optional}</span>}
          <input
            name={field.key}
            {...DETAIL_INPUTS[field.key]}
            required={field.required}
            value={values[field.key] ?? ''}
            onInput={(e) => setValues({ ...values, [field.key]: e.currentTarget.value })}
          />
        </label>
      ))}
    </PanelForm>
  );
}
