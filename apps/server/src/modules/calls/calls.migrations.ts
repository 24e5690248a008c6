import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The calls module's steps of each migration (a step never changes once published: add a new one). */
export const callsMigrations: ModuleMigrations = {
  /** Audio and video calls (SPEC M22, M23): one row per call with the engine's state, one per leg. */
  '0017_calls': async (db) => {
    await db.schema
      .createTable('calls')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
      .addColumn('kind', 'varchar(10)', (c) => c.notNull())
      .addColumn('direction', 'varchar(16)', (c) => c.notNull())
      .addColumn('origin', 'varchar(32)', (c) => c.notNull())
      .addColumn('phase', 'varchar(16)', (c) => c.notNull())
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
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
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // One live call per conversation, even when a visitor's two clicks race.
    await db.schema.createIndex('calls_one_live').on('calls').column('conversation_id').unique().where(sql.ref('ended_at'), 'is', null).execute();
    await db.schema.createIndex('calls_app_created').on('calls').columns(['app_id', 'created_at']).execute();
    await db.schema.createIndex('calls_due').on('calls').column('next_deadline_at').where(sql.ref('ended_at'), 'is', null).execute();
    await db.schema.createIndex('calls_live_visitor').on('calls').columns(['app_id', 'visitor_id']).where(sql.ref('ended_at'), 'is', null).execute();
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
};
