import { useEffect, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

export interface TransferNote {
  at: number;
  note: string;
}

interface RoutingHistory {
  history: { type: string; at: number; data: Record<string, unknown> }[];
}

/** The notes written with the transfers of a session (kept in its routing history), oldest first. */
export function useTransferNotes(sessionId: string): TransferNote[] {
  const client = useClient();
  const [notes, setNotes] = useState<TransferNote[]>([]);
  const [tick, setTick] = useState(0);
  useClientEvent('transfer', (event) => event.sessionId === sessionId && setTick((t) => t + 1));
  useEffect(() => {
    let isCurrent = true;
    client.api
      .get<RoutingHistory>(`/v1/conversations/${encodeURIComponent(sessionId)}/routing`)
      .then(({ history }) => {
        if (!isCurrent) return;
        setNotes(history.flatMap((step) => (step.type === 'transfer' && typeof step.data.note === 'string' && step.data.note ? [{ at: step.at, note: step.data.note }] : [])));
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [client, sessionId, tick]);
  return notes;
}
