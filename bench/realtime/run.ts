/**
 * Realtime benchmark: the full Frontdesk stack (server child process + SQLite or PostgreSQL)
 * against a bare `ws` relay, driven by the same load-generator workers in one run.
 *
 *   npm run realtime -w @frontdesk/bench -- [--storage sqlite|postgres|both] [--connections 20000] …
 *
 * Phase A "connections": open C sockets (visitors + one socket per agent, an agent holding
 * --convs-per-agent conversations) and hold them under a steady load (--steady-rate).
 * Phase B "throughput": offered load ramps (--ramp) step by step on the same sockets; after
 * the first failing step it bisects towards the max sustainable rate (p99 under target).
 * See bench/README.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createAppWithCli, databaseUrl, freePort, psql, runningServers, setupFullStack, startPostgres, startBroker, startServer, APP_ID, type BusKind, type Postgres, type ServerOptions } from './fullstack.ts';
import { Histogram } from './histogram.ts';
import type { FromWorker, GroupSpec, StepResultMessage, ToWorker } from './ipc.ts';
import { formatProfile, summarizeProfile } from './profile.ts';
import { childPids, cpuSeconds, loadAverage, machineCpu, openFileLimit, raiseOpenFileLimit, rssKb, setNice } from './proc.ts';

const HERE = import.meta.dirname;
const REPO = path.resolve(HERE, '../..');

// ---------------------------------------------------------------------------------------------
// Options

const { values: flags } = parseArgs({
  options: {
    storage: { type: 'string', default: 'sqlite' },
    baseline: { type: 'string', default: 'on' },
    connections: { type: 'string', default: '20000' },
    'convs-per-agent': { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    'steady-rate': { type: 'string', default: '2000' },
    'steady-duration': { type: 'string', default: '15' },
    'step-duration': { type: 'string', default: '5' },
    ramp: { type: 'string', default: '1000,2000,4000,8000,16000,32000,64000' },
    bisect: { type: 'string', default: '2' },
    'p99-target': { type: 'string', default: '100' },
    'text-bytes': { type: 'string', default: '120' },
    'source-addresses': { type: 'string', default: '4' },
    'connect-concurrency': { type: 'string', default: '200' },
    'setup-concurrency': { type: 'string', default: '64' },
    'pg-url': { type: 'string' },
    'pg-port': { type: 'string', default: '54349' },
    'pg-tcp': { type: 'boolean', default: false },
    nodes: { type: 'string', default: '1' },
    bus: { type: 'string', default: 'redis' },
    'bus-port': { type: 'string' },
    'pool-size': { type: 'string' },
    'quiet-cpu': { type: 'string', default: '25' },
    'quiet-wait': { type: 'string', default: '90' },
    profile: { type: 'boolean', default: false },
    'server-node-args': { type: 'string', default: '' },
    'server-dir': { type: 'string' },
    'server-nice': { type: 'string' },
    'loadgen-nice': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

if (flags.help) {
  console.log(`Usage: npm run realtime -w @frontdesk/bench -- [options]
  --storage sqlite|postgres|both   full-stack storage (default sqlite)
  --baseline on|off                also run the bare ws relay (default on)
  --connections N                  sockets held (visitors + agents), default 20000
  --convs-per-agent K              conversations per agent socket, default 50
  --workers W                      load-generator processes, default 2
  --steady-rate R                  phase A msgs/s while holding all sockets, default 2000
  --steady-duration S              phase A seconds, default 15
  --ramp R1,R2,…                   phase B offered msgs/s steps, default 1000,…,64000
  --step-duration S                seconds per ramp step, default 5
  --bisect N                       extra steps between last pass and first fail, default 2
  --p99-target MS                  a step passes with p99 ≤ this and ≥95% delivered, default 100
  --text-bytes B                   message text size, default 120
  --source-addresses N             spread sockets over 127.0.0.1..N, default 4
  --pg-url URL                     use this PostgreSQL (admin URL) instead of starting one
  --pg-tcp                         reach the bench's own PostgreSQL over loopback TCP, not its Unix socket
  --pool-size N                    DATABASE_POOL_SIZE for the server (PostgreSQL)
  --nodes 1|2                      PostgreSQL: 2 = two server processes sharing the database, events between
                                   them on a bus; each agent on one node, its visitors spread over both
  --bus redis|nats, --bus-port P   the bus of two nodes (scripts/redis.sh or scripts/nats.sh), default
                                   redis on 56349 (nats on 56249)
  --quiet-cpu P, --quiet-wait S    before each measurement wait up to S s (default 90) until processes
                                   outside the benchmark use < P % of a core (default 25)
  --profile                        run the measured server with --cpu-prof and print the hot spots
  --server-node-args="…"           extra node flags for the measured server (e.g. ="--trace-gc")
  --server-dir DIR                 run the server from another checkout (to compare a patch), default this repo
  --server-nice=N, --loadgen-nice=N  scheduling priority (nice, -20…19; below 0 needs root) of the measured
                                   server (or relay) and of the load-generator processes, default: as this one's
  --json FILE                      also write the results as JSON`);
  process.exit(0);
}

const int = (name: keyof typeof flags) => {
  const v = Number(flags[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
};

function niceOf(name: 'server-nice' | 'loadgen-nice'): number | undefined {
  if (flags[name] === undefined) return undefined;
  const v = Number(flags[name]);
  if (!Number.isInteger(v) || v < -20 || v > 19) throw new Error(`--${name} must be a whole number from -20 to 19`);
  return v;
}

function busKind(value: unknown): BusKind {
  if (value === 'redis' || value === 'nats') return value;
  throw new Error(`--bus must be redis or nats, not ${String(value)}`);
}

const opts = {
  storages: (flags.storage === 'both' ? ['sqlite', 'postgres'] : [flags.storage]) as ('sqlite' | 'postgres')[],
  baseline: flags.baseline !== 'off',
  connections: int('connections'),
  convsPerAgent: Math.max(1, int('convs-per-agent')),
  workers: Math.max(1, int('workers')),
  steadyRate: int('steady-rate'),
  steadyDurationS: int('steady-duration'),
  stepDurationS: int('step-duration'),
  ramp: String(flags.ramp)
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  bisect: int('bisect'),
  p99TargetMs: int('p99-target'),
  textBytes: int('text-bytes'),
  sourceAddresses: Array.from({ length: Math.max(1, int('source-addresses')) }, (_, i) => `127.0.0.${i + 1}`),
  connectConcurrency: Math.max(1, int('connect-concurrency')),
  setupConcurrency: Math.max(1, int('setup-concurrency')),
  pgUrl: flags['pg-url'],
  pgPort: int('pg-port'),
  pgTcp: flags['pg-tcp'] === true,
  poolSize: flags['pool-size'],
  nodes: int('nodes') === 2 ? 2 : 1,
  bus: busKind(flags.bus),
  busPort: flags['bus-port'] ? int('bus-port') : flags.bus === 'nats' ? 56249 : 56349,
  quietCpu: int('quiet-cpu'),
  quietWaitS: int('quiet-wait'),
  profile: flags.profile === true,
  serverDir: flags['server-dir'] ? path.resolve(flags['server-dir']) : REPO,
  serverNodeArgs: String(flags['server-node-args']).split(' ').filter(Boolean),
  serverNice: niceOf('server-nice'),
  loadgenNice: niceOf('loadgen-nice'),
  json: flags.json,
};
for (const s of opts.storages) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`--storage: unknown ${s}`);
// Claiming is capped by the agent's maxConcurrentChats, which is at most 100.
if (opts.convsPerAgent > 100) throw new Error('--convs-per-agent: at most 100 (an agent takes at most 100 concurrent chats)');

const runTag = crypto.randomBytes(4).toString('hex');
const requestedConnections = opts.connections;
/** Set in main() once the open-file limit is known: G agent sockets + V visitor sockets = connections. */
let groupCount = 0;
let visitorCount = 0;
/** Visitor i belongs to group (agent) i mod G: every agent holds ≈ --convs-per-agent conversations. */
let groupOf: number[] = [];

