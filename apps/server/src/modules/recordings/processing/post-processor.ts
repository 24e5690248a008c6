import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { listRecordedTracks } from './mjr-tracks.ts';
import { decodedExtensionOf, janusPpRecArgs, planFfmpeg, type DecodedTrack, type FfmpegPlan, type PlannedOutput, type RecordingMode } from './recording-plan.ts';

const run = promisify(execFile);

/** Where the tools are (Debian: `janus-tools` and `ffmpeg`). */
export interface MediaTools {
  janusPpRec: string;
  ffmpeg: string;
  ffprobe: string;
}

export const DEBIAN_MEDIA_TOOLS: MediaTools = { janusPpRec: 'janus-pp-rec', ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

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

/** ffprobe's duration of a file (ms). */
export async function probeDurationMs(ffprobe: string, file: string): Promise<number> {
  const out = await tool(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  const seconds = Number.parseFloat(out.trim());
  if (!Number.isFinite(seconds)) throw new Error(`ffprobe found no duration in ${path.basename(file)}`);
  return Math.round(seconds * 1000);
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
  const decoded: DecodedTrack[] = [];
  const skippedTracks: string[] = [];
  for (const [index, track] of tracks.entries()) {
    const extension = decodedExtensionOf(track.codec);
    const out = path.join(workDir, `track-${index}.${extension}`);
    try {
      if (!extension) throw new Error(`codec ${track.codec} is not post-processed`);
      await tool(tools.janusPpRec, janusPpRecArgs(track.file, out));
      decoded.push({ participantId: track.participantId, kind: track.kind, file: out, firstPacketUs: track.firstPacketUs, durationMs: await probeDurationMs(tools.ffprobe, out) });
    } catch {
      // NOTE: a track with no decodable media (a publisher that left at once) must not sink the others.
      skippedTracks.push(path.basename(track.file));
    }
  }
  const plan: FfmpegPlan = planFfmpeg(decoded, mode);
  await tool(tools.ffmpeg, plan.args, workDir);
  const outputs: ProcessedOutput[] = plan.outputs.map((output) => ({ ...output, file: path.join(workDir, output.name) }));
  for (const track of decoded) await fs.rm(track.file, { force: true });
  return { outputs, durationMs: plan.durationMs, startedAtMs: plan.startedAtMs, participantIds: plan.participantIds, skippedTracks };
}
