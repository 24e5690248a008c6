import type { CannedResponse } from '@frontdesk/sdk-agent';
import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { Button, Icon, useToast } from '../../../ui/index.ts';
import { CannedPicker } from '../../canned/components/CannedPicker.tsx';
import { useCannedResponses } from '../../canned/hooks/use-canned-responses.ts';
import { cannedStrings } from '../../canned/locales/index.ts';
import { filterCannedResponses, insertCannedResponse, shortcutQueryAt } from '../../canned/state/shortcut-query.ts';
import { useSessionsStore } from '../../inbox/hooks/use-sessions.ts';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../locales/index.ts';

const MAX_TEXT_LENGTH = 8000;

// NOTE: loaded when first opened: most replies never need it.
const MyCannedDialog = lazy(() => import('../../canned/components/MyCannedDialog.tsx').then((m) => ({ default: m.MyCannedDialog })));

/**
 * Writes to the visitor: Enter sends, Shift+Enter adds a line, `/shortcut` offers canned
 * responses (↑ ↓ to choose, Enter or Tab to insert, Esc to close), Attach sends a file.
 */
export function Composer({ sessionId, isDisabled }: { sessionId: string; isDisabled: boolean }) {
  const client = useClient();
  const toast = useToast();
  const pickerId = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const store = useSessionsStore();
  // The draft of this conversation, kept while the agent works in another one.
  const [text, setTextState] = useState(() => store.draftOf(sessionId));
  const setText = (next: string) => {
    setTextState(next);
    store.setDraft(sessionId, next);
  };
  const [caret, setCaret] = useState(0);
  const [isPickerForced, setIsPickerForced] = useState(false);
  const [isPickerDismissed, setIsPickerDismissed] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const { responses, reload: reloadCanned } = useCannedResponses();
  const [isMineOpen, setIsMineOpen] = useState(false);

  // Another conversation in the same composer: its own draft.
  const shownSession = useRef(sessionId);
  useEffect(() => {
    if (shownSession.current === sessionId) return;
    shownSession.current = sessionId;
    setTextState(store.draftOf(sessionId));
    setIsPickerForced(false);
  }, [store, sessionId]);

  const shortcut = shortcutQueryAt(text, caret);
  const isPickerOpen = !isDisabled && !isPickerDismissed && (shortcut !== null || isPickerForced);
  const matches = useMemo(() => (isPickerOpen ? filterCannedResponses(responses, shortcut?.query ?? '') : []), [isPickerOpen, responses, shortcut?.query]);
  useEffect(() => setActiveIndex(0), [shortcut?.query, isPickerOpen]);

  // Typing state: on while there is text being written, off when sent or cleared.
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  function signalTyping(next: string) {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    if (!next) {
      client.Chat.setTyping({ sessionId, isTyping: false });
      return;
    }
    client.Chat.setTyping({ sessionId, isTyping: true });
    typingTimer.current = setTimeout(() => client.Chat.setTyping({ sessionId, isTyping: false }), 4000);
  }
  useEffect(() => () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
  }, []);

  function pick(response: CannedResponse) {
    const inserted = insertCannedResponse(text, caret, shortcut?.start ?? caret, response);
    setText(inserted.text);
    setIsPickerForced(false);
    setIsPickerDismissed(true);
    requestAnimationFrame(() => {
      const el = textRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(inserted.caret, inserted.caret);
      setCaret(inserted.caret);
    });
  }

  async function send() {
    const body = text.trim();
    if (!body || isDisabled) return;
    setText('');
    setCaret(0);
    signalTyping('');
    const result = await client.Chat.send({ sessionId, text: body });
    if (result.status === 'error' && result.errorCode !== 'SDK_NOT_CONNECTED') toast({ message: format(cs().notSentWith, { error: result.errorMsg ?? '' }), tone: 'danger' });
  }

  async function sendFile(file: File) {
    const result = await client.Chat.sendFile({ sessionId, file, name: file.name });
    if (result.status === 'error') toast({ message: format(cs().fileNotSent, { name: file.name, error: result.errorMsg ?? '' }), tone: 'danger' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (isPickerOpen && matches.length > 0) {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setActiveIndex((i) => (i + 1) % matches.length);
        return;
      }
      if (event.key === 'ArrowUp') {
        event.preventDefault();
        setActiveIndex((i) => (i - 1 + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(matches[activeIndex] ?? matches[0]!);
        return;
      }
    }
    if (isPickerOpen && event.key === 'Escape') {
      event.preventDefault();
      setIsPickerForced(false);
      setIsPickerDismissed(true);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <div className="wb-composer">
      {isPickerOpen && <CannedPicker id={pickerId} responses={matches} activeIndex={activeIndex} onPick={pick} onHover={setActiveIndex} />}
      <label className="fd-visually-hidden" htmlFor={`${pickerId}-text`}>{cs().message}</label>
      <textarea
        id={`${pickerId}-text`}
        ref={textRef}
        dir="auto"
        className="fd-control wb-composer__text"
        data-testid="composer"
        value={text}
        maxLength={MAX_TEXT_LENGTH}
        disabled={isDisabled}
        placeholder={isDisabled ? cs().notYours : cs().replyPlaceholder}
        rows={3}
        aria-controls={isPickerOpen ? pickerId : undefined}
        aria-activedescendant={isPickerOpen && matches.length > 0 ? `${pickerId}-${activeIndex}` : undefined}
        aria-autocomplete="list"
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
          setIsPickerDismissed(false);
          signalTyping(event.target.value);
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
      />
      <div className="wb-composer__actions">
        <Button size="sm" variant="ghost" disabled={isDisabled} onClick={() => { setIsPickerForced((v) => !v); setIsPickerDismissed(false); textRef.current?.focus(); }} aria-label={cs().cannedResponses}>
          <Icon name="bolt" /> {cs().canned}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setIsMineOpen(true)} aria-label={cannedStrings().myResponses}>
          {cannedStrings().mine}
        </Button>
        <Button size="sm" variant="ghost" disabled={isDisabled} onClick={() => fileRef.current?.click()} aria-label={cs().attachFile}>
          <Icon name="attach" /> {cs().attach}
        </Button>
        <input
          ref={fileRef}
          type="file"
          hidden
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void sendFile(file);
          }}
        />
        <span className="wb-composer__hint">{cs().sendHint}</span>
        <Button variant="primary" onClick={() => void send()} disabled={isDisabled || !text.trim()} data-testid="send">{cs().send}</Button>
      </div>
      {isMineOpen && (
        <Suspense fallback={null}>
          <MyCannedDialog isOpen onClose={() => setIsMineOpen(false)} responses={responses} draftText={text} onChanged={reloadCanned} />
        </Suspense>
      )}
    </div>
  );
}
