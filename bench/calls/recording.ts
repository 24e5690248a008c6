import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { fakeCapture, isInsideMediaNamespace } from '../../e2e/media/media-harness.ts';
import { listRecordedTracks } from '../../apps/server/src/modules/recordings/processing/mjr-tracks.ts';
import { decodedExtensionOf, janusPpRecArgs, OUTPUT_FPS } from '../../apps/server/src/modules/recordings/processing/recording-plan.ts';
import { APP_ID, runningServers } from '../realtime/fullstack.ts';
import { api, sleep } from '../realtime/http.ts';
import { childrenCpuSeconds, cpuSeconds, loadAverage } from '../realtime/proc.ts';
import { startRtpSource } from './rtp-source.ts';
import { fullStack } from './stacks.ts';

/**
 * Recording bench, inside the test network namespace: `--recordings` recorded 1:1 video calls of
 * `--seconds` each (werift parties, Opus + VP8 640×360 at 600 kbit/s each way), one at a time,
 * through the full stack (the real server process and its Janus, the channel set to audio_video).
 * For each: the time from the hang-up's reply to the recording being `ready` (GET /v1/recordings),
 * and the CPU the server spent on it (its own and its children's: janus-pp-rec, ffprobe, ffmpeg),
 * against the same tools run by hand on a copy of the same `.mjr` tracks in this process
 * (janus-pp-rec per track, then one ffmpeg with a plain graph: the videos side by side, the audios
 * mixed, no alignment, the mixed file only — see byHand).
 *   npm run calls:recording -w @frontdesk/bench [-- --recordings 5 --seconds 60]
 * Targets (issue 13): ready ≤ 10 s after the hang-up; CPU over the by-hand run ≤ 20 %.
 */
const { values: args } = parseArgs({ options: { recordings: { type: 'string', default: '5' }, seconds: { type: 'string', default: '60' } } });
const count = Math.max(1, Math.min(20, Number(args.recordings)));
const seconds = Math.max(5, Math.min(300, Number(args.seconds)));
const run = promisify(execFile);

if (!isInsideMediaNamespace()) {
  console.error('run me inside the test network namespace: npm run calls:recording -w @frontdesk/bench (as root)');
  process.exit(2);
}

/** A call that has not come up by then stops the run (its summary covers the calls done). */
const CALL_SETUP_LIMIT_MS = 60_000;
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const selfChildrenCpu = () => childrenCpuSeconds(process.pid);

/**
 * The baseline: the same tools by hand on the same tracks, the plain way — janus-pp-rec per track,
 * then one ffmpeg that puts the two videos side by side and mixes the two audios (no alignment by
 * first packet, no held first picture, no per-participant files), with the server's encoder
 * settings (x264 ultrafast, 15 fps, AAC 96 kbit/s).
 */
async function byHand(rawDir: string, workDir: string): Promise<{ cpuS: number; wallMs: number }> {
  fs.mkdirSync(workDir, { recursive: true });
  const before = selfChildrenCpu();
  const t0 = performance.now();
  const recorded = await listRecordedTracks(rawDir);
  const parties = [...new Set(recorded.map((t) => t.participantId))];
  // Each party's first audio and video track: visitor audio, visitor video, agent audio, agent video.
  const tracks = parties.flatMap((id) => (['audio', 'video'] as const).map((kind) => recorded.find((t) => t.participantId === id && t.kind === kind)));
  if (tracks.length !== 4 || tracks.some((t) => !t)) throw new Error(`by hand: expected an audio and a video track for each of two parties in ${rawDir}`);
  const inputs: string[] = [];
  for (const [i, t] of tracks.entries()) {
    const out = path.join(workDir, `t${i}.${decodedExtensionOf(t!.codec)}`);
    await run('janus-pp-rec', janusPpRecArgs(t!.file, out));
    inputs.push(out);
  }
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...inputs.flatMap((f) => ['-i', f])],
    ...['-filter_complex', '[1:v][3:v]hstack=inputs=2[v];[0:a][2:a]amix=inputs=2:normalize=0[a]'],
    ...['-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-r', String(OUTPUT_FPS), '-map', '[a]', '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-movflags', '+faststart', 'mixed.mp4'],
  ], { cwd: workDir });
  return { cpuS: selfChildrenCpu() - before, wallMs: performance.now() - t0 };
}

