import type { Clock } from '../../platform/clock.ts';
import type { Storage } from '../../platform/storage/storage.ts';

/** compat_settings: per-app settings of the compat surfaces (owned by this module only). */
export function createCompatSettings({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;
  return {
    async anyChatRsaPublicKey(appId: string): Promise<string | null> {
      const row = await db.selectFrom('compat_settings').select('anychat_rsa_public_key').where('app_id', '=', appId).executeTakeFirst();
      return row?.anychat_rsa_public_key ?? null;
    },
    async setAnyChatRsaPublicKey(appId: string, pem: string | null): Promise<void> {
      const updatedAt = clock.now();
      await db
        .insertInto('compat_settings')
        .values({ app_id: appId, anychat_rsa_public_key: pem, updated_at: updatedAt })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ anychat_rsa_public_key: pem, updated_at: updatedAt }))
        .execute();
    },
  };
}

export type CompatSettings = ReturnType<typeof createCompatSettings>;
