import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/**
 * Migrations, in order, applied at start. Written with Kysely's schema builder so the
 * same steps run on SQLite and PostgreSQL. Never edit a published step: add one.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('server_settings')
        .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
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
      await db.schema
        .createTable('agents')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('email', 'varchar(254)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('role', 'varchar(20)', (c) => c.notNull())
        .addColumn('media_types', 'text', (c) => c.notNull())
        .addColumn('max_concurrent_chats', 'integer', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('agents_app_email', ['app_id', 'email'])
        .execute();
      await db.schema
        .createTable('visitors')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull().references('visitors.id'))
        .addColumn('agent_id', 'varchar(64)', (c) => c.references('agents.id'))
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('visitor_read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('agent_read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('closed_at', 'bigint')
        .execute();
      // One open conversation per (app, visitor), even under concurrent creates.
      await db.schema
        .createIndex('conversations_one_open')
        .on('conversations')
        .columns(['app_id', 'visitor_id'])
        .unique()
        .where(sql.ref('status'), '=', 'open')
        .execute();
      // A visitor's conversations (hello, lists): the partial index above covers only open ones.
      await db.schema.createIndex('conversations_visitor').on('conversations').columns(['app_id', 'visitor_id']).execute();
      await db.schema.createIndex('conversations_app_status').on('conversations').columns(['app_id', 'status', 'updated_at']).execute();
      await db.schema.createIndex('conversations_agent').on('conversations').columns(['agent_id', 'status']).execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('client_id', 'varchar(64)')
        .addColumn('sender_type', 'varchar(20)', (c) => c.notNull())
        .addColumn('sender_id', 'varchar(64)')
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('file_id', 'varchar(64)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
        .addUniqueConstraint('messages_client_id', ['conversation_id', 'sender_id', 'client_id'])
        .execute();
      await db.schema
        .createTable('files')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('mime_type', 'varchar(100)', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
