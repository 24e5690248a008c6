import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The compat module's steps of each migration (a step never changes once published: add a new one). */
export const compatMigrations: ModuleMigrations = {
  '0007_compat': async (db) => {
    await db.schema
      .createTable('compat_settings')
      .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('anychat_rsa_public_key', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  /** The VTC manage rate limit (1 call a second per app, across nodes). */
  '0010_visitor_identity': async (db) => {
    await db.schema
      .createTable('vtc_manage_calls')
      .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('last_call_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
