import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { jobsMigrations } from '../jobs/jobs.migrations.ts';

/**
 * Migrations, in order, applied at start. Written with Kysely's schema builder so the
 * same steps run on SQLite and PostgreSQL. Never edit a published step: add one.
 */
export const migrations: Record<string, Migration> = {
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
  '0005_webhooks': {
    async up(db: Kysely<any>) {
      // The outbox (webhooks module): written in the business transaction, fanned out by the workers.
      await db.schema
        .createTable('outbox_events')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('type', 'varchar(64)', (c) => c.notNull())
        .addColumn('ordering_key', 'varchar(200)')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('fanned_out_at', 'bigint')
        .execute();
      // What the fan-out has left to do, in order: only the rows not fanned out yet are indexed.
      await db.schema.createIndex('outbox_events_to_fan_out').on('outbox_events').column('position').where(sql.ref('fanned_out_at'), 'is', null).execute();
      await db.schema.createIndex('outbox_events_app_created').on('outbox_events').columns(['app_id', 'created_at']).execute();
      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text')
        .addColumn('secret', 'varchar(200)', (c) => c.notNull())
        .addColumn('previous_secret', 'varchar(200)')
        .addColumn('previous_secret_expires_at', 'bigint')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('disabled_reason', 'varchar(20)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_subscriptions_app').on('webhook_subscriptions').columns(['app_id', 'created_at']).execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('subscription_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('ordering_key', 'varchar(200)')
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('delivered_at', 'bigint')
        .addColumn('lease_owner', 'varchar(64)')
        .addColumn('lease_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_subscription_event', ['subscription_id', 'event_id'])
        .execute();
      // Due work, and the per-key order check: only open deliveries (pending, failed) are indexed.
      const open = sql<boolean>`status in ('pending', 'failed')`;
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['next_attempt_at', 'position']).where(open).execute();
      await db.schema.createIndex('webhook_deliveries_key_order').on('webhook_deliveries').columns(['subscription_id', 'ordering_key', 'position']).where(open).execute();
      await db.schema.createIndex('webhook_deliveries_app_log').on('webhook_deliveries').columns(['app_id', 'position']).execute();
      await db.schema.createIndex('webhook_deliveries_subscription_log').on('webhook_deliveries').columns(['subscription_id', 'position']).execute();
      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('delivery_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('response_excerpt', 'text')
        .execute();
      await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'at']).execute();
    },
  },
  '0006_reports': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cdr_jobs')
        .addColumn('conversation_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('closed_at', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cdr_jobs_due').on('cdr_jobs').column('next_attempt_at').execute();
      await db.schema
        .createTable('cdrs')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('ended_at', 'bigint', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cdrs_app_ended').on('cdrs').columns(['app_id', 'ended_at', 'id']).execute();
      await db.schema
        .createTable('data_push_settings')
        .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('auth_kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('password', 'text')
        .addColumn('token_url', 'text')
        .addColumn('client_id', 'text')
        .addColumn('client_secret', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cdr_pushes')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('cdr_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cdr_pushes_due').on('cdr_pushes').columns(['next_attempt_at']).where(sql.ref('status'), '=', 'pending').execute();
      await db.schema.createIndex('cdr_pushes_cdr').on('cdr_pushes').columns(['app_id', 'cdr_id']).execute();
      await db.schema
        .createTable('cdr_push_attempts')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('push_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('err_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cdr_push_attempts_push').on('cdr_push_attempts').columns(['push_id', 'at']).execute();
    },
  },
  '0007_compat': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('compat_settings')
        .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('anychat_rsa_public_key', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  /** Webhook subscriptions in AnyChat notify format (SPEC M36); existing ones stay standard. */
  '0008_anychat_notify': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('webhook_subscriptions')
        .addColumn('format', 'varchar(20)', (c) => c.notNull().defaultTo('standard'))
        .execute();
    },
  },
  '0009_presence': {
    async up(db: Kysely<any>) {
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
  },
  /**
   * Visitor identity modes per channel (SPEC M2–M5): who a visitor is (`external_id`, unique per
   * app), each channel's mode, secret and validate URL, used auth-v2 signatures (replay guard,
   * shared by every node), VTC third-party users and the VTC manage rate limit.
   */
  '0010_visitor_identity': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('visitors').addColumn('external_id', 'varchar(128)').execute();
      await db.schema.alterTable('visitors').addColumn('identity_mode', 'varchar(20)', (c) => c.notNull().defaultTo('anonymous')).execute();
      await db.schema.createIndex('visitors_app_external').unique().on('visitors').columns(['app_id', 'external_id']).execute();
      await db.schema.alterTable('channels').addColumn('identity_mode', 'varchar(20)', (c) => c.notNull().defaultTo('anonymous')).execute();
      await db.schema.alterTable('channels').addColumn('identity_validate_url', 'text').execute();
      await db.schema.alterTable('channels').addColumn('identity_secret', 'varchar(200)').execute();
      await db.schema
        .createTable('identity_used_signatures')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('signature', 'varchar(64)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_used_signatures_pk', ['app_id', 'signature'])
        .execute();
      await db.schema.createIndex('identity_used_signatures_expiry').on('identity_used_signatures').columns(['app_id', 'expires_at']).execute();
      await db.schema
        .createTable('third_party_users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
        .addColumn('third_party_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('device_id', 'varchar(200)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('third_party_users_app_id', ['app_id', 'third_party_id'])
        .execute();
      await db.schema
        .createTable('vtc_manage_calls')
        .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('last_call_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * Agent sessions (SPEC M6): one row per login, so a newer login can replace (kick) the older
   * ones on every node; and single-use SDK login tokens (TCCC CreateSDKLoginToken), kept hashed.
   */
  '0011_agent_sessions': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('agent_sessions')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('agent_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('device_id', 'varchar(128)')
        .addColumn('via', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('replaced_at', 'bigint')
        .execute();
      await db.schema.createIndex('agent_sessions_agent').on('agent_sessions').columns(['app_id', 'agent_id', 'expires_at']).execute();
      await db.schema
        .createTable('sdk_login_tokens')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('agent_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
      await db.schema.createIndex('sdk_login_tokens_expiry').on('sdk_login_tokens').column('expires_at').execute();
    },
  },
  /** Location messages (SPEC M9): a message may carry a place; null on every other kind. */
  '0012_message_location': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('messages').addColumn('location_latitude', 'double precision').execute();
      await db.schema.alterTable('messages').addColumn('location_longitude', 'double precision').execute();
      await db.schema.alterTable('messages').addColumn('location_name', 'text').execute();
      await db.schema.alterTable('messages').addColumn('location_address', 'text').execute();
    },
  },
  /** The workbench's agent tools: canned responses per app, internal notes per conversation. */
  '0013_workbench': {
    async up(db: Kysely<any>) {
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
      await db.schema
        .createTable('conversation_notes')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
        .addColumn('author_agent_id', 'varchar(64)')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conversation_notes_conversation').on('conversation_notes').columns(['app_id', 'conversation_id', 'created_at']).execute();
    },
  },
  '0014_anychat_rsa_notify': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('webhook_subscriptions').addColumn('sign_type', 'varchar(8)', (c) => c.notNull().defaultTo('MD5')).execute();
      await db.schema.alterTable('webhook_subscriptions').addColumn('rsa_private_key', 'text').execute();
      await db.schema.alterTable('webhook_subscriptions').addColumn('rsa_public_key', 'text').execute();
      // Retention: finished deliveries by age, deliveries of an event, finished data pushes by age.
      const finished = sql<boolean>`status in ('delivered', 'exhausted')`;
      await db.schema.createIndex('webhook_deliveries_finished').on('webhook_deliveries').column('updated_at').where(finished).execute();
      await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
      await db.schema.createIndex('cdr_pushes_app_log').on('cdr_pushes').columns(['app_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('cdr_pushes_finished').on('cdr_pushes').column('updated_at').where(sql.ref('status'), '!=', 'pending').execute();
    },
  },
  /** One job queue (platform/jobs) for webhook deliveries, CDR writes and data pushes; their old tables move into it. */
  '0015_jobs': { up: jobsMigrations['0015_jobs']! },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
