import { ConversationPane } from '../../conversation/components/ConversationPane.tsx';
import { useShortcuts } from '../../shortcuts/hooks/use-shortcuts.ts';
import { neighbourOf } from '../../shortcuts/state/shortcut-keys.ts';
import { useSessionOrder } from '../hooks/use-sessions.ts';
import { Inbox } from './Inbox.tsx';
import { inboxStrings } from '../locales/index.ts';

/** The agent's main screen: the inbox on the left, the open conversation on the right. */
export function InboxScreen({ sessionId, onOpen }: { sessionId: string | null; onOpen: (sessionId: string | null) => void }) {
  const order = useSessionOrder();
  // j / k (Alt+↓ / Alt+↑) step through the inbox; r goes to the reply box.
  useShortcuts((shortcut) => {
    if (shortcut === 'next' || shortcut === 'previous') {
      const next = neighbourOf(order, sessionId, shortcut === 'next' ? 1 : -1);
      if (next) onOpen(next);
    } else if (shortcut === 'reply') {
      document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]:not(:disabled)')?.focus();
    }
  });
  return (
    <div className={`wb-inbox-screen${sessionId ? ' wb-inbox-screen--open' : ''}`}>
      <Inbox selectedId={sessionId} onSelect={onOpen} />
      {sessionId ? (
        <ConversationPane key={sessionId} sessionId={sessionId} onLeave={() => onOpen(null)} />
      ) : (
        <section className="wb-pane wb-pane--empty" aria-label={inboxStrings().noConversationOpen}>
          <p>{inboxStrings().chooseConversation}</p>
        </section>
      )}
    </div>
  );
}
