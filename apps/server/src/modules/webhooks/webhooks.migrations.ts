import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The webhooks module's steps of each migration (a step never changes once published: add a new one). */
export const webhooksMigrations: ModuleMigrations = {
  '0005_webhooks': async (db) => {
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
  /** Webhook subscriptions in AnyChat notify format (SPEC M36); existing ones stay standard. */
  '0008_anychat_notify': async (db) => {
    await db.schema
      .alterTable('webhook_subscriptions')
      .addColumn('format', 'varchar(20)', (c) => c.notNull().defaultTo('standard'))
      .execute();
  },
  '0014_anychat_rsa_notify': async (db) => {
    await db.schema.alterTable('webhook_subscriptions').addColumn('sign_type', 'varchar(8)', (c) => c.notNull().defaultTo('MD5')).execute();
    await db.schema.alterTable('webhook_subscriptions').addColumn('rsa_private_key', 'text').execute();
    await db.schema.alterTable('webhook_subscriptions').addColumn('rsa_public_key', 'text').execute();
    // Retention: finished deliveries by age, deliveries of an event.
    const finished = sql<boolean>`status in ('delivered', 'exhausted')`;
    await db.schema.createIndex('webhook_deliveries_finished').on('webhook_deliveries').column('updated_at').where(finished).execute();
    await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
  },
  /** Seed fidelity: AnyChat textmsg_notify roomid, an integer per conversation. */
  '0018_compat_fidelity': async (db) => {
    await db.schema
      .createTable('anychat_rooms')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('room_id', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('anychat_rooms_pk', ['app_id', 'conversation_id'])
      .execute();
    await db.schema.createIndex('anychat_rooms_room').on('anychat_rooms').columns(['app_id', 'room_id']).unique().execute();
  },
};
