import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SessionEntry, SessionsStore } from '../state/sessions-store.ts';

export const SessionsContext = createContext<SessionsStore | null>(null);

export function useSessionsStore(): SessionsStore {
  const store = useContext(SessionsContext);
  if (!store) throw new Error('useSessionsStore needs a <SessionsProvider> above it');
  return store;
}

/** Ids of the inbox's sessions, in inbox order. */
export function useSessionOrder(): readonly string[] {
  const store = useSessionsStore();
  return useSyncExternalStore(store.subscribeList, store.getOrder);
}

export function useUnreadTotal(): number {
  const store = useSessionsStore();
  return useSyncExternalStore(store.subscribeList, store.getUnreadTotal);
}

/** One session; re-renders only when that session changes. */
export function useSession(id: string | null): SessionEntry | undefined {
  const store = useSessionsStore();
  return useSyncExternalStore(
    (listener) => (id ? store.subscribeSession(id, listener) : () => undefined),
    () => (id ? store.getSession(id) : undefined),
  );
}
