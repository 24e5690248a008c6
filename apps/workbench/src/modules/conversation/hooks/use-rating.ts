import type { Rating } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

const REFRESH_MS = 15_000;

/**
 * The visitor's CSAT rating of a conversation, or null when there is none yet. The visitor may
 * rate at any time, and no event tells agents, so it is read again every 15 s while shown and
 * when the session ends.
 */
export function useRating(sessionId: string): Rating | null {
  const client = useClient();
  const [rating, setRating] = useState<Rating | null>(null);
  const [tick, setTick] = useState(0);
  useClientEvent('sessionEnded', (event) => event.sessionId === sessionId && setTick((t) => t + 1));

  useEffect(() => {
    setRating(null);
  }, [sessionId]);

  useEffect(() => {
    let isCurrent = true;
    const load = () =>
      client.api
        .get<Rating>(`/v1/conversations/${encodeURIComponent(sessionId)}/rating`)
        .then((loaded) => isCurrent && setRating(loaded))
        .catch(() => undefined);
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      isCurrent = false;
      clearInterval(timer);
    };
  }, [client, sessionId, tick]);

  return rating;
}
