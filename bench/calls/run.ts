import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fakeCapture, isInsideMediaNamespace, startTestJanus } from '../../e2e/media/media-harness.ts';
import { publishPeer, subscribePeer, type PublisherPeer, type SubscriberPeer } from './peer.ts';
import { startRtpSource } from './rtp-source.ts';

/**
 * Calls bench (building blocks; the full bench comes later). Inside the test network namespace:
 *   npm run calls -w @frontdesk/bench [-- --calls 10 --seconds 20 --repeats 7]
 * 1. First media: a werift publisher joins a room, a werift subscriber subscribes right after;
 *    times from the publish call to the publisher connected and to the subscriber's first RTP.
 * 2. Load: `--calls` concurrent 1:1 calls (2 publishers + 2 subscribers each, Opus 32 kbit/s + VP8 600 kbit/s),
 *    Janus CPU (% of one core) and RSS against the same Janus idle, per call.
 */
const { values: args } = parseArgs({
  options: { calls: { type: 'string', default: '10' }, seconds: { type: 'string', default: '20' }, repeats: { type: 'string', default: '7' } },
});
const callCount = Math.min(50, Number(args.calls));
const seconds = Math.min(120, Number(args.seconds));
const repeats = Math.min(20, Math.max(1, Number(args.repeats)));

if (!isInsideMediaNamespace()) {
  console.error('run me inside the test network namespace: npm run calls -w @frontdesk/bench (as root)');
  process.exit(2);
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15 of the full line)
}
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}
async function cpuPercent(pid: number, windowMs: number): Promise<number> {
  const before = cpuTicks(pid);
  const selfBefore = process.cpuUsage();
  await new Promise((r) => setTimeout(r, windowMs));
  lastSelfCpuPercent = ((process.cpuUsage(selfBefore).user + process.cpuUsage(selfBefore).system) / 1000 / windowMs) * 100;
  return ((cpuTicks(pid) - before) / clockTicks / (windowMs / 1000)) * 100;
}
let lastSelfCpuPercent = 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-calls-bench-'));
const keepAlive = setInterval(() => {}, 1000);
const media = await startTestJanus(dataDir);
const pid = media.supervisor.pid()!;
const source = await startRtpSource(fakeCapture(440, 'red').audioPath);

try {
  // Idle baseline: Janus with its session, no room.
  const idleCpu = await cpuPercent(pid, 3000);
  const idleRss = rssMiB(pid);
  console.log(`Janus idle: ${fmt(idleCpu, 1)} % of a core, RSS ${fmt(idleRss, 1)} MiB`);

  // 1. First media.
  const rows: { connected: number; firstAudio: number; firstVideo: number; subConnected: number }[] = [];
  for (let i = 0; i < repeats; i++) {
    const room = await media.createRoom({ callId: `first-${i}` });
    const t0 = performance.now();
    const pub = await publishPeer(media, room, 'p');
    source.add(pub);
    const sub = await subscribePeer(media, room, 's', 'p');
    const subStartMs = performance.now() - t0;
    const [subConnected, firstAudio, firstVideo] = await Promise.all([sub.connectedAfterMs, sub.firstRtpAfterMs.audio, sub.firstRtpAfterMs.video]);
    rows.push({ connected: pub.connectedAfterMs, subConnected: subStartMs + subConnected, firstAudio: subStartMs + firstAudio, firstVideo: subStartMs + firstVideo });
    source.remove(pub);
    await Promise.all([pub.close(), sub.close()]);
    await media.destroyRoom(room);
  }
  // NOTE: the first one or two peer connections of a process take ~1 s more (werift and Janus warming up).
  const describe = (label: string, rs: typeof rows) =>
    console.log(
      `first media, ${label} (from the publish call): publisher connected ${fmt(median(rs.map((r) => r.connected)))} ms, ` +
        `subscriber connected ${fmt(median(rs.map((r) => r.subConnected)))} ms, first RTP at the subscriber: audio ${fmt(median(rs.map((r) => r.firstAudio)))} ms, ` +
        `video ${fmt(median(rs.map((r) => r.firstVideo)))} ms`,
    );
  describe('cold (first call of the process)', rows.slice(0, 1));
  if (rows.length > 2) describe(`warm (median of ${rows.length - 2}, after 2 warm-up calls)`, rows.slice(2));

  // 2. Load: concurrent 1:1 calls.
  const pubs: PublisherPeer[] = [];
  const subs: SubscriberPeer[] = [];
  const setupStart = performance.now();
  for (let i = 0; i < callCount; i++) {
    const room = await media.createRoom({ callId: `load-${i}` });
    const [v, a] = await Promise.all([publishPeer(media, room, 'visitor'), publishPeer(media, room, 'agent')]);
    source.add(v);
    source.add(a);
    pubs.push(v, a);
    subs.push(await subscribePeer(media, room, 'agent', 'visitor'), await subscribePeer(media, room, 'visitor', 'agent'));
  }
  await Promise.all(subs.map((s) => Promise.all([s.firstRtpAfterMs.audio, s.firstRtpAfterMs.video])));
  console.log(`${callCount} calls up with media in ${fmt(performance.now() - setupStart)} ms; ${JSON.stringify(media.health()[0])}`);
  await new Promise((r) => setTimeout(r, 2000)); // let the video bitrate settle
  const receivedBefore = subs.map((s) => ({ ...s.received }));
  const sourceBefore = { ...source.packets };
  const loadCpu = await cpuPercent(pid, seconds * 1000);
  const loadRss = rssMiB(pid);
  const rates = subs.map((s, i) => ({
    audio: (s.received.audio - receivedBefore[i]!.audio) / seconds,
    video: (s.received.video - receivedBefore[i]!.video) / seconds,
    videoKbps: ((s.received.videoBytes - receivedBefore[i]!.videoBytes) * 8) / seconds / 1000,
  }));
  const minAudio = Math.min(...rates.map((r) => r.audio));
  const minVideo = Math.min(...rates.map((r) => r.video));
  const minVideoKbps = Math.min(...rates.map((r) => r.videoKbps));
  console.log(
    `load: ${callCount} 1:1 calls for ${seconds} s: Janus ${fmt(loadCpu, 1)} % of a core, RSS ${fmt(loadRss, 1)} MiB → per call ` +
      `${fmt((loadCpu - idleCpu) / callCount, 2)} % of a core and ${fmt((loadRss - idleRss) / callCount, 1)} MiB; ` +
      `this process (werift peers + fan-out) ${fmt(lastSelfCpuPercent, 0)} % of a core; ` +
      `slowest subscriber received ${fmt(minAudio)} audio and ${fmt(minVideo)} video packets/s (${fmt(minVideoKbps)} kbit/s of VP8 payload; the source sent ${fmt((source.packets.audio - sourceBefore.audio) / seconds)} and ${fmt((source.packets.video - sourceBefore.video) / seconds)})`,
  );
  await Promise.all([...pubs, ...subs].map((p) => p.close()));
} finally {
  await source.close();
  await media.close();
  clearInterval(keepAlive);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
