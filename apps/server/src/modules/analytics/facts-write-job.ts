import type { Conversation, Message } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { enqueueJobs, type JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { buildConversationFacts, type ConversationFacts, type HistoryStep } from './conversation-facts.ts';
import { agentKeyOf, channelKeyOf, emptySlotKeys, slotKey, type SlotKeys } from './rollup-slots.ts';
import { heldHoursOf } from './rollup-hours.ts';
import { refreshSlots } from './rollup-store.ts';

/** What the facts writer reads of other modules: their public service functions, passed in. */
export interface FactSources {
  findConversation(appId: string, conversationId: string): Promise<Conversation | undefined>;
  conversationRouting(appId: string, conversationId: string): Promise<{ history: HistoryStep[] }>;
  messagesAfter(appId: string, conversationId: string, afterSeq: number, limit: number): Promise<Message[]>;
  /** The conversation's rating, if any: a rebuild restores a rating given before the read model existed. */
  ratingOf(appId: string, conversationId: string): Promise<{ stars: number; updatedAt: number } | undefined>;
}

export const FACTS_WRITE_JOB = 'analytics.facts-write';
export type FactsWritePayload = { conversationId: string };
type FactsWriteOutcome = { result: 'written' | 'skipped'; error: null; latencyMs: number } | { result: 'failed'; error: string; latencyMs: number };
export const FACTS_WRITE_RETRY_MS = 60_000;
const MESSAGE_PAGE = 500;

/** Leaves the facts-write job in the transaction that closes the conversation (one per conversation). */
export async function enqueueFactsWrite(tx: Tx, { appId, conversationId, closedAt }: { appId: string; conversationId: string; closedAt: number }): Promise<void> {
  await enqueueJobs<FactsWritePayload>(tx, [{ kind: FACTS_WRITE_JOB, appId, dedupeKey: conversationId, payload: { conversationId } }], closedAt);
}

const REBUILD_PAGE = 1000;

/**
 * Leaves a facts-write job for every closed conversation of an app (those closed before the read
 * model existed, or after a change of the formulas), a page at a time, each page in one
 * transaction. A conversation whose job ran already gets it again ('reopen'): a rebuild replaces
 * its rows, never adds to them. The workers run them like any other; returns how many.
 */
export async function enqueueRebuild(storage: Storage, clock: Clock, appId: string, closedConversations: (appId: string, afterId: string, limit: number) => Promise<{ id: string }[]>): Promise<number> {
  let count = 0;
  for (let after = ''; ; ) {
    const page = await closedConversations(appId, after, REBUILD_PAGE);
    if (page.length === 0) break;
    const jobs = page.map((c) => ({ kind: FACTS_WRITE_JOB, appId, dedupeKey: c.id, payload: { conversationId: c.id } }));
    await storage.db.transaction().execute((tx) => enqueueJobs<FactsWritePayload>(tx, jobs, clock.now(), 'reopen'));
    count += page.length;
    if (page.length < REBUILD_PAGE) break;
    after = page.at(-1)!.id;
  }
  return count;
}

/**
 * Replaces a conversation's rows of the read model by `facts`, in one transaction (a rebuild never
 * counts twice). Returns the roll-up slots its old and new rows fall in: the caller rewrites them.
 */
export async function storeFacts(tx: Tx, facts: ConversationFacts, writtenAt: number): Promise<SlotKeys> {
  const c = facts.conversation;
  const id = c.conversationId;
  const keys = emptySlotKeys();
  const [oldConversation, oldVisits, oldAssignments, oldOffers] = await Promise.all([
    tx.selectFrom('report_conversations').select(['channel_id', 'arrived_at']).where('conversation_id', '=', id).execute(),
    tx.selectFrom('report_queue_visits').select(['queue_id', 'entered_at']).where('conversation_id', '=', id).execute(),
    tx.selectFrom('report_assignments').select(['agent_id', 'assigned_at', 'ended_at']).where('conversation_id', '=', id).execute(),
    tx.selectFrom('report_offers').select(['agent_id', 'offered_at']).where('conversation_id', '=', id).execute(),
  ]);
  for (const r of oldConversation) keys.channels.add(slotKey(channelKeyOf(r.channel_id), r.arrived_at));
  keys.channels.add(slotKey(channelKeyOf(c.channelId), c.arrivedAt));
  for (const r of oldVisits) keys.queues.add(slotKey(r.queue_id, r.entered_at));
  for (const v of facts.visits) keys.queues.add(slotKey(v.queueId, v.enteredAt));
  for (const r of oldAssignments) keys.agents.add(slotKey(r.agent_id, r.assigned_at));
  for (const a of facts.assignments) keys.agents.add(slotKey(a.agentId, a.assignedAt));
  // Every hour the old and new assignments hold their agent in: its held time changes.
  for (const r of oldAssignments) for (const h of heldHoursOf(r.assigned_at, r.ended_at)) keys.agentHours.add(slotKey(r.agent_id, h));
  for (const a of facts.assignments) for (const h of heldHoursOf(a.assignedAt, a.endedAt)) keys.agentHours.add(slotKey(a.agentId, h));
  for (const r of oldOffers) keys.agents.add(slotKey(r.agent_id, r.offered_at));
  for (const o of facts.offers) keys.agents.add(slotKey(o.agentId, o.offeredAt));
  await tx.deleteFrom('report_conversations').where('conversation_id', '=', id).execute();
  await tx.deleteFrom('report_queue_visits').where('conversation_id', '=', id).execute();
  await tx.deleteFrom('report_assignments').where('conversation_id', '=', id).execute();
  await tx.deleteFrom('report_offers').where('conversation_id', '=', id).execute();
  await tx
    .insertInto('report_conversations')
    .values({
      conversation_id: id,
      app_id: c.appId,
      channel_id: c.channelId,
      visitor_id: c.visitorId,
      queue_id: c.queueId,
      arrived_at: c.arrivedAt,
      queued_at: c.queuedAt,
      answered_at: c.answeredAt,
      ended_at: c.endedAt,
      wait_ms: c.waitMs,
      outcome: c.outcome,
      with_bot: c.withBot ? 1 : 0,
      handed_off: c.handedOff ? 1 : 0,
      transfers: c.transfers,
      first_agent_id: c.firstAgentId,
      last_agent_id: c.lastAgentId,
      agent_ids: JSON.stringify(c.agentIds),
      handle_ms: c.handleMs,
      first_response_ms: c.firstResponseMs,
      visitor_messages: c.visitorMessages,
      agent_messages: c.agentMessages,
      bot_messages: c.botMessages,
      close_by: c.closeBy,
      written_at: writtenAt,
    })
    .execute();
  if (facts.visits.length)
    await tx
      .insertInto('report_queue_visits')
      .values(
        facts.visits.map((v) => ({
          app_id: c.appId,
          conversation_id: id,
          queue_id: v.queueId,
          channel_id: v.channelId,
          entered_at: v.enteredAt,
          answered_at: v.answeredAt,
          wait_ms: v.waitMs,
          outcome: v.outcome,
          transferred: v.transferred ? 1 : 0,
          agent_id: v.agentId,
          handle_ms: v.handleMs,
          assignment_ended_at: v.assignmentEndedAt,
        })),
      )
      .execute();
  if (facts.assignments.length)
    await tx
      .insertInto('report_assignments')
      .values(
        facts.assignments.map((a, i) => ({
          id: `${id}:${i}`,
          app_id: c.appId,
          conversation_id: id,
          agent_id: a.agentId,
          queue_id: a.queueId,
          channel_id: a.channelId,
          assigned_at: a.assignedAt,
          ended_at: a.endedAt,
          handle_ms: a.handleMs,
          first_response_ms: a.firstResponseMs,
          responses: a.responses,
          response_total_ms: a.responseTotalMs,
          transferred_out: a.transferredOut ? 1 : 0,
        })),
      )
      .execute();
  if (facts.offers.length)
    await tx
      .insertInto('report_offers')
      .values(facts.offers.map((o, i) => ({ id: `${id}:${i}`, app_id: c.appId, conversation_id: id, agent_id: o.agentId, queue_id: o.queueId, offered_at: o.offeredAt, outcome: o.outcome })))
      .execute();
  return keys;
}

/**
 * Turns a closed conversation into its rows of the read model: reads the conversation, its routing
 * history and its messages through their modules, builds the facts (pure) and stores them. A
 * failure is retried every minute, with its error in the attempt log.
 */
export function factsWriteKind({ storage, clock, log, sources, onWritten }: { storage: Storage; clock: Clock; log: Logger; sources: FactSources; onWritten?: (appId: string, facts: ConversationFacts) => void }): JobKind<FactsWritePayload, FactsWriteOutcome> {
  async function write(appId: string, conversationId: string): Promise<'written' | 'skipped'> {
    const conversation = await sources.findConversation(appId, conversationId);
    if (!conversation || conversation.status !== 'closed') return 'skipped';
    const { history } = await sources.conversationRouting(appId, conversationId);
    const messages: Message[] = [];
    for (let after = 0; ; ) {
      const page = await sources.messagesAfter(appId, conversationId, after, MESSAGE_PAGE);
      messages.push(...page);
      if (page.length < MESSAGE_PAGE) break;
      after = page.at(-1)!.seq;
    }
    const facts = buildConversationFacts(
      { id: conversation.id, appId, channelId: conversation.channelId, visitorId: conversation.visitorId, createdAt: conversation.createdAt, closedAt: conversation.closedAt ?? clock.now(), closeBy: conversation.closeBy },
      history,
      messages.map((m) => ({ senderType: m.senderType, senderId: m.senderId, kind: m.kind, createdAt: m.createdAt })),
    );
    const rating = await sources.ratingOf(appId, conversationId);
    await storage.db.transaction().execute(async (tx) => {
      const keys = await storeFacts(tx, facts, clock.now());
      // NOTE: only when missing: the row written when the rating was given names the agent who held
      // the conversation then, which a transfer after it may have changed.
      if (rating) {
        const row = { conversation_id: conversationId, app_id: appId, agent_id: facts.conversation.lastAgentId, stars: rating.stars, rated_at: rating.updatedAt };
        await tx.insertInto('report_ratings').values(row).onConflict((oc) => oc.column('conversation_id').doNothing()).execute();
        const kept = await tx.selectFrom('report_ratings').select(['agent_id', 'rated_at']).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
        keys.agents.add(slotKey(agentKeyOf(kept.agent_id), kept.rated_at));
      }
      // The roll-ups move with the rows, in the same transaction: a report never sees one without the other.
      await refreshSlots(tx, (t, key) => storage.lockKey(t, key), appId, keys);
    });
    onWritten?.(appId, facts);
    return 'written';
  }

  return {
    kind: FACTS_WRITE_JOB,
    attemptIdPrefix: 'fwa',
    async run(job) {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      try {
        return { result: await write(job.appId, job.payload.conversationId), error: null, latencyMs: latencyMs() };
      } catch (err) {
        log.error({ err: { message: (err as Error).message }, job: job.dedupeKey }, 'could not write report facts; retrying in a minute');
        return { result: 'failed', error: (err as Error).message, latencyMs: latencyMs() };
      }
    },
    decide: (_job, _context, outcome, nowMs) =>
      outcome.result === 'written' ? { status: 'done' } : outcome.result === 'skipped' ? { status: 'cancelled' } : { status: 'retry', nextAttemptAt: nowMs + FACTS_WRITE_RETRY_MS },
    attemptOf: (outcome) => (outcome.result === 'failed' ? { statusCode: null, error: outcome.error, latencyMs: outcome.latencyMs } : null),
  };
}
