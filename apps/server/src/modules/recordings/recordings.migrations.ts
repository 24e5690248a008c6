import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The recordings module's steps of each migration (a step never changes once published: add a new one). */
export const recordingsMigrations: ModuleMigrations = {
  /** Call recording (SPEC M25): policies per queue or channel, and one row per recorded call. */
  '0020_recordings': async (db) => {
    await db.schema
      .createTable('recording_policies')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('scope', 'varchar(16)', (c) => c.notNull())
      .addColumn('scope_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('mode', 'varchar(16)', (c) => c.notNull())
      .addColumn('retention_days', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('recording_policies_pk', ['app_id', 'scope', 'scope_id'])
      .execute();
    await db.schema
      .createTable('recordings')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('call_id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('mode', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('raw_dir', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('duration_ms', 'bigint')
      .addColumn('size_bytes', 'bigint')
      .addColumn('format', 'varchar(16)')
      .addColumn('participants', 'text', (c) => c.notNull())
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('record_flags', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('call_ended_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('recordings_app_created').on('recordings').columns(['app_id', 'created_at']).execute();
    await db.schema.createIndex('recordings_conversation').on('recordings').columns(['app_id', 'conversation_id']).execute();
    await db.schema.createIndex('recordings_expires').on('recordings').columns(['expires_at']).execute();
  },
};
