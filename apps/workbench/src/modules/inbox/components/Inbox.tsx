import { useAgentStatus } from '../../status/hooks/use-agent-status.ts';
import { useSessionOrder } from '../hooks/use-sessions.ts';
import { InboxRow } from './InboxRow.tsx';
import { inboxStrings } from '../locales/index.ts';

export interface InboxProps {
  selectedId: string | null;
  onSelect: (sessionId: string) => void;
}

/** The agent's concurrent sessions (offers first, then oldest first), with unread counts. */
export function Inbox({ selectedId, onSelect }: InboxProps) {
  const order = useSessionOrder();
  const { status } = useAgentStatus();
  const t = inboxStrings();
  return (
    <nav className="wb-inbox" aria-label={t.conversations}>
      <header className="wb-inbox__header">
        <h2>{t.conversations}</h2>
        <span className="wb-inbox__count" data-testid="inbox-count">{order.length}</span>
      </header>
      {order.length === 0 ? (
        <p className="wb-inbox__empty">
          {status === 'free' ? t.emptyAvailable : t.emptyNotAvailable}
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
