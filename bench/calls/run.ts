import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fakeCapture, isInsideMediaNamespace, startTestJanus } from '../../e2e/media/media-harness.ts';
import { cpuSeconds, loadAverage, rssKb } from '../realtime/proc.ts';
import { runningServers } from '../realtime/fullstack.ts';
import { startRtpSource, type RtpSource } from './rtp-source.ts';
import { bareJanus, fullStack, type LiveCall, type Stack } from './stacks.ts';

/**
 * Calls bench, inside the test network namespace:
 *   npm run calls -w @frontdesk/bench [-- --calls 10 --seconds 20 --repeats 20]
 * The same werift parties (Opus 32 kbit/s + VP8 600 kbit/s each way) on bare Janus (our MediaServer
 * port, no Frontdesk) and through the full stack (server process, its Janus, WebSocket signalling),
 * one after the other in this run:
 * 1. accept → media: `--repeats` calls one at a time, then the `--calls` of step 2 as they are set up;
 *    from the accept to both parties receiving the other's audio and video. p50, p95.
 * 2. load: `--calls` concurrent 1:1 calls held for `--seconds`: CPU of Janus per call (above its idle)
 *    and of our server per call (all of it, idle included), our server's CPU to set up and hang up a
 *    call, and how many calls held steady quality (each direction received ≥ 90 % of the audio and
 *    video packets sent).
 * Targets (issue 12): accept → media p95 ≤ 1.5 s; our server's CPU per call ≤ 10 % of Janus's; calls
 * held ≥ 0.8 × bare Janus.
 */
const { values: args } = parseArgs({
  options: { calls: { type: 'string', default: '10' }, seconds: { type: 'string', default: '20' }, repeats: { type: 'string', default: '20' } },
});
const callCount = Math.max(1, Math.min(50, Number(args.calls)));
const seconds = Math.max(5, Math.min(120, Number(args.seconds)));
const repeats = Math.max(1, Math.min(100, Number(args.repeats)));
const HELD_FRACTION = 0.9;

if (!isInsideMediaNamespace()) {
  console.error('run me inside the test network namespace: npm run calls -w @frontdesk/bench (as root)');
  process.exit(2);
}

const repoRoot = path.resolve(import.meta.dirname, '../..');
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A call that does not come up (or end) within 30 s fails the run instead of hanging it. */
function within<T>(what: string, work: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Figures {
  acceptToMedia: number[];
  /** % of one core, per concurrent call, above idle. */
  janusPerCall: number;
  serverPerCall?: number;
  /** Our server's CPU-ms to set up and hang up one call (signalling, state, records). */
  serverSetupMsPerCall?: number;
  janusRssPerCallMiB: number;
  held: number;
  slowest: { audio: number; video: number; videoKbps: number };
  source: { audio: number; video: number };
}

/** CPU seconds of each pid over `ms`, as % of one core. */
async function cpuOver(pids: number[], ms: number): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  await sleep(ms);
  return pids.map((pid, i) => ((cpuSeconds(pid) - before[i]!) / (ms / 1000)) * 100);
}

async function measure(stack: Stack, source: RtpSource): Promise<Figures> {
  const janus = stack.janusPid();
  const pids = stack.serverPid ? [janus, stack.serverPid] : [janus];
  const log = (line: string) => console.log(`  [${stack.name}] ${line}`);

  // Warm-up (the first peer connections of a process are slower), idle, then one call at a time.
  for (let i = 0; i < 2; i++) await within('a warm-up call', stack.call(i % callCount).then((c) => c.hangUp()));
  const idle = await cpuOver(pids, 5000);
  const idleRss = rssKb(janus);
  log(`idle: Janus ${fmt(idle[0]!, 2)} %` + (stack.serverPid ? `, our server ${fmt(idle[1]!, 2)} % of a core` : ''));
  const acceptToMedia: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const call = await within(`call ${i}`, stack.call(i % callCount));
    acceptToMedia.push(call.acceptToMediaMs);
    await within(`hanging up call ${i}`, call.hangUp());
  }
  log(`${repeats} calls one at a time: accept → media p50 ${fmt(percentile(acceptToMedia, 50))} ms`);

  // Load: the calls set up one after another, all held together.
  const serverBefore = stack.serverPid ? cpuSeconds(stack.serverPid) : 0;
  const calls: LiveCall[] = [];
  for (let i = 0; i < callCount; i++) {
    const call = await within(`concurrent call ${i}`, stack.call(i));
    acceptToMedia.push(call.acceptToMediaMs);
    calls.push(call);
  }
  const serverSetup = stack.serverPid ? cpuSeconds(stack.serverPid) - serverBefore : 0;
  log(`${callCount} calls up with media`);
  await sleep(2000); // the video bitrate settles
  const before = calls.flatMap((c) => c.subscribers.map((s) => ({ ...s.received })));
  const sourceBefore = { ...source.packets };
  const load = await cpuOver(pids, seconds * 1000);
  const rss = rssKb(janus);
  const sent = { audio: (source.packets.audio - sourceBefore.audio) / seconds, video: (source.packets.video - sourceBefore.video) / seconds };
  const rates = calls.flatMap((c) => c.subscribers).map((s, i) => ({
    audio: (s.received.audio - before[i]!.audio) / seconds,
    video: (s.received.video - before[i]!.video) / seconds,
    videoKbps: ((s.received.videoBytes - before[i]!.videoBytes) * 8) / seconds / 1000,
  }));
  const steady = (r: (typeof rates)[number]) => r.audio >= HELD_FRACTION * sent.audio && r.video >= HELD_FRACTION * sent.video;
  const held = calls.filter((_, i) => steady(rates[2 * i]!) && steady(rates[2 * i + 1]!)).length;

  const teardownBefore = stack.serverPid ? cpuSeconds(stack.serverPid) : 0;
  for (const [i, call] of calls.entries()) await within(`hanging up concurrent call ${i}`, call.hangUp());
  const serverTeardown = stack.serverPid ? cpuSeconds(stack.serverPid) - teardownBefore : 0;
  return {
    acceptToMedia,
    janusPerCall: (load[0]! - idle[0]!) / callCount,
    // Our server's whole CPU while it holds the calls (its idle timers included): an upper bound.
    ...(stack.serverPid ? { serverPerCall: load[1]! / callCount, serverSetupMsPerCall: ((serverSetup + serverTeardown) * 1000) / callCount } : {}),
    janusRssPerCallMiB: (rss - idleRss) / 1024 / callCount,
    held,
    slowest: { audio: Math.min(...rates.map((r) => r.audio)), video: Math.min(...rates.map((r) => r.video)), videoKbps: Math.min(...rates.map((r) => r.videoKbps)) },
    source: sent,
  };
}

