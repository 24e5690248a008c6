/**
 * A load-generator process: holds its share of the visitor and agent sockets, sends
 * `message.send` frames from visitors at the rate it is told and times each message until
 * the visitor's agent socket receives it. Driven over IPC by run.ts. The same code drives the
 * real server and the bare relay: only the URLs and whether replies come back differ.
 *
 * The send time travels inside the text (`~B<step>.<µs>~`), and an agent and its visitors
 * always live in the same worker, so both ends read the same performance.now() clock.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Histogram } from './histogram.ts';
import type { FromWorker, InitMessage, SocketSpec, StepMessage, ToWorker } from './ipc.ts';

interface VisitorSocket {
  ws: WebSocket;
  conversationId: string;
}

interface StepState {
  id: number;
  startAt: number;
  endAt: number;
  sent: number;
  skipped: number;
  delivered: number;
  deliveredInWindow: number;
  acked: number;
  ackedInWindow: number;
  errors: Record<string, number>;
  latency: Histogram;
}

const PAD_CHARS = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';

let init: InitMessage | undefined;
let pad = '';
const visitors: VisitorSocket[] = [];
const sockets: WebSocket[] = [];
const steps = new Map<number, StepState>();
let current: StepState | undefined;
let nextVisitor = 0;
let messageCounter = 0;
let closing = false;
const closes: Record<string, number> = {};
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function post(message: FromWorker): void {
  process.send?.(message);
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init':
      void start(message);
      return;
    case 'step':
      void runStep(message);
      return;
    case 'close':
      closing = true;
      for (const ws of sockets) ws.terminate();
      post({ type: 'closed' });
      setTimeout(() => process.exit(0), 200);
      return;
  }
});
process.on('disconnect', () => process.exit(0));

async function start(message: InitMessage): Promise<void> {
  init = message;
  pad = PAD_CHARS.repeat(Math.ceil(message.textBytes / PAD_CHARS.length)).slice(0, Math.max(0, message.textBytes - 24));
  const t0 = performance.now();
  const failures: Record<string, number> = {};
  let opened = 0;
  let failed = 0;
  let index = 0;
  // Agents first, so every visitor message has somewhere to go; then the visitors.
  const jobs: (() => Promise<void>)[] = [];
  const open = (spec: SocketSpec, role: 'agent' | 'visitor', conversationId: string) => async () => {
    const localAddress = message.sourceAddresses[index++ % message.sourceAddresses.length];
    for (let attempt = 1; ; attempt++) {
      try {
        const ws = await connect(spec, localAddress);
        sockets.push(ws);
        if (role === 'agent') ws.on('message', onAgentFrame);
        else {
          visitors.push({ ws, conversationId });
          ws.on('message', onVisitorFrame);
        }
        opened++;
        return;
      } catch (err) {
        const reason = (err as Error).message;
        // Transient: the listen backlog overflowed or the server was busy; try again.
        if (attempt < 4 && /ECONNRESET|ECONNREFUSED|ETIMEDOUT|timed out|socket hang up/.test(reason)) {
          await sleep(200 * attempt);
          continue;
        }
        failed++;
        failures[reason] = (failures[reason] ?? 0) + 1;
        return;
      }
    }
  };
  for (const group of message.groups) jobs.push(open(group.agent, 'agent', ''));
  await runLimited(jobs, message.connectConcurrency);
  jobs.length = 0;
  for (const group of message.groups) for (const v of group.visitors) jobs.push(open(v, 'visitor', v.conversationId));
  await runLimited(jobs, message.connectConcurrency);
  startPings(message.pingEveryMs);
  post({ type: 'connected', opened, failed, failures, ms: performance.now() - t0 });
}

/** Opens one socket and authenticates it; resolves once the hello reply is ok. */
function connect(spec: SocketSpec, localAddress: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(spec.url, { perMessageDeflate: false, handshakeTimeout: 30_000, ...(localAddress ? { localAddress } : {}) });
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail('hello timed out'), 60_000);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', id: 'h1', token: spec.token })));
    ws.once('unexpected-response', (_req, res) => fail(`upgrade refused: HTTP ${res.statusCode}`));
    ws.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    ws.once('close', (code) => fail(`closed ${code} before hello`));
    const onFirst = (data: WebSocket.RawData) => {
      let frame: { type?: string; id?: string; ok?: boolean; error?: { code?: string } };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return fail('hello: bad frame');
      }
      if (frame.type !== 'reply' || frame.id !== 'h1') return;
      if (!frame.ok) return fail(`hello: ${frame.error?.code ?? 'refused'}`);
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => ws.terminate());
      ws.on('close', (code) => {
        if (!closing) closes[String(code)] = (closes[String(code)] ?? 0) + 1;
      });
      resolve(ws);
    };
    ws.on('message', onFirst);
  });
}

