import { describe, expect, it } from 'vitest';
import { createReadThroughCache } from './read-through-cache.ts';

describe('the read-through cache', () => {
  it('reads once per ttl, reads again after it, and reads again at once after forget', async () => {
    let now = 0;
    let reads = 0;
    const cache = createReadThroughCache<string, number>({ ttlMs: 1000, now: () => now });
    const read = async () => ++reads;
    expect(await cache.get('a', read)).toBe(1);
    now = 999;
    expect(await cache.get('a', read)).toBe(1);
    now = 1000;
    expect(await cache.get('a', read)).toBe(2);
    cache.forget('a');
    expect(await cache.get('a', read)).toBe(3);
    expect(reads).toBe(3);
  });

  it('does not keep a read that began before a forget, nor a value `keep` refuses', async () => {
    const cache = createReadThroughCache<string, string | undefined>({ ttlMs: 1000, now: () => 0, keep: (v) => v !== undefined });
    let release!: (v: string) => void;
    const stale = cache.get('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.forget('a');
    release('old');
    expect(await stale).toBe('old');
    expect(await cache.get('a', async () => 'new')).toBe('new');

    expect(await cache.get('b', async () => undefined)).toBeUndefined();
    expect(await cache.get('b', async () => 'found')).toBe('found');
  });
});
