import type { Kysely } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { appsWithFacts, rebuildAgentHours, rebuildSlots } from './rollup-store.ts';

/** The sums of an agent's slot (0025) and hour (0027). */
const AGENT_SLOT_COLUMNS = [
  'assignments',
  'handle_ms',
  'first_responses',
  'first_response_ms',
  'responses',
  'response_ms',
  'offers',
  'missed_offers',
  'declined_offers',
  'calls',
  'calls_handled',
  'ratings',
  'stars_sum',
  'stars_1',
  'stars_2',
  'stars_3',
  'stars_4',
  'stars_5',
] as const;

/** The analytics module's steps of each migration (a step never changes once published: add a new one). */
export const analyticsMigrations: ModuleMigrations = {
  '0020_analytics': async (db) => {
    await db.schema
      .createTable('report_conversations')
      .addColumn('conversation_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('channel_id', 'varchar(64)')
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('queue_id', 'varchar(64)')
      .addColumn('arrived_at', 'bigint', (c) => c.notNull())
      .addColumn('queued_at', 'bigint')
      .addColumn('answered_at', 'bigint')
      .addColumn('ended_at', 'bigint', (c) => c.notNull())
      .addColumn('wait_ms', 'bigint')
      .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
      .addColumn('with_bot', 'integer', (c) => c.notNull())
      .addColumn('handed_off', 'integer', (c) => c.notNull())
      .addColumn('transfers', 'integer', (c) => c.notNull())
      .addColumn('first_agent_id', 'varchar(64)')
      .addColumn('last_agent_id', 'varchar(64)')
      .addColumn('agent_ids', 'text', (c) => c.notNull())
      .addColumn('handle_ms', 'bigint', (c) => c.notNull())
      .addColumn('first_response_ms', 'bigint')
      .addColumn('visitor_messages', 'integer', (c) => c.notNull())
      .addColumn('agent_messages', 'integer', (c) => c.notNull())
      .addColumn('bot_messages', 'integer', (c) => c.notNull())
      .addColumn('close_by', 'varchar(20)')
      .addColumn('written_at', 'bigint', (c) => c.notNull())
      .execute();
    // Every report reads one app's rows of a time range, by the time it buckets on; exports page
    // through it in (time, id) order, which the index gives without a sort.
    await db.schema.createIndex('report_conversations_arrived').on('report_conversations').columns(['app_id', 'arrived_at', 'conversation_id']).execute();
    await db.schema
      .createTable('report_queue_visits')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('queue_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('channel_id', 'varchar(64)')
      .addColumn('entered_at', 'bigint', (c) => c.notNull())
      .addColumn('answered_at', 'bigint')
      .addColumn('wait_ms', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
      .addColumn('transferred', 'integer', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)')
      .addColumn('handle_ms', 'bigint')
      .addColumn('assignment_ended_at', 'bigint')
      .addPrimaryKeyConstraint('report_queue_visits_pk', ['conversation_id', 'queue_id'])
      .execute();
    await db.schema.createIndex('report_queue_visits_entered').on('report_queue_visits').columns(['app_id', 'entered_at']).execute();
    await db.schema
      .createTable('report_assignments')
      .addColumn('id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('queue_id', 'varchar(64)')
      .addColumn('channel_id', 'varchar(64)')
      .addColumn('assigned_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint', (c) => c.notNull())
      .addColumn('handle_ms', 'bigint', (c) => c.notNull())
      .addColumn('first_response_ms', 'bigint')
      .addColumn('responses', 'integer', (c) => c.notNull())
      .addColumn('response_total_ms', 'bigint', (c) => c.notNull())
      .addColumn('transferred_out', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_assignments_assigned').on('report_assignments').columns(['app_id', 'assigned_at']).execute();
    await db.schema.createIndex('report_assignments_conversation').on('report_assignments').column('conversation_id').execute();
    await db.schema
      .createTable('report_offers')
      .addColumn('id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('queue_id', 'varchar(64)')
      .addColumn('offered_at', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_offers_offered').on('report_offers').columns(['app_id', 'offered_at']).execute();
    await db.schema.createIndex('report_offers_conversation').on('report_offers').column('conversation_id').execute();
    await db.schema
      .createTable('report_ratings')
      .addColumn('conversation_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)')
      .addColumn('stars', 'integer', (c) => c.notNull())
      .addColumn('rated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_ratings_rated').on('report_ratings').columns(['app_id', 'rated_at']).execute();
    await db.schema
      .createTable('report_calls')
      .addColumn('call_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(64)')
      .addColumn('queue_id', 'varchar(64)')
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('accepted_at', 'bigint')
      .addColumn('ended_at', 'bigint', (c) => c.notNull())
      .addColumn('duration_ms', 'bigint', (c) => c.notNull())
      .addColumn('end_status', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_calls_started').on('report_calls').columns(['app_id', 'started_at', 'call_id']).execute();
    await db.schema
      .createTable('report_export_schedules')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('format', 'varchar(10)', (c) => c.notNull())
      .addColumn('tz', 'varchar(64)', (c) => c.notNull())
      .addColumn('every', 'varchar(10)', (c) => c.notNull())
      .addColumn('next_run_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_export_schedules_due').on('report_export_schedules').column('next_run_at').execute();
    await db.schema
      .createTable('report_export_files')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('schedule_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('file_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('from_ms', 'bigint', (c) => c.notNull())
      .addColumn('to_ms', 'bigint', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_export_files_app').on('report_export_files').columns(['app_id', 'created_at']).execute();
  },
  '0025_analytics_rollups': async (db) => {
    const counters = (table: string, key: string, columns: readonly string[]) => {
      let t = db.schema.createTable(table).addColumn('app_id', 'varchar(64)', (c) => c.notNull()).addColumn('slot_at', 'bigint', (c) => c.notNull()).addColumn(key, 'varchar(64)', (c) => c.notNull());
      for (const column of columns) t = t.addColumn(column, 'bigint', (c) => c.notNull());
      // NOTE: (app, slot, key): a report reads an app's slots of a range, a writer rewrites one slot.
      return t.addPrimaryKeyConstraint(`${table}_pk`, ['app_id', 'slot_at', key]);
    };
    await counters('report_queue_slots', 'queue_id', ['offered', 'answered', 'abandoned', 'released', 'overflowed', 'transferred', 'answered_wait_ms', 'handled', 'handle_ms', 'longest_wait_ms'])
      .addColumn('answered_waits', 'text', (c) => c.notNull())
      .execute();
    await counters('report_agent_slots', 'agent_id', AGENT_SLOT_COLUMNS).execute();
    await counters('report_channel_slots', 'channel_id', ['conversations', 'with_bot', 'bot_resolved', 'handed_off', 'answered', 'abandoned']).execute();
    // The agent report reads the spans of a range's assignments (occupancy): this index covers
    // those three columns, so the read does not visit the table's rows.
    await db.schema.createIndex('report_assignments_agent').on('report_assignments').columns(['app_id', 'agent_id', 'assigned_at', 'ended_at']).execute();
    // The rows written before roll-ups existed get their slots now (no other writer runs during a migration).
    const typed = db as unknown as Kysely<Database>;
    for (const appId of await appsWithFacts(typed)) await rebuildSlots(typed, null, appId);
  },
  '0027_analytics_agent_hours': async (db) => {
    // The hourly tier of the agent roll-ups (rollup-hours.ts): the slots' sums and the time held per hour.
    let t = db.schema.createTable('report_agent_hours').addColumn('app_id', 'varchar(64)', (c) => c.notNull()).addColumn('hour_at', 'bigint', (c) => c.notNull()).addColumn('agent_id', 'varchar(64)', (c) => c.notNull());
    for (const column of AGENT_SLOT_COLUMNS) t = t.addColumn(column, 'bigint', (c) => c.notNull());
    await t
      .addColumn('held_ms', 'bigint', (c) => c.notNull())
      .addColumn('held', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_agent_hours_pk', ['app_id', 'hour_at', 'agent_id'])
      .execute();
    // The rows written before the tier existed get their hours now (no other writer runs during a migration).
    const typed = db as unknown as Kysely<Database>;
    for (const appId of await appsWithFacts(typed)) await rebuildAgentHours(typed, null, appId);
  },
};
