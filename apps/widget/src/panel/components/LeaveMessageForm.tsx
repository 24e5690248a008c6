import { useState } from 'preact/hooks';
import { usePanel } from '../App.tsx';

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
  const [sending, setSending] = useState(false);
  const [missingContact, setMissingContact] = useState(false);

  return (
    <form
      class="pop form leave"
      aria-labelledby="fd-leave-title"
      data-testid="leave-message"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!email.trim() && !phone.trim()) return setMissingContact(true);
        setSending(true);
        await model.leaveMessage({ name: name.trim(), message: message.trim(), ...(email.trim() ? { email: email.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) });
        setSending(false);
      }}
    >
      <h3 id="fd-leave-title">{t.leaveMessageTitle}</h3>
      <p class="hint">{t.leaveMessageIntro}</p>
      <label>
        {t.yourName}
        <input name="name" autoComplete="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t.yourEmail}
        <input name="email" type="email" autoComplete="email" maxLength={254} value={email} onInput={(e) => (setEmail(e.currentTarget.value), setMissingContact(false))} />
      </label>
      <label>
        {t.yourPhone}
        <input name="phone" type="tel" autoComplete="tel" maxLength={32} value={phone} onInput={(e) => (setPhone(e.currentTarget.value), setMissingContact(false))} />
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
      <div class="row">
        {onCancel && (
          <button type="button" class="chip" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
        <button type="submit" class="chip primary" disabled={sending}>
          {t.sendMessageLeft}
        </button>
      </div>
    </form>
  );
}
