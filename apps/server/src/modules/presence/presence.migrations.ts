import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The presence module's steps of each migration (a step never changes once published: add a new one). */
export const presenceMigrations: ModuleMigrations = {
  '0009_presence': async (db) => {
    await db.schema
      .createTable('presence_nodes')
      .addColumn('node_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('seen_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('presence_sockets')
      .addColumn('socket_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('node_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('connected_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('presence_sockets_app').on('presence_sockets').columns(['app_id', 'user_type']).execute();
    await db.schema.createIndex('presence_sockets_node').on('presence_sockets').column('node_id').execute();
  },
};
