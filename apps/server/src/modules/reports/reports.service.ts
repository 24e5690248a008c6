import type { Cdr, CdrWrapUp, DataPushDelivery } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { attemptsOf, createJobWorker, listJobs, pruneFinishedJobs, replayJob, type JobStatus } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { schedulePruning } from '../../platform/pruning.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { createWebhookClient, type TargetPolicy } from '../webhooks/index.ts';
import { withWrapUp } from './cdr-builder.ts';
import { CDR_WRITE_JOB, cdrWriteKind, type CdrSources } from './cdr-write-job.ts';
import { cdrIdOf, DATA_PUSH_JOB, dataPushKind, type DataPushPayload, type RecordPushBodyOf } from './data-push-job.ts';
import { createDataPushSettings } from './data-push-settings.ts';
import { createPushSender } from './push-sender.ts';
import { ReportsError } from './reports.errors.ts';

export interface ReportsDeps {
  storage: Storage;
  clock: Clock;
  log: Logger;
  sources: CdrSources;
  /** Lets pushes reach loopback and private addresses: tests and trusted networks only. */
  allowPrivateTargets: boolean;
  allowedTargets?: readonly string[];
  fetchTimeoutMs?: number;
  /** How often idle workers look for new jobs and due pushes, on the injected clock (default 1 s). */
  pollIntervalMs?: number;
  /** Finished data pushes and their attempts are deleted after this (default 30 days); CDRs are kept. */
  retentionMs?: number;
  /** The body of a recording file's data push (`?action=record`), read when it is sent. */
  recordPushBodyOf?: RecordPushBodyOf | undefined;
}

/** Deletes finished data pushes (delivered, failed, cancelled) and CDR writes last touched before `cutoffMs`, with their attempts, 1,000 per transaction. */
export async function pruneDataPushLog(storage: Storage, cutoffMs: number): Promise<{ pushes: number; attempts: number; cdrWrites: number }> {
  const pushes = await pruneFinishedJobs(storage, { kind: DATA_PUSH_JOB, cutoffMs, lockKey: 'reports.prune' });
  const writes = await pruneFinishedJobs(storage, { kind: CDR_WRITE_JOB, cutoffMs, lockKey: 'reports.prune' });
  return { pushes: pushes.jobs, attempts: pushes.attempts + writes.attempts, cdrWrites: writes.jobs };
}

/** A push's status as the data push log shows it: retrying is still pending, exhausted is failed. */
const PUSH_STATUS_OF: Record<JobStatus, DataPushDelivery['status']> = { pending: 'pending', retrying: 'pending', done: 'delivered', exhausted: 'failed', cancelled: 'cancelled' };
const JOB_STATUSES_OF: Record<DataPushDelivery['status'], JobStatus[]> = { pending: ['pending', 'retrying'], delivered: ['done'], failed: ['exhausted'], cancelled: ['cancelled'] };

/**
 * The reports module: CDRs of ended conversations, the reconciliation queries, the TCCC data push
 * settings, and this node's worker (`start` / `close`) that writes CDRs and pushes them.
 */
