import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Recording, RecordingFile, RecordingLink, RecordingPolicy as RecordingPolicyView, RecordingPolicyScope, SetRecordingPolicyBody } from '@frontdesk/protocol';
import type { Events, TxContext } from '../../events.ts';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { UrlSigner } from '../../platform/crypto/index.ts';
import { newId } from '../../platform/ids.ts';
import { createJobWorker, pruneFinishedJobs, type JobWorker } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Principal } from '../../platform/principal.ts';
import { schedulePruning } from '../../platform/pruning.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { enqueuePostProcess, POST_PROCESS_JOB, postProcessKind } from './post-process-job.ts';
import type { MediaTools } from './processing/post-processor.ts';
import { DEFAULT_RETENTION_DAYS, recordingModeOf } from './recording-policy.ts';
import { createRecordingStore, filesOf, toRecording } from './recording-store.ts';
import { RecordingsError } from './recordings.errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A download link is valid this long unless asked otherwise, and at most a week. */
export const DEFAULT_LINK_TTL_S = 600;
export const MAX_LINK_TTL_S = 7 * 24 * 3600;
/** A finished post-processing job (the recording keeps its outcome) is kept this long for inspection. */
const FINISHED_JOB_KEPT_MS = 7 * DAY_MS;
/** What a download is served as, per file format. */
const CONTENT_TYPES: Record<RecordingFile['format'], string> = { mp4: 'video/mp4', m4a: 'audio/mp4', webm: 'video/webm' };

/** What a call looks like to the recorder (the calls module's state, structurally). */
export interface RecordableCall {
  id: string;
  conversationId: string;
  kind: 'audio' | 'video';
  queueId: string | null;
}

export interface RecordingsDeps {
  storage: Storage;
  clock: Clock;
  log: Logger;
  events: Events;
  blobs: BlobStore;
  /** Raw tracks (Janus writes here: `<dir>/<recording id>/`) and the post-processing work directories. */
  rawDir: string;
  workDir: string;
  urlSigner: UrlSigner;
  publicUrl: string;
  /** The channel of a conversation (a call's channel policy). */
  channelOf(appId: string, conversationId: string): Promise<string | null>;
  /** The id of a queue or channel of the app (`default` names the default channel), or null: policies are set only on real ones. */
  resolveScope(appId: string, scope: RecordingPolicyScope, scopeId: string): Promise<string | null>;
  /** A run may take long: its lease must outlive it (default 10 min). */
  processingLeaseMs?: number | undefined;
  tools?: MediaTools | undefined;
}

function staffApp(principal: Principal): string {
  if (principal.kind === 'visitor') throw new RecordingsError('FD_RECORDING_NOT_FOUND', 'no such recording');
  return principal.appId;
}

/**
 * Call recordings (SPEC M25): the policy of each queue and channel, the row of each recorded call,
 * post-processing as durable jobs, files in the BlobStore behind signed links, retention.
 */
