import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, BusEvent } from '../src/platform/bus.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createPostgresBus } from '../src/platform/postgres-bus.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage } from './helpers.ts';

/** The cross-node bus on a real PostgreSQL: two nodes (two buses, two storages on one database). */
describe('PostgreSQL bus', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function twoNodes(): Promise<[Bus, Bus]> {
    const db = await freshStorage('postgres');
    cleanups.push(db.drop);
    const log = createLogger('silent');
    const nodes: Bus[] = [];
    for (let i = 0; i < 2; i++) {
      const storage: Storage = await openStorage({ dataDir: db.dataDir, databaseUrl: db.databaseUrl!, poolSize: 2 });
      const bus = await createPostgresBus({ storage, log, loadMessage: async () => undefined });
      cleanups.push(async () => {
        await bus.close();
        await storage.close();
      });
      nodes.push(bus);
    }
    return nodes as [Bus, Bus];
  }

  it('carries events larger than one notification (8 KiB of transparent data) whole and in order to the other node', async () => {
    const [a, b] = await twoNodes();
    const seen: BusEvent[] = [];
    b.subscribe((event) => seen.push(event));
    // The largest transparent payload (8192 base64 characters), a small one, and another large one.
    const big = (n: number) => randomBytes(6144).toString('base64').slice(0, 8192 - n);
    const sent: BusEvent[] = [
      { type: 'transparent', appId: 'acme', userId: 'vis_1', data: big(0) },
      { type: 'kick', appId: 'acme', userId: 'vis_2' },
      { type: 'transparent', appId: 'acme', userId: 'vis_3', data: big(4) },
    ];
    for (const event of sent) a.publish(event);
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(3);
    expect(seen).toEqual(sent);
  });
});
