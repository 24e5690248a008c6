import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The wrap-up module's steps of each migration (a step never changes once published: add a new one). */
export const wrapUpMigrations: ModuleMigrations = {
  /** Disposition codes and tags, and each conversation's wrap-up. */
  '0022_wrap_up': async (db) => {
    await db.schema
      .createTable('wrap_up_labels')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('name', 'varchar(60)', (c) => c.notNull())
      .addColumn('archived', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('wrap_up_labels_app_kind_name', ['app_id', 'kind', 'name'])
      .execute();
    await db.schema
      .createTable('conversation_wrap_ups')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
      .addColumn('agent_id', 'varchar(64)')
      .addColumn('disposition_id', 'varchar(64)')
      .addColumn('tag_ids', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('conversation_wrap_ups_pk', ['app_id', 'conversation_id'])
      .execute();
  },
};
