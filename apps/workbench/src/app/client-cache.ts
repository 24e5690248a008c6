import type { AgentClient } from '@frontdesk/sdk-agent';

/**
 * Reads kept per signed-in client and key for the life of the page (things that change rarely: a
 * visitor, a channel's name). A read that gave null (failed) is forgotten, so the next one tries again.
 */
export function clientCache<T>(): (client: AgentClient, key: string, load: () => Promise<T | null>) => Promise<T | null> {
  const byClient = new WeakMap<AgentClient, Map<string, Promise<T | null>>>();
  return (client, key, load) => {
    let byKey = byClient.get(client);
    if (!byKey) byClient.set(client, (byKey = new Map()));
    let pending = byKey.get(key);
    if (!pending) {
      pending = load();
      byKey.set(key, pending);
      void pending.then((value) => value ?? byKey.delete(key));
    }
    return pending;
  };
}
