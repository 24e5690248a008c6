import { useState } from 'preact/hooks';
import { usePanel } from '../App.tsx';
import { DETAIL_INPUTS, PanelForm } from './PanelForm.tsx';

/**
 * Nobody can answer (no agent, off hours, the wait ran out): the visitor leaves a name, an email
 * or a phone (at least one: how they will be answered) and a message. It becomes their open
 * conversation, kept for agents until one answers it: never a silent end.
 */
export function LeaveMessageForm({ onCancel }: { onCancel?: () => void }) {
  const { t, model } = usePanel();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [message, setMessage] = useState('');
  const [missingContact, setMissingContact] = useState(false);

  return (
    <PanelForm
      kind="leave"
      testId="leave-message"
      title={t.leaveMessageTitle}
      submitLabel={t.sendMessageLeft}
      onSubmit={async () => {
        if (!email.trim() && !phone.trim()) return setMissingContact(true);
        await model.leaveMessage({ name: name.trim(), message: message.trim(), ...(email.trim() ? { email: email.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) });
      }}
      extraButton={
        onCancel && (
          <button type="button" class="chip" onClick={onCancel}>
            {t.cancel}
          </button>
        )
      }
    >
      <p class="hint">{t.leaveMessageIntro}</p>
      <label>
        {t.yourName}
        <input name="name" {...DETAIL_INPUTS.name} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t.yourEmail}
        <input name="email" {...DETAIL_INPUTS.email} value={email} onInput={(e) => (setEmail(e.currentTarget.value), setMissingContact(false))} />
      </label>
      <label>
        {t.yourPhone}
        <input name="phone" {...DETAIL_INPUTS.phone} value={phone} onInput={(e) => (setPhone(e.currentTarget.value), setMissingContact(false))} />
      </label>
      {missingContact && (
        <p class="invalid" role="alert">
          {t.contactNeeded}
        </p>
      )}
      <label>
        {t.yourMessage}
        <textarea name="message" required maxLength={8000} dir="auto" value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
      </label>
    </PanelForm>
  );
}
