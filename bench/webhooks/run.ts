/**
 * Webhook deliveries per second from one node's workers to a local receiver, against a bare HTTP
 * client loop feeding the same receiver in the same run.
 *
 *   npm run webhooks -w @frontdesk/bench                         # SQLite, 20,000 events
 *   npm run webhooks -w @frontdesk/bench -- --storage postgres   # starts its own PostgreSQL (port 54349)
 *   BENCH_DATABASE_URL=postgres://… npm run webhooks -w @frontdesk/bench -- --storage postgres
 *   npm run webhooks -w @frontdesk/bench -- --events 50000 --keys 1000 --concurrency 64
 *
 * Each delivery run writes `--events` events to the outbox (500 per transaction, untimed), then
 * times one node's workers (`createWebhooks`, the production code: fan-out, job claims under a
 * lease, Standard Webhooks signing, request-filtering agent, attempt log) until every delivery is
 * recorded as delivered. Runs: events without an ordering key, then the same spread over
 * `--keys` ordering keys (conversations; each key is delivered one at a time, in order).
 * Baseline: a bare node:http client with the same keep-alive sockets and concurrency POSTing
 * the same bodies. The receiver (receiver.ts) runs in its own process and answers 204.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTenancyService } from '../../apps/server/src/modules/tenancy/index.ts';
import { createOutbox, createWebhooks, WEBHOOK_DELIVERY_JOB, type OutboxEvent } from '../../apps/server/src/modules/webhooks/index.ts';
import { systemClock } from '../../apps/server/src/platform/clock.ts';
import { createLogger } from '../../apps/server/src/platform/logger.ts';
import { openStorage, type Storage } from '../../apps/server/src/platform/storage/storage.ts';
import { databaseUrl, psql, startPostgres } from '../realtime/fullstack.ts';

const { values: args } = parseArgs({
  options: {
    storage: { type: 'string', default: 'sqlite' },
    events: { type: 'string', default: '20000' },
    keys: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    'pg-port': { type: 'string', default: '54349' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('flags: --storage sqlite|postgres  --events N (20000)  --keys N (1000; 0 skips the keyed run)  --concurrency N (64)  --pg-port P (54349)  --json FILE');
  process.exit(0);
}
const EVENTS = Number(args.events);
const KEYS = Number(args.keys);
const CONCURRENCY = Number(args.concurrency);
const TARGET_PER_S = 2000;
const APP_ID = 'bench';
const repoRoot = path.resolve(import.meta.dirname, '../..');

interface ReceiverProcess {
  url: string;
  count(): Promise<{ requests: number; cpuMs: number }>;
  stop(): void;
}

async function startReceiverProcess(): Promise<ReceiverProcess> {
  const child = fork(path.join(import.meta.dirname, 'receiver.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m: { requests: number; cpuMs: number }) => resolve(m));
        child.send({ type: 'count' });
      }),
    stop: () => child.send({ type: 'stop' }),
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

function sampleData(n: number): Record<string, unknown> {
  return { conversationId: `conv_${n % 5000}`, message: { id: `msg_${n}`, seq: n, senderType: 'visitor', text: 'Hello, I would like to know where my order is. '.repeat(2) } };
}

interface Measured {
  deliveries: number;
  seconds: number;
  perSecond: number;
  benchCpuPercent: number;
  receiverCpuPercent: number;
}

/** The baseline: a bare keep-alive client loop POSTing `count` bodies of the same shape. */
async function bareClientLoop(receiver: ReceiverProcess, count: number): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(receiver.url);
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 204 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
      });
      request.on('error', reject);
      request.end(body);
    });
  let next = 0;
  const before = await receiver.count();
  const cpuBefore = cpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const n = next++;
        await post(JSON.stringify({ type: 'message.created', timestamp: new Date().toISOString(), data: sampleData(n) }));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await receiver.count();
  agent.destroy();
  return measured(count, seconds, cpuMs() - cpuBefore, after.cpuMs - before.cpuMs);
}

function measured(deliveries: number, seconds: number, benchCpu: number, receiverCpu: number): Measured {
  return {
    deliveries,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(deliveries / seconds),
    benchCpuPercent: Math.round(benchCpu / (seconds * 10)),
    receiverCpuPercent: Math.round(receiverCpu / (seconds * 10)),
  };
}

