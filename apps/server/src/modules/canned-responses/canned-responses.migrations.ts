import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The canned-responses module's steps of each migration (a step never changes once published: add a new one). */
export const cannedResponsesMigrations: ModuleMigrations = {
  /** Canned responses per app. */
  '0013_workbench': async (db) => {
    await db.schema
      .createTable('canned_responses')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('shortcut', 'varchar(32)', (c) => c.notNull())
      .addColumn('title', 'varchar(100)', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('canned_responses_app_shortcut', ['app_id', 'shortcut'])
      .execute();
  },
  /** Personal canned responses: each agent's own. */
  '0021_canned_responses_personal': async (db) => {
    await db.schema
      .createTable('personal_canned_responses')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
      .addColumn('shortcut', 'varchar(32)', (c) => c.notNull())
      .addColumn('title', 'varchar(100)', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('personal_canned_responses_agent_shortcut', ['app_id', 'agent_id', 'shortcut'])
      .execute();
  },
};
