import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The identity module's steps of each migration (a step never changes once published: add a new one). */
export const identityMigrations: ModuleMigrations = {
  '0001_foundation': async (db) => {
    await db.schema
      .createTable('server_settings')
      .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
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
  },
  /** Visitor identity (SPEC M2–M5): who a visitor is (`external_id`, unique per app), used auth-v2 signatures (replay guard, shared by every node), VTC third-party users. */
  '0010_visitor_identity': async (db) => {
    await db.schema.alterTable('visitors').addColumn('external_id', 'varchar(128)').execute();
    await db.schema.alterTable('visitors').addColumn('identity_mode', 'varchar(20)', (c) => c.notNull().defaultTo('anonymous')).execute();
    await db.schema.createIndex('visitors_app_external').unique().on('visitors').columns(['app_id', 'external_id']).execute();
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
  },
  /**
   * Agent sessions (SPEC M6): one row per login, so a newer login can replace (kick) the older
   * ones on every node; and single-use SDK login tokens (TCCC CreateSDKLoginToken), kept hashed.
   */
  '0011_agent_sessions': async (db) => {
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
  /** Calls (SPEC M23): each agent's call capacity beside its chat capacity. */
  '0017_calls': async (db) => {
    await db.schema.alterTable('agents').addColumn('max_concurrent_calls', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  },
  /**
   * Seed fidelity and hardening: a visitor's token generation (a kick revokes its tokens), where
   * visitors and agents signed in from (AnyChat `loginip`), and agents' staff numbers (TCCC
   * `StaffNumber`, unique per app).
   */
  '0018_compat_fidelity': async (db) => {
    await db.schema.alterTable('visitors').addColumn('token_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('visitors').addColumn('login_ip', 'varchar(64)').execute();
    await db.schema.alterTable('visitors').addColumn('login_at', 'bigint').execute();
    await db.schema.alterTable('agent_sessions').addColumn('ip', 'varchar(64)').execute();
    await db.schema.alterTable('agents').addColumn('staff_number', 'varchar(32)').execute();
    await sql`update agents set staff_number = cast((select count(*) from agents a2 where a2.app_id = agents.app_id and (a2.created_at < agents.created_at or (a2.created_at = agents.created_at and a2.id <= agents.id))) as varchar(32))`.execute(db);
    await db.schema.createIndex('agents_staff_number').on('agents').columns(['app_id', 'staff_number']).unique().execute();
  },
  /** Agent avatars: one small image per agent. */
  '0023_identity_avatars': async (db) => {
    await db.schema
      .createTable('agent_avatars')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
      .addColumn('mime_type', 'varchar(32)', (c) => c.notNull())
      // NOTE: base64 text: one column type for SQLite and PostgreSQL (which has no 'blob').
      .addColumn('data_base64', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('agent_avatars_pk', ['app_id', 'agent_id'])
      .execute();
  },
  /** Search by visitor name (SPEC M8) reads only visitors with a name of their own. */
  '0021_inbox_search': async (db) => {
    // Covering (the name and id are in it): a search reads this index only, not the rows.
    await db.schema.createIndex('visitors_named').on('visitors').columns(['app_id', 'name', 'id']).where(sql.ref('name'), '<>', 'Visitor').execute();
  },
};
