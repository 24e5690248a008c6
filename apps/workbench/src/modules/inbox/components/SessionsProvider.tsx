import { useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { SessionsContext } from '../hooks/use-sessions.ts';
import { createSessionsStore } from '../state/sessions-store.ts';

/** Keeps the signed-in agent's sessions for every screen below it. */
export function SessionsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [store] = useState(() => createSessionsStore(client));
  useEffect(() => () => store.dispose(), [store]);
  return <SessionsContext.Provider value={store}>{children}</SessionsContext.Provider>;
}
