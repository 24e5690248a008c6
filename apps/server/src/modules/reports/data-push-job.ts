import { randomUUID } from 'node:crypto';
import { enqueueJobs, type JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { originOf } from '../webhooks/index.ts';
import { authOf, type DataPushRow } from './data-push-settings.ts';
import { nextPushDelayMs, type PushAction, type PushOutcome, type PushSender } from './push-sender.ts';

/**
 * A TCCC data push of one CDR (SPEC M37) is a job of this kind (platform/jobs). The job id is the
 * X-TCCC-PUSH-UUID, so every retry and every replay of one push carries the same one; the CDR id is
 * its dedupe key (one push per CDR).
 */
export const DATA_PUSH_JOB = 'reports.data-push';
/** A CDR push, or the push of one participant's recording file of a call (`?action=record`, seed 004). */
export type DataPushPayload = { cdrId: string } | { recordingId: string; fileName: string };

/** The CDR a push carries; undefined for a recording file's push. */
export const cdrIdOf = (payload: DataPushPayload): string | undefined => ('cdrId' in payload ? payload.cdrId : undefined);

/** What a push sends: the app's receiver and authentication, the body, and which push it is. */
interface PushContext {
  settings: DataPushRow;
  body: string;
  action: PushAction;
}

/** The seed's record push body (`?action=record&version=1`), built when the push is sent; undefined: gone. */
export type RecordPushBodyOf = (appId: string, recordingId: string, fileName: string) => Promise<Record<string, unknown> | undefined>;

/** One record push per participant file of a ready recording, in the transaction that marks it ready. */
export async function enqueueRecordPushes(tx: Tx, { appId, recordingId, fileNames, nowMs }: { appId: string; recordingId: string; fileNames: string[]; nowMs: number }): Promise<void> {
  if (fileNames.length === 0) return;
  await enqueueJobs<DataPushPayload>(
    tx,
    fileNames.map((fileName) => ({ kind: DATA_PUSH_JOB, id: randomUUID(), appId, dedupeKey: `${recordingId}/${fileName}`, payload: { recordingId, fileName } })),
    nowMs,
  );
}

export async function enqueueDataPush(tx: Tx, { appId, cdrId, nowMs }: { appId: string; cdrId: string; nowMs: number }): Promise<void> {
  await enqueueJobs<DataPushPayload>(tx, [{ kind: DATA_PUSH_JOB, id: randomUUID(), appId, dedupeKey: cdrId, payload: { cdrId } }], nowMs);
}

/**
 * Sends each push through the guarded webhook client; accepted only with a 2xx JSON answer with
 * `ErrCode: 0`. A refused push is tried 4 times in all (waits in push-sender.ts), then exhausted
 * (shown as failed). A push whose app turned the data push off, or whose CDR is gone, is cancelled.
 */
export function dataPushKind({ storage, sender, log, recordBodyOf }: { storage: Storage; sender: PushSender; log: Logger; recordBodyOf?: RecordPushBodyOf | undefined }): JobKind<DataPushPayload, PushOutcome, PushContext> {
  const { db } = storage;
  return {
    kind: DATA_PUSH_JOB,
    attemptIdPrefix: 'cpa',

    async load(jobs) {
      const contexts = new Map<string, PushContext>();
      if (jobs.length === 0) return contexts;
      const cdrIds = [...new Set(jobs.flatMap((job) => cdrIdOf(job.payload) ?? []))];
      const [settings, cdrs] = await Promise.all([
        db
          .selectFrom('data_push_settings')
          .selectAll()
          .where('app_id', 'in', [...new Set(jobs.map((job) => job.appId))])
          .execute(),
        cdrIds.length ? db.selectFrom('cdrs').select(['id', 'app_id', 'data']).where('id', 'in', cdrIds).execute() : [],
      ]);
      const settingsOf = new Map(settings.map((s) => [s.app_id, s]));
      const cdrOf = new Map(cdrs.map((c) => [c.id, c]));
      for (const job of jobs) {
        const appSettings = settingsOf.get(job.appId);
        if (appSettings?.enabled !== 1) continue;
        if ('cdrId' in job.payload) {
          const cdr = cdrOf.get(job.payload.cdrId);
          if (cdr?.app_id === job.appId) contexts.set(job.id, { settings: appSettings, body: cdr.data, action: 'cdr' });
          continue;
        }
        const body = await recordBodyOf?.(job.appId, job.payload.recordingId, job.payload.fileName);
        if (body) contexts.set(job.id, { settings: appSettings, body: JSON.stringify(body), action: 'record' });
      }
      return contexts;
    },

    run: (job, { settings, body, action }) => sender.send({ id: job.id, url: settings.url, auth: authOf(settings), body, action }),

    decide(job, { settings }, outcome, nowMs) {
      if (outcome.accepted) return { status: 'done' };
      const attempts = job.attempts + 1;
      const delayMs = nextPushDelayMs(attempts);
      if (delayMs !== null) return { status: 'retry', nextAttemptAt: nowMs + delayMs };
      log.warn({ appId: job.appId, pushId: job.id, target: originOf(settings.url), attempts, error: outcome.error }, 'data push failed: every attempt was refused');
      return { status: 'exhausted' };
    },

    attemptOf: (outcome) => ({ statusCode: outcome.statusCode, error: outcome.error, latencyMs: outcome.latencyMs, detail: outcome.errCode === null ? null : { errCode: outcome.errCode } }),
  };
}