function planConnections(connections: number): void {
  groupCount = Math.max(1, Math.ceil(connections / (opts.convsPerAgent + 1)));
  visitorCount = Math.max(0, connections - groupCount);
  groupOf = Array.from({ length: visitorCount }, (_, i) => i % groupCount);
}

// ---------------------------------------------------------------------------------------------
// Child processes (only ours are ever signalled)

const children = new Set<ChildProcess>();
const childArgs = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));

function forkChild(file: string, env: Record<string, string> = {}): ChildProcess {
  const child = fork(path.join(HERE, file), [], { execArgv: childArgs, env: { ...process.env, ...env }, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killChildren(): void {
  for (const child of [...children, ...runningServers]) if (child.exitCode === null) child.kill('SIGKILL');
}
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

/** Resolves with the next IPC message from `child` that matches. */
function nextMessage<T extends FromWorker | { type: string }>(child: ChildProcess, match: (m: T) => boolean, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (!match(m)) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) while waiting`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child ${child.pid}: no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const monoUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(line);

// ---------------------------------------------------------------------------------------------
// Measurement

interface StepReport {
  offered: number;
  durationS: number;
  achieved: number;
  persisted: number | null;
  sent: number;
  delivered: number;
  lost: number;
  errors: Record<string, number>;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** CPU, in % of one core (the machine has os.cpus().length cores). */
  cpu: { server: number; postgres: number | null; loadgen: number; machine: number; other: number };
  genLoopP99: number;
  rssMb: number;
  closes: Record<string, number>;
  passed: boolean;
}

interface TargetResult {
  label: string;
  storage: 'bare' | 'sqlite' | 'postgres';
  setupS: number | null;
  connections: { attempted: number; opened: number; failed: number; failures: Record<string, number>; seconds: number };
  rss: { idleMb: number; connectedMb: number; perConnectionKb: number; peakMb: number };
  steady: StepReport;
  ramp: StepReport[];
  maxSustainable: number;
  maxSustainableAchieved: number;
  peakAchieved: number;
  profile?: string;
  /** CLOCK_MONOTONIC µs windows of the phases, to cut the server profile by phase. */
  windows: { connect: { fromUs: number; toUs: number }; load: { fromUs: number; toUs: number } };
}

interface TargetSpec {
  label: string;
  storage: TargetResult['storage'];
  pid: number;
  /** Every server process measured (two nodes); default [pid]. CPU and RSS are their sums. */
  pids?: number[];
  groups: GroupSpec[];
  expectReplies: boolean;
  pgPids: () => number[];
  setupS: number | null;
}

interface CpuSnapshot {
  t: number;
  server: number;
  loadgen: number;
  postgres: number;
  machine: number;
  self: number;
}

let stepCounter = 0;

const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Other people's processes share these cores: before measuring, wait (bounded) until what
 * runs outside the benchmark uses less than --quiet-cpu % of a core. Returns that figure.
 */
async function waitForQuiet(ours: () => number[]): Promise<number> {
  const t0 = Date.now();
  let said = false;
  for (;;) {
    const m0 = machineCpu().busy;
    const o0 = ours().reduce((s, pid) => s + cpuSeconds(pid), 0) + selfCpu();
    const w0 = performance.now();
    await sleep(2000);
    const wall = (performance.now() - w0) / 1000;
    const other = Math.max(0, ((machineCpu().busy - m0 - (ours().reduce((s, pid) => s + cpuSeconds(pid), 0) + selfCpu() - o0)) / wall) * 100);
    if (other < opts.quietCpu) {
      if (said) log(`    (quiet after ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      return other;
    }
    if ((Date.now() - t0) / 1000 > opts.quietWaitS) {
      log(`    other processes still use ${other.toFixed(0)}% of a core after ${opts.quietWaitS} s; measuring anyway`);
      return other;
    }
    if (!said) log(`    waiting for other processes on the machine to calm down (${other.toFixed(0)}% of a core)…`);
    said = true;
  }
}

async function drive(target: TargetSpec): Promise<Omit<TargetResult, 'profile'>> {
  const serverPids = target.pids ?? [target.pid];
  const serverRssKb = () => serverPids.reduce((n, pid) => n + rssKb(pid), 0);
  await waitForQuiet(() => [...serverPids, ...target.pgPids()]);
  const idleKb = serverRssKb();
  log(`  server RSS idle (before any socket): ${(idleKb / 1024).toFixed(1)} MB`);

  // Load generators: groups round-robin, an agent always with its own visitors.
  const shares = Array.from({ length: opts.workers }, (_, w) => target.groups.filter((_, g) => g % opts.workers === w));
  const workers = shares.map(() => forkChild('worker.ts'));
  if (opts.loadgenNice !== undefined) for (const w of workers) setNice(w.pid!, opts.loadgenNice);
  const totalVisitors = target.groups.reduce((n, g) => n + g.visitors.length, 0);
  const rateShare = shares.map((s) => s.reduce((n, g) => n + g.visitors.length, 0) / Math.max(1, totalVisitors));
  const t0 = performance.now();
  const connectFrom = monoUs();
  const connected = await Promise.all(
    workers.map((w, i) => {
      const answer = nextMessage<FromWorker>(w, (m) => m.type === 'connected', 15 * 60_000);
      const init: ToWorker = {
        type: 'init',
        workerId: i,
        runTag,
        groups: shares[i]!,
        sourceAddresses: opts.sourceAddresses,
        connectConcurrency: Math.ceil(opts.connectConcurrency / opts.workers),
        textBytes: opts.textBytes,
        pingEveryMs: 15_000,
        expectReplies: target.expectReplies,
      };
      w.send(init);
      return answer;
    }),
  );
  const connectS = (performance.now() - t0) / 1000;
  const connectTo = monoUs();
  const attempted = target.groups.reduce((n, g) => n + 1 + g.visitors.length, 0);
  let opened = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  for (const c of connected) {
    if (c.type !== 'connected') continue;
    opened += c.opened;
    failed += c.failed;
    for (const [k, v] of Object.entries(c.failures)) failures[k] = (failures[k] ?? 0) + v;
  }
  log(`  phase A: ${opened}/${attempted} sockets open and authenticated in ${connectS.toFixed(1)} s (${(opened / connectS).toFixed(0)}/s)${failed ? `, ${failed} failed: ${JSON.stringify(failures)}` : ''}`);
  await sleep(3000);
  const connectedKb = serverRssKb();
  const perConnectionKb = opened > 0 ? (connectedKb - idleKb) / opened : 0;
  log(`  server RSS with ${opened} sockets: ${(connectedKb / 1024).toFixed(1)} MB → ${perConnectionKb.toFixed(1)} kB per connection`);

  let peakKb = connectedKb;
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, serverRssKb())), 250);

  const snapshot = (): CpuSnapshot => {
    const m = machineCpu();
    return {
      t: performance.now(),
      server: serverPids.reduce((n, pid) => n + cpuSeconds(pid), 0),
      loadgen: workers.reduce((s, w) => s + cpuSeconds(w.pid!), 0),
      postgres: target.pgPids().reduce((s, pid) => s + cpuSeconds(pid), 0),
      machine: m.busy,
      self: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    };
  };

  const step = async (rate: number, durationS: number): Promise<StepReport> => {
    const stepId = ++stepCounter;
    const durationMs = durationS * 1000;
    const drainMs = Math.max(10_000, 2 * durationMs);
    await waitForQuiet(() => [...serverPids, ...target.pgPids(), ...workers.map((w) => w.pid!)]);
    const answers = workers.map((w) => nextMessage<FromWorker>(w, (m) => m.type === 'step-result' && m.stepId === stepId, durationMs + drainMs + 60_000));
    const before = snapshot();
    workers.forEach((w, i) => w.send({ type: 'step', stepId, rate: rate * rateShare[i]!, durationMs, drainMs } satisfies ToWorker));
    await sleep(durationMs);
    const after = snapshot();
    const rssMb = serverRssKb() / 1024;
    const results = (await Promise.all(answers)) as StepResultMessage[];
    const wall = (after.t - before.t) / 1000;
    const pct = (a: number, b: number) => ((a - b) / wall) * 100;
    const cpu = {
      server: pct(after.server, before.server),
      postgres: target.storage === 'postgres' ? pct(after.postgres, before.postgres) : null,
      loadgen: pct(after.loadgen, before.loadgen),
      machine: pct(after.machine, before.machine),
      other: 0,
    };
    cpu.other = Math.max(0, cpu.machine - cpu.server - (cpu.postgres ?? 0) - cpu.loadgen - pct(after.self, before.self));
    const latency = new Histogram();
    let sent = 0;
    let delivered = 0;
    let deliveredInWindow = 0;
    let ackedInWindow = 0;
    let genLoopP99 = 0;
    const errors: Record<string, number> = {};
    const closes: Record<string, number> = {};
    for (const r of results) {
      latency.merge(r.latency);
      sent += r.sent;
      delivered += r.delivered;
      deliveredInWindow += r.deliveredInWindow;
      ackedInWindow += r.ackedInWindow;
      genLoopP99 = Math.max(genLoopP99, r.loopDelayP99Ms);
      for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.closes)) closes[k] = (closes[k] ?? 0) + v;
    }
    const report: StepReport = {
      offered: rate,
      durationS,
      achieved: deliveredInWindow / durationS,
      persisted: target.expectReplies ? ackedInWindow / durationS : null,
      sent,
      delivered,
      lost: sent - delivered,
      errors,
      p50: latency.percentileMs(0.5),
      p99: latency.percentileMs(0.99),
      p999: latency.percentileMs(0.999),
      max: latency.maxMs(),
      mean: latency.meanMs(),
      cpu,
      genLoopP99,
      rssMb,
      closes,
      passed: false,
    };
    report.passed = report.achieved >= 0.95 * rate && report.p99 <= opts.p99TargetMs;
    log(stepLine(report));
    await sleep(1000);
    return report;
  };

  const loadFrom = monoUs();
  log(`  phase A: steady ${opts.steadyRate} msgs/s for ${opts.steadyDurationS} s while holding ${opened} sockets`);
  log(stepHeader());
  const steady = await step(opts.steadyRate, opts.steadyDurationS);

  log(`  phase B: throughput ramp, ${opts.stepDurationS} s per step (pass: ≥95% of offered delivered in the window and p99 ≤ ${opts.p99TargetMs} ms)`);
  log(stepHeader());
  const ramp: StepReport[] = [];
  let lastPass = 0;
  let lastPassAchieved = 0;
  let firstFail = Number.POSITIVE_INFINITY;
  for (const rate of opts.ramp) {
    const r = await step(rate, opts.stepDurationS);
    ramp.push(r);
    if (r.passed) {
      lastPass = rate;
      lastPassAchieved = r.achieved;
    } else {
      firstFail = rate;
      break;
    }
  }
  for (let i = 0; i < opts.bisect && Number.isFinite(firstFail); i++) {
    const mid = Math.round((lastPass + firstFail) / 2 / 250) * 250;
    if (mid <= lastPass || mid >= firstFail) break;
    const r = await step(mid, opts.stepDurationS);
    ramp.push(r);
    if (r.passed) {
      lastPass = mid;
      lastPassAchieved = r.achieved;
    } else firstFail = mid;
  }
  clearInterval(sampler);
  const loadTo = monoUs();
  const peakAchieved = Math.max(steady.achieved, ...ramp.map((r) => r.achieved));
  log(`  max sustainable: ${lastPass} msgs/s offered (${lastPassAchieved.toFixed(0)} achieved, p99 ≤ ${opts.p99TargetMs} ms); peak achieved ${peakAchieved.toFixed(0)} msgs/s; server peak RSS ${(peakKb / 1024).toFixed(1)} MB`);

  await Promise.all(
    workers.map(async (w) => {
      const bye = nextMessage(w, (m: { type: string }) => m.type === 'closed', 30_000).catch(() => undefined);
      w.send({ type: 'close' } satisfies ToWorker);
      await bye;
    }),
  );
  return {
    label: target.label,
    storage: target.storage,
    setupS: target.setupS,
    connections: { attempted, opened, failed, failures, seconds: connectS },
    rss: { idleMb: idleKb / 1024, connectedMb: connectedKb / 1024, perConnectionKb, peakMb: peakKb / 1024 },
    steady,
    ramp,
    maxSustainable: lastPass,
    maxSustainableAchieved: lastPassAchieved,
    peakAchieved,
    windows: { connect: { fromUs: connectFrom, toUs: connectTo }, load: { fromUs: loadFrom, toUs: loadTo } },
  };
}

