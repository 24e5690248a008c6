import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The calls module's steps for screen shares (a step never changes once published: add a new one). */
export const screenShareMigrations: ModuleMigrations = {
  /** Screen shares in calls (SPEC M24): one row per share, open while `ended_at` is null. */
  '0026_calls_screen_share': async (db) => {
    await db.schema
      .createTable('call_screen_shares')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('call_id', 'varchar(64)', (c) => c.notNull().references('calls.id'))
      .addColumn('sharer_role', 'varchar(10)', (c) => c.notNull())
      .addColumn('sharer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('end_reason', 'varchar(16)')
      .execute();
    await db.schema.createIndex('call_screen_shares_call').on('call_screen_shares').columns(['app_id', 'call_id']).execute();
    // One open share per sharer and call, even when two of its tabs race.
    await db.schema
      .createIndex('call_screen_shares_one_open')
      .on('call_screen_shares')
      .columns(['call_id', 'sharer_role', 'sharer_id'])
      .unique()
      .where(sql.ref('ended_at'), 'is', null)
      .execute();
  },
};
