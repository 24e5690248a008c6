/**
 * Inbound messaging-channel messages: WhatsApp-shaped webhooks (signed X-Hub-Signature-256) →
 * stored → the agent's socket, against the web-chat path (a visitor's POST
 * /v1/conversations/:id/messages → stored → the agent's socket) in the same run, on the same server.
 *
 *   npm run channels -w @frontdesk/bench                                  # SQLite, 10,000 messages per path
 *   npm run channels -w @frontdesk/bench -- --messages 20000 --users 200 --concurrency 32 --json /tmp/channels.json
 *   npm run channels -w @frontdesk/bench -- --paths whatsapp                # one path only (a profile of it alone)
 *
 * The server (server.ts: the production `buildApp`) runs in its own process. Setup (untimed):
 * `--users` WhatsApp users and as many web visitors, each with a conversation assigned to one of
 * the agents (their sockets accept every offer). Timed: `--messages` messages per path, `--concurrency`
 * requests in flight, spread over the users. Per message: the request's latency (webhook answered
 * 200 once stored; POST answered once stored) and end-to-end latency (request sent → the message
 * frame on the agent's socket), and the server process's CPU time per message (what a message costs
 * whatever else the machine runs; `perCpuSecond` = messages one fully used core would take).
 * Everything on 127.0.0.1; bounded by count and by `--max-seconds`.
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    users: { type: 'string', default: '200' },
    agents: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    'max-seconds': { type: 'string', default: '300' },
    paths: { type: 'string', default: 'web,whatsapp' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('flags: --messages N (10000 per path)  --users N (200)  --agents N (10)  --concurrency N (32)  --max-seconds S (300)  --paths web,whatsapp (both)  --json FILE');
  process.exit(0);
}
const MESSAGES = Number(args.messages);
const USERS = Number(args.users);
const AGENTS = Number(args.agents);
const CONCURRENCY = Number(args.concurrency);
const DEADLINE = Date.now() + Number(args['max-seconds']) * 1000;
const PASSWORD = 'correct horse battery';
const APP_SECRET = 'bench-app-secret';
const PHONE_NUMBER_ID = '1065550000';
const PATHS = new Set(args.paths.split(','));
const TARGET_PER_S = 1000;
const TARGET_P99_MS = 200;

// BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops.
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const child = fork(path.join(import.meta.dirname, 'server.ts'), [], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
// The server never outlives the bench, even when it fails.
process.on('exit', () => child.kill());
const base = await new Promise<string>((resolve, reject) => {
  child.once('message', (m) => resolve((m as { url: string }).url));
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

async function call<T = any>(method: string, route: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(base + route, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const admin = (await call('POST', '/v1/auth/login', undefined, { appId: 'bench', email: 'admin@bench.test', password: PASSWORD })).token as string;
const queue = await call('POST', '/v1/queues', admin, { name: 'bench', maxQueueLength: { kind: 'fixed', value: 10000 } });
const webChannel = await call('POST', '/v1/channels', admin, { name: 'web', queueId: queue.id, idleEnd: { enabled: false }, queueReminder: { enabled: false } });
const wa = await call('POST', '/v1/channel-connections', admin, { provider: 'whatsapp', name: 'WhatsApp', queueId: queue.id, accountId: PHONE_NUMBER_ID, apiBaseUrl: 'http://127.0.0.1:9', credentials: { accessToken: 'unused', appSecret: APP_SECRET } });
await call('PATCH', `/v1/channels/${wa.channelId}`, admin, { idleEnd: { enabled: false }, queueReminder: { enabled: false } });

// Agents: each accepts every offer; every message frame is timed by its text.
const arrivals = new Map<string, number>();
const waiters = new Map<string, () => void>();
const sockets: WebSocket[] = [];
const capacity = Math.min(100, Math.ceil((USERS * 2) / AGENTS) + 5);
for (let i = 0; i < AGENTS; i++) {
  const created = await call('POST', '/v1/agents', admin, { email: `agent${i}@bench.test`, password: PASSWORD, maxConcurrentChats: capacity });
  await call('PUT', `/v1/agents/${created.id}/skills`, admin, { skills: [{ queueId: queue.id }] });
  const token = (await call('POST', '/v1/auth/login', undefined, { appId: 'bench', email: `agent${i}@bench.test`, password: PASSWORD })).token as string;
  const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/ws?appId=bench`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let n = 0;
  const request = (frame: Record<string, unknown>) => ws.send(JSON.stringify({ ...frame, id: `a${i}-${++n}` }));
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'offer') request({ type: 'offer.accept', conversationId: frame.conversationId });
    if (frame.type === 'message' && frame.message.senderType === 'visitor') {
      arrivals.set(frame.message.text, performance.now());
      waiters.get(frame.message.text)?.();
    }
  });
  request({ type: 'hello', token });
  await new Promise((r) => setTimeout(r, 50));
  request({ type: 'agent.status.set', status: 'free' });
  sockets.push(ws);
}

const arrived = (text: string, timeoutMs = 30_000) =>
  arrivals.has(text) ? Promise.resolve() : new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no agent got "${text}"`)), timeoutMs);
    waiters.set(text, () => { clearTimeout(timer); waiters.delete(text); resolve(); });
  });

let wamid = 0;
function whatsappBody(from: string, text: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: PHONE_NUMBER_ID }, contacts: [{ profile: { name: `User ${from}` }, wa_id: from }], messages: [{ from, id: `wamid.bench${++wamid}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }] } }] }],
  });
}
const sendWhatsapp = (user: number, text: string) => {
  const body = whatsappBody(String(15550000000 + user), text);
  return call('POST', `/channels/whatsapp/${wa.channelId}/webhook`, undefined, body, { 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` });
};

// Setup (untimed): every user's conversation exists and is assigned.
const visitors: { token: string; conversationId: string }[] = [];
for (let u = 0; u < USERS; u++) {
  await sendWhatsapp(u, `hello wa ${u}`);
  await arrived(`hello wa ${u}`);
  const session = await call('POST', '/v1/visitor/session', undefined, { appId: 'bench', channelId: webChannel.id });
  const conversation = await call('POST', '/v1/conversations', session.token, { channelId: webChannel.id });
  visitors.push({ token: session.token, conversationId: conversation.id });
  await call('POST', `/v1/conversations/${conversation.id}/messages`, session.token, { clientId: `hello-${u}`, text: `hello web ${u}` });
  await arrived(`hello web ${u}`);
}

interface PathResult { path: string; messages: number; seconds: number; perSecond: number; requestP50Ms: number; requestP99Ms: number; endToEndP50Ms: number; endToEndP99Ms: number; serverCpuMsPerMessage: number; perCpuSecond: number }
const serverCpuMicros = () =>
  new Promise<number>((resolve) => {
    child.once('message', (m) => resolve((m as { cpuMicros: number }).cpuMicros));
    child.send('cpu');
  });
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function runPath(name: string, send: (i: number, text: string) => Promise<unknown>): Promise<PathResult> {
  const requestMs: number[] = [];
  const endToEndMs: number[] = [];
  let next = 0;
  const cpuBefore = await serverCpuMicros();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < MESSAGES && Date.now() < DEADLINE) {
        const i = next++;
        const text = `${name} ${i}`;
        const t0 = performance.now();
        await send(i, text);
        requestMs.push(performance.now() - t0);
        // NOTE: the 30 s wait starts once the request is answered (an arrival before is kept), so a slow
        // request shows in its own percentile and a timeout means a stored message that reached no agent.
        await arrived(text);
        endToEndMs.push(arrivals.get(text)! - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = ((await serverCpuMicros()) - cpuBefore) / 1000;
  requestMs.sort((a, b) => a - b);
  endToEndMs.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { path: name, messages: requestMs.length, seconds: round(seconds), perSecond: Math.round(requestMs.length / seconds), requestP50Ms: round(pct(requestMs, 50)), requestP99Ms: round(pct(requestMs, 99)), endToEndP50Ms: round(pct(endToEndMs, 50)), endToEndP99Ms: round(pct(endToEndMs, 99)), serverCpuMsPerMessage: Math.round((cpuMs / requestMs.length) * 100) / 100, perCpuSecond: Math.round(requestMs.length / (cpuMs / 1000)) };
}

const results: PathResult[] = [];
if (PATHS.has('web')) results.push(await runPath('web', (i, text) => call('POST', `/v1/conversations/${visitors[i % USERS]!.conversationId}/messages`, visitors[i % USERS]!.token, { clientId: `m${i}`, text })));
if (PATHS.has('whatsapp')) results.push(await runPath('whatsapp', (i, text) => sendWhatsapp(i % USERS, text)));

console.log(`\nbench/channels: ${USERS} users per path, ${AGENTS} agents, ${CONCURRENCY} requests in flight, storage ${process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite'}`);
console.table(results);
const wa1 = results.find((r) => r.path === 'whatsapp');
if (wa1) console.log(`target: ≥ ${TARGET_PER_S} inbound msgs/s (${wa1.perSecond >= TARGET_PER_S ? 'met' : 'NOT met'}), webhook p99 < ${TARGET_P99_MS} ms (${wa1.requestP99Ms < TARGET_P99_MS ? 'met' : 'NOT met'})`);
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ users: USERS, agents: AGENTS, concurrency: CONCURRENCY, results }, null, 2));

for (const ws of sockets) ws.close();
child.send('stop');
await new Promise((resolve) => child.once('exit', resolve));
