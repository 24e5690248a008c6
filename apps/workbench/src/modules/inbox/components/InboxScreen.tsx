import { ConversationPane } from '../../conversation/components/ConversationPane.tsx';
import { Inbox } from './Inbox.tsx';

/** The agent's main screen: the inbox on the left, the open conversation on the right. */
export function InboxScreen({ sessionId, onOpen }: { sessionId: string | null; onOpen: (sessionId: string | null) => void }) {
  return (
    <div className={`wb-inbox-screen${sessionId ? ' wb-inbox-screen--open' : ''}`}>
      <Inbox selectedId={sessionId} onSelect={onOpen} />
      {sessionId ? (
        <ConversationPane key={sessionId} sessionId={sessionId} onLeave={() => onOpen(null)} />
      ) : (
        <section className="wb-pane wb-pane--empty" aria-label="No conversation open">
          <p>Choose a conversation on the left.</p>
        </section>
      )}
    </div>
  );
}
