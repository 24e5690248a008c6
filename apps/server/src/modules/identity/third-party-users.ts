import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../platform/passwords.ts';
import type { Storage } from '../../platform/storage/storage.ts';

/**
 * Third-party users (SPEC M2, VTC seed 000 §3.1): a business's own user ids registered with a
 * password (scrypt-hashed), an optional push device token, all scoped by app. A third-party user
 * signs in as the app's visitor whose external id is its `thirdPartyId` (identity mode `vtc`).
 * The VTC HTTP surface (compat module) translates its calls onto these functions.
 */
export function createThirdPartyUsers({ storage, clock, maxUsersPerApp }: { storage: Storage; clock: Clock; maxUsersPerApp: number }) {
  const { db } = storage;

  const findRow = (appId: string, thirdPartyId: string) =>
    db.selectFrom('third_party_users').selectAll().where('app_id', '=', appId).where('third_party_id', '=', thirdPartyId).executeTakeFirst();

  return {
    /** `exceed` once the app has `maxUsersPerApp` users (checked before the insert: a soft limit under races). */
    async register(appId: string, thirdPartyId: string, password: string): Promise<'ok' | 'exists' | 'exceed'> {
      const { count } = await db
        .selectFrom('third_party_users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('app_id', '=', appId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= maxUsersPerApp) return 'exceed';
      const now = clock.now();
      try {
        await db
          .insertInto('third_party_users')
          .values({ id: newId('tpu'), app_id: appId, third_party_id: thirdPartyId, password_hash: await hashPassword(password), device_id: null, created_at: now, updated_at: now })
          .execute();
        return 'ok';
      } catch (err) {
        if (storage.isUniqueViolation(err)) return 'exists';
        throw err;
      }
    },

    /** An unknown id costs a hash like a wrong password does; the VTC surface still tells them apart (IdNotFound). */
    async verifyPassword(appId: string, thirdPartyId: string, password: string): Promise<'ok' | 'not-found' | 'wrong-password'> {
      const row = await findRow(appId, thirdPartyId);
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
      if (!row) return 'not-found';
      return ok ? 'ok' : 'wrong-password';
    },

    async changePassword(appId: string, thirdPartyId: string, password: string): Promise<'ok' | 'not-found'> {
      const hash = await hashPassword(password);
      const result = await db
        .updateTable('third_party_users')
        .set({ password_hash: hash, updated_at: clock.now() })
        .where('app_id', '=', appId)
        .where('third_party_id', '=', thirdPartyId)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n ? 'ok' : 'not-found';
    },

    /**
     * Renames a user. Its visitor (external id = the old id) is renamed with it in the same
     * transaction, unless a visitor with the new id exists already (that one is then the user's).
     */
    async changeId(appId: string, thirdPartyId: string, newThirdPartyId: string): Promise<'ok' | 'not-found' | 'exists'> {
      try {
        return await db.transaction().execute(async (tx) => {
          const result = await tx
            .updateTable('third_party_users')
            .set({ third_party_id: newThirdPartyId, updated_at: clock.now() })
            .where('app_id', '=', appId)
            .where('third_party_id', '=', thirdPartyId)
            .executeTakeFirst();
          if (result.numUpdatedRows !== 1n) return 'not-found';
          const taken = await tx.selectFrom('visitors').select('id').where('app_id', '=', appId).where('external_id', '=', newThirdPartyId).executeTakeFirst();
          if (!taken) {
            await tx.updateTable('visitors').set({ external_id: newThirdPartyId }).where('app_id', '=', appId).where('external_id', '=', thirdPartyId).where('identity_mode', '=', 'vtc').execute();
          }
          return 'ok';
        });
      } catch (err) {
        if (storage.isUniqueViolation(err)) return 'exists';
        throw err;
      }
    },

    /** Deletes the user; its visitor and conversations stay (history), but it can no longer sign in. */
    async remove(appId: string, thirdPartyId: string): Promise<'ok' | 'not-found'> {
      const result = await db.deleteFrom('third_party_users').where('app_id', '=', appId).where('third_party_id', '=', thirdPartyId).executeTakeFirst();
      return result.numDeletedRows === 1n ? 'ok' : 'not-found';
    },

    /** Sets (or, with null, clears) the user's push device token. */
    async setDeviceId(appId: string, thirdPartyId: string, deviceId: string | null): Promise<'ok' | 'not-found'> {
      const result = await db
        .updateTable('third_party_users')
        .set({ device_id: deviceId, updated_at: clock.now() })
        .where('app_id', '=', appId)
        .where('third_party_id', '=', thirdPartyId)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n ? 'ok' : 'not-found';
    },

    async deviceIdOf(appId: string, thirdPartyId: string): Promise<string | null | undefined> {
      return (await findRow(appId, thirdPartyId))?.device_id;
    },
  };
}

export type ThirdPartyUsers = ReturnType<typeof createThirdPartyUsers>;
