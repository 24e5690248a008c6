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
  '0002_routing': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('areas')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('areas_app').on('areas').column('app_id').execute();
      // A queue's M15/M16 fields live in `config` (JSON); what queries filter on has a column.
      await db.schema
        .createTable('queues')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('area_id', 'varchar(64)', (c) => c.references('areas.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('queues_app').on('queues').column('app_id').execute();
      // What routing keeps of an agent beyond its skills (identity owns the agent itself).
      await db.schema
        .createTable('agent_routing')
        .addColumn('agent_id', 'varchar(64)', (c) => c.primaryKey().references('agents.id'))
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .execute();
      // AnyChat queue groups: an agent in a group serves each of its queues.
      await db.schema
        .createTable('queue_groups')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('queue_ids', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('queue_groups_app').on('queue_groups').column('app_id').execute();
      await db.schema
        .createTable('agent_queue_groups')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('agent_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
        .addColumn('group_id', 'varchar(64)', (c) => c.notNull().references('queue_groups.id'))
        .addColumn('level', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_queue_groups_pk', ['agent_id', 'group_id'])
        .execute();
      await db.schema.createIndex('agent_queue_groups_group').on('agent_queue_groups').column('group_id').execute();
      await db.schema
        .createTable('agent_skills')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('agent_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
        .addColumn('queue_id', 'varchar(64)', (c) => c.notNull().references('queues.id'))
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('agent_skills_pk', ['agent_id', 'queue_id'])
        .execute();
      // The routing log: every event the ACD core handled, in order per app. Each node replays
      // it into its own copy of the core; the seq is taken under a per-app lock.
      await db.schema
        .createTable('routing_log')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('routing_log_pk', ['app_id', 'seq'])
        .execute();
      await db.schema
        .createTable('agent_status_history')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('agent_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('from_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('to_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('reason', 'varchar(100)')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('ord', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_status_history_agent').on('agent_status_history').columns(['app_id', 'agent_id', 'ord']).execute();
      await db.schema
        .createTable('routing_history')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('type', 'varchar(40)', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('ord', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('routing_history_conversation').on('routing_history').columns(['app_id', 'conversation_id', 'ord']).execute();
      await db.schema.alterTable('conversations').addColumn('channel_id', 'varchar(64)').execute();
      await db.schema.alterTable('conversations').addColumn('queue_id', 'varchar(64)').execute();
      await db.schema.alterTable('conversations').addColumn('routing_state', 'varchar(20)', (c) => c.notNull().defaultTo('none')).execute();
      await db.schema.alterTable('conversations').addColumn('close_by', 'varchar(20)').execute();
      await db.schema.alterTable('conversations').addColumn('last_visitor_message_at', 'bigint').execute();
    },
  },
  '0003_channels': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('channels')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queue_id', 'varchar(64)')
        .addColumn('bot', 'text', (c) => c.notNull())
        .addColumn('hours', 'text')
        .addColumn('queue_reminder', 'text', (c) => c.notNull())
        .addColumn('idle_end', 'text', (c) => c.notNull())
        .addColumn('faq_version', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // One default channel per app, even when its first uses race to create it.
      await db.schema
        .createIndex('channels_one_default')
        .on('channels')
        .column('app_id')
        .unique()
        .where(sql.ref('is_default'), '=', 1)
        .execute();
      await db.schema.createIndex('channels_app').on('channels').columns(['app_id', 'created_at']).execute();
      await db.schema
        .createTable('faqs')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('channel_id', 'varchar(64)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('keywords', 'text', (c) => c.notNull())
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('locale', 'varchar(16)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('faqs_channel').on('faqs').columns(['app_id', 'channel_id', 'created_at']).execute();
    },
  },
  '0004_ratings': {
    async up(db: Kysely<any>) {
      // CSAT (conversations module): one row per conversation, replaced by each new rating.
      await db.schema
        .createTable('ratings')
        .addColumn('conversation_id', 'varchar(64)', (c) => c.primaryKey().references('conversations.id'))
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('stars', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ratings_app').on('ratings').columns(['app_id', 'updated_at']).execute();
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
