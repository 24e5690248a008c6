import { sql } from 'kysely';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The routing module's steps of each migration (a step never changes once published: add a new one). */
export const routingMigrations: ModuleMigrations = {
  '0002_routing': async (db) => {
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
  },
  /** The core's word for an agent who takes work is `free`, as on the wire (it was `available`): logged events follow. */
  '0016_agent_presence_free': async (db) => {
    await sql`update routing_log set event = replace(event, '"presence":"available"', '"presence":"free"') where event like '%"presence":"available"%'`.execute(db);
  },
  /** Seed fidelity: numeric aliases of areas, queues and queue groups (AnyChat objectid, TCCC SkillGroupId), per app. */
  '0018_compat_fidelity': async (db) => {
    for (const table of ['areas', 'queues', 'queue_groups']) {
      await db.schema.alterTable(table).addColumn('numeric_id', 'bigint').execute();
      await sql`update ${sql.table(table)} set numeric_id = (select count(*) from ${sql.table(table)} t2 where t2.app_id = ${sql.table(table)}.app_id and (t2.created_at < ${sql.table(table)}.created_at or (t2.created_at = ${sql.table(table)}.created_at and t2.id <= ${sql.table(table)}.id)))`.execute(db);
      await db.schema.createIndex(`${table}_numeric_id`).on(table).columns(['app_id', 'numeric_id']).unique().execute();
    }
  },
};
