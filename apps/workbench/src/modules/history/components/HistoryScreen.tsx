import type { ConversationFilter, ConversationSearchResult } from '@frontdesk/protocol';
import { useState } from 'react';
import { formatDateTime, visitorLabel } from '../../../app/format.ts';
import { Badge } from '../../../ui/index.ts';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { useSearch } from '../hooks/use-search.ts';
import { format } from '../../../app/locale.ts';
import { conversationStrings } from '../../conversation/locales/index.ts';
import { inboxStrings } from '../../inbox/locales/index.ts';
import { historyStrings, type HistoryStrings } from '../locales/index.ts';
import { HistoryPane } from './HistoryPane.tsx';

const FILTERS: { value: ConversationFilter | undefined; labelKey: keyof HistoryStrings['filters'] }[] = [
  { value: 'mine', labelKey: 'mine' },
  { value: 'unassigned', labelKey: 'unassigned' },
  { value: 'queue', labelKey: 'queue' },
  { value: 'all', labelKey: 'all' },
  { value: 'closed', labelKey: 'closed' },
  { value: undefined, labelKey: 'everything' },
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
  const t = historyStrings();
  return (
    <div className={`wb-inbox-screen${conversationId ? ' wb-inbox-screen--open' : ''}`}>
      <nav className="wb-inbox wb-history" aria-label={t.title}>
        <header className="wb-history__header">
          <input
            type="search"
            className="wb-history__search"
            placeholder={t.searchPlaceholder}
            aria-label={t.searchLabel}
            data-testid="history-search"
            value={q}
            maxLength={200}
            onChange={(e) => setQ(e.target.value)}
          />
          <div className="wb-history__filters" role="radiogroup" aria-label={t.filtersLabel}>
            {FILTERS.map((f) => (
              <button
                key={f.labelKey}
                type="button"
                role="radio"
                aria-checked={filter === f.value}
                className={`wb-history__filter${filter === f.value ? ' wb-history__filter--on' : ''}`}
                onClick={() => setFilter(f.value)}
              >
                {t.filters[f.labelKey]}
              </button>
            ))}
          </div>
        </header>
        {error && <p className="wb-inbox__empty" role="alert">{format(t.searchFailed, { error })}</p>}
        {results && results.length === 0 && <p className="wb-inbox__empty">{q ? t.nothingFound : t.noneHere}</p>}
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
        <section className="wb-pane wb-pane--empty" aria-label={inboxStrings().noConversationOpen}>
          <p>{t.chooseHint}</p>
        </section>
      )}
    </div>
  );
}

function ResultRow({ result, isSelected, onSelect }: { result: ConversationSearchResult; isSelected: boolean; onSelect: (id: string) => void }) {
  const { conversation, hit } = result;
  const visitor = useVisitor(conversation.id, conversation.visitorId);
  const name = visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name);
  const t = historyStrings();
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
            <span className="wb-inbox-row__preview" dir="auto">{hit ? hit.text : result.nameMatched ? t.nameMatches : ''}</span>
            {conversation.messageLeftAt && conversation.status === 'open' && <Badge tone="warning">{inboxStrings().messageLeft}</Badge>}
            <Badge tone={conversation.status === 'closed' ? 'neutral' : 'info'}>{conversation.status === 'closed' ? conversationStrings().ended : t.open}</Badge>
          </span>
        </span>
      </button>
    </li>
  );
}
