/**
 * Values read from storage and used again for `ttlMs` after their read, on this node only: a change
 * made here is seen at once (`forget`), one made on another node within `ttlMs`. A read that began
 * before a `forget` is answered but not kept, so it cannot put the old value back. Past `maxEntries`
 * everything is dropped at once (cheaper than tracking which entry is oldest; it fills again).
 */
export function createReadThroughCache<K, V>(options: { ttlMs: number; now: () => number; maxEntries?: number; keep?: (value: V) => boolean }) {
  const { ttlMs, now, maxEntries = 10_000, keep = () => true } = options;
  const entries = new Map<K, { value: V; until: number }>();
  let forgets = 0;
  return {
    async get(key: K, read: () => Promise<V>): Promise<V> {
      const hit = entries.get(key);
      if (hit && hit.until > now()) return hit.value;
      const forgetsBefore = forgets;
      const value = await read();
      if (forgetsBefore === forgets && keep(value)) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, { value, until: now() + ttlMs });
      }
      return value;
    },
    forget(key: K): void {
      forgets += 1;
      entries.delete(key);
    },
  };
}
