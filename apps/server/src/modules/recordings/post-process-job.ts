import fs from 'node:fs/promises';
import path from 'node:path';
import type { Events } from '../../events.ts';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { enqueueJobs, type JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Tx } from '../../platform/storage/storage.ts';
import { postProcessRecording, type MediaTools, type PostProcessResult } from './processing/post-processor.ts';
import type { RecordingMode } from './processing/recording-plan.ts';
import { anyChatRecordFlags } from './recording-policy.ts';
import { toRecording, type RecordingStore, type StoredRecordingFile } from './recording-store.ts';

/** One post-processing per recording (its dedupe key): janus-pp-rec per track, ffmpeg, then the files stored. */
export const POST_PROCESS_JOB = 'recordings.post-process';
export interface PostProcessPayload {
  recordingId: string;
}

type PostProcessOutcome =
  /** The files are stored and the recording is ready (by this attempt or an earlier one). */
  | { result: 'completed'; latencyMs: number; error: null }
  /** The recording is gone (deleted). */
  | { result: 'gone'; latencyMs: number; error: null }
  /** Janus may still be writing a track: tried again once it has been quiet long enough, not counted as a failure. */
  | { result: 'not-quiet'; latencyMs: number; error: null; retryInMs: number }
  | { result: 'failed'; latencyMs: number; error: string };

/** A track written to less than this long ago may still grow (the room is being destroyed). */
export const QUIET_AFTER_MS = 1000;
/** The job waits this long after the call's end before its first attempt (the room is destroyed meanwhile). */
export const FIRST_ATTEMPT_AFTER_MS = 1000;
/** Failures are retried after these delays, then the recording is `failed`. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000] as const;

/** Written in the transaction that ends the call: the job exists if and only if the end committed. */
export async function enqueuePostProcess(tx: Tx, { appId, recordingId, endedAt }: { appId: string; recordingId: string; endedAt: number }): Promise<void> {
  await enqueueJobs<PostProcessPayload>(tx, [{ kind: POST_PROCESS_JOB, appId, dedupeKey: recordingId, payload: { recordingId }, nextAttemptAt: endedAt + FIRST_ATTEMPT_AFTER_MS }], endedAt);
}

/** Pure: what to do after an attempt. */
export function decidePostProcess(outcome: PostProcessOutcome, attemptsBefore: number, nowMs: number): { status: 'done' } | { status: 'retry'; nextAttemptAt: number } | { status: 'exhausted' } | { status: 'cancelled' } {
  switch (outcome.result) {
    case 'completed':
      return { status: 'done' };
    case 'gone':
      return { status: 'cancelled' };
    case 'not-quiet':
      return { status: 'retry', nextAttemptAt: nowMs + outcome.retryInMs };
    case 'failed': {
      const delay = RETRY_DELAYS_MS[attemptsBefore];
      return delay === undefined ? { status: 'exhausted' } : { status: 'retry', nextAttemptAt: nowMs + delay };
    }
  }
}

/** The newest modification time of the files in `dir` (wall clock, as the file system keeps it), or 0. */
async function newestWriteMs(dir: string): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let newest = 0;
  for (const name of names) newest = Math.max(newest, (await fs.stat(path.join(dir, name)).catch(() => null))?.mtimeMs ?? 0);
  return newest;
}

/**
 * Post-processing of recordings as durable jobs. An attempt makes every file in a fresh work
 * directory, moves them into the BlobStore (a put replaces the same key whole), then marks the
 * recording ready in one transaction that also announces `recording.completed` — only if it was
 * not ready yet. A node killed mid-way leaves its lease to lapse; the job runs again from the raw
 * tracks (kept until the recording is ready), so it completes once and never twice.
 */
