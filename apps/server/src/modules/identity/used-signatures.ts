import type { Storage } from '../../platform/storage/storage.ts';

/**
 * The auth-v2 replay guard: a signature is accepted once. Used signatures are kept in the
 * database (`identity_used_signatures`, primary key app + signature), so the guard holds across
 * nodes and restarts; the insert is the check, atomic under any concurrency. A row is kept until
 * its signature's timestamp has left the accepted window, then purged.
 */
export function createUsedSignatures({ storage }: { storage: Storage }) {
  const { db } = storage;
  return {
    /** true if `signature` was not used before (and is now marked used); false for a replay. */
    async markUsed(appId: string, signature: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
      await db.deleteFrom('identity_used_signatures').where('app_id', '=', appId).where('expires_at', '<', nowMs).execute();
      try {
        await db.insertInto('identity_used_signatures').values({ app_id: appId, signature, expires_at: expiresAtMs }).execute();
        return true;
      } catch (err) {
        if (storage.isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}

export type UsedSignatures = ReturnType<typeof createUsedSignatures>;
