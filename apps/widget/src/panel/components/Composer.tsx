import { useRef, useState } from 'preact/hooks';
import { usePanel } from '../App.tsx';

const EMOJI = ['😀', '😂', '😊', '😍', '😘', '😎', '🤔', '😅', '😢', '😭', '😡', '😱', '👍', '👎', '👏', '🙏', '👌', '🤝', '💪', '🎉', '❤️', '💔', '🔥', '⭐', '✅', '❌', '❓', '💡', '📦', '💰', '🚚', '☕'];

const ATTACH_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3l7.5-7.5" />
  </svg>
);
const PIN_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">
    <path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" />
    <circle cx="12" cy="9.5" r="2.5" />
  </svg>
);
const SEND_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor" style="transform:scaleX(var(--fd-flip,1))">
    <path d="M3 20.5l18-8.5L3 3.5l2.5 7L14 12l-8.5 1.5z" />
  </svg>
);

/** Message box (Enter sends, Shift+Enter breaks the line), emoji, file and location. */
export function Composer() {
  const { t, model } = usePanel();
  const [text, setText] = useState('');
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const submit = (event?: Event) => {
    event?.preventDefault();
    const value = text.trim();
    if (!value) return;
    model.send(value);
    model.typing(false);
    setText('');
    setEmojiOpen(false);
    if (input.current) input.current.style.height = '';
    input.current?.focus();
  };

  const insertEmoji = (emoji: string) => {
    const box = input.current;
    const start = box?.selectionStart ?? text.length;
    const end = box?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    requestAnimationFrame(() => {
      box?.focus();
      box?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const shareLocation = () => {
    setNotice('');
    if (!navigator.geolocation) return setNotice(t.locationUnavailable);
    navigator.geolocation.getCurrentPosition(
      (position) => model.sendLocation({ latitude: position.coords.latitude, longitude: position.coords.longitude }),
      () => setNotice(t.locationUnavailable),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  return (
    <>
      {model.view.channel?.typingPreview && <p class="preview-notice">{t.typingPreviewNotice}</p>}
      {emojiOpen && (
        <div class="pop emoji" role="group" aria-label={t.emoji} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setEmojiOpen(false), input.current?.focus())}>
          {EMOJI.map((emoji) => (
            <button type="button" key={emoji} onClick={() => insertEmoji(emoji)} aria-label={emoji}>
              {emoji}
            </button>
          ))}
        </div>
      )}
      {notice && (
        <p class="banner" role="alert">
          {notice}
        </p>
      )}
      <form class="composer" onSubmit={submit}>
        <button type="button" class="icon" aria-label={t.emoji} aria-expanded={emojiOpen} title={t.emoji} onClick={() => setEmojiOpen(!emojiOpen)}>
          <span aria-hidden="true">☺</span>
        </button>
        <button type="button" class="icon" aria-label={t.attach} title={t.attach} onClick={() => fileInput.current?.click()}>
          {ATTACH_ICON}
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          multiple
          onChange={(e) => {
            for (const file of Array.from(e.currentTarget.files ?? [])) void model.sendFile(file);
            e.currentTarget.value = '';
          }}
        />
        <button type="button" class="icon" aria-label={t.location} title={t.location} onClick={shareLocation}>
          {PIN_ICON}
        </button>
        <textarea
          ref={input}
          dir="auto"
          rows={1}
          value={text}
          aria-label={t.messageLabel}
          placeholder={t.messagePlaceholder}
          maxLength={8000}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            model.typing(value.length > 0, value);
            e.currentTarget.style.height = 'auto';
            e.currentTarget.style.height = `${e.currentTarget.scrollHeight + 2}px`;
          }}
          onBlur={() => model.typing(false)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
          }}
        />
        <button type="submit" class="icon send" aria-label={t.send} title={t.send} disabled={!text.trim()}>
          {SEND_ICON}
        </button>
      </form>
    </>
  );
}
