import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The tenancy module's steps of each migration (a step never changes once published: add a new one). */
export const tenancyMigrations: ModuleMigrations = {
  '0001_foundation': async (db) => {
    await db.schema
      .createTable('apps')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('app_token', 'varchar(200)', (c) => c.notNull())
      .addColumn('gateway_secret', 'varchar(200)', (c) => c.notNull())
      .addColumn('identity_secret', 'varchar(200)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('key_hash', 'varchar(128)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
  },
  /** Seed fidelity: each app's numeric alias (TCCC SdkAppId), numbered in creation order for existing apps. */
  '0018_compat_fidelity': async (db) => {
    await db.schema.alterTable('apps').addColumn('numeric_id', 'bigint').execute();
    await sql`update apps set numeric_id = (select count(*) from apps a2 where a2.created_at < apps.created_at or (a2.created_at = apps.created_at and a2.id <= apps.id))`.execute(db);
    await db.schema.createIndex('apps_numeric_id').on('apps').column('numeric_id').unique().execute();
  },
};
