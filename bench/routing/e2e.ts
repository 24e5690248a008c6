/**
 * End-to-end routing through the server: 50 queues, 1,000 agents on real WebSockets, 10,000
 * conversations queued while the agents are not ready; then every agent goes free at once and
 * takes each offer as it arrives, until all 10,000 are assigned. Prints arrivals/s (open a
 * conversation → queued), assignments/s and offer→assignment latency; and, as the baseline in
 * the same run, the decision core alone replaying the very routing log the server wrote.
 *
 *   npx tsx bench/routing/e2e.ts                 # embedded SQLite
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/routing/e2e.ts
 *
 * The load (WebSocket clients, visitors) runs in this process beside the server, on the same
 * 2 cores: the figures are a floor for the server alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { RoutingEngine, type RoutingEvent } from '../../apps/server/src/modules/routing/index.ts';
import { newId } from '../../apps/server/src/platform/ids.ts';
import { hashPassword } from '../../apps/server/src/platform/passwords.ts';

const QUEUES = Number(process.env.BENCH_QUEUES ?? 50);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
/** Headroom over sessions ÷ agents: greedy assignment cannot always fill every agent exactly. */
const CAPACITY = Math.ceil(SESSIONS / AGENTS) + 2;
const APP_ID = 'bench';
const SECRET = 'routing-bench-secret-0123456789-abcdefghijklmnop';

