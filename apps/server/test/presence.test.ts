import { afterEach, describe, expect, it } from 'vitest';
import { createPresence } from '../src/modules/presence/index.ts';
import { ManualClock, systemClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { api, freshStorage, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Presence across nodes: each node records its sockets and beats every 15 s. A node that died
 * without saying so (SIGKILL, lost host) stops counting after 60 s and its rows are removed after
 * 10 minutes, while live nodes keep theirs. The dead node is simulated by its rows.
 */
describe.each(STORAGES)('presence (%s)', (kind) => {
  let server: TestServer | undefined;
  let storage: Storage | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await storage?.close();
    await drop?.();
    [storage, drop] = [undefined, undefined];
  });

  it('writes a socket of a quiet moment at the end of its turn, and a burst of hellos in few transactions', async () => {
    const fresh = await freshStorage(kind);
    drop = fresh.drop;
    storage = await openStorage({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl });
    // Counts the transactions the presence module opens (the real ones, on the real database).
    const { db } = storage;
    let transactions = 0;
    const transaction = db.transaction.bind(db);
    db.transaction = (() => {
      transactions++;
      return transaction();
    }) as typeof db.transaction;
    const presence = createPresence({ storage, clock: systemClock, log: createLogger('silent') });
    const rows = async () => (await db.selectFrom('presence_sockets').select('socket_id').orderBy('socket_id').execute()).map((r) => r.socket_id);

    presence.connected('s_first', 'acme', 'agent', 'a_1');
    await turn();
    // Its write began at the end of its turn.
    expect(transactions).toBe(1);
    await expect.poll(rows).toEqual(['s_first']);

    // 40 hellos, each in a turn of its own, as sockets connecting at once arrive: one transaction a
    // turn would be 40; at most one every 20 ms is asked (however slow the machine makes the turns).
    const burst = Array.from({ length: 40 }, (_, i) => `s_${String(i).padStart(2, '0')}`);
    const started = performance.now();
    for (const id of burst) {
      presence.connected(id, 'acme', 'visitor', `v_${id}`);
      await turn();
    }
    const elapsedMs = performance.now() - started;
    await expect.poll(rows).toEqual(['s_first', ...burst].sort());
    expect(transactions - 1).toBeLessThanOrEqual(Math.floor(elapsedMs / 20) + 2);

    // A socket that came and went before its write is not written; removals follow their record.
    presence.connected('s_brief', 'acme', 'visitor', 'v_brief');
    presence.disconnected('s_brief');
    presence.disconnected('s_first');
    await expect.poll(rows).toEqual(burst);
    await presence.close();
    expect(await rows()).toEqual([]);
  });

  it("a dead node's sockets stop counting after 60 s and are removed after 10 minutes; a live node's stay", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0));
    server = await startTestServer(kind, {}, { clock });
    const acme = await seedApp(server, 'acme');
    const live = await TestClient.connect(server.wsUrl('acme'));
    expect((await live.request({ type: 'hello', token: acme.agent1.token })).ok).toBe(true);
    const { db } = server.app.storage;
    await db.insertInto('presence_nodes').values({ node_id: 'node_dead', seen_at: clock.now() }).execute();
    await db
      .insertInto('presence_sockets')
      .values({ socket_id: 'sock_dead', node_id: 'node_dead', app_id: 'acme', user_type: 'agent', user_id: acme.agent2.agent.id, connected_at: clock.now() })
      .execute();
    const online = async () => (await api(server!.url, 'GET', '/v1/presence', { token: acme.admin.token })).body.agents as string[];
    await expect.poll(online).toEqual([acme.agent1.agent.id, acme.agent2.agent.id].sort());

    // Heartbeats run on the injected clock; each advance lets the live node's beat land first.
    const advance = async (ms: number) => {
      for (let done = 0; done < ms; done += 15_000) {
        clock.advance(15_000);
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    await advance(75_000);
    expect(await online()).toEqual([acme.agent1.agent.id]);
    expect(await db.selectFrom('presence_sockets').select('socket_id').where('node_id', '=', 'node_dead').execute()).toHaveLength(1);
    await advance(10 * 60_000);
    await expect.poll(() => db.selectFrom('presence_sockets').select('socket_id').where('node_id', '=', 'node_dead').execute()).toHaveLength(0);
    expect(await db.selectFrom('presence_nodes').select('node_id').where('node_id', '=', 'node_dead').execute()).toHaveLength(0);
    expect(await online()).toEqual([acme.agent1.agent.id]);
    await live.close();
  });
});
