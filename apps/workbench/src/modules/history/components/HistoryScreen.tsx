import type { ConversationFilter, ConversationSearchResult } from '@frontdesk/protocol';
import { useState } from 'react';
import { formatDateTime, visitorLabel } from '../../../app/format.ts';
import { Badge } from '../../../ui/index.ts';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { useSearch } from '../hooks/use-search.ts';
import { HistoryPane } from './HistoryPane.tsx';

const FILTERS: { value: ConversationFilter | undefined; label: string }[] = [
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'queue', label: 'In queue' },
  { value: 'all', label: 'All open' },
  { value: 'closed', label: 'Closed' },
  { value: undefined, label: 'Everything' },
];

/**
 * Conversations beyond the agent's inbox: filtered (mine, unassigned, in a queue, all open, closed)
 * and searched (message texts in Chinese and other languages, visitor names); one opens with its
 * transcript, rating and notes.
 */
export function HistoryScreen({ conversationId, onOpen }: { conversationId: string | null; onOpen: (id: string | null) => void }) {
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<ConversationFilter | undefined>('closed');
  const { results, error } = useSearch(q, filter);
  return (
    <div className={`wb-inbox-screen${conversationId ? ' wb-inbox-screen--open' : ''}`}>
      <nav className="wb-inbox wb-history" aria-label="Conversation history">
        <header className="wb-history__header">
          <input
            type="search"
            className="wb-history__search"
            placeholder="Search messages and names…"
            aria-label="Search conversations"
            data-testid="history-search"
            value={q}
            maxLength={200}
            onChange={(e) => setQ(e.target.value)}
          />
          <div className="wb-history__filters" role="radiogroup" aria-label="Which conversations">
            {FILTERS.map((f) => (
              <button
                key={f.label}
                type="button"
                role="radio"
                aria-checked={filter === f.value}
                className={`wb-history__filter${filter === f.value ? ' wb-history__filter--on' : ''}`}
                onClick={() => setFilter(f.value)}
              >
                {f.label}
              </button>
            ))}
          </div>
        </header>
        {error && <p className="wb-inbox__empty" role="alert">Could not search: {error}</p>}
        {results && results.length === 0 && <p className="wb-inbox__empty">{q ? 'Nothing found.' : 'No conversations here.'}</p>}
        {results && results.length > 0 && (
          <ul className="wb-inbox__list" data-testid="history-results">
            {results.map((result) => (
              <ResultRow key={result.conversation.id} result={result} isSelected={result.conversation.id === conversationId} onSelect={onOpen} />
            ))}
          </ul>
        )}
      </nav>
      {conversationId ? (
        <HistoryPane key={conversationId} conversationId={conversationId} onLeave={() => onOpen(null)} />
      ) : (
        <section className="wb-pane wb-pane--empty" aria-label="No conversation open">
          <p>Search, or choose a conversation on the left.</p>
        </section>
      )}
    </div>
  );
}

function ResultRow({ result, isSelected, onSelect }: { result: ConversationSearchResult; isSelected: boolean; onSelect: (id: string) => void }) {
  const { conversation, hit } = result;
  const visitor = useVisitor(conversation.id, conversation.visitorId);
  const name = visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name);
  return (
    <li>
      <button
        type="button"
        className={['wb-inbox-row', isSelected && 'wb-inbox-row--selected'].filter(Boolean).join(' ')}
        aria-current={isSelected ? 'true' : undefined}
        onClick={() => onSelect(conversation.id)}
        data-testid="history-row"
        data-conversation-id={conversation.id}
      >
        <span className="wb-inbox-row__main">
          <span className="wb-inbox-row__top">
            <span className="wb-inbox-row__name">{name}</span>
            <span className="wb-inbox-row__time">{formatDateTime(hit?.createdAt ?? conversation.updatedAt)}</span>
          </span>
          <span className="wb-inbox-row__bottom">
            <span className="wb-inbox-row__preview" dir="auto">{hit ? hit.text : result.nameMatched ? 'Name matches' : ''}</span>
            {conversation.messageLeftAt && conversation.status === 'open' && <Badge tone="warning">Message left</Badge>}
            <Badge tone={conversation.status === 'closed' ? 'neutral' : 'info'}>{conversation.status === 'closed' ? 'Ended' : 'Open'}</Badge>
          </span>
        </span>
      </button>
    </li>
  );
}
