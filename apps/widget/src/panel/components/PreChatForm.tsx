import type { VisitorDetailsInput } from '@frontdesk/sdk-visitor';
import { useState } from 'preact/hooks';
import { usePanel } from '../App.tsx';

const INPUTS = {
  name: { type: 'text', autoComplete: 'name', maxLength: 100 },
  email: { type: 'email', autoComplete: 'email', maxLength: 254 },
  phone: { type: 'tel', autoComplete: 'tel', maxLength: 32 },
} as const;

/** The channel's pre-chat form: its fields in its order, each required or not; the conversation opens with the answers. */
export function PreChatForm() {
  const { t, model, view } = usePanel();
  const fields = view.channel?.preChatForm.fields ?? [];
  const [values, setValues] = useState<VisitorDetailsInput>({});
  const [sending, setSending] = useState(false);
  const labels = { name: t.yourName, email: t.yourEmail, phone: t.yourPhone };

  return (
    <form
      class="pop form prechat"
      aria-labelledby="fd-prechat-title"
      data-testid="pre-chat"
      onSubmit={async (e) => {
        e.preventDefault();
        setSending(true);
        const details = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v?.trim()]).filter(([, v]) => v)) as VisitorDetailsInput;
        await model.submitPreChat(details);
        setSending(false);
      }}
    >
      <h3 id="fd-prechat-title">{t.preChatTitle}</h3>
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
            {...INPUTS[field.key]}
            required={field.required}
            value={values[field.key] ?? ''}
            onInput={(e) => setValues({ ...values, [field.key]: e.currentTarget.value })}
          />
        </label>
      ))}
      <div class="row">
        <button type="submit" class="chip primary" disabled={sending}>
          {t.startChat}
        </button>
      </div>
    </form>
  );
}