async function mapLimited<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** A minimal agent client: hello, set status, take every offer. */
class AgentSocket {
  private n = 0;
  private readonly waiters = new Map<string, (reply: { ok: boolean }) => void>();
  constructor(readonly ws: WebSocket, onOffer: (conversationId: string, self: AgentSocket) => void) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'reply') {
        this.waiters.get(frame.id)?.(frame);
        this.waiters.delete(frame.id);
      } else if (frame.type === 'offer') onOffer(frame.conversationId, this);
    });
  }
  static async open(url: string, token: string, onOffer: (conversationId: string, self: AgentSocket) => void): Promise<AgentSocket> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const socket = new AgentSocket(ws, onOffer);
    const hello = await socket.request({ type: 'hello', token });
    if (!hello.ok) throw new Error('hello refused');
    return socket;
  }
  request(frame: Record<string, unknown>): Promise<{ ok: boolean }> {
    const id = `r${++this.n}`;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-routing-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_LOG_LEVEL: 'warn',
    FRONTDESK_DEMO: 'off',
    FRONTDESK_MEDIA: 'off',
    FRONTDESK_JWT_SECRET: SECRET,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const app = await buildApp(config);
  const base = await app.listen();
  const wsUrl = `${base.replace('http', 'ws')}/v1/ws?appId=${APP_ID}`;
  const { tenancy, routing, channels, identity, flow } = app.services;
  console.log(`routing e2e bench on ${databaseUrl ? 'PostgreSQL' : 'SQLite'}: ${QUEUES} queues, ${AGENTS} agents (capacity ${CAPACITY}), ${SESSIONS} sessions`);

  // --- setup: queues with a channel each; agents inserted directly (one password hash for all:
  // hashing 1,000 passwords would only measure scrypt), skills through the routing service.
  await tenancy.createApp({ id: APP_ID, name: APP_ID });
  const queueIds: string[] = [];
  const channelIds: string[] = [];
  for (let i = 0; i < QUEUES; i++) {
    const queue = await routing.createQueue(APP_ID, { name: `q${i}`, maxWaitSeconds: 60000, ringTimeoutSeconds: 60, maxQueueLength: { kind: 'fixed', value: 10000 } });
    queueIds.push(queue.id);
    channelIds.push((await channels.createChannel(APP_ID, { name: `c${i}`, queueId: queue.id })).id);
  }
  const passwordHash = await hashPassword('bench-password');
  const agentIds = Array.from({ length: AGENTS }, () => newId('agt'));
  await app.storage.db
    .insertInto('agents')
    .values(agentIds.map((id, i) => ({ id, app_id: APP_ID, staff_number: String(i + 1), email: `a${i}@bench.test`, name: `a${i}`, role: 'agent', media_types: '["chat"]', max_concurrent_chats: CAPACITY, max_concurrent_calls: 1, password_hash: passwordHash, disabled: 0, created_at: Date.now() })))
    .execute();
  // Each agent serves its queue; every third one a second queue too.
  await mapLimited(agentIds, 8, async (id, i) => {
    await routing.setSkills(APP_ID, id, { skills: [{ queueId: queueIds[i % QUEUES]!, level: 3, isDefault: true }, ...(i % 3 === 0 ? [{ queueId: queueIds[(i + 7) % QUEUES]!, level: 3, isDefault: false }] : [])] });
  });

  console.log('  setup done');
  // --- agents online but not ready, so that every session waits
  const offeredAt = new Map<string, number>();
  const assignLatencies: number[] = [];
  let assigned = 0;
  let refused = 0;
  let allAssigned: () => void = () => {};
  const done = new Promise<void>((resolve) => (allAssigned = resolve));
  const onOffer = (conversationId: string, socket: AgentSocket) => {
    offeredAt.set(conversationId, performance.now());
    void socket.request({ type: 'offer.accept', conversationId }).then((reply) => {
      if (!reply.ok) return void refused++;
      assignLatencies.push(performance.now() - offeredAt.get(conversationId)!);
      if (++assigned === SESSIONS) allAssigned();
    });
  };
  const sockets: AgentSocket[] = [];
  await mapLimited(agentIds, 16, async (id) => {
    // A session without a password (no scrypt per agent): every agent token names its session.
    const { token } = await identity.signInAgentById(APP_ID, id, undefined);
    const socket = await AgentSocket.open(wsUrl, token, onOffer);
    await socket.request({ type: 'agent.status.set', status: 'not_ready' });
    sockets.push(socket);
  });

  console.log(`  ${sockets.length} agents online`);
  // --- 10,000 visitors open conversations: each enters its channel's queue
  let t0 = performance.now();
  await mapLimited(Array.from({ length: SESSIONS }, (_, i) => i), 32, async (i) => {
    const session = await identity.startVisitorSession(APP_ID, {});
    await flow.open({ kind: 'visitor', appId: APP_ID, visitorId: session.visitor.id }, { channelId: channelIds[i % QUEUES] });
  });
  const arriveSeconds = (performance.now() - t0) / 1000;
  const overview = await routing.overview(APP_ID);
  const queued = overview.queues.reduce((n, q) => n + q.queued, 0);

  console.log(`  ${queued} sessions queued`);
  // --- every agent goes free: offers flow until all sessions are assigned
  t0 = performance.now();
  // Keeps the process alive while it waits, and shows progress.
  const progress = setInterval(() => console.log(`  … ${assigned} assigned, ${offeredAt.size} offered, ${refused} refused`), 5000);
  const replies = await Promise.all(sockets.map((s) => s.request({ type: 'agent.status.set', status: 'free' })));
  if (replies.some((r) => !r.ok)) console.log('  status refused', JSON.stringify(replies.find((r) => !r.ok)));
  await done;
  clearInterval(progress);
  const assignSeconds = (performance.now() - t0) / 1000;

  // --- baseline: the decision core alone, replaying the log the server wrote
  const log = await app.storage.db.selectFrom('routing_log').select(['at', 'event']).where('app_id', '=', APP_ID).orderBy('seq').execute();
  const events = log.map((row) => ({ at: row.at, event: JSON.parse(row.event) as RoutingEvent }));
  const engine = new RoutingEngine();
  t0 = performance.now();
  for (const { at, event } of events) engine.handle(event, at);
  const replaySeconds = (performance.now() - t0) / 1000;

  assignLatencies.sort((a, b) => a - b);
  const rows: [string, string][] = [
    ['sessions queued before agents went free', String(queued)],
    ['arrivals (open → queued), per second', (SESSIONS / arriveSeconds).toFixed(0)],
    ['assignments through the server, per second', (SESSIONS / assignSeconds).toFixed(0)],
    ['offer → assigned, p50 / p99 ms', `${percentile(assignLatencies, 0.5).toFixed(1)} / ${percentile(assignLatencies, 0.99).toFixed(1)}`],
    ['routing log events written', String(events.length)],
    ['baseline: core alone replaying that log, events/s', (events.length / replaySeconds).toFixed(0)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);

  for (const s of sockets) s.ws.close();
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
