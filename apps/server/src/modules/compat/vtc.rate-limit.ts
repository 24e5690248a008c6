import type { Storage } from '../../platform/storage/storage.ts';

/** VTC `thirdPartyManage.do`: at most one call a second per app (seed 000 §3.1.5). */
export const VTC_MANAGE_INTERVAL_MS = 1000;

/**
 * The manage rate limit, kept in the database (`vtc_manage_calls`: the app's last accepted call)
 * so it holds across nodes: a call is accepted by the one conditional UPDATE (or first INSERT)
 * that moves the time forward, which two nodes cannot both do.
 */
export function createVtcManageLimiter({ storage }: { storage: Storage }) {
  const { db } = storage;
  return {
    /** true when the app's previous accepted call was at least 1 s before `nowMs` (this one is then recorded). */
    async tryAcquire(appId: string, nowMs: number): Promise<boolean> {
      const moved = await db
        .updateTable('vtc_manage_calls')
        .set({ last_call_at: nowMs })
        .where('app_id', '=', appId)
        .where('last_call_at', '<=', nowMs - VTC_MANAGE_INTERVAL_MS)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 1n) return true;
      try {
        await db.insertInto('vtc_manage_calls').values({ app_id: appId, last_call_at: nowMs }).execute();
        return true;
      } catch (err) {
        if (storage.isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}

export type VtcManageLimiter = ReturnType<typeof createVtcManageLimiter>;
