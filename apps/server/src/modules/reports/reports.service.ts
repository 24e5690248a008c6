import type { Cdr, DataPushDelivery } from '@frontdesk/protocol';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { deleteInBatches, deletedRows, PRUNE_BATCH, schedulePruning } from '../../platform/pruning.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { createWebhookClient, originOf, type TargetPolicy } from '../webhooks/index.ts';
import { processCdrJobs, type CdrSources } from './cdr-jobs.ts';
import { authOf, createDataPushSettings, findPushSettings } from './data-push-settings.ts';
import { createPushSender, nextPushDelayMs } from './push-sender.ts';
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
}

/** Deletes finished data pushes (delivered, failed, cancelled) last touched before `cutoffMs`, with their attempts, 1,000 per transaction. */
export async function pruneDataPushLog(storage: Storage, cutoffMs: number): Promise<{ pushes: number; attempts: number }> {
  const counts = { pushes: 0, attempts: 0 };
  await deleteInBatches(storage, 'reports.prune', async (tx) => {
    // `status != 'pending'` with a literal, word for word the partial index's predicate.
    const ids = (await tx.selectFrom('cdr_pushes').select('id').where(sql<boolean>`status != 'pending'`).where('updated_at', '<', cutoffMs).limit(PRUNE_BATCH).execute()).map((r) => r.id);
    if (ids.length > 0) {
      counts.attempts += deletedRows(await tx.deleteFrom('cdr_push_attempts').where('push_id', 'in', ids).executeTakeFirst());
      counts.pushes += deletedRows(await tx.deleteFrom('cdr_pushes').where('id', 'in', ids).executeTakeFirst());
    }
    return ids.length;
  });
  return counts;
}

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
  let running: Promise<void> | undefined;
  let rerun = false;
  let started = false;
  let closed = false;
  let cancelPoll: (() => void) | undefined;
  const pruning = schedulePruning({
    clock,
    log,
    retentionMs: deps.retentionMs ?? 30 * 24 * 60 * 60 * 1000,
    prune: (cutoffMs) => pruneDataPushLog(storage, cutoffMs),
    what: 'data push delivery log',
  });

  /** Claims one due push (compare-and-set on its lease, so one node sends it), sends and records it. */
  async function pushOne(push: { id: string; app_id: string; cdr_id: string; attempts: number }): Promise<void> {
    const now = clock.now();
    const claimed = await db
      .updateTable('cdr_pushes')
      .set({ lease_until: now + fetchTimeoutMs * 2 + 30_000 })
      .where('id', '=', push.id)
      .where('attempts', '=', push.attempts)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return;
    const [settings, cdr] = await Promise.all([findPushSettings(db, push.app_id), db.selectFrom('cdrs').select('data').where('id', '=', push.cdr_id).executeTakeFirst()]);
    if (!settings || settings.enabled !== 1 || !cdr) {
      await db.updateTable('cdr_pushes').set({ status: 'cancelled', lease_until: null, updated_at: now }).where('id', '=', push.id).execute();
      return;
    }
    const outcome = await sender.send({ id: push.id, url: settings.url, auth: authOf(settings), body: cdr.data });
    const at = clock.now();
    const attempts = push.attempts + 1;
    const delayMs = outcome.accepted ? null : nextPushDelayMs(attempts);
    const status = outcome.accepted ? 'delivered' : delayMs === null ? 'failed' : 'pending';
    if (status === 'failed') log.warn({ appId: push.app_id, pushId: push.id, target: originOf(settings.url), attempts, error: outcome.error }, 'data push failed: every attempt was refused');
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('cdr_push_attempts')
        .values({ id: newId('cpa'), app_id: push.app_id, push_id: push.id, at, status_code: outcome.statusCode, err_code: outcome.errCode, error: outcome.error, latency_ms: outcome.latencyMs })
        .execute();
      await tx
        .updateTable('cdr_pushes')
        .set({ status, attempts, next_attempt_at: delayMs === null ? at : at + delayMs, lease_until: null, updated_at: at })
        .where('id', '=', push.id)
        .execute();
    });
  }

  async function pass(): Promise<void> {
    for (;;) {
      const jobs = await processCdrJobs(storage, deps.sources, clock.now(), (err, conversationId) =>
        log.error({ err: { message: (err as Error).message }, conversationId }, 'could not write a CDR; retrying in a minute'),
      );
      const due = await db.selectFrom('cdr_pushes').select(['id', 'app_id', 'cdr_id', 'attempts']).where('status', '=', 'pending').where('next_attempt_at', '<=', clock.now()).orderBy('next_attempt_at').limit(20).execute();
      await Promise.all(due.map((p) => pushOne(p)));
      if (jobs < 50 && due.length < 20) return;
    }
  }

  function schedulePoll(): void {
    cancelPoll?.();
    if (!started || closed) return;
    cancelPoll = clock.at(clock.now() + pollIntervalMs, () => {
      cancelPoll = undefined;
      void kick();
    });
  }

  function kick(): Promise<void> {
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      do {
        rerun = false;
        try {
          await pass();
        } catch (err) {
          log.error({ err: { message: (err as Error).message } }, 'reports worker pass failed; retrying at the next poll');
        }
      } while (rerun && !closed);
    })().finally(() => {
      running = undefined;
      schedulePoll();
    });
    return running;
  }

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

    async getCdr(appId: string, sessionId: string): Promise<Cdr> {
      const row = await db.selectFrom('cdrs').select('data').where('app_id', '=', appId).where('conversation_id', '=', sessionId).executeTakeFirst();
      if (!row) throw new ReportsError('FD_CDR_NOT_FOUND', 'no CDR for this session');
      return JSON.parse(row.data) as Cdr;
    },

    /** The data push delivery log, newest first, with each push's attempts; `after` continues a page. */
    async listPushDeliveries(appId: string, query: { status?: DataPushDelivery['status'] | undefined; sessionId?: string | undefined; after?: string | undefined; limit: number }): Promise<{ deliveries: DataPushDelivery[]; nextAfter: string | null }> {
      let q = db
        .selectFrom('cdr_pushes as p')
        .innerJoin('cdrs as c', 'c.id', 'p.cdr_id')
        .select(['p.id', 'p.status', 'p.attempts', 'p.next_attempt_at', 'p.created_at', 'c.conversation_id'])
        .where('p.app_id', '=', appId);
      if (query.status) q = q.where('p.status', '=', query.status);
      if (query.sessionId) q = q.where('c.conversation_id', '=', query.sessionId);
      const [afterCreated, afterId] = (query.after ?? '').split(':');
      if (query.after && afterId) {
        q = q.where((eb) => eb.or([eb('p.created_at', '<', Number(afterCreated)), eb.and([eb('p.created_at', '=', Number(afterCreated)), eb('p.id', '<', afterId)])]));
      }
      const rows = await q.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(query.limit + 1).execute();
      const page = rows.slice(0, query.limit);
      const attempts = page.length
        ? await db.selectFrom('cdr_push_attempts').selectAll().where('app_id', '=', appId).where('push_id', 'in', page.map((p) => p.id)).orderBy('at').execute()
        : [];
      const last = page.at(-1);
      return {
        deliveries: page.map((p) => ({
          id: p.id,
          sessionId: p.conversation_id,
          status: p.status as DataPushDelivery['status'],
          attempts: p.attempts,
          nextAttemptAt: p.status === 'pending' ? Number(p.next_attempt_at) : null,
          createdAt: Number(p.created_at),
          attemptLog: attempts
            .filter((a) => a.push_id === p.id)
            .map((a) => ({ at: Number(a.at), statusCode: a.status_code, errCode: a.err_code, error: a.error, latencyMs: a.latency_ms })),
        })),
        nextAfter: rows.length > query.limit && last ? `${last.created_at}:${last.id}` : null,
      };
    },

    /** Sends a push again from its first attempt (same push UUID, so the receiver can tell it is the same CDR). */
    async replayPushDelivery(appId: string, pushId: string): Promise<void> {
      const now = clock.now();
      const result = await db
        .updateTable('cdr_pushes')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: null, updated_at: now })
        .where('app_id', '=', appId)
        .where('id', '=', pushId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new ReportsError('FD_DATA_PUSH_DELIVERY_NOT_FOUND', `data push delivery ${pushId} not found`);
      void kick();
    },

    /** Starts this node's worker (timers on the injected clock). */
    start(): void {
      if (started || closed) return;
      started = true;
      pruning.start();
      void kick();
    },
    /** Writes due CDRs and sends due pushes now; resolves when nothing is due (tests). */
    runOnce: (): Promise<void> => kick(),
    async close(): Promise<void> {
      closed = true;
      cancelPoll?.();
      await pruning.stop();
      await running;
      client.close();
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
