import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The job queue's tables, and the move of the two outbound pipelines that came before it: webhook
 * deliveries with their attempts, CDR jobs, and data pushes with their attempts become jobs and job
 * attempts with their ids (a push id is its X-TCCC-PUSH-UUID), then the old tables go. The kinds
 * are spelled out here as they were at the time (a migration never changes).
 */
export const jobsMigrations: Record<string, (db: Kysely<any>) => Promise<void>> = {
  '0015_jobs': async (db) => {
    // NOTE: Kysely wraps a PostgreSQL migration in a transaction but not a SQLite one (no
    // transactional DDL in its adapter); SQLite has it, and a move of rows must be all or nothing.
    if (db.isTransaction) await createAndMove(db);
    else await db.transaction().execute((tx) => createAndMove(tx));
  },
};

async function createAndMove(db: Kysely<any>): Promise<void> {
  await createTables(db);
  const json = jsonObjectOf(db);
  await moveWebhookDeliveries(db, json);
  await moveCdrJobs(db, json);
  await moveDataPushes(db, json);
  for (const table of ['webhook_attempts', 'webhook_deliveries', 'cdr_push_attempts', 'cdr_pushes', 'cdr_jobs']) await db.schema.dropTable(table).execute();
}

async function createTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('group_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('ordering_key', 'varchar(200)')
    .addColumn('dedupe_key', 'varchar(200)')
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('done_at', 'bigint')
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Claims walk the due index in order; the order check and the log read the others. Only open
  // jobs (pending, retrying) are in the first two, only finished ones in the retention index.
  // NOTE: the order-check index leaves the kind out (a group key names one kind's group; the check
  // still filters by kind): it changes with every status change, so its keys are kept narrow. The
  // group log index has kind and app first so that SQLite, which keeps no statistics, prefers it to
  // the app log for a group's page (with only the group in front it took the app log and filtered).
  const open = sql<boolean>`status in ('pending', 'retrying')`;
  await db.schema.createIndex('jobs_due').on('jobs').columns(['kind', 'next_attempt_at', 'position']).where(open).execute();
  await db.schema.createIndex('jobs_key_order').on('jobs').columns(['group_key', 'ordering_key', 'position']).where(open).execute();
  // The key of a replay's upsert, and "jobs about this event" (webhook retention) by its first two columns.
  await db.schema.createIndex('jobs_dedupe').on('jobs').columns(['kind', 'dedupe_key', 'group_key']).unique().execute();
  await db.schema.createIndex('jobs_app_log').on('jobs').columns(['kind', 'app_id', 'position']).execute();
  await db.schema.createIndex('jobs_group_log').on('jobs').columns(['kind', 'app_id', 'group_key', 'position']).execute();
  await db.schema
    .createIndex('jobs_finished')
    .on('jobs')
    .columns(['kind', 'updated_at'])
    .where(sql<boolean>`status in ('done', 'exhausted', 'cancelled')`)
    .execute();
  await db.schema
    .createTable('job_attempts')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('job_attempts_job').on('job_attempts').columns(['job_id', 'at']).execute();
  await db.schema
    .createTable('job_paused_groups')
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('group_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('paused_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_paused_groups_pk', ['kind', 'group_key'])
    .execute();
}

/** `{"k": v, …}` as JSON text from columns: `json_object` in SQLite, `json_build_object` in PostgreSQL. */
type JsonObjectOf = (pairs: Record<string, RawBuilder<unknown>>) => RawBuilder<string>;

function jsonObjectOf(db: Kysely<any>): JsonObjectOf {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (pairs) => {
    const args = sql.join(Object.entries(pairs).flatMap(([key, value]) => [sql.lit(key), value]));
    return isPostgres ? sql<string>`json_build_object(${args})::text` : sql<string>`json_object(${args})`;
  };
}

const ref = (column: string) => sql.ref(column);

/** Deliveries keep their ids, lease and schedule; failed is now retrying, delivered done. Disabled subscriptions pause their group. */
async function moveWebhookDeliveries(db: Kysely<any>, json: JsonObjectOf): Promise<void> {
  await sql`
    insert into jobs (id, kind, app_id, group_key, ordering_key, dedupe_key, position, payload, status, attempts, next_attempt_at,
                      last_attempt_at, done_at, lease_owner, lease_until, created_at, updated_at)
    select id, 'webhooks.delivery', app_id, subscription_id, ordering_key, event_id, position,
           ${json({ eventId: ref('event_id'), eventType: ref('event_type') })},
           case status when 'failed' then 'retrying' when 'delivered' then 'done' else status end,
           attempts, next_attempt_at, last_attempt_at, delivered_at, lease_owner, lease_until, created_at, updated_at
    from webhook_deliveries`.execute(db);
  await sql`
    insert into job_attempts (id, app_id, job_id, at, status_code, error, latency_ms, detail)
    select id, app_id, delivery_id, at, status_code, error, latency_ms,
           case when response_excerpt is null then null else ${json({ responseExcerpt: ref('response_excerpt') })} end
    from webhook_attempts`.execute(db);
  await sql`
    insert into job_paused_groups (kind, group_key, paused_at)
    select 'webhooks.delivery', id, updated_at from webhook_subscriptions where enabled = 0`.execute(db);
}

/** A conversation waiting for its CDR: one job per conversation (its id is derived from it), due when it was. */
async function moveCdrJobs(db: Kysely<any>, json: JsonObjectOf): Promise<void> {
  await sql`
    insert into jobs (id, kind, app_id, group_key, ordering_key, dedupe_key, position, payload, status, attempts, next_attempt_at,
                      last_attempt_at, done_at, lease_owner, lease_until, created_at, updated_at)
    select 'cdw_' || conversation_id, 'reports.cdr-write', app_id, '', null, conversation_id, closed_at * 1024,
           ${json({ conversationId: ref('conversation_id'), closedAt: ref('closed_at') })},
           case when attempts = 0 then 'pending' else 'retrying' end,
           attempts, next_attempt_at, null, null, null, null, closed_at, closed_at
    from cdr_jobs`.execute(db);
}

/** Pushes keep their id (the X-TCCC-PUSH-UUID); pending after a refusal is retrying, failed is exhausted. */
async function moveDataPushes(db: Kysely<any>, json: JsonObjectOf): Promise<void> {
  await sql`
    insert into jobs (id, kind, app_id, group_key, ordering_key, dedupe_key, position, payload, status, attempts, next_attempt_at,
                      last_attempt_at, done_at, lease_owner, lease_until, created_at, updated_at)
    select id, 'reports.data-push', app_id, '', null, cdr_id, created_at * 1024,
           ${json({ cdrId: ref('cdr_id') })},
           case
             when status = 'pending' and attempts = 0 then 'pending'
             when status = 'pending' then 'retrying'
             when status = 'delivered' then 'done'
             when status = 'failed' then 'exhausted'
             else status
           end,
           attempts, next_attempt_at,
           case when attempts = 0 then null else updated_at end,
           case when status = 'delivered' then updated_at else null end,
           null, lease_until, created_at, updated_at
    from cdr_pushes`.execute(db);
  await sql`
    insert into job_attempts (id, app_id, job_id, at, status_code, error, latency_ms, detail)
    select id, app_id, push_id, at, status_code, error, latency_ms,
           case when err_code is null then null else ${json({ errCode: ref('err_code') })} end
    from cdr_push_attempts`.execute(db);
}
