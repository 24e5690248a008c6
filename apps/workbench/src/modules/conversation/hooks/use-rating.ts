import type { Rating, RatingList } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

/**
 * The visitor's CSAT rating of a conversation, or null when there is none yet. Read once as a list
 * (empty while unrated: no 404 to log), then kept by the SDK's `rated` event, which the server sends
 * to the conversation's agent whenever the visitor rates, during the conversation or after its end;
 * read again after a reconnect (a rating may have come while the socket was down).
 */
export function useRating(sessionId: string): Rating | null {
  const client = useClient();
  const [rating, setRating] = useState<Rating | null>(null);
  const [reads, setReads] = useState(0);
  useClientEvent('rated', (event) => event.sessionId === sessionId && setRating(event.rating));
  useClientEvent('connectionStateChanged', (event) => event.state === 'connected' && setReads((n) => n + 1));

  useEffect(() => {
    setRating(null);
  }, [sessionId]);

  useEffect(() => {
    let isCurrent = true;
    client.api
      .get<RatingList>('/v1/ratings', { conversationId: sessionId })
      .then(({ ratings }) => isCurrent && ratings[0] && setRating(ratings[0]))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [client, sessionId, reads]);

  return rating;
}
