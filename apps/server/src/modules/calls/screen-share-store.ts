import type { PartyRef, ScreenShare, ScreenShareCloseReason } from '@frontdesk/protocol';
import { newId } from '../../platform/ids.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';

/** The screen shares of calls (`call_screen_shares`): who shares since when, per call of one app. */
export function createScreenShareStore(storage: Storage) {
  const { db } = storage;

  return {
    /** The call's open shares, oldest first. */
    async open(appId: string, callId: string): Promise<ScreenShare[]> {
      const rows = await db
        .selectFrom('call_screen_shares')
        .select(['sharer_role', 'sharer_id', 'started_at'])
        .where('app_id', '=', appId)
        .where('call_id', '=', callId)
        .where('ended_at', 'is', null)
        .orderBy('started_at')
        .execute();
      return rows.map((r) => ({ sharer: { role: r.sharer_role as PartyRef['role'], id: r.sharer_id }, since: Number(r.started_at) }));
    },

    /** Opens the sharer's share; false when it is open already (a second leg-up of the same share). */
    async start(appId: string, callId: string, sharer: PartyRef, at: number, from: DbOrTx = db): Promise<boolean> {
      // NOTE: the unique index of open shares (another node opened it meanwhile) answers "nothing
      // inserted" rather than an error, which would abort the caller's PostgreSQL transaction.
      const inserted = await from
        .insertInto('call_screen_shares')
        .values({ id: newId('share'), app_id: appId, call_id: callId, sharer_role: sharer.role, sharer_id: sharer.id, started_at: at, ended_at: null, end_reason: null })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /** Closes the sharer's open share (all of the call's with no sharer); returns the shares closed (who, since when). */
    async close(appId: string, callId: string, sharer: PartyRef | null, at: number, reason: ScreenShareCloseReason, from: DbOrTx = db): Promise<ScreenShare[]> {
      let query = from.selectFrom('call_screen_shares').select(['id', 'sharer_role', 'sharer_id', 'started_at']).where('app_id', '=', appId).where('call_id', '=', callId).where('ended_at', 'is', null);
      if (sharer) query = query.where('sharer_role', '=', sharer.role).where('sharer_id', '=', sharer.id);
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await from
        .updateTable('call_screen_shares')
        .set({ ended_at: at, end_reason: reason })
        .where('id', 'in', rows.map((r) => r.id))
        .where('ended_at', 'is', null)
        .execute();
      return rows.map((r) => ({ sharer: { role: r.sharer_role as PartyRef['role'], id: r.sharer_id }, since: Number(r.started_at) }));
    },
  };
}

export type ScreenShareStore = ReturnType<typeof createScreenShareStore>;
