import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/**
 * Presence across nodes: each node records its sockets and beats every 15 s. A node that died
 * without saying so (SIGKILL, lost host) stops counting after 60 s and its rows are removed after
 * 10 minutes, while live nodes keep theirs. The dead node is simulated by its rows.
 */
describe.each(STORAGES)('presence (%s)', (kind) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
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
