import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { RtpPacket } from 'werift';
import { systemClock } from '../../apps/server/src/platform/clock.ts';
import { createJanusSupervisor } from '../../apps/server/src/modules/calls/media/index.ts';
import { openJanusTransport } from '../../apps/server/src/modules/calls/media/janus/transport.ts';
import { TEST_ICE_ADDRESS, fakeCapture, isInsideMediaNamespace } from '../../e2e/media/media-harness.ts';
import { cpuSeconds, loadAverage, rssKb } from '../realtime/proc.ts';
import { startRtpSource } from './rtp-source.ts';
import { PARTIES, audioBridgeBarge, videoRoomBarge, type AudioSource, type SupervisedCall, type SupervisionSetup } from './supervised-calls.ts';

/**
 * Supervision media bench (issue 14), inside the test network namespace:
 *   npm run calls:supervision -w @frontdesk/bench [-- --calls 5,10,20 --seconds 15 --sampling 48000]
 * For each count N: N concurrent supervised calls with the supervisor in barge (visitor, agent and
 * supervisor each hear the two others; Opus 32 kbit/s from one encode), first as our barge does it
 * (VideoRoom, each party subscribes to the two others: packets forwarded), then with one AudioBridge
 * room per call (each party hears the mix of the two others: decoded, mixed and re-encoded by Janus).
 * One Janus (Debian's, started by our supervisor on loopback), driven straight through janode.
 * Prints Janus's CPU (from /proc, % of one core) above its idle, and what each receiver got: packets/s,
 * payload bytes per packet, and how many packets carry an Opus payload byte-identical to one the source
 * encoded (forwarded) — none for a mix, which is a new Opus stream.
 */
const { values: args } = parseArgs({
  options: { calls: { type: 'string', default: '5,10,20' }, seconds: { type: 'string', default: '15' }, sampling: { type: 'string', default: '48000' } },
});
const callCounts = args.calls.split(',').slice(0, 4).map((n) => Math.max(1, Math.min(30, Number(n) || 1)));
const seconds = Math.max(5, Math.min(60, Number(args.seconds) || 15));
const samplingHz = [8000, 16000, 24000, 48000].includes(Number(args.sampling)) ? Number(args.sampling) : 48000;

