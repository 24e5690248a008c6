import type { AgentClient, Visitor } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { clientCache } from '../../../app/client-cache.ts';
import { useClient } from '../../../app/client-context.tsx';

// Visitors change rarely: one request per visitor for the life of the page.
const cached = clientCache<Visitor>();

/** The visitor of a session, read once per visitor for the life of the page (null when it could not be read). */
export function loadVisitor(client: AgentClient, sessionId: string, visitorId: string): Promise<Visitor | null> {
  return cached(client, visitorId, () => client.Chat.getVisitor({ sessionId }).then((result) => (result.status === 'success' ? result.data : null)));
}

/** The visitor of a session (name, identity), loaded once and shared by every screen. */
export function useVisitor(sessionId: string, visitorId: string | null): Visitor | null {
  const client = useClient();
  const [visitor, setVisitor] = useState<Visitor | null>(null);
  useEffect(() => {
    if (!visitorId) return;
    let isCurrent = true;
    void loadVisitor(client, sessionId, visitorId).then((loaded) => isCurrent && setVisitor(loaded));
    return () => {
      isCurrent = false;
    };
  }, [client, sessionId, visitorId]);
  return visitor;
}
