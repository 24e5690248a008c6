import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The reports module's steps of each migration (a step never changes once published: add a new one). */
export const reportsMigrations: ModuleMigrations = {
  '0006_reports': async (db) => {
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
  '0014_anychat_rsa_notify': async (db) => {
    await db.schema.createIndex('cdr_pushes_app_log').on('cdr_pushes').columns(['app_id', 'created_at', 'id']).execute();
    // Retention: finished data pushes by age.
    await db.schema.createIndex('cdr_pushes_finished').on('cdr_pushes').column('updated_at').where(sql.ref('status'), '!=', 'pending').execute();
  },
};
