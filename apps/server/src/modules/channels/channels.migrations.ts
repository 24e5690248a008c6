import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The channels module's steps of each migration (a step never changes once published: add a new one). */
export const channelsMigrations: ModuleMigrations = {
  '0003_channels': async (db) => {
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
  /** Visitor identity (SPEC M2–M5): each channel's mode, secret and validate URL. */
  '0010_visitor_identity': async (db) => {
    await db.schema.alterTable('channels').addColumn('identity_mode', 'varchar(20)', (c) => c.notNull().defaultTo('anonymous')).execute();
    await db.schema.alterTable('channels').addColumn('identity_validate_url', 'text').execute();
    await db.schema.alterTable('channels').addColumn('identity_secret', 'varchar(200)').execute();
  },
  /** Calls (SPEC M22): which the widget offers and the click-to-call queue; none for existing channels. */
  '0017_calls': async (db) => {
    await db.schema.alterTable('channels').addColumn('calls', 'text', (c) => c.notNull().defaultTo('{"audio":false,"video":false,"queueId":null}')).execute();
  },
  /** Co-browsing (SPEC M32): on, with no rules beyond the built-in ones, for existing channels. */
  '0020_cobrowse': async (db) => {
    await db.schema.alterTable('channels').addColumn('cobrowse', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  },
  /** Typing preview: agents see the visitor's draft, per channel, off by default. */
  '0024_channels_typing_preview': async (db) => {
    await db.schema.alterTable('channels').addColumn('typing_preview', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
  /** No visitor left behind (SPEC M11): each channel's pre-chat form (off) and welcome message (none). */
  '0020_inbox': async (db) => {
    await db.schema.alterTable('channels').addColumn('pre_chat_form', 'text', (c) => c.notNull().defaultTo('{"enabled":false}')).execute();
    await db.schema.alterTable('channels').addColumn('welcome_message', 'text').execute();
  },
  /** Messaging providers (SPEC M39): connections, the providers' users, inbound and outbound messages, templates. */
  '0020_channels_providers': async (db) => {
    await db.schema
      .createTable('channel_connections')
      .addColumn('channel_id', 'varchar(64)', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('provider', 'varchar(20)', (c) => c.notNull())
      .addColumn('account_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('api_base_url', 'text', (c) => c.notNull())
      .addColumn('credentials', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('channel_connections_app').on('channel_connections').columns(['app_id', 'created_at']).execute();
    await db.schema
      .createTable('channel_contacts')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('channel_id', 'varchar(64)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('external_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('last_inbound_at', 'bigint', (c) => c.notNull())
      .addColumn('send_pace_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_contacts_pk', ['channel_id', 'external_id'])
      .execute();
    await db.schema.createIndex('channel_contacts_visitor').on('channel_contacts').columns(['app_id', 'visitor_id']).execute();
    await db.schema
      .createTable('channel_inbound')
      .addColumn('channel_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('provider_message_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('message_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_inbound_pk', ['channel_id', 'provider_message_id'])
      .execute();
    await db.schema
      .createTable('channel_outbound')
      .addColumn('message_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('channel_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('provider_message_id', 'varchar(200)')
      .addColumn('external_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('channel_outbound_provider_id').on('channel_outbound').columns(['channel_id', 'provider_message_id']).execute();
    // Retention prunes both records by age.
    await db.schema.createIndex('channel_inbound_created').on('channel_inbound').column('created_at').execute();
    await db.schema.createIndex('channel_outbound_created').on('channel_outbound').column('created_at').execute();
    await db.schema.createIndex('channel_outbound_conversation').on('channel_outbound').columns(['app_id', 'conversation_id']).execute();
    await db.schema
      .createTable('channel_templates')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('channel_id', 'varchar(64)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('language', 'varchar(20)', (c) => c.notNull())
      .addColumn('status', 'varchar(40)', (c) => c.notNull())
      .addColumn('category', 'varchar(40)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('parameter_count', 'integer', (c) => c.notNull())
      .addColumn('synced_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_templates_pk', ['channel_id', 'name', 'language'])
      .execute();
  },
};
