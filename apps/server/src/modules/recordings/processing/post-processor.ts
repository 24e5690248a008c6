import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readMjrMedia } from './mjr-media.ts';
import { listRecordedTracks } from './mjr-tracks.ts';
import { decodedExtensionOf, janusPpRecArgs, planFfmpeg, type DecodedTrack, type FfmpegPlan, type PlannedOutput, type RecordingMode } from './recording-plan.ts';

const run = promisify(execFile);

/** Where the tools are (Debian: `janus-tools` and `ffmpeg`). */
export interface MediaTools {
  janusPpRec: string;
  ffmpeg: string;
}

export const DEBIAN_MEDIA_TOOLS: MediaTools = { janusPpRec: 'janus-pp-rec', ffmpeg: 'ffmpeg' };

export interface ProcessedOutput extends PlannedOutput {
  /** Absolute path in the work directory (its size is taken where it is stored). */
  file: string;
}

export interface PostProcessResult {
  outputs: ProcessedOutput[];
  durationMs: number;
  startedAtMs: number;
  participantIds: string[];
  /** Tracks janus-pp-rec could not turn into a file (left out of the outputs). */
  skippedTracks: string[];
}

/** A tool run is bounded: a stuck ffmpeg must not hold the job's lease forever. */
const TOOL_TIMEOUT_MS = 10 * 60_000;

async function tool(file: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await run(file, args, { cwd, timeout: TOOL_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, killSignal: 'SIGKILL' });
  return stdout;
}

/** Runs `task` over `items` with at most `limit` at a time; the results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Post-processes one recording directory into `workDir` (created empty): janus-pp-rec per track,
 * then the one ffmpeg run of the plan. Re-running it on the same directories makes the same files:
 * the raw tracks are only read.
 */
export async function postProcessRecording(options: { rawDir: string; workDir: string; mode: RecordingMode; tools?: MediaTools }): Promise<PostProcessResult> {
  const { rawDir, workDir, mode } = options;
  const tools = options.tools ?? DEBIAN_MEDIA_TOOLS;
  await fs.rm(workDir, { recursive: true, force: true });
  await fs.mkdir(workDir, { recursive: true });
  const tracks = (await listRecordedTracks(rawDir)).filter((t) => mode === 'audio_video' || t.kind === 'audio');
  // NOTE: the tracks are decoded side by side (janus-pp-rec is single-threaded): the wall time
  // after the hang-up is what the recording's readiness waits for.
  const done = await mapLimited(tracks, Math.max(1, os.availableParallelism()), async (track, index): Promise<DecodedTrack | string> => {
    const extension = decodedExtensionOf(track.codec);
    const out = path.join(workDir, `track-${index}.${extension}`);
    try {
      if (!extension) throw new Error(`codec ${track.codec} is not post-processed`);
      // NOTE: the duration and picture size come from the .mjr's packets (read while janus-pp-rec runs), not from an ffprobe per track.
      const [probed] = await Promise.all([readMjrMedia(track.file, track.kind, track.codec), tool(tools.janusPpRec, janusPpRecArgs(track.file, out))]);
      return { participantId: track.participantId, kind: track.kind, codec: track.codec, file: out, firstPacketUs: track.firstPacketUs, ...probed };
    } catch {
      // NOTE: a track with no decodable media (a publisher that left at once) must not sink the others.
      return path.basename(track.file);
    }
  });
  const decoded = done.filter((d): d is DecodedTrack => typeof d !== 'string');
  const skippedTracks = done.filter((d): d is string => typeof d === 'string');
  const plan: FfmpegPlan = planFfmpeg(decoded, mode);
  await tool(tools.ffmpeg, plan.args, workDir);
  const outputs: ProcessedOutput[] = plan.outputs.map((output) => ({ ...output, file: path.join(workDir, output.name) }));
  for (const track of decoded) await fs.rm(track.file, { force: true });
  return { outputs, durationMs: plan.durationMs, startedAtMs: plan.startedAtMs, participantIds: plan.participantIds, skippedTracks };
}
