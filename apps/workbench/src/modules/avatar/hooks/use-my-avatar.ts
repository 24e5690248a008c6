import type { AgentClient } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** The signed-in agent's avatar URL, shared by the top bar and the settings (one read per page). */
const stores = new WeakMap<AgentClient, { url: string | null; isLoaded: boolean; listeners: Set<() => void> }>();

function storeOf(client: AgentClient) {
  let store = stores.get(client);
  if (!store) stores.set(client, (store = { url: null, isLoaded: false, listeners: new Set() }));
  return store;
}

export function useMyAvatar() {
  const client = useClient();
  const store = storeOf(client);
  const url = useSyncExternalStore(
    (listener) => {
      store.listeners.add(listener);
      return () => store.listeners.delete(listener);
    },
    () => store.url,
  );
  const publish = useCallback(
    (next: string | null) => {
      store.url = next;
      for (const listener of store.listeners) listener();
    },
    [store],
  );
  useEffect(() => {
    if (store.isLoaded) return;
    store.isLoaded = true;
    void client.Agent.getAvatar().then((result) => result.status === 'success' && publish(result.data));
  }, [client, store, publish]);

  const set = useCallback(
    async (image: Blob): Promise<string | null> => {
      const result = await client.Agent.setAvatar({ image });
      if (result.status === 'error') return result.errorMsg;
      publish(result.data);
      return null;
    },
    [client, publish],
  );
  const remove = useCallback(async () => {
    const result = await client.Agent.removeAvatar();
    if (result.status === 'success') publish(null);
  }, [client, publish]);
  return { url, set, remove };
}
