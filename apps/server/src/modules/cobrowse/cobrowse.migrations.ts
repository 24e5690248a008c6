import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The co-browse module's steps of each migration (a step never changes once published: add a new one). */
export const cobrowseMigrations: ModuleMigrations = {
  /** Co-browsing (SPEC M32): sessions and their steps. The page itself is never stored. */
  '0020_cobrowse': async (db) => {
    await db.schema
      .createTable('cobrowse_sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'varchar(24)', (c) => c.notNull())
      .addColumn('started_by', 'varchar(16)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)')
      .addColumn('controller_id', 'varchar(64)')
      .addColumn('viewers', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('live_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('end_reason', 'varchar(32)')
      // NOTE: the conversation's id while the session is active, null once it ended: one active
      // session per conversation, even when two starts race (NULLs never collide).
      .addColumn('active_for', 'varchar(64)')
      .addUniqueConstraint('cobrowse_sessions_active_for', ['active_for'])
      .execute();
    await db.schema.createIndex('cobrowse_sessions_conversation').on('cobrowse_sessions').columns(['app_id', 'conversation_id', 'created_at']).execute();
    await db.schema
      .createTable('cobrowse_steps')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('session_id', 'varchar(64)', (c) => c.notNull().references('cobrowse_sessions.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('actor_role', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('cobrowse_steps_pk', ['session_id', 'seq'])
      .execute();
    await db.schema
      .createTable('cobrowse_codes')
      .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
  },
};
