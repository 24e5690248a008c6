import type { CallSupervisionStep, Cdr, CdrWrapUp, CobrowseStep, Conversation, SupervisionStep } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueJobs, type JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import type { CallSummary } from '../calls/index.ts';
import { buildCallCdr } from './call-cdr-builder.ts';
import { buildCdr, type AgentInfo, type CdrDirectory, type QueueInfo, type RoutingStep } from './cdr-builder.ts';
import { enqueueDataPush } from './data-push-job.ts';
import { findPushSettings } from './data-push-settings.ts';
import { cobrowseOfCdr } from './cobrowse-cdr.ts';

/** What the CDR writer reads of other modules: their public service functions, passed in. */
export interface CdrSources {
  findConversation(appId: string, conversationId: string): Promise<Conversation | undefined>;
  conversationRouting(appId: string, conversationId: string): Promise<{ history: RoutingStep[] }>;
  /** The conversation's supervision steps, oldest first (SPEC M28). */
  supervisionOf(appId: string, conversationId: string): Promise<SupervisionStep[]>;
  /** A call's supervision steps, oldest first (SPEC M28). */
  callSupervisionOf?(appId: string, callId: string): Promise<CallSupervisionStep[]>;
  /** The steps of the conversation's co-browses (SPEC M32). */
  cobrowseOf(appId: string, conversationId: string): Promise<CobrowseStep[]>;
  /** The app's numeric id (TCCC SdkAppId). */
  appNumericId(appId: string): Promise<number>;
  queuesOf(appId: string): Promise<{ id: string; name: string; numericId: number }[]>;
  agentOf(appId: string, agentId: string): Promise<{ id: string; name: string; email: string; staffNumber: string } | undefined>;
  /** The queues an agent serves (skills and queue groups). */
  agentQueueIds(appId: string, agentId: string): Promise<string[]>;
  /** A recorded call's recording id and a link to its mixed file (valid for its retention); undefined when not recorded. */
  recordingOfCall?(appId: string, callId: string): Promise<{ id: string; url: string } | undefined>;
  /** The conversation's wrap-up as a CDR carries it, null before one is recorded (wrap-up module). */
  wrapUpOf(appId: string, conversationId: string): Promise<CdrWrapUp | null>;
}

/** A CDR write is a job of this kind (platform/jobs), one per conversation or call (its dedupe key). */
export const CDR_WRITE_JOB = 'reports.cdr-write';
/** A closed conversation (read when written), or an ended call (its summary from the call engine, whole). */
export type CdrWritePayload = { conversationId: string; closedAt: number } | { callId: string; summary: CallSummary };

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

/** Leaves the CDR-write job of an ended call in the transaction that ends it. */
export async function enqueueCallCdrWrite(tx: Tx, { appId, summary }: { appId: string; summary: CallSummary }): Promise<void> {
  await enqueueJobs<CdrWritePayload>(tx, [{ kind: CDR_WRITE_JOB, appId, dedupeKey: summary.callId, payload: { callId: summary.callId, summary } }], summary.endedAt);
}

/**
 * Turns a closed conversation into its CDR: reads the conversation and its routing history, then
 * in one transaction inserts the CDR (a second writer's insert is ignored: unique conversation id)
 * and, when the app has an enabled data push, a data-push job. A failure is retried every minute,
 * with its error in the attempt log; a success leaves no log row.
 */
