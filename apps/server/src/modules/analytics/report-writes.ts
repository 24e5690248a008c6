import type { Tx } from '../../platform/storage/storage.ts';
import { agentKeyOf, emptySlotKeys, slotKey } from './rollup-slots.ts';
import { refreshSlots, type LockKey } from './rollup-store.ts';

/**
 * The rows written in the transaction that records a rating or an ended call, with their roll-up
 * slots (the rating a new one replaces leaves its slot, the new one enters its own).
 */

export interface RatingFact {
  conversationId: string;
  agentId: string | null;
  stars: number;
  ratedAt: number;
}

/** The last rating of a conversation replaces the one before: it counts once. */
export async function writeRating(tx: Tx, lockKey: LockKey, appId: string, r: RatingFact): Promise<void> {
  const row = { app_id: appId, agent_id: r.agentId, stars: r.stars, rated_at: r.ratedAt };
  const keys = emptySlotKeys();
  const before = await tx.selectFrom('report_ratings').select(['agent_id', 'rated_at']).where('conversation_id', '=', r.conversationId).executeTakeFirst();
  if (before) keys.agents.add(slotKey(agentKeyOf(before.agent_id), before.rated_at));
  keys.agents.add(slotKey(agentKeyOf(r.agentId), r.ratedAt));
  await tx
    .insertInto('report_ratings')
    .values({ conversation_id: r.conversationId, ...row })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(row))
    .execute();
  await refreshSlots(tx, lockKey, appId, keys);
}

export interface CallFact {
  callId: string;
  conversationId: string;
  mainAgentId: string | null;
  queueId: string | null;
  kind: string;
  startedAt: number;
  acceptedAt: number | null;
  endedAt: number;
  durationMs: number;
  endStatus: string;
}

/** Ended calls, each written once (a repeated end is ignored). */
export async function writeCalls(tx: Tx, lockKey: LockKey, appId: string, calls: readonly CallFact[]): Promise<void> {
  const keys = emptySlotKeys();
  for (const s of calls) {
    await tx
      .insertInto('report_calls')
      .values({
        call_id: s.callId,
        app_id: appId,
        conversation_id: s.conversationId,
        agent_id: s.mainAgentId,
        queue_id: s.queueId,
        kind: s.kind,
        started_at: s.startedAt,
        accepted_at: s.acceptedAt,
        ended_at: s.endedAt,
        duration_ms: s.durationMs,
        end_status: s.endStatus,
      })
      .onConflict((oc) => oc.column('call_id').doNothing())
      .execute();
    keys.agents.add(slotKey(agentKeyOf(s.mainAgentId), s.startedAt));
  }
  await refreshSlots(tx, lockKey, appId, keys);
}
