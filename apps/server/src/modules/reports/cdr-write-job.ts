import type { Conversation } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueJobs, type JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { buildCdr, type AgentInfo, type RoutingStep } from './cdr-builder.ts';
import { enqueueDataPush } from './data-push-job.ts';
import { findPushSettings } from './data-push-settings.ts';

/** What the CDR writer reads of other modules: their public service functions, passed in. */
export interface CdrSources {
  findConversation(appId: string, conversationId: string): Promise<Conversation | undefined>;
  conversationRouting(appId: string, conversationId: string): Promise<{ history: RoutingStep[] }>;
  queuesOf(appId: string): Promise<{ id: string; name: string }[]>;
  agentOf(appId: string, agentId: string): Promise<AgentInfo | undefined>;
}

/** A CDR write is a job of this kind (platform/jobs), one per conversation (its dedupe key). */
export const CDR_WRITE_JOB = 'reports.cdr-write';
export interface CdrWritePayload {
  conversationId: string;
  closedAt: number;
}

/** Written: the CDR exists now (this attempt or an earlier one wrote it); skipped: the conversation is not closed or gone. */
type CdrWriteOutcome = { result: 'written' | 'skipped'; error: null; latencyMs: number } | { result: 'failed'; error: string; latencyMs: number };

/** A CDR that could not be written is tried again this much later, as often as it takes. */
export const CDR_WRITE_RETRY_MS = 60_000;

/**
 * Leaves a CDR-write job in the caller's transaction (the one that closes the conversation), so a
 * closed conversation gets its CDR even if the node dies right after the commit. One insert, no
 * reads; a second close of one conversation adds nothing (one job per conversation).
 */
export async function enqueueCdrWrite(tx: Tx, { appId, conversationId, closedAt }: { appId: string; conversationId: string; closedAt: number }): Promise<void> {
  await enqueueJobs<CdrWritePayload>(tx, [{ kind: CDR_WRITE_JOB, appId, dedupeKey: conversationId, payload: { conversationId, closedAt } }], closedAt);
}

/**
 * Turns a closed conversation into its CDR: reads the conversation and its routing history, then
 * in one transaction inserts the CDR (a second writer's insert is ignored: unique conversation id)
 * and, when the app has an enabled data push, a data-push job. A failure is retried every minute,
 * with its error in the attempt log; a success leaves no log row.
 */
export function cdrWriteKind({ storage, clock, log, sources }: { storage: Storage; clock: Clock; log: Logger; sources: CdrSources }): JobKind<CdrWritePayload, CdrWriteOutcome> {
  const { db } = storage;

  async function write(appId: string, conversationId: string): Promise<'written' | 'skipped'> {
    const conversation = await sources.findConversation(appId, conversationId);
    if (!conversation || conversation.status !== 'closed') return 'skipped';
    const { history } = await sources.conversationRouting(appId, conversationId);
    const queueNames = new Map((await sources.queuesOf(appId)).map((q) => [q.id, q.name] as const));
    const agentIds = new Set(history.flatMap((h) => (h.type === 'assign' && typeof h.data.agentId === 'string' ? [h.data.agentId] : [])));
    if (conversation.agentId) agentIds.add(conversation.agentId);
    const agents = new Map<string, AgentInfo>();
    for (const id of agentIds) {
      const agent = await sources.agentOf(appId, id).catch(() => undefined);
      if (agent) agents.set(id, agent);
    }
    const cdr = buildCdr(conversation, history, queueNames, agents);
    await db.transaction().execute(async (tx) => {
      const nowMs = clock.now();
      const cdrId = newId('cdr');
      const inserted = await tx
        .insertInto('cdrs')
        .values({ id: cdrId, app_id: appId, conversation_id: conversationId, ended_at: conversation.closedAt ?? nowMs, data: JSON.stringify(cdr), created_at: nowMs })
        .onConflict((oc) => oc.column('conversation_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
      const settings = await findPushSettings(tx, appId);
      if (settings?.enabled === 1) await enqueueDataPush(tx, { appId, cdrId, nowMs });
    });
    return 'written';
  }

  return {
    kind: CDR_WRITE_JOB,
    attemptIdPrefix: 'cwa',
    async run(job) {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      try {
        return { result: await write(job.appId, job.payload.conversationId), error: null, latencyMs: latencyMs() };
      } catch (err) {
        log.error({ err: { message: (err as Error).message }, conversationId: job.payload.conversationId }, 'could not write a CDR; retrying in a minute');
        return { result: 'failed', error: (err as Error).message, latencyMs: latencyMs() };
      }
    },
    decide: (_job, _context, outcome, nowMs) =>
      outcome.result === 'written' ? { status: 'done' } : outcome.result === 'skipped' ? { status: 'cancelled' } : { status: 'retry', nextAttemptAt: nowMs + CDR_WRITE_RETRY_MS },
    attemptOf: (outcome) => (outcome.result === 'failed' ? { statusCode: null, error: outcome.error, latencyMs: outcome.latencyMs } : null),
  };
}