export function postProcessKind(deps: { store: RecordingStore; blobs: BlobStore; events: Events; clock: Clock; log: Logger; workDir: string; tools?: MediaTools | undefined }): JobKind<PostProcessPayload, PostProcessOutcome> {
  const { store, blobs, events, clock, log } = deps;

  async function complete(appId: string, recordingId: string, mode: RecordingMode, result: PostProcessResult, files: StoredRecordingFile[]): Promise<void> {
    await events.transaction(async (ctx) => {
      const nowMs = clock.now();
      const mixed = files.find((f) => f.role === 'mixed');
      const updated = await ctx.tx
        .updateTable('recordings')
        .set({
          status: 'ready',
          started_at: result.startedAtMs,
          duration_ms: result.durationMs,
          size_bytes: files.reduce((sum, f) => sum + f.sizeBytes, 0),
          format: mixed?.format ?? null,
          participants: JSON.stringify(result.participantIds),
          files: JSON.stringify(files),
          record_flags: anyChatRecordFlags(mode, 'mixed'),
          error: null,
          completed_at: nowMs,
          updated_at: nowMs,
        })
        .where('app_id', '=', appId)
        .where('id', '=', recordingId)
        .where('status', '=', 'processing')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return;
      const row = await store.byId(appId, recordingId, ctx.tx);
      if (row) await ctx.emit('recording.completed', { appId, recording: toRecording(row) });
    });
  }

  return {
    kind: POST_PROCESS_JOB,
    attemptIdPrefix: 'rat',
    async run(job, _context, atMs) {
      const started = clock.now();
      const latency = () => clock.now() - started;
      const { appId } = job;
      try {
        const row = await store.byId(appId, job.payload.recordingId);
        if (!row) return { result: 'gone', latencyMs: latency(), error: null };
        if (row.status === 'ready') return { result: 'completed', latencyMs: latency(), error: null };
        // NOTE: file times are wall-clock (the file system's), not the injected clock's.
        // The retry is timed for the moment the tracks will have been quiet long enough, not a full window later.
        const quietForMs = Date.now() - (await newestWriteMs(row.raw_dir));
        if (quietForMs < QUIET_AFTER_MS) return { result: 'not-quiet', latencyMs: latency(), error: null, retryInMs: Math.max(50, QUIET_AFTER_MS - quietForMs) };
        const mode = row.mode as RecordingMode;
        const work = path.join(deps.workDir, `${row.id}-${atMs}`);
        try {
          const result = await postProcessRecording({ rawDir: row.raw_dir, workDir: work, mode, ...(deps.tools ? { tools: deps.tools } : {}) });
          if (result.skippedTracks.length > 0) log.warn({ recordingId: row.id, skippedTracks: result.skippedTracks }, 'recording tracks without decodable media were left out');
          const files: StoredRecordingFile[] = [];
          for (const output of result.outputs) {
            const key = `recordings/${appId}/${row.id}/${output.name}`;
            const { sizeBytes } = await blobs.putFile(key, output.file);
            files.push({ role: output.role, participantId: output.participantId, name: output.name, format: output.format, sizeBytes, recordFlags: anyChatRecordFlags(mode, output.role), key });
          }
          await complete(appId, row.id, mode, result, files);
        } finally {
          await fs.rm(work, { recursive: true, force: true });
        }
        // The raw tracks are no longer needed once the recording is ready.
        await fs.rm(row.raw_dir, { recursive: true, force: true });
        return { result: 'completed', latencyMs: latency(), error: null };
      } catch (err) {
        log.warn({ err, recordingId: job.payload.recordingId }, 'recording post-processing failed');
        return { result: 'failed', latencyMs: latency(), error: (err as Error).message.slice(0, 500) };
      }
    },
    decide: (job, _context, outcome, nowMs) => decidePostProcess(outcome, job.attempts, nowMs),
    attemptOf: (outcome) => (outcome.result === 'failed' ? { statusCode: null, error: outcome.error, latencyMs: outcome.latencyMs } : outcome.result === 'completed' ? { statusCode: null, error: null, latencyMs: outcome.latencyMs } : null),
    async onExhausted(tx, exhausted, nowMs) {
      for (const { job, outcome } of exhausted) {
        await tx
          .updateTable('recordings')
          .set({ status: 'failed', error: outcome.error ?? 'post-processing failed', updated_at: nowMs })
          .where('app_id', '=', job.appId)
          .where('id', '=', job.payload.recordingId)
          .where('status', '=', 'processing')
          .execute();
      }
    },
  };
}
