import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { DbOrTx, Storage, Tx } from '../../platform/storage/storage.ts';
import type { CallState } from './engine/types.ts';
import type { RoomRef } from './calls.events.ts';
import type { CallsTables } from './calls.schema.ts';

export type CallRow = CallsTables['calls'];


/** A call as the shell keeps it: the engine's state, the engine time of its last event, its room. */
export interface StoredCall {
  appId: string;
  state: CallState;
  clockAt: number;
  room: RoomRef | null;
}

function toStored(row: CallRow): StoredCall {
  return {
    appId: row.app_id,
    state: JSON.parse(row.state) as CallState,
    clockAt: Number(row.clock_at),
    room: row.media_instance && row.media_room ? { instanceId: row.media_instance, roomId: row.media_room } : null,
  };
}

/**
 * A user's live calls: read by every socket's hello, so compiled once. NOTE: from the user's legs
 * (`p.app_id` stated, so their index call_participants_user is used whole): with the app stated on
 * the calls alone, SQLite walked every call the app ever had, on every hello (25 ms at 200,000 calls).
 */
const selectLiveCallsOf = compiledOnce<{ appId: string; role: 'visitor' | 'agent'; userId: string }, CallRow>((db, a) =>
  db
    .selectFrom('calls')
    .innerJoin('call_participants as p', 'p.call_id', 'calls.id')
    .selectAll('calls')
    .where('p.app_id', '=', a.appId)
    .where('calls.app_id', '=', a.appId)
    .where('calls.ended_at', 'is', null)
    .where('p.role', '=', a.role)
    .where('p.user_id', '=', a.userId)
    .where('p.left_at', 'is', null),
);

/** The calls module's SQL: one row per call (the engine's state and what queries filter on), one per leg. */
export function createCallStore(storage: Storage) {
  const { db } = storage;

  return {
    /** The call, locked until the transaction ends (one decision at a time per call, across nodes). */
    async lock(tx: Tx, appId: string, callId: string): Promise<StoredCall | undefined> {
      const row = await storage.forUpdate(tx.selectFrom('calls').selectAll().where('app_id', '=', appId).where('id', '=', callId)).executeTakeFirst();
      return row && toStored(row);
    },

    async find(appId: string, callId: string, from: DbOrTx = db): Promise<StoredCall | undefined> {
      const row = await from.selectFrom('calls').selectAll().where('app_id', '=', appId).where('id', '=', callId).executeTakeFirst();
      return row && toStored(row);
    },

    /** Writes the call as the engine left it, and its legs; `isNew` inserts. A second live call of a conversation violates a unique index. */
    async save(tx: Tx, appId: string, state: CallState, clockAt: number, nextDeadlineAt: number | null, isNew: boolean): Promise<void> {
      const columns = {
        phase: state.phase,
        main_agent_id: state.mainAgentId,
        queue_id: state.queueId,
        accepted_at: state.acceptedAt,
        ended_at: state.endedAt,
        end_reason: state.endReason,
        hung_up_side: state.hungUpSide,
        clock_at: clockAt,
        next_deadline_at: nextDeadlineAt,
        state: JSON.stringify(state),
        updated_at: clockAt,
      };
      if (isNew) {
        await tx
          .insertInto('calls')
          .values({
            id: state.id,
            app_id: appId,
            conversation_id: state.conversationId,
            kind: state.kind,
            direction: state.direction,
            origin: state.origin,
            visitor_id: state.visitorId,
            created_at: state.createdAt,
            media_instance: null,
            media_room: null,
            ...columns,
          })
          .execute();
      } else await tx.updateTable('calls').set(columns).where('app_id', '=', appId).where('id', '=', state.id).execute();
      // Legs only ever get added or leave: insert the new ones, mark those that left.
      const known = new Map((await tx.selectFrom('call_participants').select(['seq', 'left_at']).where('call_id', '=', state.id).execute()).map((r) => [r.seq, r.left_at]));
      const added = state.participants.filter((p) => !known.has(p.seq));
      if (added.length > 0) {
        await tx
          .insertInto('call_participants')
          .values(added.map((p) => ({ call_id: state.id, seq: p.seq, app_id: appId, role: p.role, user_id: p.userId, left_at: p.leftAt })))
          .execute();
      }
      for (const p of state.participants) {
        if (p.leftAt !== null && known.has(p.seq) && known.get(p.seq) === null) {
          await tx.updateTable('call_participants').set({ left_at: p.leftAt }).where('call_id', '=', state.id).where('seq', '=', p.seq).execute();
        }
      }
    },

    async setRoom(appId: string, callId: string, room: RoomRef): Promise<void> {
      await db.updateTable('calls').set({ media_instance: room.instanceId, media_room: room.roomId }).where('app_id', '=', appId).where('id', '=', callId).execute();
    },

    /** The live call of a conversation, if any. */
    async liveOfConversation(appId: string, conversationId: string): Promise<StoredCall | undefined> {
      const row = await db.selectFrom('calls').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).where('ended_at', 'is', null).executeTakeFirst();
      return row && toStored(row);
    },

    /** Whether any call is in progress, on any app. */
    async hasLiveCalls(): Promise<boolean> {
      return (await db.selectFrom('calls').select('id').where('ended_at', 'is', null).limit(1).executeTakeFirst()) !== undefined;
    },

    /** The app's calls not ended, oldest first (the supervisor board). */
    async live(appId: string, limit: number): Promise<StoredCall[]> {
      return (await db.selectFrom('calls').selectAll().where('app_id', '=', appId).where('ended_at', 'is', null).orderBy('created_at').limit(limit).execute()).map(toStored);
    },

    /** Whether the visitor is in a live call (of any of its conversations). */
    async visitorInLiveCall(appId: string, visitorId: string): Promise<boolean> {
      return (await db.selectFrom('calls').select('id').where('app_id', '=', appId).where('visitor_id', '=', visitorId).where('ended_at', 'is', null).executeTakeFirst()) !== undefined;
    },

    /** Live calls a user (visitor or agent) has a leg in that has not left: what a reconnecting socket rejoins. */
    async liveCallsOf(appId: string, role: 'visitor' | 'agent', userId: string): Promise<StoredCall[]> {
      const { rows } = await selectLiveCallsOf(db, { appId, role, userId });
      return [...new Map(rows.map((r) => [r.id, r])).values()].map(toStored);
    },

    /** Live calls whose engine timer is due, oldest deadline first (each node's timer sweep). */
    async due(nowMs: number, limit: number): Promise<{ appId: string; callId: string }[]> {
      const rows = await db
        .selectFrom('calls')
        .select(['app_id', 'id'])
        .where('ended_at', 'is', null)
        .where('next_deadline_at', '<=', nowMs)
        .orderBy('next_deadline_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ appId: r.app_id, callId: r.id }));
    },

    /** Live calls whose room is on this media instance (it went away). */
    async liveOnInstance(instanceId: string): Promise<{ appId: string; callId: string }[]> {
      const rows = await db.selectFrom('calls').select(['app_id', 'id']).where('ended_at', 'is', null).where('media_instance', '=', instanceId).execute();
      return rows.map((r) => ({ appId: r.app_id, callId: r.id }));
    },

    async list(appId: string, query: { conversationId?: string | undefined; limit: number }): Promise<StoredCall[]> {
      let q = db.selectFrom('calls').selectAll().where('app_id', '=', appId);
      if (query.conversationId) q = q.where('conversation_id', '=', query.conversationId);
      return (await q.orderBy('created_at', 'desc').limit(query.limit).execute()).map(toStored);
    },
  };
}

export type CallStore = ReturnType<typeof createCallStore>;
