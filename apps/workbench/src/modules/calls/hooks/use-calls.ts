import { createContext, useContext, useSyncExternalStore } from 'react';
import type { CallsSnapshot, CallsStore } from '../state/calls-store.ts';

export const CallsContext = createContext<CallsStore | null>(null);

export function useCallsStore(): CallsStore {
  const store = useContext(CallsContext);
  if (!store) throw new Error('useCallsStore needs a <CallsProvider> above it');
  return store;
}

/** The agent's ringing calls and current call; re-renders when they change. */
export function useCalls(): CallsSnapshot {
  const store = useCallsStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
