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
  /** Seed fidelity (AnyChat objects): descriptions, skill groups and skill objects (objecttype 9). */
  '0018_compat_fidelity': async (db) => {
    await db.schema
      .createTable('anychat_objects')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('object_guid', 'varchar(64)', (c) => c.notNull())
      .addColumn('object_type', 'integer', (c) => c.notNull())
      .addColumn('numeric_id', 'bigint')
      .addColumn('name', 'varchar(200)')
      .addColumn('description', 'varchar(200)', (c) => c.notNull())
      .addColumn('skill_groups', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('anychat_objects_pk', ['app_id', 'object_guid'])
      .execute();
    await db.schema.createIndex('anychat_objects_numeric_id').on('anychat_objects').columns(['app_id', 'object_type', 'numeric_id']).unique().execute();
  },
};
