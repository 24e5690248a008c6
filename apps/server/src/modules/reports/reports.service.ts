import type { Cdr } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
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

    /** The pushes of one session's CDR with their attempts (delivery log). */
    async pushesOf(appId: string, sessionId: string) {
      const cdr = await db.selectFrom('cdrs').select('id').where('app_id', '=', appId).where('conversation_id', '=', sessionId).executeTakeFirst();
      if (!cdr) return [];
      const pushes = await db.selectFrom('cdr_pushes').selectAll().where('app_id', '=', appId).where('cdr_id', '=', cdr.id).orderBy('created_at').execute();
      return Promise.all(
        pushes.map(async (p) => ({
          id: p.id,
          status: p.status,
          attempts: await db.selectFrom('cdr_push_attempts').select(['at', 'status_code', 'err_code', 'error']).where('push_id', '=', p.id).orderBy('at').execute(),
        })),
      );
    },

    /** Starts this node's worker (timers on the injected clock). */
    start(): void {
      if (started || closed) return;
      started = true;
      void kick();
    },
    /** Writes due CDRs and sends due pushes now; resolves when nothing is due (tests). */
    runOnce: (): Promise<void> => kick(),
    async close(): Promise<void> {
      closed = true;
      cancelPoll?.();
      await running;
      client.close();
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
