import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The `calls` table as 0017 made it, under `name` (0027 rebuilds it on SQLite with the two columns nullable). */
function callsTable(db: Kysely<any>, name: string, { isInternalReady }: { isInternalReady: boolean }) {
  const conversation = (c: ColumnDefinitionBuilder) => (isInternalReady ? c.references('conversations.id') : c.notNull().references('conversations.id'));
  const visitor = (c: ColumnDefinitionBuilder) => (isInternalReady ? c : c.notNull());
  return db.schema
    .createTable(name)
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
    .addColumn('conversation_id', 'varchar(64)', conversation)
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('direction', 'varchar(16)', (c) => c.notNull())
    .addColumn('origin', 'varchar(32)', (c) => c.notNull())
    .addColumn('phase', 'varchar(16)', (c) => c.notNull())
    .addColumn('visitor_id', 'varchar(64)', visitor)
    .addColumn('main_agent_id', 'varchar(64)')
    .addColumn('queue_id', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'varchar(40)')
    .addColumn('hung_up_side', 'varchar(10)')
    .addColumn('clock_at', 'bigint', (c) => c.notNull())
    .addColumn('next_deadline_at', 'bigint')
    .addColumn('media_instance', 'varchar(64)')
    .addColumn('media_room', 'varchar(64)')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull());
}

async function createCallsIndexes(db: Kysely<any>): Promise<void> {
  // One live call per conversation, even when a visitor's two clicks race.
  await db.schema.createIndex('calls_one_live').on('calls').column('conversation_id').unique().where(sql.ref('ended_at'), 'is', null).execute();
  await db.schema.createIndex('calls_app_created').on('calls').columns(['app_id', 'created_at']).execute();
  await db.schema.createIndex('calls_due').on('calls').column('next_deadline_at').where(sql.ref('ended_at'), 'is', null).execute();
  await db.schema.createIndex('calls_live_visitor').on('calls').columns(['app_id', 'visitor_id']).where(sql.ref('ended_at'), 'is', null).execute();
}

/** The calls module's steps of each migration (a step never changes once published: add a new one). */
export const callsMigrations: ModuleMigrations = {
  /** Audio and video calls (SPEC M22, M23): one row per call with the engine's state, one per leg. */
  '0017_calls': async (db) => {
    await callsTable(db, 'calls', { isInternalReady: false }).execute();
    await createCallsIndexes(db);
    await db.schema
      .createTable('call_participants')
      .addColumn('call_id', 'varchar(64)', (c) => c.notNull().references('calls.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('role', 'varchar(10)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('left_at', 'bigint')
      .addPrimaryKeyConstraint('call_participants_pk', ['call_id', 'seq'])
      .execute();
    await db.schema.createIndex('call_participants_user').on('call_participants').columns(['app_id', 'user_id', 'left_at']).execute();
  },
  /** Supervision of calls (SPEC M28): each supervisor's modes, take-over and stop, per call. */
  '0025_calls_supervision': async (db) => {
    await db.schema
      .createTable('call_supervision_steps')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('call_id', 'varchar(64)', (c) => c.notNull().references('calls.id'))
      .addColumn('supervisor_id', 'varchar(64)', (c) => c.notNull().references('agents.id'))
      .addColumn('mode', 'varchar(20)', (c) => c.notNull())
      .addColumn('previous_mode', 'varchar(20)')
      .addColumn('text_only', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      // Two steps of one call never share a place in its order (two supervisors at once: one retries).
      .addUniqueConstraint('call_supervision_steps_seq', ['call_id', 'seq'])
      .execute();
    await db.schema.createIndex('call_supervision_steps_supervisor').on('call_supervision_steps').columns(['app_id', 'supervisor_id', 'at']).execute();
  },
  /**
   * Internal calls (SPEC M29, agent to agent): a call may have no conversation and no visitor. On
   * SQLite, which cannot drop a NOT NULL, the table is rebuilt (SQLite's documented procedure: a new
   * table, the rows copied, the old dropped, the new renamed, foreign keys off meanwhile and checked
   * after); the rows and every index stay as they were.
   */
  '0027_calls_internal': async (db) => {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`alter table calls alter column conversation_id drop not null, alter column visitor_id drop not null`.execute(db);
      return;
    }
    // NOTE: SQLite migrations run outside a transaction (Kysely: no transactional DDL there) on one
    // connection: the pragma holds for the steps below, which run in their own transaction.
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await sql`begin`.execute(db);
      try {
        // Only references to and from calls are this step's; a database whose rows already broke one keeps it, no more.
        const brokenCallKeys = async () => (await sql<{ table: string; parent: string }>`pragma foreign_key_check`.execute(db)).rows.filter((r) => r.parent === 'calls' || r.table === 'calls').length;
        const brokenBefore = await brokenCallKeys();
        await callsTable(db, 'calls_0027', { isInternalReady: true }).execute();
        await sql`insert into calls_0027 select * from calls`.execute(db);
        await sql`drop table calls`.execute(db);
        await sql`alter table calls_0027 rename to calls`.execute(db);
        await createCallsIndexes(db);
        const brokenAfter = await brokenCallKeys();
        if (brokenAfter > brokenBefore) throw new Error(`the calls rebuild broke ${brokenAfter - brokenBefore} foreign keys`);
        await sql`commit`.execute(db);
      } catch (err) {
        await sql`rollback`.execute(db);
        throw err;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  },
  /**
   * A conversation's calls (the widget reads them for its transcript on every load) and an app's
   * live calls (the supervisors' board) were read through calls_app_created, every call the app
   * ever had walked to find them: at 200,000 calls, 49 and 25 ms a read on SQLite, on the event loop.
   */
  '0033_calls_by_conversation_and_live': async (db) => {
    await db.schema.createIndex('calls_conversation').on('calls').columns(['conversation_id', 'created_at']).execute();
    await db.schema.createIndex('calls_live').on('calls').columns(['app_id', 'created_at']).where(sql.ref('ended_at'), 'is', null).execute();
  },
};
