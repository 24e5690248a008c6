import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, BusEvent } from '../src/platform/bus.ts';
import { createLogger } from '../src/platform/logger.ts';
import { BUS_NOTIFY_CHANNEL, createPostgresBus } from '../src/platform/postgres-bus.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage } from './helpers.ts';

/** The cross-node bus on a real PostgreSQL: two nodes (two buses, two storages on one database). */
describe('PostgreSQL bus', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function database(): Promise<Awaited<ReturnType<typeof freshStorage>>> {
    const db = await freshStorage('postgres');
    cleanups.push(db.drop);
    return db;
  }

  async function node(db: Awaited<ReturnType<typeof freshStorage>>): Promise<Bus> {
    const storage: Storage = await openStorage({ dataDir: db.dataDir, databaseUrl: db.databaseUrl!, poolSize: 2 });
    const bus = await createPostgresBus({ storage, log: createLogger('silent'), loadMessage: async () => undefined });
    cleanups.push(async () => {
      await bus.close();
      await storage.close();
    });
    return bus;
  }

  async function twoNodes(): Promise<[Bus, Bus]> {
    const db = await database();
    return [await node(db), await node(db)];
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

  it('a node alone sends no events once started; another node starting makes it send them again', async () => {
    const db = await database();
    const listener = new pg.Client({ connectionString: db.databaseUrl! });
    await listener.connect();
    cleanups.push(() => listener.end());
    const notified: string[] = [];
    listener.on('notification', (n) => notified.push(n.payload ?? ''));
    await listener.query(`LISTEN ${pg.escapeIdentifier(BUS_NOTIFY_CHANNEL)}`);
    const a = await node(db);
    const seenA: BusEvent[] = [];
    a.subscribe((event) => seenA.push(event));
    // Past its first 2 s, with no other node heard from: its events reach its own subscribers only.
    await new Promise((r) => setTimeout(r, 2100));
    a.publish({ type: 'kick', appId: 'acme', userId: 'vis_alone' });
    await new Promise((r) => setTimeout(r, 300));
    expect(seenA).toHaveLength(1);
    expect(notified.filter((payload) => payload.includes('vis_alone'))).toEqual([]);
    expect(notified.filter((payload) => payload.includes('"hello":true'))).toHaveLength(1);

    // A second node says hello: the first answers, and sends its events again.
    const b = await node(db);
    const seenB: BusEvent[] = [];
    b.subscribe((event) => seenB.push(event));
    await expect.poll(() => notified.filter((payload) => payload.includes('"here":true')).length).toBeGreaterThan(0);
    const sent: BusEvent = { type: 'kick', appId: 'acme', userId: 'vis_together' };
    a.publish(sent);
    await expect.poll(() => seenB).toEqual([sent]);
  });
});
