import { useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { CallsContext } from '../hooks/use-calls.ts';
import { createCallsStore } from '../state/calls-store.ts';

/** Keeps the signed-in agent's calls for every screen below it (call dock, status, conversation header). */
export function CallsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [store] = useState(() => createCallsStore(client));
  useEffect(() => () => store.dispose(), [store]);
  return <CallsContext.Provider value={store}>{children}</CallsContext.Provider>;
}
