import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The supervision module's steps of each migration (a step never changes once published: add a new one). */
export const supervisionMigrations: ModuleMigrations = {
  /** Chat supervision (SPEC M28): the timeline of each supervisor's modes, and whispers to the agent. */
  '0019_supervision': async (db) => {
    // NOTE: no foreign key to conversations here: inserting a step would take a key-share lock on
    // the conversation's row, and a barge-in then locks that row to append its message; two
    // supervisors barging into one conversation at once would deadlock on PostgreSQL.
    await db.schema
      .createTable('supervision_steps')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('supervisor_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
      .addColumn('mode', 'varchar(20)', (c) => c.notNull())
      .addColumn('previous_mode', 'varchar(20)')
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('supervision_steps_conversation').on('supervision_steps').columns(['app_id', 'conversation_id', 'seq']).execute();
    await db.schema
      .createTable('whispers')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
      .addColumn('supervisor_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
      .addColumn('client_id', 'varchar(64)')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      // A whisper sent again with its client id (a retry) is stored once.
      .addUniqueConstraint('whispers_client_id', ['conversation_id', 'supervisor_id', 'client_id'])
      .execute();
    await db.schema.createIndex('whispers_conversation').on('whispers').columns(['app_id', 'conversation_id', 'created_at']).execute();
  },
};
