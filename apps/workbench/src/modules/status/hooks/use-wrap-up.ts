import type { Queue } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

/** The queue of the session this agent ended last (wrap-up follows it). */
function lastEndedQueueId(client: AgentClient): string | null {
  let latest: { queueId: string | null; closedAt: number } | null = null;
  for (const view of client.Chat.list()) {
    const { closedAt, queueId } = view.conversation;
    if (view.role === 'ended' && closedAt !== null && (!latest || closedAt > latest.closedAt)) latest = { queueId, closedAt };
  }
  return latest?.queueId ?? null;
}

/**
 * How long the current wrap-up lasts: the wrap-up seconds of the queue of the session that just
 * ended (routing sets wrap-up after it). null while unknown (then the screen counts up instead).
 */
export function useWrapUpSeconds(isWrappingUp: boolean): number | null {
  const client = useClient();
  const [seconds, setSeconds] = useState<number | null>(null);
  // The status and the session's end arrive in either order: look again when a session ends.
  const [endedCount, setEndedCount] = useState(0);
  useClientEvent('sessionEnded', () => setEndedCount((n) => n + 1));

  useEffect(() => {
    if (!isWrappingUp) {
      setSeconds(null);
      return;
    }
    const queueId = lastEndedQueueId(client);
    if (!queueId) return;
    let isCurrent = true;
    client.api
      .get<Queue>(`/v1/queues/${encodeURIComponent(queueId)}`)
      .then((queue) => isCurrent && setSeconds(queue.wrapUpSeconds))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [client, isWrappingUp, endedCount]);

  return seconds;
}
