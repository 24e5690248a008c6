import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, freshStorage, TestClient } from './helpers.ts';
import { processEnv, running, ServerProcess } from './server-process.ts';

/**
 * Two server processes on one real PostgreSQL: 200 agents (half on each node) and 5,000 sessions
 * opened at random on both nodes. Agents take every offer and end each session after a moment.
 * Afterwards: every session was assigned exactly once, no agent ever held more sessions than its
 * capacity (replayed from the routing history in log order), every session was offered within
 * 1 s of its arrival (capacity was always there), and both nodes show the same live state.
 */

const APP_ID = 'multi';
const PASSWORD = 'correct horse battery';
const AGENTS = 200;
const SESSIONS = 5000;
const QUEUES = 4;
const CAPACITY = 3;
/** Visitors opening at once: enough to keep both nodes busy without queueing requests for long. */
const IN_FLIGHT = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ok(node: ServerProcess, method: string, route: string, token: string | undefined, body?: unknown) {
  const res = await api(node.url, method, route, { token, body });
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

describe('routing on two nodes sharing one PostgreSQL', () => {
  let storage: Awaited<ReturnType<typeof freshStorage>>;
  let nodes: ServerProcess[];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    storage = await freshStorage('postgres');
    const extra = { DATABASE_POOL_SIZE: '8', FRONTDESK_AGENT_SIGN_OUT_SECONDS: '1' };
    nodes = [new ServerProcess(await processEnv(storage, extra)), new ServerProcess(await processEnv(storage, extra))];
    await nodes[0]!.cli('app', 'create', '--name', APP_ID, '--id', APP_ID);
    await nodes[0]!.cli('agent', 'create', '--app', APP_ID, '--email', `admin@${APP_ID}.test`, '--password', PASSWORD, '--role', 'admin');
    await Promise.all(nodes.map((n) => n.start()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const node of nodes ?? []) {
      await node.kill();
      running.delete(node);
    }
    await storage?.drop();
  });

  it('5,000 sessions on 200 agents: no double assignment, no capacity breach, every offer within 1 s', async ({ onTestFailed }) => {
    onTestFailed(() => console.error(nodes.map((n, i) => `node ${i}:\n${n.log.join('')}`).join('\n')));
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const admin = (await ok(a, 'POST', '/v1/auth/login', undefined, { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD })).token as string;

    // --- queues, one channel per queue, agents with 1–2 skills each
    const queues: string[] = [];
    const channels: string[] = [];
    for (let i = 0; i < QUEUES; i++) {
      const q = await ok(a, 'POST', '/v1/queues', admin, { name: `q${i}`, ringTimeoutSeconds: 20, maxWaitSeconds: 600, maxQueueLength: { kind: 'fixed', value: 10000 } });
      queues.push(q.id);
      const channel = await ok(b, 'POST', '/v1/channels', admin, { name: `c${i}`, queueId: q.id });
      channels.push(channel.id);
    }
    const agents: { id: string; token: string; node: ServerProcess }[] = [];
    await pool(
      Array.from({ length: AGENTS }, (_, i) => i),
      4,
      async (i) => {
        const node = i % 2 === 0 ? a : b;
        const email = `agent${i}@${APP_ID}.test`;
        const created = await ok(node, 'POST', '/v1/agents', admin, { email, password: PASSWORD, maxConcurrentChats: CAPACITY });
        const skills = [{ queueId: queues[i % QUEUES]! }, ...(i % 3 === 0 ? [{ queueId: queues[(i + 1) % QUEUES]! }] : [])];
        await ok(node, 'PUT', `/v1/agents/${created.id}/skills`, admin, { skills });
        const login = await ok(node, 'POST', '/v1/auth/login', undefined, { appId: APP_ID, email, password: PASSWORD });
        agents[i] = { id: created.id, token: login.token, node };
      },
    );

    // --- agents online: each takes every offer at once and ends the session 0–200 ms later
    const offeredAt = new Map<string, number>();
    const acceptedBy = new Map<string, string[]>();
    const ended: Promise<unknown>[] = [];
    await pool(agents, 8, async (agent) => {
      const client = await TestClient.connect(agent.node.wsUrl(APP_ID));
      clients.push(client);
      expect((await client.request({ type: 'hello', token: agent.token })).ok).toBe(true);
      client.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type !== 'offer') return;
        const conversationId = frame.conversationId as string;
        if (!offeredAt.has(conversationId)) offeredAt.set(conversationId, Date.now());
        void client.request({ type: 'offer.accept', conversationId }).then((reply) => {
          if (!reply.ok) return;
          acceptedBy.set(conversationId, [...(acceptedBy.get(conversationId) ?? []), agent.id]);
          ended.push(sleep(Math.random() * 200).then(() => ok(agent.node, 'POST', `/v1/conversations/${conversationId}/close`, agent.token)));
        });
      });
      expect((await client.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    });

    // --- 5,000 visitors, each on a random node and channel
    const arrivedAt = new Map<string, number>();
    const started = Date.now();
    await pool(
      Array.from({ length: SESSIONS }, (_, i) => i),
      IN_FLIGHT,
      async (i) => {
        const node = Math.random() < 0.5 ? a : b;
        const session = await ok(node, 'POST', '/v1/visitor/session', undefined, { appId: APP_ID });
        const before = Date.now();
        const conversation = await ok(node, 'POST', '/v1/conversations', session.token, { channelId: channels[i % QUEUES] });
        arrivedAt.set(conversation.id, before);
      },
    );
    const openSeconds = (Date.now() - started) / 1000;
    const deadline = Date.now() + 60_000;
    while ((acceptedBy.size < SESSIONS || ended.length < SESSIONS) && Date.now() < deadline) await sleep(100);
    await Promise.all(ended);

    // --- exactly one assignment per session, in the database and as seen by the agents
    expect(acceptedBy.size).toBe(SESSIONS);
    expect([...acceptedBy.values()].filter((ids) => ids.length !== 1)).toEqual([]);
    const db = new pg.Client({ connectionString: storage.databaseUrl });
    await db.connect();
    try {
      const { rows: doubles } = await db.query(`select conversation_id from routing_history where app_id = $1 and type = 'assign' group by conversation_id having count(*) <> 1`, [APP_ID]);
      expect(doubles).toEqual([]);
      const { rows: conversations } = await db.query(`select status, routing_state, count(*)::int as n from conversations where app_id = $1 group by 1, 2`, [APP_ID]);
      expect(conversations).toEqual([{ status: 'closed', routing_state: 'ended', n: SESSIONS }]);

      // --- capacity never exceeded: replay assignments and ends in log order
      const { rows: steps } = await db.query(`select conversation_id, type, data from routing_history where app_id = $1 and type in ('assign', 'session.ended') order by ord`, [APP_ID]);
      const holder = new Map<string, string>();
      const load = new Map<string, number>();
      let maxLoad = 0;
      for (const step of steps) {
        if (step.type === 'assign') {
          const agentId = JSON.parse(step.data).agentId as string;
          holder.set(step.conversation_id, agentId);
          const n = (load.get(agentId) ?? 0) + 1;
          load.set(agentId, n);
          maxLoad = Math.max(maxLoad, n);
        } else {
          const agentId = holder.get(step.conversation_id)!;
          load.set(agentId, load.get(agentId)! - 1);
        }
      }
      expect(maxLoad).toBeLessThanOrEqual(CAPACITY);
    } finally {
      await db.end();
    }

    // --- every session offered within 1 s of its arrival
    const waits = [...arrivedAt].map(([id, at]) => offeredAt.get(id)! - at).sort((x, y) => x - y);
    const p = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]!;
    console.log(`multi-node: ${SESSIONS} sessions opened in ${openSeconds.toFixed(1)} s (${(SESSIONS / openSeconds).toFixed(0)}/s); open→offer p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${waits.at(-1)} ms`);
    expect(waits.at(-1)).toBeLessThan(1000);

    // --- both nodes hold the same state
    await sleep(200);
    const [viewA, viewB] = await Promise.all([ok(a, 'GET', '/v1/routing/overview', admin), ok(b, 'GET', '/v1/routing/overview', admin)]);
    expect(viewA).toEqual(viewB);
    expect(viewA.activeConversations).toBe(0);
    expect(viewA.agents.every((x: { status: string; load: number }) => x.status === 'free' && x.load === 0)).toBe(true);
  }, 300_000);

  it('a visitor on one node and an agent on the other chat live, long messages included', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const admin = (await ok(b, 'POST', '/v1/auth/login', undefined, { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD })).token as string;
    const queue = await ok(b, 'POST', '/v1/queues', admin, { name: 'chat across nodes' });
    const channel = await ok(b, 'POST', '/v1/channels', admin, { name: 'across', queueId: queue.id });
    const created = await ok(b, 'POST', '/v1/agents', admin, { email: `across@${APP_ID}.test`, password: PASSWORD });
    await ok(b, 'PUT', `/v1/agents/${created.id}/skills`, admin, { skills: [{ queueId: queue.id }] });
    const agentToken = (await ok(b, 'POST', '/v1/auth/login', undefined, { appId: APP_ID, email: `across@${APP_ID}.test`, password: PASSWORD })).token;
    const agent = await TestClient.connect(b.wsUrl(APP_ID));
    clients.push(agent);
    await agent.request({ type: 'hello', token: agentToken });
    await agent.request({ type: 'agent.status.set', status: 'free' });

    const session = await ok(a, 'POST', '/v1/visitor/session', undefined, { appId: APP_ID });
    const conversation = await ok(a, 'POST', '/v1/conversations', session.token, { channelId: channel.id });
    const visitor = await TestClient.connect(a.wsUrl(APP_ID));
    clients.push(visitor);
    await visitor.request({ type: 'hello', token: session.token, resume: { [conversation.id]: 0 } });

    await agent.waitFor(() => agent.events.some((e) => e.type === 'offer' && e.conversationId === conversation.id));
    expect((await agent.request({ type: 'offer.accept', conversationId: conversation.id })).ok).toBe(true);
    await visitor.waitFor(() => visitor.messages(conversation.id).some((m) => m.text === 'agent.joined'));
    expect((await agent.request({ type: 'message.send', conversationId: conversation.id, clientId: 'a1', text: 'hello from node B' })).ok).toBe(true);
    await visitor.waitFor(() => visitor.messages(conversation.id).some((m) => m.text === 'hello from node B'));
    // 3 bytes a character: past what one notification carries, so node B reads it from storage.
    const long = '长'.repeat(3000);
    expect((await visitor.request({ type: 'message.send', conversationId: conversation.id, clientId: 'v1', text: long })).ok).toBe(true);
    visitor.send({ type: 'typing', conversationId: conversation.id, isTyping: true });
    await agent.waitFor(() => agent.messages(conversation.id).some((m) => m.text === long));
    await agent.waitFor(() => agent.events.some((e) => e.type === 'typing' && e.conversationId === conversation.id));
    expect(agent.messages(conversation.id).map((m) => m.seq)).toEqual([1, 2, 3]);
  }, 60_000);

  it('an agent who moves to the other node within the grace period stays signed in; leaving both signs it out', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const admin = (await ok(a, 'POST', '/v1/auth/login', undefined, { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD })).token as string;
    const created = await ok(a, 'POST', '/v1/agents', admin, { email: `mover@${APP_ID}.test`, password: PASSWORD });
    const token = (await ok(a, 'POST', '/v1/auth/login', undefined, { appId: APP_ID, email: `mover@${APP_ID}.test`, password: PASSWORD })).token;
    const connect = async (node: ServerProcess) => {
      const client = await TestClient.connect(node.wsUrl(APP_ID));
      expect((await client.request({ type: 'hello', token })).ok).toBe(true);
      return client;
    };
    const onA = await connect(a);
    expect((await onA.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    await onA.close();
    const onB = await connect(b);
    await sleep(2000);
    expect((await ok(a, 'GET', `/v1/agents/${created.id}/state`, admin)).status).toBe('free');
    await onB.close();
    const statuses = async () => Promise.all([a, b].map(async (node) => (await ok(node, 'GET', `/v1/agents/${created.id}/state`, admin)).status));
    const deadline = Date.now() + 5000;
    while ((await statuses()).some((status) => status !== 'offline') && Date.now() < deadline) await sleep(100);
    expect(await statuses()).toEqual(['offline', 'offline']);
  }, 30_000);
});