if (!isInsideMediaNamespace()) {
  console.error('run me inside the test network namespace: npm run calls:supervision -w @frontdesk/bench (as root)');
  process.exit(2);
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function within<T>(what: string, work: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** % of one core used by `pid` (and by this process: the load generator) over `ms`. */
async function cpuOver(pid: number, ms: number): Promise<{ janus: number; bench: number }> {
  const before = { janus: cpuSeconds(pid), bench: process.cpuUsage() };
  await sleep(ms);
  const bench = process.cpuUsage(before.bench);
  return { janus: ((cpuSeconds(pid) - before.janus) / (ms / 1000)) * 100, bench: ((bench.user + bench.system) / 1000 / ms) * 100 };
}

interface Row {
  setup: string;
  calls: number;
  janusPct: number;
  janusAboveIdlePct: number;
  janusRssMiB: number;
  benchPct: number;
  /** Per receiver (one per party): packets/s min / median / max. */
  rates: { min: number; median: number; max: number };
  streamsPerReceiver: number;
  bytesPerPacket: number;
  forwardedShare: number;
  sourceRate: number;
}

/** The RTP source, and the Opus payloads it encoded lately (to tell forwarded packets from re-encoded ones). */
async function audioSource(): Promise<AudioSource & { packets: { audio: number }; close(): Promise<void> }> {
  const source = await startRtpSource(fakeCapture(440, 'red').audioPath, 0);
  // NOTE: a looped tone encodes to the same payload again and again: count each payload's copies in the
  // window (the last 60 s), so that dropping an old copy does not forget a recent one.
  const recent = new Map<string, number>();
  const order: string[] = [];
  source.onAudio((buf) => {
    const key = RtpPacket.deSerialize(buf).payload.toString('base64');
    recent.set(key, (recent.get(key) ?? 0) + 1);
    order.push(key);
    if (order.length > 3000) {
      const old = order.shift()!;
      const copies = recent.get(old)! - 1;
      if (copies === 0) recent.delete(old);
      else recent.set(old, copies);
    }
  });
  return { ...source, isSourcePayload: (payload) => recent.has(payload.toString('base64')) };
}

async function measure(setup: SupervisionSetup, callCount: number, janusPid: number, idlePct: number, source: Awaited<ReturnType<typeof audioSource>>): Promise<Row> {
  const calls: SupervisedCall[] = [];
  try {
    for (let i = 0; i < callCount; i++) calls.push(await within(`${setup.name} call ${i}`, setup.call(i)));
    await sleep(2000);
    const receivers = calls.flatMap((c) => c.receivers);
    const before = receivers.map((r) => ({ packets: r.packets, bytes: r.payloadBytes, forwarded: r.forwarded }));
    const sourceBefore = source.packets.audio;
    const cpu = await cpuOver(janusPid, seconds * 1000);
    const rss = rssKb(janusPid);
    const deltas = receivers.map((r, i) => ({ packets: r.packets - before[i]!.packets, bytes: r.payloadBytes - before[i]!.bytes, forwarded: r.forwarded - before[i]!.forwarded }));
    const rates = deltas.map((d) => d.packets / seconds).sort((a, b) => a - b);
    const total = deltas.reduce((t, d) => ({ packets: t.packets + d.packets, bytes: t.bytes + d.bytes, forwarded: t.forwarded + d.forwarded }), { packets: 0, bytes: 0, forwarded: 0 });
    return {
      setup: setup.name,
      calls: callCount,
      janusPct: cpu.janus,
      janusAboveIdlePct: cpu.janus - idlePct,
      janusRssMiB: rss / 1024,
      benchPct: cpu.bench,
      rates: { min: rates[0]!, median: rates[Math.floor(rates.length / 2)]!, max: rates[rates.length - 1]! },
      streamsPerReceiver: receivers.reduce((n, r) => n + r.ssrcs.size, 0) / receivers.length,
      bytesPerPacket: total.bytes / Math.max(1, total.packets),
      forwardedShare: total.forwarded / Math.max(1, total.packets),
      sourceRate: (source.packets.audio - sourceBefore) / seconds,
    };
  } finally {
    for (const [i, call] of calls.entries()) await within(`hanging up ${setup.name} call ${i}`, call.hangUp()).catch((err) => console.error(String(err)));
  }
}

function printTable(rows: Row[], idle: number, idleEnd: number): void {
  console.log(`\nJanus idle: ${fmt(idle, 2)} % of one core at the start, ${fmt(idleEnd, 2)} % at the end; AudioBridge mixes at ${samplingHz} Hz; ${seconds} s per measurement`);
  console.log('| calls | parties | setup | Janus CPU (% of one core) | above idle | per call | Janus RSS | packets/s per receiver min / median / max | streams per receiver | bytes per packet | forwarded payloads | source packets/s | bench process CPU |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.calls} | ${r.calls * PARTIES.length} | ${r.setup} | ${fmt(r.janusPct, 1)} | ${fmt(r.janusAboveIdlePct, 1)} | ${fmt(r.janusAboveIdlePct / r.calls, 2)} | ${fmt(r.janusRssMiB, 0)} MiB | ` +
        `${fmt(r.rates.min, 1)} / ${fmt(r.rates.median, 1)} / ${fmt(r.rates.max, 1)} | ${fmt(r.streamsPerReceiver, 1)} | ${fmt(r.bytesPerPacket, 1)} | ${fmt(r.forwardedShare * 100, 1)} % | ${fmt(r.sourceRate, 1)} | ${fmt(r.benchPct, 0)} % |`,
    );
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-supervision-bench-'));
const keepAlive = setInterval(() => {}, 1000);
const source = await audioSource();
const supervisor = createJanusSupervisor({ dataDir: tmp, iceEnforceList: TEST_ICE_ADDRESS, rtpPortRange: '20000-29999', clock: systemClock, log: pino({ level: 'error' }) });
console.log(`supervision bench: ${callCounts.join(', ')} calls of ${PARTIES.length} parties (barge), ${seconds} s each; load average ${loadAverage()}`);
try {
  const { url, apiSecret } = await supervisor.start();
  const transport = await openJanusTransport({ url, apiSecret });
  const janusPid = supervisor.pid()!;
  try {
    const setups = [videoRoomBarge(transport, source, 1000), audioBridgeBarge(transport, source, 2000, samplingHz)];
    // Warm-up: one call of each (the first peer connections of a process are slower).
    for (const setup of setups) await within(`${setup.name} warm-up`, setup.call(99).then((c) => c.hangUp()));
    const idle = (await cpuOver(janusPid, 5000)).janus;
    console.log(`Janus idle ${fmt(idle, 2)} % of one core`);
    const rows: Row[] = [];
    for (const callCount of callCounts) {
      for (const setup of setups) {
        const row = await measure(setup, callCount, janusPid, idle, source);
        console.log(`  ${row.calls} calls, ${row.setup}: Janus ${fmt(row.janusPct, 1)} % (load average ${loadAverage()})`);
        rows.push(row);
        await sleep(1000);
      }
    }
    const idleEnd = (await cpuOver(janusPid, 5000)).janus;
    printTable(rows, idle, idleEnd);
    console.log(`load average at the end ${loadAverage()}`);
  } finally {
    await transport.close();
  }
} finally {
  await supervisor.stop();
  await source.close();
  clearInterval(keepAlive);
  fs.rmSync(tmp, { recursive: true, force: true });
}
// NOTE: werift leaves the UDP sockets and timers of closed peers open; without this the bench never exits.
process.exit(0);
