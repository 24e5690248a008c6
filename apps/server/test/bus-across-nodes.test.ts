import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type FrontdeskApp } from '../src/app.ts';
import type { Bus, BusEvent } from '../src/platform/bus.ts';
import { createLogger, type Logger } from '../src/platform/logger.ts';
import { createNatsBus } from '../src/platform/nats-bus.ts';
import { BUS_NOTIFY_CHANNEL } from '../src/platform/postgres-bus.ts';
import { createRedisBus } from '../src/platform/redis-bus.ts';
import { api, freshStorage, TestClient, testConfig } from './helpers.ts';

const scripts = path.resolve(import.meta.dirname, '../../../scripts');
/** Starts the broker on loopback with its script (installed from Debian when missing); its bus URL. */
const start = (script: string) => execFileSync('bash', [path.join(scripts, script), 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;

const BROKERS: [string, string, (deps: { url: string; log: Logger }) => Promise<Bus>][] = [
  ['Redis', 'redis.sh', createRedisBus],
  ['NATS', 'nats.sh', createNatsBus],
];

/** The cross-node bus on a real broker: two nodes, two buses. */
describe.each(BROKERS)('%s bus', (_name, script, createBus) => {
  const buses: Bus[] = [];
  afterAll(async () => {
    for (const bus of buses) await bus.close();
  });

  async function twoNodes(): Promise<[Bus, Bus]> {
    const url = start(script);
    const log = createLogger('silent');
    const nodes = [await createBus({ url, log }), await createBus({ url, log })] as [Bus, Bus];
    buses.push(...nodes);
    return nodes;
  }

  it('carries each event once, in order, to the other node and at once to its own; large ones whole', async () => {
    const [a, b] = await twoNodes();
    // NOTE: the broker is one per port on the machine, shared with any other run of this file at the
    // same time: this run's events are told apart by an app id of their own.
    const appId = `acme_${randomBytes(6).toString('hex')}`;
    const seenA: BusEvent[] = [];
    const seenB: BusEvent[] = [];
    const ours = (event: BusEvent) => 'appId' in event && event.appId === appId;
    a.subscribe((event) => ours(event) && seenA.push(event));
    b.subscribe((event) => ours(event) && seenB.push(event));
    const big = randomBytes(6144).toString('base64').slice(0, 8192);
    const sent: BusEvent[] = [
      { type: 'transparent', appId, userId: 'vis_1', data: big },
      ...Array.from({ length: 200 }, (_, i): BusEvent => ({ type: 'kick', appId, userId: `vis_${i}` })),
    ];
    for (const event of sent) a.publish(event);
    // Its own node hears them at once (before any round trip), the other one through the broker.
    expect(seenA).toEqual(sent);
    await expect.poll(() => seenB.length, { timeout: 5000 }).toBe(sent.length);
    expect(seenB).toEqual(sent);
    // And nothing comes back to the publishing node a second time.
    await new Promise((r) => setTimeout(r, 200));
    expect(seenA).toHaveLength(sent.length);
  });

  it('carries a turn larger than one broker message (NATS: 1 MB) whole and in order', async () => {
    const [a, b] = await twoNodes();
    const appId = `acme_${randomBytes(6).toString('hex')}`;
    const seenB: BusEvent[] = [];
    b.subscribe((event) => 'appId' in event && event.appId === appId && seenB.push(event));
    // 3 MB in one turn: a group commit's batch of long messages can be that large.
    const sent = Array.from({ length: 375 }, (_, i): BusEvent => ({ type: 'transparent', appId, userId: `vis_${i}`, data: randomBytes(6144).toString('base64') }));
    for (const event of sent) a.publish(event);
    await expect.poll(() => seenB.length, { timeout: 5000 }).toBe(sent.length);
    expect(seenB).toEqual(sent);
  });

  it('two server nodes on one PostgreSQL with FRONTDESK_BUS_URL: a visitor on one reaches its agent on the other', async () => {
    const storage = await freshStorage('postgres');
    const nodes: { app: FrontdeskApp; url: string }[] = [];
    const sockets: TestClient[] = [];
    // NOTE: two nodes on one PostgreSQL would reach each other by NOTIFY without a broker too. So the
    // test listens on both paths: the message must cross on the broker (a third client of it hears
    // it) and never as a notification of the PostgreSQL bus.
    const url = start(script);
    const observer = await createBus({ url, log: createLogger('silent') });
    buses.push(observer);
    const onBroker: BusEvent[] = [];
    observer.subscribe((event) => onBroker.push(event));
    const listener = new pg.Client({ connectionString: storage.databaseUrl! });
    await listener.connect();
    const notified: string[] = [];
    listener.on('notification', (n) => notified.push(n.payload ?? ''));
    await listener.query(`LISTEN ${pg.escapeIdentifier(BUS_NOTIFY_CHANNEL)}`);
    try {
      const config = testConfig(storage, { FRONTDESK_BUS_URL: url });
      for (let i = 0; i < 2; i++) {
        const app = await buildApp(config);
        nodes.push({ app, url: await app.listen() });
      }
      const [one, two] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
      await one.app.services.tenancy.createApp({ id: 'acme', name: 'acme' });
      await one.app.services.identity.createAgent('acme', { email: 'ann@acme.test', password: 'correct horse battery', role: 'agent', mediaTypes: ['chat'], maxConcurrentChats: 5 });
      const agentToken = (await api(two.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'ann@acme.test', password: 'correct horse battery' } })).body.token as string;
      const visitor = (await api(one.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body.token as string;
      const conversationId = (await api(one.url, 'POST', '/v1/conversations', { token: visitor })).body.id as string;
      expect((await api(two.url, 'POST', `/v1/conversations/${conversationId}/claim`, { token: agentToken })).status).toBe(200);
      const agent = await TestClient.connect(`${two.url.replace('http', 'ws')}/v1/ws?appId=acme`);
      sockets.push(agent);
      expect((await agent.request({ type: 'hello', token: agentToken })).ok).toBe(true);
      const sent = await api(one.url, 'POST', `/v1/conversations/${conversationId}/messages`, { token: visitor, body: { clientId: 'c1', text: 'hello across nodes' } });
      expect(sent.status).toBeLessThan(300);
      await agent.waitFor(() => agent.events.some((e) => e.type === 'message' && e.message.text === 'hello across nodes'));
      await expect.poll(() => onBroker.some((e) => e.type === 'message.created' && e.conversation.id === conversationId && e.message.text === 'hello across nodes'), { timeout: 5000 }).toBe(true);
      expect(notified).toEqual([]);
    } finally {
      for (const socket of sockets) await socket.close();
      for (const node of nodes) await node.app.close();
      await listener.end();
      await storage.drop();
    }
  });
});