function report(name: string, f: Figures): void {
  console.log(
    `${name}: accept → media p50 ${fmt(percentile(f.acceptToMedia, 50))} ms, p95 ${fmt(percentile(f.acceptToMedia, 95))} ms (${f.acceptToMedia.length} calls); ` +
      `${callCount} concurrent calls for ${seconds} s: Janus ${fmt(f.janusPerCall, 2)} % of a core and ${fmt(f.janusRssPerCallMiB, 1)} MiB per call` +
      (f.serverPerCall !== undefined ? `, our server ${fmt(f.serverPerCall, 3)} % of a core per call held and ${fmt(f.serverSetupMsPerCall!, 1)} CPU-ms per call set up and hung up` : '') +
      `; held at steady quality ${f.held}/${callCount}; slowest direction ${fmt(f.slowest.audio)} audio and ${fmt(f.slowest.video)} video packets/s, ${fmt(f.slowest.videoKbps)} kbit/s (sent ${fmt(f.source.audio)} and ${fmt(f.source.video)})`,
  );
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-calls-bench-'));
const keepAlive = setInterval(() => {}, 1000);
const source = await startRtpSource(fakeCapture(440, 'red').audioPath);
console.log(`calls bench: ${callCount} calls, ${seconds} s, ${repeats} sequential calls; load average ${loadAverage()}`);
try {
  fs.mkdirSync(path.join(tmp, 'bare'));
  const media = await startTestJanus(path.join(tmp, 'bare'));
  let bare: Figures;
  try {
    bare = await measure(bareJanus(media, source), source);
  } finally {
    await media.close();
  }
  const stack = await fullStack(repoRoot, path.join(tmp, 'full'), callCount, source);
  let full: Figures;
  try {
    full = await measure(stack, source);
  } finally {
    await stack.close();
  }
  report('bare Janus (baseline)', bare);
  report('full stack           ', full);
  const p95 = percentile(full.acceptToMedia, 95);
  const cpuRatio = full.serverPerCall! / full.janusPerCall;
  // Over a call of one minute: its set-up and hang-up plus a minute held, against Janus's minute.
  const minuteRatio = (full.serverSetupMsPerCall! / 1000 + (full.serverPerCall! / 100) * 60) / ((full.janusPerCall / 100) * 60);
  console.log(
    `ratios: accept → media p95 ${fmt(p95)} ms (target ≤ 1500 ms; bare Janus ${fmt(percentile(bare.acceptToMedia, 95))} ms); ` +
      `our server's CPU per call held / Janus's ${fmt(cpuRatio * 100, 1)} % (target ≤ 10 %), over a one-minute call with its set-up and hang-up ${fmt(minuteRatio * 100, 1)} %; ` +
      `calls held ${full.held}/${bare.held} = ${fmt(full.held / Math.max(1, bare.held), 2)} × bare Janus (target ≥ 0.8)`,
  );
} finally {
  await source.close();
  for (const child of runningServers) child.kill('SIGKILL');
  clearInterval(keepAlive);
  fs.rmSync(tmp, { recursive: true, force: true });
}
// NOTE: werift leaves the UDP sockets and timers of closed peers open; without this the bench never exits.
process.exit(0);
