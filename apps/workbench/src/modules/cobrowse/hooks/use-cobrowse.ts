import type { CobrowseSession } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

/** The conversation's latest co-browse session as it stands (null before any), kept live by `cobrowse` events. */
export function useCobrowse(conversationId: string): CobrowseSession | null {
  const client = useClient();
  const [session, setSession] = useState<CobrowseSession | null>(null);
  useEffect(() => {
    let isCurrent = true;
    setSession(null);
    void client.Cobrowse.list({ sessionId: conversationId }).then((result) => {
      if (isCurrent && result.status === 'success') setSession((known) => known ?? result.data.at(-1) ?? null);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, conversationId]);
  useClientEvent('cobrowse', ({ sessionId, cobrowse }) => {
    if (sessionId !== conversationId) return;
    setSession((known) => (known && known.id !== cobrowse.id && known.createdAt > cobrowse.createdAt ? known : cobrowse));
  });
  return session;
}
