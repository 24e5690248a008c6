import type { AgentClient, AgentEventListener, AgentEventName } from '@frontdesk/sdk-agent';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';

const ClientContext = createContext<AgentClient | null>(null);

/** Makes the signed-in SDK client available to every screen. */
export function ClientProvider({ client, children }: { client: AgentClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): AgentClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a <ClientProvider> above it');
  return client;
}

/** Subscribes to an SDK event for the life of the component; the latest listener is always called. */
export function useClientEvent<E extends AgentEventName>(event: E, listener: AgentEventListener<E>): void {
  const client = useClient();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}