const f1 = (n: number | null) => (n === null || Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const f2 = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function stepHeader(): string {
  return `    ${'offered/s'.padStart(9)} ${'achieved/s'.padStart(10)} ${'persist/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'lost'.padStart(6)} ${'errors'.padStart(6)} | CPU % of a core: ${'server'.padStart(6)} ${'pg'.padStart(4)} ${'loadgen'.padStart(7)} ${'other'.padStart(5)} ${'total'.padStart(5)} | ${'gen lag'.padStart(7)} ${'RSS MB'.padStart(6)}`;
}

function stepLine(r: StepReport): string {
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  const mark = r.passed ? '✓' : '✗';
  return `  ${mark} ${String(r.offered).padStart(9)} ${f1(r.achieved).padStart(10)} ${f1(r.persisted).padStart(9)} ${f2(r.p50).padStart(7)} ${f2(r.p99).padStart(7)} ${f2(r.max).padStart(7)} ${String(r.lost).padStart(6)} ${String(errors).padStart(6)} |                  ${f1(r.cpu.server).padStart(6)} ${f1(r.cpu.postgres).padStart(4)} ${f1(r.cpu.loadgen).padStart(7)} ${f1(r.cpu.other).padStart(5)} ${f1(r.cpu.machine).padStart(5)} | ${f2(r.genLoopP99).padStart(7)} ${f1(r.rssMb).padStart(6)}${errors ? `  errors ${JSON.stringify(r.errors)}` : ''}${Object.keys(r.closes).length ? `  closed ${JSON.stringify(r.closes)}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Targets

async function runBare(): Promise<TargetResult> {
  log(`\n=== bare ws relay (baseline: forward each visitor frame to its agent socket, no auth/validation/persistence) ===`);
  const relay = forkChild('relay.ts', { RELAY_PORT: '0' });
  if (opts.serverNice !== undefined) setNice(relay.pid!, opts.serverNice);
  const ready = await nextMessage<{ type: string; port?: number }>(relay, (m) => m.type === 'ready', 30_000);
  const url = (role: string, g: number) => `ws://127.0.0.1:${ready.port}/?role=${role}&group=${g}`;
  const groups: GroupSpec[] = Array.from({ length: groupCount }, (_, g) => ({ agent: { url: url('agent', g), token: 'bare' }, visitors: [] }));
  groupOf.forEach((g, i) => groups[g]!.visitors.push({ url: url('visitor', g), token: 'bare', conversationId: `conv_bare_${i}` }));
  try {
    return await drive({ label: 'bare ws relay', storage: 'bare', pid: relay.pid!, groups, expectReplies: false, pgPids: () => [], setupS: null });
  } finally {
    relay.kill('SIGTERM');
  }
}

async function runFull(storage: 'sqlite' | 'postgres'): Promise<TargetResult> {
  log(`\n=== full stack: Frontdesk server child process on ${storage}${opts.serverDir !== REPO ? ` (server from ${opts.serverDir})` : ''} ===`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `frontdesk-bench-${storage}-`));
  let pg: Postgres | undefined;
  let dbName: string | undefined;
  let dbUrl: string | undefined;
  if (storage === 'postgres') {
    pg = startPostgres(REPO, opts.pgUrl, opts.pgPort, path.join(os.tmpdir(), 'frontdesk-bench-pg'), !opts.pgTcp);
    dbName = `fd_bench_${runTag}`;
    psql(pg.adminUrl, `create database ${dbName}`);
    dbUrl = databaseUrl(pg.adminUrl, dbName);
    log(`  PostgreSQL database ${dbUrl}`);
  }
  const port = await freePort();
  const twoNodes = storage === 'postgres' && opts.nodes === 2;
  const bus = twoNodes ? startBroker(REPO, opts.bus, opts.busPort) : undefined;
  if (bus) log(`  two nodes: bus ${bus.url} (${opts.bus} pid ${bus.pid() ?? '?'})`);
  const extraEnv: Record<string, string> = { ...(opts.poolSize ? { DATABASE_POOL_SIZE: opts.poolSize } : {}), ...(bus ? { FRONTDESK_BUS_URL: bus.url } : {}) };
  const serverOptions: ServerOptions = { repoRoot: opts.serverDir, port, dataDir, databaseUrl: dbUrl, extraEnv };
  const profDir = path.join(dataDir, 'profile');
  try {
    await createAppWithCli(serverOptions);
    log(`  setup: app '${APP_ID}' and its admin created with the CLI; ${groupCount} agents and ${visitorCount} visitors+conversations through REST…`);
    const setupServer = await startServer(serverOptions);
    const setup = await setupFullStack(serverOptions, setupServer, { groups: groupCount, groupOf, convsPerAgent: opts.convsPerAgent, sourceAddresses: opts.sourceAddresses, concurrency: opts.setupConcurrency }, log);
    await setupServer.stop();
    log(`  setup done in ${setup.seconds.toFixed(1)} s; restarting the server so the measured process starts clean${opts.profile ? ' (with --cpu-prof)' : ''}`);

    // One profile per thread is written (tsx's module loader runs in its own); the main thread's is the busiest.
    const server = await startServer({ ...serverOptions, nodeArgs: [...opts.serverNodeArgs, ...(opts.profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])] });
    // Two nodes: the second one on its own port; agent g on node g % 2, visitor i on node i % 2, so
    // half the messages cross from one node to the other on the bus.
    const second = twoNodes ? await startServer({ ...serverOptions, port: await freePort(), nodeArgs: opts.serverNodeArgs }) : undefined;
    if (opts.serverNice !== undefined) for (const s of [server, ...(second ? [second] : [])]) setNice(s.pid, opts.serverNice);
    const nodeUrls = [server, ...(second ? [second] : [])].map((s) => `${s.base.replace('http://', 'ws://')}/v1/ws?appId=${APP_ID}`);
    const groups: GroupSpec[] = setup.agents.map((a, g) => ({ agent: { url: nodeUrls[g % nodeUrls.length]!, token: a.token }, visitors: [] }));
    setup.visitors.forEach((v, i) => groups[v.group]!.visitors.push({ url: nodeUrls[i % nodeUrls.length]!, token: v.token, conversationId: v.conversationId }));
    const pgPids = () => {
      const root = pg?.postmasterPid();
      const broker = bus?.pid();
      return [...(root ? [root, ...childPids(root)] : []), ...(broker ? [broker] : [])];
    };
    let result: TargetResult;
    try {
      const label = twoNodes ? `full stack (${storage}, 2 nodes, ${opts.bus})` : `full stack (${storage})`;
      result = await drive({ label, storage, pid: server.pid, ...(second ? { pids: [server.pid, second.pid] } : {}), groups, expectReplies: true, pgPids, setupS: setup.seconds });
    } finally {
      await Promise.all([server.stop(), second?.stop()]);
    }
    if (opts.profile) {
      const files = fs.existsSync(profDir) ? fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(profDir, f)) : [];
      const file = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
      if (file) {
        const kept = path.join(os.tmpdir(), `frontdesk-bench-${storage}-${runTag}.cpuprofile`);
        fs.copyFileSync(file, kept);
        result.profile = kept;
        log(`  server CPU profile: ${kept}`);
        log(`  --- server profile, phase A connect (${result.connections.opened} sockets open + hello) ---`);
        log(formatProfile(summarizeProfile(file, 20, result.windows.connect)).replace(/^/gm, '  '));
        log('  --- server profile, message load (phase A steady + phase B ramp) ---');
        log(formatProfile(summarizeProfile(file, 30, result.windows.load)).replace(/^/gm, '  '));
      } else log('  (no CPU profile was written)');
    }
    return result;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (pg && dbName) {
      try {
        psql(pg.adminUrl, `drop database if exists ${dbName} with (force)`);
      } catch {
        // best effort
      }
      pg.stop();
    }
    bus?.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Summary

function printSummary(results: TargetResult[]): void {
  const bare = results.find((r) => r.storage === 'bare');
  const cols = results.map((r) => r.label);
  const width = Math.max(22, ...cols.map((c) => c.length + 2));
  const row = (name: string, cells: string[]) => log(`${name.padEnd(34)}${cells.map((c) => c.padStart(width)).join('')}`);
  log(`\n=== summary (${os.cpus().length} cores shared by server, load generator${results.some((r) => r.storage === 'postgres') ? ', PostgreSQL' : ''} and anything else running) ===`);
  row('', cols);
  row('connections held', results.map((r) => `${r.connections.opened}/${r.connections.attempted}`));
  row('connect + hello time', results.map((r) => `${r.connections.seconds.toFixed(1)} s`));
  row('server RSS idle', results.map((r) => `${r.rss.idleMb.toFixed(1)} MB`));
  row('server RSS with all sockets', results.map((r) => `${r.rss.connectedMb.toFixed(1)} MB`));
  row('RSS per connection', results.map((r) => `${r.rss.perConnectionKb.toFixed(1)} kB`));
  row('server RSS peak under load', results.map((r) => `${r.rss.peakMb.toFixed(1)} MB`));
  row(`A: steady offered msgs/s`, results.map((r) => `${r.steady.offered}`));
  row('A: achieved msgs/s', results.map((r) => f1(r.steady.achieved)));
  row('A: persisted msgs/s', results.map((r) => f1(r.steady.persisted)));
  row('A: p50 / p99 / max ms', results.map((r) => `${f2(r.steady.p50)} / ${f2(r.steady.p99)} / ${f2(r.steady.max)}`));
  row('A: server CPU % of a core', results.map((r) => f1(r.steady.cpu.server)));
  row(`B: max sustainable msgs/s (p99≤${opts.p99TargetMs})`, results.map((r) => `${r.maxSustainable}`));
  row('B: peak achieved msgs/s', results.map((r) => f1(r.peakAchieved)));
  if (bare) {
    row('ratio to bare (sustainable)', results.map((r) => (bare.maxSustainable ? `${(r.maxSustainable / bare.maxSustainable).toFixed(2)}×` : '-')));
    row('ratio to bare (peak)', results.map((r) => (bare.peakAchieved ? `${(r.peakAchieved / bare.peakAchieved).toFixed(2)}×` : '-')));
  }
  log('\ntargets (full stack):');
  for (const r of results) {
    if (r.storage === 'bare') continue;
    const ok = (b: boolean) => (b ? 'MET   ' : 'MISSED');
    log(`  ${r.label}:`);
    log(`    ${ok(r.connections.opened >= 20_000 && r.connections.failed === 0)} 20,000 concurrent connections (held ${r.connections.opened}${opts.connections < requestedConnections ? `; capped at ${opts.connections} by the open-file limit` : ''})`);
    const steadyOk = r.steady.offered >= 2000 && (r.steady.persisted ?? 0) >= 0.95 * 2000 && r.steady.p99 < 100;
    log(`    ${ok(steadyOk)} 2,000 persisted msgs/s with p99 < 100 ms while holding them (persisted ${f1(r.steady.persisted)}/s, p99 ${f2(r.steady.p99)} ms; ramp: max sustainable ${r.maxSustainable}/s)`);
    if (bare) {
      const ratio = bare.maxSustainable ? r.maxSustainable / bare.maxSustainable : Number.NaN;
      const peakRatio = bare.peakAchieved ? r.peakAchieved / bare.peakAchieved : Number.NaN;
      log(`    ${ok(ratio >= 0.5)} throughput ≥ 0.5× the bare relay (sustainable ${ratio.toFixed(2)}×, peak ${peakRatio.toFixed(2)}×)`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** File descriptors a server process needs besides its sockets (its own ~30, the PostgreSQL pool, margin). */
const FD_RESERVE = 100;

async function main(): Promise<void> {
  const requested = opts.connections;
  const limit = raiseOpenFileLimit(requested + 2 * FD_RESERVE);
  if (requested + FD_RESERVE > limit) {
    // One server process cannot hold more sockets than its RLIMIT_NOFILE allows.
    opts.connections = Math.floor((limit - FD_RESERVE) / 100) * 100;
  }
  const perWorker = limit - 2 * FD_RESERVE;
  if (opts.connections / opts.workers > perWorker) opts.workers = Math.ceil(opts.connections / perWorker);
  planConnections(opts.connections);
  log(`Frontdesk realtime benchmark  (run ${runTag}, ${new Date().toISOString()})`);
  log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load average ${loadAverage()}`);
  log(`NOTE: the server, the load generator (${opts.workers} worker process${opts.workers > 1 ? 'es' : ''})${opts.storages.includes('postgres') ? ', PostgreSQL' : ''} and anything else running share these ${os.cpus().length} cores;`);
  log(`      CPU figures are % of one core ("other" = busy time of processes outside the benchmark), "gen lag" = load-generator event-loop p99 delay.`);
  log(`load: ${opts.connections} sockets = ${visitorCount} visitors + ${groupCount} agents (one socket each, ~${opts.convsPerAgent} conversations per agent); every socket pings every 15 s;`);
  log(`      visitors send message.send frames (${opts.textBytes}-byte text, round-robin, open loop); latency = visitor send → its agent's socket receives the message.`);
  log(`open-file limit per process ${limit}; source addresses ${opts.sourceAddresses.join(', ')}`);
  if (opts.serverNice !== undefined || opts.loadgenNice !== undefined) log(`priorities (nice): server ${opts.serverNice ?? 'inherited'}, load generator ${opts.loadgenNice ?? 'inherited'}`);
  if (opts.connections < requested) {
    log(`WARNING: ${requested} connections do not fit: every process here may open at most ${limit} files (RLIMIT_NOFILE hard limit,`);
    log(`         which could not be raised: no CAP_SYS_RESOURCE), and the server needs ~${FD_RESERVE} besides its sockets. Running with ${opts.connections}.`);
  }
  if (openFileLimit().soft < opts.connections / opts.workers + FD_RESERVE) log('WARNING: the open-file limit is below the per-worker connection count; sockets will fail to open.');

  const results: TargetResult[] = [];
  if (opts.baseline) results.push(await runBare());
  for (const storage of opts.storages) results.push(await runFull(storage));
  printSummary(results);
  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify({ runTag, options: opts, results }, null, 2));
    log(`\nresults written to ${opts.json}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