export function createRecordingsService(deps: RecordingsDeps) {
  const { storage, clock, log, events, blobs } = deps;
  const store = createRecordingStore(storage);
  const worker: JobWorker = createJobWorker({
    storage,
    clock,
    log,
    kind: postProcessKind({ store, blobs, events, clock, log, workDir: deps.workDir, tools: deps.tools }),
    // NOTE: one run at a time per node: post-processing is CPU-bound (ffmpeg uses the cores itself).
    options: { concurrency: 1, pollIntervalMs: 500, leaseMs: deps.processingLeaseMs ?? 10 * 60_000 },
  });
  let stopPruning: (() => Promise<void>) | undefined;
  let started = false;

  const downloadPath = (appId: string, recordingId: string, name: string) => `/v1/recording-files/${encodeURIComponent(appId)}/${encodeURIComponent(recordingId)}/${encodeURIComponent(name)}`;

  /** The absolute URL that opens one file of a recording without a token until `expiresAtMs`. */
  function signedUrl(appId: string, id: string, name: string, expiresAtMs: number): string {
    const urlPath = downloadPath(appId, id, name);
    return `${deps.publicUrl}${urlPath}?${deps.urlSigner.sign(urlPath, expiresAtMs)}`;
  }

  /** A link that works until the recording is pruned (its retention), for records kept elsewhere (CDR, pushes). */
  function linkUntilExpiry(appId: string, id: string, name: string, expiresAt: number | null): string {
    return signedUrl(appId, id, name, Number(expiresAt ?? clock.now() + DEFAULT_LINK_TTL_S * 1000));
  }

  async function deleteRecording(appId: string, id: string): Promise<void> {
    const row = await store.byId(appId, id);
    if (!row) return;
    // Files first: a row without files would promise downloads that fail; files without a row are only litter.
    await blobs.deletePrefix(`recordings/${appId}/${id}`);
    await fs.rm(row.raw_dir, { recursive: true, force: true });
    await store.remove(appId, id);
  }

  /** Recordings past retention with their files, and finished post-processing jobs with their attempts. */
  async function pruneExpired(nowMs: number): Promise<Record<string, number>> {
    let deleted = 0;
    for (;;) {
      const expired = await store.expired(nowMs, 100);
      for (const row of expired) await deleteRecording(row.app_id, row.id);
      deleted += expired.length;
      if (expired.length < 100) break;
    }
    const jobs = await pruneFinishedJobs(storage, { kind: POST_PROCESS_JOB, cutoffMs: nowMs - FINISHED_JOB_KEPT_MS, lockKey: 'recordings.prune' });
    return { recordings: deleted, postProcessJobs: jobs.jobs, postProcessAttempts: jobs.attempts };
  }

  return {
    /**
     * Called by the calls module before it opens a call's media room: the directory Janus records
     * into, or null when the call is not recorded. Makes the recording's row (once per call).
     */
    async prepareRoom(appId: string, call: RecordableCall): Promise<{ recordingDir: string } | null> {
      const existing = await store.byCall(appId, call.id);
      if (existing) return { recordingDir: existing.raw_dir };
      const channelId = await deps.channelOf(appId, call.conversationId);
      const [queue, channel] = await Promise.all([call.queueId ? store.policy(appId, 'queue', call.queueId) : undefined, channelId ? store.policy(appId, 'channel', channelId) : undefined]);
      const decided = recordingModeOf(call, queue, channel);
      if (!decided) return null;
      const id = newId('rec');
      const nowMs = clock.now();
      const rawDir = path.join(deps.rawDir, id);
      await fs.mkdir(rawDir, { recursive: true });
      const row = await store.insert({
        id,
        app_id: appId,
        call_id: call.id,
        conversation_id: call.conversationId,
        mode: decided.mode,
        status: 'recording',
        name: `Call ${new Date(nowMs).toISOString().slice(0, 16).replace('T', ' ')}`,
        raw_dir: rawDir,
        started_at: null,
        duration_ms: null,
        size_bytes: null,
        format: null,
        participants: '[]',
        files: '[]',
        record_flags: 0,
        error: null,
        call_ended_at: null,
        // NOTE: moved to the call's end + retention when the call ends; a call that never ends is still pruned.
        expires_at: nowMs + decided.retentionDays * DAY_MS,
        created_at: nowMs,
        updated_at: nowMs,
        completed_at: null,
      });
      log.info({ callId: call.id, recordingId: row.id, mode: row.mode }, 'recording the call');
      return { recordingDir: row.raw_dir };
    },

    /** In the transaction that ends a call: its recording is now processed by a durable job. */
    async onCallEnded(ctx: TxContext, appId: string, callId: string, endedAt: number): Promise<void> {
      const row = await store.byCall(appId, callId, ctx.tx);
      if (!row || row.status !== 'recording') return;
      const retentionMs = Number(row.expires_at ?? 0) - Number(row.created_at);
      await ctx.tx
        .updateTable('recordings')
        .set({ status: 'processing', call_ended_at: endedAt, expires_at: endedAt + Math.max(retentionMs, DAY_MS), updated_at: endedAt })
        .where('app_id', '=', appId)
        .where('id', '=', row.id)
        .execute();
      await enqueuePostProcess(ctx.tx, { appId, recordingId: row.id, endedAt });
    },

    async policies(principal: Principal): Promise<RecordingPolicyView[]> {
      return store.policies(staffApp(principal));
    },

    async setPolicy(principal: Principal, scope: RecordingPolicyScope, named: string, body: SetRecordingPolicyBody): Promise<RecordingPolicyView> {
      const appId = staffApp(principal);
      const scopeId = await deps.resolveScope(appId, scope, named);
      if (!scopeId) throw new RecordingsError('FD_REQ_INVALID', `no ${scope} ${named} in this app`);
      const policy = { mode: body.mode, retentionDays: body.retentionDays ?? DEFAULT_RETENTION_DAYS };
      const nowMs = clock.now();
      await store.setPolicy(appId, scope, scopeId, policy, nowMs);
      return { scope, scopeId, ...policy, updatedAt: nowMs };
    },

    async list(principal: Principal, query: { conversationId?: string | undefined; limit?: number | undefined }): Promise<Recording[]> {
      return (await store.list(staffApp(principal), { conversationId: query.conversationId, limit: query.limit ?? 50 })).map(toRecording);
    },

    async get(principal: Principal, id: string): Promise<Recording> {
      const row = await store.byId(staffApp(principal), id);
      if (!row) throw new RecordingsError('FD_RECORDING_NOT_FOUND', 'no such recording');
      return toRecording(row);
    },

    /** A recording of the app by id, for other modules' surfaces (compat, CDR). */
    async find(appId: string, id: string): Promise<Recording | undefined> {
      const row = await store.byId(appId, id);
      return row && toRecording(row);
    },

    /**
     * For the call's CDR (written when the call ends, before the files exist): the recording's id and
     * a link to its mixed file that works until the recording's retention ends (the file's name is
     * known from the mode; the link opens it once it is ready).
     */
    async cdrRecordingOf(appId: string, callId: string): Promise<{ id: string; url: string } | undefined> {
      const row = await store.byCall(appId, callId);
      if (!row) return undefined;
      return { id: row.id, url: linkUntilExpiry(row.app_id, row.id, row.mode === 'audio' ? 'mixed.m4a' : 'mixed.mp4', row.expires_at) };
    },

    /** A ready recording's file and a link to it valid for the recording's retention (TCCC record push). */
    async fileForPush(appId: string, id: string, name: string): Promise<{ recording: Recording; participantId: string | null; url: string } | undefined> {
      const row = await store.byId(appId, id);
      const file = row && row.status === 'ready' ? filesOf(row).find((f) => f.name === name) : undefined;
      if (!row || !file) return undefined;
      return { recording: toRecording(row), participantId: file.participantId, url: linkUntilExpiry(appId, id, name, row.expires_at) };
    },

    /** Ready recordings for the compat surfaces (AnyChat filelist_get): a page and the total. */
    async listReady(appId: string, query: { fromMs?: number | undefined; toMs?: number | undefined; name?: string | undefined; exactName?: boolean; offset: number; limit: number }): Promise<{ total: number; recordings: Recording[] }> {
      const { total, rows } = await store.listReady(appId, query);
      return { total, recordings: rows.map(toRecording) };
    },

    /** Renames a recording of the app (compat surfaces); false when there is none. */
    async renameInApp(appId: string, id: string, name: string): Promise<boolean> {
      return store.rename(appId, id, name, clock.now());
    },

    /** Deletes a recording of the app with its files (compat surfaces); false when there is none. */
    async deleteInApp(appId: string, id: string): Promise<boolean> {
      if (!(await store.byId(appId, id))) return false;
      await deleteRecording(appId, id);
      return true;
    },

    async rename(principal: Principal, id: string, name: string): Promise<Recording> {
      const appId = staffApp(principal);
      if (!(await store.rename(appId, id, name, clock.now()))) throw new RecordingsError('FD_RECORDING_NOT_FOUND', 'no such recording');
      return toRecording((await store.byId(appId, id))!);
    },

    async delete(principal: Principal, id: string): Promise<void> {
      const appId = staffApp(principal);
      if (!(await store.byId(appId, id))) throw new RecordingsError('FD_RECORDING_NOT_FOUND', 'no such recording');
      await deleteRecording(appId, id);
    },

    /**
     * A link that opens one file (the mixed one by default) of a ready recording the caller already
     * read, without a token until it expires.
     */
    linkOf(recording: Recording, options: { file?: string | undefined; ttlSeconds?: number | undefined } = {}): RecordingLink {
      if (recording.status !== 'ready') throw new RecordingsError('FD_RECORDING_NOT_READY', `the recording is ${recording.status}`);
      const file = options.file ? recording.files.find((f) => f.name === options.file) : recording.files.find((f) => f.role === 'mixed');
      if (!file) throw new RecordingsError('FD_RECORDING_NOT_FOUND', 'no such file in the recording');
      const ttlS = Math.min(Math.max(1, options.ttlSeconds ?? DEFAULT_LINK_TTL_S), MAX_LINK_TTL_S);
      const expiresAt = clock.now() + ttlS * 1000;
      return { url: signedUrl(recording.appId, recording.id, file.name, expiresAt), expiresAt };
    },

    async linkFor(principal: Principal, id: string, options: { file?: string | undefined; ttlSeconds?: number | undefined }): Promise<RecordingLink> {
      return this.linkOf(await this.get(principal, id), options);
    },

    /**
     * A signed download: the signature covers the path, which names the app, the recording and the
     * file (a link of one app's recording opens nothing of another's), and the expiry (injected clock).
     */
    async download(params: { appId: string; recordingId: string; name: string }, query: { expires?: unknown; signature?: unknown }): Promise<{ stream: Readable; sizeBytes: number; name: string; contentType: string }> {
      const urlPath = downloadPath(params.appId, params.recordingId, params.name);
      if (!deps.urlSigner.isValid(urlPath, query, clock.now())) throw new RecordingsError('FD_RECORDING_LINK_INVALID', 'the link expired or is not valid');
      const row = await store.byId(params.appId, params.recordingId);
      const file = row && filesOf(row).find((f) => f.name === params.name);
      const blob = file && (await blobs.open(file.key));
      if (!row || !file || !blob) throw new RecordingsError('FD_RECORDING_NOT_FOUND', 'no such recording file');
      return { ...blob, name: `${row.id}-${file.name}`, contentType: CONTENT_TYPES[file.format] };
    },

    pruneExpired,
    /** Runs the post-processing worker once (tests). */
    runJobsOnce: () => worker.runOnce(),
    /**
     * Runs the post-processing worker at `atMs` (a call's end plus the first attempt's delay), so a
     * recording does not also wait for the worker's next poll. Not before `start`.
     */
    wakeAt(atMs: number): void {
      if (!started) return;
      clock.at(atMs, () => {
        if (started) worker.runOnce().catch((err: unknown) => log.warn({ err }, 'recording post-processing wake-up failed'));
      });
    },
    start(): void {
      started = true;
      worker.start();
      const pruning = schedulePruning({ clock, log, retentionMs: 0, prune: (cutoffMs) => pruneExpired(cutoffMs), what: 'recordings' });
      pruning.start();
      stopPruning = pruning.stop;
    },
    async close(): Promise<void> {
      started = false;
      await stopPruning?.();
      await worker.close();
    },
  };
}

export type RecordingsService = ReturnType<typeof createRecordingsService>;