async function runLimited(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) await jobs[next++]!();
  });
  await Promise.all(lanes);
}

/** Every socket pings once per interval, spread evenly over it (a few sockets every 20 ms, not bursts). */
function startPings(everyMs: number): void {
  const slices = Math.max(1, Math.round(everyMs / 20));
  let tick = 0;
  setInterval(() => {
    const slice = tick++ % slices;
    for (let i = slice; i < sockets.length; i += slices) {
      const ws = sockets[i]!;
      if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
    }
  }, everyMs / slices).unref();
}

/** The agent end: a frame carrying a bench marker is a visitor message arriving. */
function onAgentFrame(data: WebSocket.RawData): void {
  const s = data.toString();
  const at = s.indexOf('~B');
  if (at < 0) return;
  const dot = s.indexOf('.', at);
  const end = s.indexOf('~', dot);
  if (dot < 0 || end < 0) return;
  const step = steps.get(Number(s.slice(at + 2, dot)));
  if (!step) return;
  const now = performance.now();
  step.delivered++;
  step.latency.record(now * 1000 - Number(s.slice(dot + 1, end)));
  if (current && now >= current.startAt && now <= current.endAt) current.deliveredInWindow++;
}

/** The visitor end: replies to its sends (the echo of its own message is ignored). */
function onVisitorFrame(data: WebSocket.RawData): void {
  const s = data.toString();
  if (!s.startsWith('{"type":"reply"')) return;
  const at = s.indexOf('"id":"m');
  if (at < 0) return;
  const step = steps.get(Number(s.slice(at + 7, s.indexOf('.', at))));
  if (!step) return;
  if (s.includes('"ok":true')) {
    step.acked++;
    const now = performance.now();
    if (current && now >= current.startAt && now <= current.endAt) current.ackedInWindow++;
    return;
  }
  let code = 'unknown';
  try {
    code = (JSON.parse(s) as { error?: { code?: string } }).error?.code ?? code;
  } catch {
    // keep 'unknown'
  }
  step.errors[code] = (step.errors[code] ?? 0) + 1;
}

function sendOne(step: StepState): void {
  const n = visitors.length;
  for (let tries = 0; tries < n; tries++) {
    const v = visitors[nextVisitor]!;
    nextVisitor = (nextVisitor + 1) % n;
    if (v.ws.readyState !== WebSocket.OPEN) continue;
    const seq = ++messageCounter;
    const t = Math.round(performance.now() * 1000);
    v.ws.send(
      `{"type":"message.send","id":"m${step.id}.${seq}","conversationId":"${v.conversationId}","clientId":"${init!.runTag}w${init!.workerId}-${seq}","text":"~B${step.id}.${t}~ ${pad}"}`,
    );
    step.sent++;
    return;
  }
  step.skipped++;
}

async function runStep(message: StepMessage): Promise<void> {
  const startAt = performance.now();
  const step: StepState = {
    id: message.stepId,
    startAt,
    endAt: startAt + message.durationMs,
    sent: 0,
    skipped: 0,
    delivered: 0,
    deliveredInWindow: 0,
    acked: 0,
    ackedInWindow: 0,
    errors: {},
    latency: new Histogram(),
  };
  steps.set(step.id, step);
  current = step;
  loopDelay.reset();
  // Open-loop pacing: every tick, send what the schedule says should have gone by now.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - startAt, message.durationMs);
      const due = visitors.length === 0 ? 0 : Math.floor((message.rate * elapsed) / 1000);
      while (step.sent + step.skipped < due) sendOne(step);
      if (elapsed >= message.durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  // The monitor samples every 10 ms and reports the interval itself: subtract it to get the lag.
  const loopDelayP99Ms = Math.max(0, loopDelay.percentile(99) / 1e6 - 10);
  const loopDelayMaxMs = Math.max(0, loopDelay.max / 1e6 - 10);
  const deadline = performance.now() + message.drainMs;
  const outstanding = () => step.sent - step.delivered > 0 || (init!.expectReplies && step.sent - step.acked - errorCount(step) > 0);
  while (outstanding() && performance.now() < deadline) await sleep(20);
  steps.delete(step.id);
  post({
    type: 'step-result',
    stepId: step.id,
    sent: step.sent,
    skipped: step.skipped,
    delivered: step.delivered,
    deliveredInWindow: step.deliveredInWindow,
    acked: step.acked,
    ackedInWindow: step.ackedInWindow,
    errors: step.errors,
    latency: step.latency.toJSON(),
    loopDelayP99Ms,
    loopDelayMaxMs,
    closes: { ...closes },
  });
}

function errorCount(step: StepState): number {
  let n = 0;
  for (const v of Object.values(step.errors)) n += v;
  return n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
