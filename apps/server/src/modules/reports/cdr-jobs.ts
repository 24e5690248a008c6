import { randomUUID } from 'node:crypto';
import type { Conversation } from '@frontdesk/protocol';
import { newId } from '../../platform/ids.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { buildCdr, type AgentInfo, type QueueInfo, type RoutingStep } from './cdr-builder.ts';
import { findPushSettings } from './data-push-settings.ts';

/** What the CDR worker reads of other modules: their public service functions, passed in. */
export interface CdrSources {
  findConversation(appId: string, conversationId: string): Promise<Conversation | undefined>;
  conversationRouting(appId: string, conversationId: string): Promise<{ history: RoutingStep[] }>;
  /** The app's numeric id (TCCC SdkAppId). */
  appNumericId(appId: string): Promise<number>;
  queuesOf(appId: string): Promise<{ id: string; name: string; numericId: number }[]>;
  agentOf(appId: string, agentId: string): Promise<{ id: string; name: string; email: string; staffNumber: string } | undefined>;
  /** The queues an agent serves (skills and queue groups). */
  agentQueueIds(appId: string, agentId: string): Promise<string[]>;
}

const RETRY_JOB_MS = 60_000;

/**
 * Leaves a CDR job in the transaction that closes a conversation (an in-transaction listener of
 * `conversation.closed`): a closed conversation gets its CDR even if the node dies right after the
 * commit, without reading the conversations module's tables.
 */
export async function enqueueCdrWrite(tx: Tx, job: { appId: string; conversationId: string; closedAt: number }): Promise<void> {
  await tx
    .insertInto('cdr_jobs')
    .values({ conversation_id: job.conversationId, app_id: job.appId, closed_at: job.closedAt, next_attempt_at: job.closedAt, attempts: 0 })
    .onConflict((oc) => oc.column('conversation_id').doNothing())
    .execute();
}

/**
 * Turns due CDR jobs into CDRs: reads the conversation and its routing history, then in one
 * transaction inserts the CDR (a second writer's insert is ignored: unique conversation id),
 * its push when the app has an enabled data push, and drops the job. Answers how many were due.
 */
export async function processCdrJobs(storage: Storage, sources: CdrSources, nowMs: number, onError: (err: unknown, conversationId: string) => void, limit = 50): Promise<number> {
  const { db } = storage;
  const jobs = await db.selectFrom('cdr_jobs').selectAll().where('next_attempt_at', '<=', nowMs).orderBy('next_attempt_at').limit(limit).execute();
  // Read once per pass: many CDRs of one pass share their app and agents.
  const appNumbers = new Map<string, Promise<number>>();
  const agentInfos = new Map<string, Promise<AgentInfo | undefined>>();
  const memo = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
    let value = cache.get(key);
    if (!value) cache.set(key, (value = read()));
    return value;
  };
  for (const job of jobs) {
    try {
      const conversation = await sources.findConversation(job.app_id, job.conversation_id);
      if (!conversation || conversation.status !== 'closed') {
        await db.deleteFrom('cdr_jobs').where('conversation_id', '=', job.conversation_id).execute();
        continue;
      }
      const { history } = await sources.conversationRouting(job.app_id, job.conversation_id);
      const queues = new Map<string, QueueInfo>((await sources.queuesOf(job.app_id)).map((q) => [q.id, { name: q.name, numericId: q.numericId }] as const));
      const agentIds = new Set(history.flatMap((h) => (h.type === 'assign' && typeof h.data.agentId === 'string' ? [h.data.agentId] : [])));
      for (const h of history) {
        const to = h.type === 'transfer' ? (h.data.to as { agentId?: unknown } | undefined) : undefined;
        if (typeof to?.agentId === 'string') agentIds.add(to.agentId);
      }
      if (conversation.agentId) agentIds.add(conversation.agentId);
      const agents = new Map<string, AgentInfo>();
      for (const id of agentIds) {
        const agent = await memo(agentInfos, `${job.app_id} ${id}`, async () => {
          const found = await sources.agentOf(job.app_id, id).catch(() => undefined);
          if (!found) return undefined;
          const queueIds = await sources.agentQueueIds(job.app_id, id).catch(() => []);
          return { ...found, queueNames: queueIds.flatMap((q) => queues.get(q)?.name ?? []) };
        });
        if (agent) agents.set(id, agent);
      }
      const appNumericId = await memo(appNumbers, job.app_id, () => sources.appNumericId(job.app_id));
      const cdr = buildCdr(conversation, history, { appNumericId, queues, agents });
      await db.transaction().execute(async (tx) => {
        const cdrId = newId('cdr');
        const inserted = await tx
          .insertInto('cdrs')
          .values({ id: cdrId, app_id: job.app_id, conversation_id: job.conversation_id, ended_at: conversation.closedAt ?? nowMs, data: JSON.stringify(cdr), created_at: nowMs })
          .onConflict((oc) => oc.column('conversation_id').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
          const settings = await findPushSettings(tx, job.app_id);
          if (settings?.enabled === 1) {
            // The push id is the X-TCCC-PUSH-UUID: unique per record, the same on every retry.
            await tx
              .insertInto('cdr_pushes')
              .values({ id: randomUUID(), app_id: job.app_id, cdr_id: cdrId, status: 'pending', attempts: 0, next_attempt_at: nowMs, lease_until: null, created_at: nowMs, updated_at: nowMs })
              .execute();
          }
        }
        await tx.deleteFrom('cdr_jobs').where('conversation_id', '=', job.conversation_id).execute();
      });
    } catch (err) {
      onError(err, job.conversation_id);
      await db
        .updateTable('cdr_jobs')
        .set({ next_attempt_at: nowMs + RETRY_JOB_MS, attempts: job.attempts + 1 })
        .where('conversation_id', '=', job.conversation_id)
        .execute();
    }
  }
  return jobs.length;
}
