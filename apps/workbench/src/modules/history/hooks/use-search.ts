import type { ConversationFilter, ConversationSearchResult } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** Typing pauses this long before a search is sent. */
const DEBOUNCE_MS = 250;

/**
 * The conversations of a filter, or the search results of `q` in it (server-side, full text over
 * messages and visitor names). The answer of an older query never replaces a newer one.
 */
export function useSearch(q: string, filter: ConversationFilter | undefined) {
  const client = useClient();
  const [results, setResults] = useState<readonly ConversationSearchResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    const timer = setTimeout(() => {
      const query: Record<string, string> = { limit: '50' };
      if (q.trim()) query.q = q.trim();
      if (filter) query.filter = filter;
      client.api
        .get<{ results: ConversationSearchResult[] }>('/v1/conversations/search', query)
        .then((list) => {
          if (!isCurrent) return;
          setResults(list.results);
          setError(null);
        })
        .catch((err: unknown) => isCurrent && setError(err instanceof Error ? err.message : String(err)));
    }, q ? DEBOUNCE_MS : 0);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [client, q, filter]);

  return { results, error };
}