export function cdrWriteKind({ storage, clock, log, sources }: { storage: Storage; clock: Clock; log: Logger; sources: CdrSources }): JobKind<CdrWritePayload, CdrWriteOutcome> {
  const { db } = storage;

  /** Inserts the CDR once (a second writer's insert is ignored: unique session id) and its data push. */
  async function store(appId: string, sessionId: string, endedAt: number, cdr: Cdr): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const nowMs = clock.now();
      const cdrId = newId('cdr');
      const inserted = await tx
        .insertInto('cdrs')
        .values({ id: cdrId, app_id: appId, conversation_id: sessionId, ended_at: endedAt, data: JSON.stringify(cdr), created_at: nowMs })
        .onConflict((oc) => oc.column('conversation_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
      const settings = await findPushSettings(tx, appId);
      if (settings?.enabled === 1) await enqueueDataPush(tx, { appId, cdrId, nowMs });
    });
  }

  /** The app's and queues' numbers and the named agents, as a CDR names them. */
  async function directoryOf(appId: string, agentIds: Iterable<string>): Promise<CdrDirectory> {
    const [appNumericId, queueList] = await Promise.all([sources.appNumericId(appId), sources.queuesOf(appId)]);
    const queues = new Map<string, QueueInfo>(queueList.map((q) => [q.id, { name: q.name, numericId: q.numericId }]));
    const agents = new Map<string, AgentInfo>();
    for (const id of new Set(agentIds)) {
      const agent = await sources.agentOf(appId, id).catch(() => undefined);
      if (!agent) continue;
      const queueIds = await sources.agentQueueIds(appId, id).catch(() => []);
      agents.set(id, { ...agent, queueNames: queueIds.flatMap((q) => queues.get(q)?.name ?? []) });
    }
    return { appNumericId, queues, agents };
  }

  async function writeCall(appId: string, summary: CallSummary): Promise<'written'> {
    const supervision = (await sources.callSupervisionOf?.(appId, summary.callId)) ?? [];
    const directory = await directoryOf(appId, [...summary.participants.filter((p) => p.role === 'agent').map((p) => p.userId), ...supervision.map((s) => s.supervisorId)]);
    const recording = await sources.recordingOfCall?.(appId, summary.callId);
    await store(appId, summary.callId, summary.endedAt, buildCallCdr(summary, directory, recording, supervision));
    return 'written';
  }

  async function write(appId: string, conversationId: string): Promise<'written' | 'skipped'> {
    const conversation = await sources.findConversation(appId, conversationId);
    if (!conversation || conversation.status !== 'closed') return 'skipped';
    const { history } = await sources.conversationRouting(appId, conversationId);
    // Every agent it was assigned or transferred to, and the one holding it.
    const agentIds = history.flatMap((h) => {
      const to = h.type === 'transfer' ? (h.data.to as { agentId?: unknown } | undefined) : undefined;
      const id = h.type === 'assign' ? h.data.agentId : to?.agentId;
      return typeof id === 'string' ? [id] : [];
    });
    if (conversation.agentId) agentIds.push(conversation.agentId);
    const supervision = await sources.supervisionOf(appId, conversationId);
    agentIds.push(...supervision.map((s) => s.supervisorId));
    const cobrowseSteps = await sources.cobrowseOf(appId, conversationId);
    agentIds.push(...cobrowseSteps.flatMap((s) => (s.actorRole === 'agent' && s.actorId ? [s.actorId] : [])));
    const [directory, wrapUp] = await Promise.all([directoryOf(appId, agentIds), sources.wrapUpOf(appId, conversationId)]);
    const cdr = buildCdr(conversation, history, directory, supervision, wrapUp);
    const cobrowse = cobrowseOfCdr(cobrowseSteps, { mailOf: (id) => directory.agents.get(id)?.email ?? '', endedAtMs: conversation.closedAt ?? clock.now() });
    await store(appId, conversationId, conversation.closedAt ?? clock.now(), cobrowse.length > 0 ? { ...cdr, Cobrowse: cobrowse } : cdr);
    return 'written';
  }

  return {
    kind: CDR_WRITE_JOB,
    attemptIdPrefix: 'cwa',
    async run(job) {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      try {
        const { payload } = job;
        const result = 'callId' in payload ? await writeCall(job.appId, payload.summary) : await write(job.appId, payload.conversationId);
        return { result, error: null, latencyMs: latencyMs() };
      } catch (err) {
        log.error({ err: { message: (err as Error).message }, job: job.dedupeKey }, 'could not write a CDR; retrying in a minute');
        return { result: 'failed', error: (err as Error).message, latencyMs: latencyMs() };
      }
    },
    decide: (_job, _context, outcome, nowMs) =>
      outcome.result === 'written' ? { status: 'done' } : outcome.result === 'skipped' ? { status: 'cancelled' } : { status: 'retry', nextAttemptAt: nowMs + CDR_WRITE_RETRY_MS },
    attemptOf: (outcome) => (outcome.result === 'failed' ? { statusCode: null, error: outcome.error, latencyMs: outcome.latencyMs } : null),
  };
}