/**
 * Where the seconds after the call's end went, from the server's own records (its SQLite file, read
 * only): when the attempt that made the files began after the call's end (the first attempt's delay,
 * the wait for Janus's last writes, the worker's pick-up) and how long it ran (janus-pp-rec, ffmpeg,
 * storing the files).
 */
function jobTimeline(dataDir: string, recordingId: string): { startAfterEndMs: number; attemptMs: number; tries: number } | null {
  const db = new Database(path.join(dataDir, 'frontdesk.db'), { readonly: true });
  try {
    const rec = db.prepare('SELECT call_ended_at FROM recordings WHERE id = ?').get(recordingId) as { call_ended_at: number } | undefined;
    const job = db.prepare('SELECT id, attempts FROM jobs WHERE dedupe_key = ?').get(recordingId) as { id: string; attempts: number } | undefined;
    const attempt = job && (db.prepare('SELECT at, latency_ms FROM job_attempts WHERE job_id = ? ORDER BY at DESC LIMIT 1').get(job.id) as { at: number; latency_ms: number } | undefined);
    if (!rec || !job || !attempt) return null;
    return { startAfterEndMs: Number(attempt.at) - Number(rec.call_ended_at), attemptMs: Number(attempt.latency_ms), tries: job.attempts };
  } finally {
    db.close();
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-recording-bench-'));
const keepAlive = setInterval(() => {}, 1000);
const source = await startRtpSource(fakeCapture(440, 'red').audioPath);
console.log(`recording bench: ${count} recorded calls of ${seconds} s, one at a time; load average ${loadAverage()}`);
try {
  const dataDir = path.join(tmp, 'full');
  // NOTE: one agent and conversation per recorded call: an agent just out of a call is in wrap-up.
  const stack = await fullStack(path.resolve(import.meta.dirname, '../..'), dataDir, count, source);
  try {
    const serverPid = stack.serverPid!;
    const url = stack.baseUrl!;
    const admin = await api<{ token: string }>(url, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: 'bench-password-1' } });
    await api(url, 'PUT', '/v1/recording-policies/channel/default', { token: admin.token, body: { mode: 'audio_video' } });
    const readyMs: number[] = [];
    const ourCpu: number[] = [];
    const handCpu: number[] = [];
    const handWallMs: number[] = [];
    for (let i = 0; i < count; i++) {
      const call = await Promise.race([stack.call(i), sleep(CALL_SETUP_LIMIT_MS).then(() => undefined)]);
      if (!call) {
        console.log(`  call ${i + 1} did not come up within ${CALL_SETUP_LIMIT_MS / 1000} s: the run stops here`);
        process.exitCode = 1;
        break;
      }
      const before = call.subscribers.map((x) => x.received.video);
      // The last seconds of the call, polled as the ready wait below polls: the server's own CPU per second
      // of idling and answering this bench, to tell the post-processing's own share from it.
      const calibrateMs = Math.min(5000, (seconds * 1000) / 2);
      await sleep(seconds * 1000 - calibrateMs);
      const calibrationCpu = cpuSeconds(serverPid);
      const c0 = performance.now();
      while (performance.now() - c0 < calibrateMs) {
        await api(url, 'GET', '/v1/recordings?limit=1', { token: admin.token });
        await sleep(200);
      }
      const pollingCpuPerS = (cpuSeconds(serverPid) - calibrationCpu) / ((performance.now() - c0) / 1000);
      // NOTE: the RTP source (one ffmpeg encode) falls behind real time on a loaded machine: then the call carries less media than its length.
      const videoRate = Math.min(...call.subscribers.map((x, k) => (x.received.video - before[k]!) / seconds));
      const selfBefore = cpuSeconds(serverPid);
      const toolsBefore = childrenCpuSeconds(serverPid);
      // Ready is timed from the hang-up request (its signalling included: a conservative figure).
      // NOTE: closing werift peers can stall on a loaded machine; the call has ended by then, so it is not waited for past 15 s.
      const t0 = performance.now();
      await Promise.race([call.hangUp(), sleep(15_000)]);
      const { recordings } = await api<{ recordings: { id: string; status: string; durationMs: number | null }[] }>(url, 'GET', '/v1/recordings?limit=1', { token: admin.token });
      const recording = recordings[0]!;
      // A copy of the raw tracks for the by-hand run (the job deletes them once the files are made).
      const copy = path.join(tmp, `raw-${i}`);
      fs.cpSync(path.join(dataDir, 'recordings', 'raw', recording.id), copy, { recursive: true });
      let current = recording;
      while (current.status !== 'ready') {
        if (current.status === 'failed' || performance.now() - t0 > 120_000) throw new Error(`recording ${current.id} is ${current.status}`);
        await sleep(200);
        current = await api(url, 'GET', `/v1/recordings/${recording.id}`, { token: admin.token });
      }
      const ready = performance.now() - t0;
      const tools = childrenCpuSeconds(serverPid) - toolsBefore;
      // NOTE: the server's own CPU over the span includes its idle timers and answering this bench's polls (every 200 ms).
      const self = cpuSeconds(serverPid) - selfBefore;
      const cpu = tools + self;
      const { cpuS: hand, wallMs: handWall } = await byHand(copy, path.join(tmp, `hand-${i}`));
      handWallMs.push(handWall);
      const timeline = jobTimeline(dataDir, recording.id);
      readyMs.push(ready);
      ourCpu.push(cpu / (current.durationMs! / 60_000));
      handCpu.push(hand / (current.durationMs! / 60_000));
      console.log(
        `  call ${i + 1}: ${fmt(current.durationMs! / 1000, 1)} s recorded (video received ${fmt(videoRate)} packets/s); ready ${fmt(ready)} ms after the hang-up; ` +
          `server ${fmt(cpu, 2)} CPU s (tools ${fmt(tools, 2)}, its own ${fmt(self, 2)}, of which ${fmt((pollingCpuPerS * ready) / 1000, 2)} idling and answering the bench's polls at the rate measured in the call's last ${fmt(calibrateMs / 1000)} s); by hand (plain graph) ${fmt(hand, 2)} CPU s in ${fmt(handWall)} ms: overhead ${fmt((cpu / hand - 1) * 100, 1)} %; load average ${loadAverage()}` +
          (timeline ? `\n    the attempt that made the files began ${timeline.startAfterEndMs} ms after the call's end (run ${timeline.tries} of its job: any before found Janus still writing) and ran ${timeline.attemptMs} ms` : ''),
      );
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    if (readyMs.length > 0) console.log(
      `recording ready after hang-up: p50 ${fmt(percentile(readyMs, 50))} ms, p95 ${fmt(percentile(readyMs, 95))} ms (target ≤ 10000 ms); ` +
        `by hand (plain graph) p50 ${fmt(percentile(handWallMs, 50))} ms, p95 ${fmt(percentile(handWallMs, 95))} ms of processing;\n` +
        `post-processing CPU s per call minute: server p50 ${fmt(percentile(ourCpu, 50), 2)}, p95 ${fmt(percentile(ourCpu, 95), 2)}, mean ${fmt(mean(ourCpu), 2)}; ` +
        `by hand (plain graph) p50 ${fmt(percentile(handCpu, 50), 2)}, p95 ${fmt(percentile(handCpu, 95), 2)}, mean ${fmt(mean(handCpu), 2)}: ` +
        `overhead ${fmt((mean(ourCpu) / mean(handCpu) - 1) * 100, 1)} % (target ≤ 20 %); load average at the end ${loadAverage()}`,
    );
  } finally {
    await stack.close();
  }
} catch (err) {
  console.error('recording bench failed:', err);
  process.exitCode = 1;
} finally {
  await source.close();
  for (const child of runningServers) child.kill('SIGKILL');
  clearInterval(keepAlive);
  if (process.env.KEEP_BENCH_FILES) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
