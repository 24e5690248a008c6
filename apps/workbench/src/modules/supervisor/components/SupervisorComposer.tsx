import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '../../../ui/index.ts';
import { supervisionStrings } from '../locales/index.ts';

/**
 * The supervisor's composer: a whisper (only the agent sees it; drawn apart in its own colour) or
 * a barge-in message (the visitor sees it, from the supervisor). Enter sends, Shift+Enter adds a line.
 */
export function SupervisorComposer({ kind, onSend }: { kind: 'whisper' | 'barge'; onSend: (text: string, clientId: string) => Promise<boolean> }) {
  const s = supervisionStrings();
  const [text, setText] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const hint = kind === 'whisper' ? s.whisperHint : s.bargeHint;
  const hintId = `fd-sup-composer-hint-${kind}`;

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || isBusy) return;
    setIsBusy(true);
    const isSent = await onSend(trimmed, newClientId());
    setIsBusy(false);
    if (isSent) setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form className={`fd-sup-composer fd-sup-composer--${kind}`} onSubmit={(event) => void send(event)} data-testid={`${kind}-composer`}>
      <p className="fd-sup-composer__hint" id={hintId}>{hint}</p>
      <textarea
        value={text}
        rows={2}
        maxLength={8000}
        placeholder={kind === 'whisper' ? s.whisperPlaceholder : s.bargePlaceholder}
        aria-label={kind === 'whisper' ? s.whisperPlaceholder : s.bargePlaceholder}
        aria-describedby={hintId}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <Button type="submit" size="sm" variant="primary" isBusy={isBusy} disabled={!text.trim()}>
        {kind === 'whisper' ? s.sendWhisper : s.sendBarge}
      </Button>
    </form>
  );
}

/** A client id for one send (retries of it reuse it); not a secret, so no secure context is needed. */
function newClientId(): string {
  return `sup-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
