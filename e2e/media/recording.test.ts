import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMediaServer, MediaRoomRef } from '../../apps/server/src/modules/calls/media/index.ts';
import { listRecordedTracks } from '../../apps/server/src/modules/recordings/processing/mjr-tracks.ts';
import { postProcessRecording, type PostProcessResult } from '../../apps/server/src/modules/recordings/processing/post-processor.ts';
import { childrenCpuSeconds } from '../../bench/realtime/proc.ts';
import type { CallClientWindow } from './call-client.ts';
import { assertInsideMediaNamespace, launchParty, startTestJanus, type Party } from './media-harness.ts';
import { startSignallingRelay, type SignallingRelay } from './signalling-relay.ts';

const run = promisify(execFile);
const CALL_MS = 20_000;

/** CPU seconds of the tools this process ran and waited for. */
const childCpuSeconds = () => childrenCpuSeconds(process.pid);

async function ffprobe(file: string): Promise<{ streams: { codec_type: string; codec_name: string }[]; format: { duration: string } }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name:format=duration', '-of', 'json', file]);
  return JSON.parse(stdout);
}

/** Power of each frequency in the decoded audio (mono, 16 kHz), by the Goertzel algorithm over the whole file. */
async function tonePowers(file: string, frequencies: number[]): Promise<Record<number, number>> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a', '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const samples = new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.byteLength / 4));
  const out: Record<number, number> = {};
  for (const hz of frequencies) {
    const k = (2 * Math.cos((2 * Math.PI * hz) / 16000));
    let s1 = 0;
    let s2 = 0;
    for (const x of samples) {
      const s0 = x + k * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    out[hz] = (s1 * s1 + s2 * s2 - k * s1 * s2) / samples.length;
  }
  return out;
}

/** Black intervals ffmpeg finds in the first second of the video. */
async function blackInFirstSecond(file: string): Promise<string[]> {
  const { stderr } = await run('ffmpeg', ['-v', 'info', '-i', file, '-t', '1', '-map', '0:v', '-vf', 'blackdetect=d=0.05:pix_th=0.10', '-f', 'null', '-']);
  return stderr.split('\n').filter((l) => l.includes('black_start'));
}

/**
 * A recorded 20 s call through our MediaServer port and the real Janus: A (visitor, 440 Hz, red) and
 * B (agent, 880 Hz, green) publish and subscribe to each other; Janus records each track; the
 * post-processing makes the mixed file and one per participant, checked by their content.
 */
