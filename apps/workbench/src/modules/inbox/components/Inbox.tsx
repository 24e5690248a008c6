import { useAgentStatus } from '../../status/hooks/use-agent-status.ts';
import { useSessionOrder } from '../hooks/use-sessions.ts';
import { InboxRow } from './InboxRow.tsx';

export interface InboxProps {
  selectedId: string | null;
  onSelect: (sessionId: string) => void;
}

/** The agent's concurrent sessions (offers first, then oldest first), with unread counts. */
export function Inbox({ selectedId, onSelect }: InboxProps) {
  const order = useSessionOrder();
  const { status } = useAgentStatus();
  return (
    <nav className="wb-inbox" aria-label="Conversations">
      <header className="wb-inbox__header">
        <h2>Conversations</h2>
        <span className="wb-inbox__count" data-testid="inbox-count">{order.length}</span>
      </header>
      {order.length === 0 ? (
        <p className="wb-inbox__empty">
          {status === 'free' ? 'No conversations yet. New chats ring here.' : 'No conversations. Set yourself Available to receive chats.'}
        </p>
      ) : (
        <ul className="wb-inbox__list" data-testid="inbox">
          {order.map((id) => (
            <InboxRow key={id} sessionId={id} isSelected={id === selectedId} onSelect={onSelect} />
          ))}
        </ul>
      )}
    </nav>
  );
}