/** Writes the events, then times one node's workers draining them to the receiver. */
async function deliveryRun(storage: Storage, receiver: ReceiverProcess, keys: number): Promise<Measured & { recorded: number }> {
  const webhooks = createWebhooks({ storage, clock: systemClock, log: createLogger('warn'), allowPrivateTargets: true, concurrency: CONCURRENCY, maxInFlightPerSubscription: CONCURRENCY });
  const subscription = await webhooks.createSubscription(APP_ID, { url: receiver.url, eventTypes: ['message.created'] });
  const outbox = createOutbox({ clock: systemClock });
  for (let i = 0; i < EVENTS; i += 500) {
    const events: OutboxEvent[] = [];
    for (let n = i; n < Math.min(i + 500, EVENTS); n++) events.push({ appId: APP_ID, type: 'message.created', orderingKey: keys > 0 ? `conv_${n % keys}` : undefined, data: sampleData(n) });
    await storage.db.transaction().execute((tx) => outbox.enqueue(tx, events));
  }
  const before = await receiver.count();
  const cpuBefore = cpuMs();
  const started = performance.now();
  await webhooks.runOnce();
  const seconds = (performance.now() - started) / 1000;
  const after = await receiver.count();
  await webhooks.close();
  const { count } = await storage.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('kind', '=', WEBHOOK_DELIVERY_JOB)
    .where('group_key', '=', subscription.id)
    .where('status', '=', 'done')
    .executeTakeFirstOrThrow();
  // Disabled, so the next run's events are not fanned out to this subscription too.
  await webhooks.disableSubscription(APP_ID, subscription.id);
  return { ...measured(after.requests - before.requests, seconds, cpuMs() - cpuBefore, after.cpuMs - before.cpuMs), recorded: Number(count) };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-webhooks-'));
  let drop = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  let url: string | undefined;
  let stopPostgres = () => {};
  if (args.storage === 'postgres') {
    const postgres = startPostgres(repoRoot, process.env.BENCH_DATABASE_URL, Number(args['pg-port']), path.join(os.tmpdir(), 'frontdesk-bench-pg'));
    stopPostgres = postgres.stop;
    const name = `fd_bench_webhooks_${Date.now().toString(36)}`;
    psql(postgres.adminUrl, `create database ${name}`);
    url = databaseUrl(postgres.adminUrl, name);
    const dropDir = drop;
    drop = async () => {
      psql(postgres.adminUrl, `drop database if exists ${name} with (force)`);
      await dropDir();
    };
  }
  const storage = await openStorage({ databaseUrl: url, dataDir, poolSize: 10 });
  await createTenancyService({ storage, clock: systemClock }).createApp({ id: APP_ID, name: 'bench' });
  const receiver = await startReceiverProcess();
  try {
    console.log(`webhooks bench: ${EVENTS} events, concurrency ${CONCURRENCY}, ${args.storage}, ${os.cpus().length} cores, Node ${process.version}`);
    const warmup = await bareClientLoop(receiver, 2000);
    void warmup;
    const baseline = await bareClientLoop(receiver, EVENTS);
    const unordered = await deliveryRun(storage, receiver, 0);
    const keyed = KEYS > 0 ? await deliveryRun(storage, receiver, KEYS) : undefined;
    const row = (label: string, m: Measured) =>
      console.log(`${label.padEnd(44)} ${String(m.perSecond).padStart(7)}/s  ${String(m.deliveries).padStart(7)} in ${m.seconds.toFixed(2).padStart(6)} s  cpu bench ${m.benchCpuPercent}%  receiver ${m.receiverCpuPercent}%`);
    row('baseline: bare http client loop', baseline);
    row('workers, no ordering key', unordered);
    if (keyed) row(`workers, ${KEYS} ordering keys`, keyed);
    const lost = [unordered, ...(keyed ? [keyed] : [])].filter((m) => m.recorded !== EVENTS);
    if (lost.length > 0) console.log(`NOT ALL DELIVERED: ${lost.map((m) => m.recorded).join(', ')} of ${EVENTS}`);
    const slowest = Math.min(unordered.perSecond, keyed?.perSecond ?? Infinity);
    console.log(`workers / baseline: ${(unordered.perSecond / baseline.perSecond).toFixed(2)}; target ≥ ${TARGET_PER_S}/s: ${slowest >= TARGET_PER_S ? 'met' : 'NOT met'}`);
    if (args.json) fs.writeFileSync(args.json, JSON.stringify({ storage: args.storage, events: EVENTS, concurrency: CONCURRENCY, baseline, unordered, keyed }, null, 2));
  } finally {
    receiver.stop();
    await storage.close();
    await drop();
    stopPostgres();
  }
}

await main();