describe('a recorded call, post-processed and checked by content', () => {
  let dataDir: string;
  let media: LocalMediaServer;
  let room: MediaRoomRef;
  let relay: SignallingRelay;
  let a: Party;
  let b: Party;
  /** When the call ended, and when each party's publisher leg was connected (its recording's start), by this process's clock. */
  let endedAt = 0;
  const connectedAt = new Map<string, number>();
  let result: PostProcessResult;
  const recordingDir = () => path.join(dataDir, 'raw');

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-recording-'));
    fs.mkdirSync(recordingDir());
    media = await startTestJanus(dataDir);
    room = await media.createRoom({ callId: 'call-rec', record: true, recordingDir: recordingDir() });
    relay = await startSignallingRelay(media, () => room);
    [a, b] = await Promise.all([
      launchParty({ participantId: 'visitor:v1', toneHz: 440, colour: 'red', pageUrl: relay.pageUrl, signalUrl: relay.signalUrl }),
      launchParty({ participantId: 'agent:a1', toneHz: 880, colour: 'green', pageUrl: relay.pageUrl, signalUrl: relay.signalUrl }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await relay?.close();
    await media?.close();
    if (!process.env.KEEP_RECORDING_TEST) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a 20 s call: Janus writes an audio and a video track per participant', async () => {
    const startedAt = Date.now();
    await Promise.all(
      [a, b].map(async (party, i) => {
        await party.page.evaluate(() => (window as unknown as CallClientWindow).__call.publish());
        connectedAt.set(i === 0 ? 'visitor:v1' : 'agent:a1', Date.now());
      }),
    );
    await Promise.all([a.page.evaluate(() => (window as unknown as CallClientWindow).__call.subscribe('agent:a1')), b.page.evaluate(() => (window as unknown as CallClientWindow).__call.subscribe('visitor:v1'))]);
    await new Promise((r) => setTimeout(r, CALL_MS - (Date.now() - startedAt)));
    await media.destroyRoom(room);
    endedAt = Date.now();
    const tracks = await listRecordedTracks(recordingDir());
    expect(tracks.map((t) => [t.participantId, t.kind, t.codec]).sort()).toEqual([
      ['agent:a1', 'audio', 'opus'],
      ['agent:a1', 'video', 'vp8'],
      ['visitor:v1', 'audio', 'opus'],
      ['visitor:v1', 'video', 'vp8'],
    ]);
  }, 60_000);

  it('post-processing makes the mixed file and one per participant; both streams, the recorded time within 1 s', async () => {
    // Quiet files: Janus closed them with the room.
    await new Promise((r) => setTimeout(r, 1000));
    const callMs = endedAt - Math.min(...connectedAt.values());
    const cpuBefore = childCpuSeconds();
    const t0 = Date.now();
    result = await postProcessRecording({ rawDir: recordingDir(), workDir: path.join(dataDir, 'out'), mode: 'audio_video' });
    const wallMs = Date.now() - t0;
    const cpuS = childCpuSeconds() - cpuBefore;
    expect(result.outputs.map((o) => [o.role, o.participantId, o.name])).toEqual([
      ['mixed', null, 'mixed.mp4'],
      ['participant', 'visitor:v1', 'participant-1.webm'],
      ['participant', 'agent:a1', 'participant-2.webm'],
    ]);
    for (const output of result.outputs) {
      const probe = await ffprobe(output.file);
      // The mixed file is encoded; each participant's is its own Opus and VP8 tracks remuxed into WebM.
      expect(probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort(), output.name).toEqual(output.role === 'mixed' ? ['audio:aac', 'video:h264'] : ['audio:opus', 'video:vp8']);
      // Recorded from the first connected publisher (mixed) or the participant's own, until the room ended;
      // the parties' set-up time before that (getUserMedia, ICE; over 1 s on a slow machine) is not recorded.
      const recordedMs = output.participantId ? endedAt - connectedAt.get(output.participantId)! : callMs;
      expect(Math.abs(Number(probe.format.duration) * 1000 - recordedMs), output.name).toBeLessThan(1000);
    }
    // The same tools by hand on the same tracks: janus-pp-rec per track, then ffmpeg with a plain graph
    // (side by side and mixed, without the alignment, scaling and lead-in of ours, the same encoder
    // settings) and each participant's tracks copied into WebM, as ours are.
    const byHandDir = path.join(dataDir, 'by-hand');
    fs.mkdirSync(byHandDir);
    const handCpuBefore = childCpuSeconds();
    const h0 = Date.now();
    // Each party's first audio and video track, in the order the graph below names them (a republish
    // adds tracks that this plain baseline leaves out).
    const recorded = await listRecordedTracks(recordingDir());
    const parties = [...new Set(recorded.map((t) => t.participantId))];
    const tracks = parties.flatMap((id) => (['audio', 'video'] as const).map((kind) => recorded.find((t) => t.participantId === id && t.kind === kind)!));
    expect(tracks.every(Boolean) && tracks.length === 4).toBe(true);
    const inputs: string[] = [];
    for (const [i, t] of tracks.entries()) {
      const out = path.join(byHandDir, `t${i}.${t.kind === 'audio' ? 'opus' : 'webm'}`);
      await run('janus-pp-rec', ['-d', '1', t.file, out]);
      inputs.push(out);
    }
    await run('ffmpeg', [
      ...['-v', 'error', '-y', ...inputs.flatMap((f) => ['-i', f]), '-filter_complex', '[1:v][3:v]hstack=inputs=2[v];[0:a][2:a]amix=inputs=2:normalize=0[a]'],
      ...['-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-r', '15', '-map', '[a]', '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', path.join(byHandDir, 'mixed.mp4')],
      ...['-map', '0:a', '-map', '1:v', '-c', 'copy', path.join(byHandDir, 'p0.webm'), '-map', '2:a', '-map', '3:v', '-c', 'copy', path.join(byHandDir, 'p1.webm')],
    ]);
    const handWallMs = Date.now() - h0;
    const handCpuS = childCpuSeconds() - handCpuBefore;
    const perMinute = (s: number) => (s / (callMs / 60_000)).toFixed(2);
    console.info(
      `recording of a ${(callMs / 1000).toFixed(1)} s call: post-processing ${wallMs} ms wall, ${cpuS.toFixed(2)} CPU s (${perMinute(cpuS)} CPU s per call minute); ` +
        `by hand (janus-pp-rec + ffmpeg, same tracks) ${handWallMs} ms wall, ${handCpuS.toFixed(2)} CPU s (${perMinute(handCpuS)} per call minute)`,
    );
  }, 120_000);

  it("the mixed audio holds both parties' tones; each participant's file only its own", async () => {
    const [mixed, visitor, agent] = result.outputs;
    const control = 660;
    const m = await tonePowers(mixed!.file, [440, 880, control]);
    console.info(`tone powers in the mixed audio: ${JSON.stringify(m)}`);
    expect(m[440]! / m[control]!).toBeGreaterThan(100);
    expect(m[880]! / m[control]!).toBeGreaterThan(100);
    const v = await tonePowers(visitor!.file, [440, 880]);
    expect(v[440]! / v[880]!).toBeGreaterThan(100);
    const g = await tonePowers(agent!.file, [440, 880]);
    expect(g[880]! / g[440]!).toBeGreaterThan(100);
  }, 60_000);

  it('the first second of video is not black, in the mixed file and in each participant\'s', async () => {
    for (const output of result.outputs) expect(await blackInFirstSecond(output.file), output.name).toEqual([]);
  }, 60_000);
});