export function createReports(deps: ReportsDeps) {
  const { storage, clock } = deps;
  const { db } = storage;
  const log = deps.log.child({ module: 'reports' });
  const fetchTimeoutMs = Math.min(deps.fetchTimeoutMs ?? 15_000, 15_000);
  const pollIntervalMs = deps.pollIntervalMs ?? 1_000;
  const policy: TargetPolicy = { allowPrivateTargets: deps.allowPrivateTargets, allowedTargets: deps.allowedTargets ?? [] };
  const client = createWebhookClient({ policy, timeoutMs: fetchTimeoutMs });
  const sender = createPushSender({ client, now: () => clock.now() });
  // CDR writes and data pushes are jobs (platform/jobs): one worker per kind on every node.
  const cdrWriter = createJobWorker({
    storage,
    clock,
    log,
    kind: cdrWriteKind({ storage, clock, log, sources: deps.sources }),
    // NOTE: two at a time: each write holds a database connection for its reads and transaction,
    // and CDRs are background work that must not crowd routing out of the pool after a burst of closes.
    options: { concurrency: 2, pollIntervalMs, leaseMs: 60_000 },
  });
  const pusher = createJobWorker({
    storage,
    clock,
    log,
    kind: dataPushKind({ storage, sender, log, recordBodyOf: deps.recordPushBodyOf }),
    // An OAuth2 token request and the push itself: longer than both can take.
    options: { concurrency: 20, pollIntervalMs, leaseMs: fetchTimeoutMs * 2 + 30_000 },
  });
  const pruning = schedulePruning({
    clock,
    log,
    retentionMs: deps.retentionMs ?? 30 * 24 * 60 * 60 * 1000,
    prune: (cutoffMs) => pruneDataPushLog(storage, cutoffMs),
    what: 'data push delivery log',
  });

  return {
    ...createDataPushSettings({ storage, clock, policy }),

    /** CDRs of the app that ended in [fromMs, toMs), oldest first; `after` continues a page. */
    async listCdrs(appId: string, query: { from: number; to: number; limit: number; after?: string | undefined }): Promise<{ cdrs: Cdr[]; nextAfter: string | null }> {
      let q = db.selectFrom('cdrs').select(['id', 'ended_at', 'data']).where('app_id', '=', appId).where('ended_at', '>=', query.from).where('ended_at', '<', query.to);
      const [afterEnded, afterId] = (query.after ?? '').split(':');
      if (query.after && afterId) q = q.where((eb) => eb.or([eb('ended_at', '>', Number(afterEnded)), eb.and([eb('ended_at', '=', Number(afterEnded)), eb('id', '>', afterId)])]));
      const rows = await q.orderBy('ended_at').orderBy('id').limit(query.limit + 1).execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { cdrs: page.map((r) => JSON.parse(r.data) as Cdr), nextAfter: rows.length > query.limit && last ? `${last.ended_at}:${last.id}` : null };
    },

    /**
     * A wrap-up recorded (or changed) after its conversation's CDR was written: the stored CDR gets
     * it, so exports carry it. Nothing when the CDR is not written yet (its writer reads the wrap-up).
     * NOTE: a data push already delivered is not sent again; the CDR API and exports are current.
     */
    async recordWrapUp(appId: string, conversationId: string, wrapUp: CdrWrapUp | null): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('cdrs').select(['id', 'data']).where('app_id', '=', appId).where('conversation_id', '=', conversationId).executeTakeFirst();
        if (!row) return;
        const cdr = withWrapUp(JSON.parse(row.data) as Cdr, wrapUp);
        await tx.updateTable('cdrs').set({ data: JSON.stringify(cdr) }).where('app_id', '=', appId).where('id', '=', row.id).execute();
      });
    },

    async getCdr(appId: string, sessionId: string): Promise<Cdr> {
      const row = await db.selectFrom('cdrs').select('data').where('app_id', '=', appId).where('conversation_id', '=', sessionId).executeTakeFirst();
      if (!row) throw new ReportsError('FD_CDR_NOT_FOUND', 'no CDR for this session');
      return JSON.parse(row.data) as Cdr;
    },

    /** The data push delivery log, newest first, with each push's attempts; `after` continues a page. */
    async listPushDeliveries(appId: string, query: { status?: DataPushDelivery['status'] | undefined; sessionId?: string | undefined; after?: string | undefined; limit: number }): Promise<{ deliveries: DataPushDelivery[]; nextAfter: string | null }> {
      let cdrId: string | undefined;
      if (query.sessionId) {
        const cdr = await db.selectFrom('cdrs').select('id').where('app_id', '=', appId).where('conversation_id', '=', query.sessionId).executeTakeFirst();
        if (!cdr) return { deliveries: [], nextAfter: null };
        cdrId = cdr.id;
      }
      // A cursor is the last push id of the previous page (older versions wrote `createdAt:id`).
      const after = query.after ? query.after.slice(query.after.lastIndexOf(':') + 1) : undefined;
      const page = await listJobs<DataPushPayload>(db, {
        kind: DATA_PUSH_JOB,
        appId,
        dedupeKey: cdrId,
        statuses: query.status ? JOB_STATUSES_OF[query.status] : undefined,
        after: after || undefined,
        limit: query.limit,
      });
      if (!page) return { deliveries: [], nextAfter: null };
      const cdrIds = page.jobs.flatMap((p) => cdrIdOf(p.payload) ?? []);
      const [attempts, cdrs] = await Promise.all([
        attemptsOf(
          db,
          appId,
          page.jobs.map((p) => p.id),
        ),
        cdrIds.length ? db.selectFrom('cdrs').select(['id', 'conversation_id']).where('app_id', '=', appId).where('id', 'in', cdrIds).execute() : [],
      ]);
      const sessionOf = new Map(cdrs.map((c) => [c.id, c.conversation_id]));
      // A push is shown with its session: one whose CDR is gone (CDRs are kept) has nothing to show.
      // NOTE: record pushes (`?action=record`) are not in this log yet.
      const shown = page.jobs.flatMap((p) => {
        const cdrId = cdrIdOf(p.payload);
        const sessionId = cdrId === undefined ? undefined : sessionOf.get(cdrId);
        return sessionId === undefined ? [] : [{ ...p, sessionId }];
      });
      return {
        deliveries: shown.map((p) => ({
          id: p.id,
          sessionId: p.sessionId,
          status: PUSH_STATUS_OF[p.status],
          attempts: p.attempts,
          nextAttemptAt: p.status === 'pending' || p.status === 'retrying' ? p.nextAttemptAt : null,
          createdAt: p.createdAt,
          attemptLog: (attempts.get(p.id) ?? []).map((a) => ({
            at: a.at,
            statusCode: a.statusCode,
            errCode: typeof a.detail?.errCode === 'number' ? a.detail.errCode : null,
            error: a.error,
            latencyMs: a.latencyMs,
          })),
        })),
        nextAfter: page.hasMore ? page.jobs.at(-1)!.id : null,
      };
    },

    /** Sends a push again from its first attempt (same push UUID, so the receiver can tell it is the same CDR). */
    async replayPushDelivery(appId: string, pushId: string): Promise<void> {
      if (!(await replayJob(db, DATA_PUSH_JOB, appId, pushId, clock.now()))) throw new ReportsError('FD_DATA_PUSH_DELIVERY_NOT_FOUND', `data push delivery ${pushId} not found`);
      void pusher.runOnce();
    },

    /** Starts this node's workers (timers on the injected clock). */
    start(): void {
      pruning.start();
      cdrWriter.start();
      pusher.start();
    },
    /** Writes due CDRs, then sends due pushes now; resolves when nothing is due (tests). */
    async runOnce(): Promise<void> {
      await cdrWriter.runOnce();
      await pusher.runOnce();
    },
    async close(): Promise<void> {
      await pruning.stop();
      await cdrWriter.close();
      await pusher.close();
      client.close();
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
