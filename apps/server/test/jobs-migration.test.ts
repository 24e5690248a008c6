import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createReports } from '../src/modules/reports/index.ts';
import { createWebhooks } from '../src/modules/webhooks/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { claimJobs } from '../src/platform/jobs/index.ts';
import { createLogger } from '../src/platform/logger.ts';
import { migrationsUpTo0014 as migrations } from './fixtures/migrations-0014.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage, STORAGES } from './helpers.ts';

/**
 * Migration 0015 moves the two outbound pipelines into the job queue: a database built with
 * migrations 0001–0014 and rows in every old table (webhook deliveries and attempts, CDR jobs, data
 * pushes and attempts) is migrated, and every row is found again as a job or job attempt, with its
 * id, and reads back through the delivery logs as before.
 */

const T = Date.UTC(2026, 0, 5, 10, 0);
const LAST_OLD_MIGRATION = '0014_anychat_rsa_notify';
/** Quotes, a backslash, a newline and non-ASCII: the move must build JSON, not paste text. */
const EXCERPT = 'line "one"\\\nzweite Zeile — 第二行';

async function openRaw(storage: { dataDir: string; databaseUrl?: string }): Promise<Kysely<any>> {
  if (storage.databaseUrl) {
    const pool = new pg.Pool({ connectionString: storage.databaseUrl, max: 2, types: { getTypeParser: (oid: number, format?: any) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as any });
    return new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  }
  return new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(path.join(storage.dataDir, 'frontdesk.db')) }) });
}

/** One row of each kind and status the old tables could hold. */
async function seedOldTables(db: Kysely<any>): Promise<void> {
  await db.insertInto('apps').values({ id: 'acme', name: 'acme', allowed_origins: '[]', app_token: 't', gateway_secret: 'g', identity_secret: 'i', created_at: T }).execute();
  const subscription = (id: string, enabled: number) => ({
    id,
    app_id: 'acme',
    url: 'http://127.0.0.1:9/hook',
    description: '',
    event_types: null,
    secret: 'whsec_x',
    previous_secret: null,
    previous_secret_expires_at: null,
    enabled,
    disabled_reason: enabled ? null : 'gone',
    created_at: T,
    updated_at: T + 7,
  });
  await db.insertInto('webhook_subscriptions').values([subscription('whs_on', 1), subscription('whs_off', 0)]).execute();
  const delivery = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
    id,
    app_id: 'acme',
    subscription_id: 'whs_on',
    event_id: `evt_${id}`,
    event_type: 'message.created',
    ordering_key: 'cnv_1',
    position: T * 1024 + id.length,
    status,
    attempts: 2,
    next_attempt_at: T + 5000,
    last_attempt_at: T + 1000,
    delivered_at: null,
    lease_owner: null,
    lease_until: null,
    created_at: T,
    updated_at: T + 1000,
    ...extra,
  });
  await db
    .insertInto('webhook_deliveries')
    .values([
      delivery('whd_p', 'pending', { attempts: 0, last_attempt_at: null, ordering_key: null }),
      delivery('whd_fa', 'failed', { subscription_id: 'whs_off', lease_owner: 'node_x', lease_until: T + 45_000 }),
      delivery('whd_del', 'delivered', { delivered_at: T + 1000 }),
      delivery('whd_exha', 'exhausted', { attempts: 10 }),
    ])
    .execute();
  await db
    .insertInto('webhook_attempts')
    .values([
      { id: 'wha_1', app_id: 'acme', delivery_id: 'whd_fa', at: T, status_code: 500, error: null, latency_ms: 12, response_excerpt: EXCERPT },
      { id: 'wha_2', app_id: 'acme', delivery_id: 'whd_fa', at: T + 1000, status_code: null, error: 'ECONNREFUSED', latency_ms: 1, response_excerpt: null },
      { id: 'wha_3', app_id: 'acme', delivery_id: 'whd_del', at: T + 1000, status_code: 204, error: null, latency_ms: 3, response_excerpt: null },
    ])
    .execute();
  await db
    .insertInto('cdr_jobs')
    .values([
      { conversation_id: 'cnv_new', app_id: 'acme', closed_at: T, next_attempt_at: T, attempts: 0 },
      { conversation_id: 'cnv_failing', app_id: 'acme', closed_at: T - 60_000, next_attempt_at: T + 60_000, attempts: 3 },
    ])
    .execute();
  const cdrs = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ id: `cdr_${n}`, app_id: 'acme', conversation_id: `cnv_${n}`, ended_at: T, data: '{}', created_at: T }));
  await db.insertInto('cdrs').values(cdrs).execute();
  const push = (n: string, status: string, attempts: number, extra: Record<string, unknown> = {}) => ({
    id: `0000000${n}-1111-2222-3333-444444444444`.slice(-36),
    app_id: 'acme',
    cdr_id: `cdr_${n}`,
    status,
    attempts,
    next_attempt_at: T + 30_000,
    lease_until: null,
    created_at: T + n.charCodeAt(0),
    updated_at: T + 2000,
    ...extra,
  });
  await db
    .insertInto('cdr_pushes')
    .values([push('a', 'pending', 0), push('b', 'pending', 2, { lease_until: T + 60_000 }), push('c', 'delivered', 1), push('d', 'failed', 4), push('e', 'cancelled', 0)])
    .execute();
  const pushId = (n: string) => `0000000${n}-1111-2222-3333-444444444444`.slice(-36);
  await db
    .insertInto('cdr_push_attempts')
    .values([
      { id: 'cpa_1', app_id: 'acme', push_id: pushId('b'), at: T, status_code: 200, err_code: 1001, error: 'ErrCode 1001', latency_ms: 5 },
      { id: 'cpa_2', app_id: 'acme', push_id: pushId('b'), at: T + 5000, status_code: null, err_code: null, error: 'ECONNREFUSED', latency_ms: 1 },
      { id: 'cpa_3', app_id: 'acme', push_id: pushId('c'), at: T, status_code: 200, err_code: 0, error: null, latency_ms: 4 },
      ...[0, 1, 2, 3].map((i) => ({ id: `cpa_d${i}`, app_id: 'acme', push_id: pushId('d'), at: T + i, status_code: 500, err_code: null, error: 'HTTP 500', latency_ms: 2 })),
    ])
    .execute();
}

describe.each(STORAGES)('migration 0015: the old outbound tables move into the job queue (%s)', (kind) => {
  let storage: Storage | undefined;
  let drop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await storage?.close();
    await drop?.();
    storage = drop = undefined;
  });

  it('every delivery, CDR job, data push and attempt arrives with its id, and the logs read them as before', async () => {
    const fresh = await freshStorage(kind);
    drop = fresh.drop;
    const raw = await openRaw(fresh);
    const old: MigrationProvider = { getMigrations: async () => Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= LAST_OLD_MIGRATION)) };
    const built = await new Migrator({ db: raw, provider: old }).migrateToLatest();
    expect(built.error).toBeUndefined();
    expect(built.results?.at(-1)?.migrationName).toBe(LAST_OLD_MIGRATION);
    await seedOldTables(raw);
    await raw.destroy();

    storage = await openStorage({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl });
    const { db } = storage;
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    for (const gone of ['webhook_deliveries', 'webhook_attempts', 'cdr_jobs', 'cdr_pushes', 'cdr_push_attempts']) expect(tables).not.toContain(gone);

    const jobs = await db.selectFrom('jobs').selectAll().orderBy('id').execute();
    const byId = new Map(jobs.map((j) => [j.id, { ...j, payload: JSON.parse(j.payload) as unknown }]));
    expect(jobs).toHaveLength(4 + 2 + 5);
    // Webhook deliveries: same ids, subscription as group, event as dedupe key; failed → retrying, delivered → done.
    const common = { kind: 'webhooks.delivery', app_id: 'acme', group_key: 'whs_on', ordering_key: 'cnv_1', created_at: T, updated_at: T + 1000, next_attempt_at: T + 5000 };
    expect(byId.get('whd_p')).toMatchObject({ ...common, ordering_key: null, dedupe_key: 'evt_whd_p', position: T * 1024 + 5, status: 'pending', attempts: 0, last_attempt_at: null, payload: { eventId: 'evt_whd_p', eventType: 'message.created' } });
    expect(byId.get('whd_fa')).toMatchObject({ ...common, group_key: 'whs_off', status: 'retrying', attempts: 2, last_attempt_at: T + 1000, lease_owner: 'node_x', lease_until: T + 45_000, done_at: null });
    expect(byId.get('whd_del')).toMatchObject({ ...common, status: 'done', done_at: T + 1000 });
    expect(byId.get('whd_exha')).toMatchObject({ ...common, status: 'exhausted', attempts: 10 });
    // CDR jobs: one job per conversation, due when they were.
    expect(byId.get('cdw_cnv_new')).toMatchObject({ kind: 'reports.cdr-write', app_id: 'acme', group_key: '', dedupe_key: 'cnv_new', status: 'pending', attempts: 0, next_attempt_at: T, payload: { conversationId: 'cnv_new', closedAt: T } });
    expect(byId.get('cdw_cnv_failing')).toMatchObject({ kind: 'reports.cdr-write', dedupe_key: 'cnv_failing', status: 'retrying', attempts: 3, next_attempt_at: T + 60_000, payload: { conversationId: 'cnv_failing', closedAt: T - 60_000 } });
    // Data pushes: the id (X-TCCC-PUSH-UUID) kept, the CDR as dedupe key; failed → exhausted.
    const pushes = jobs.filter((j) => j.kind === 'reports.data-push');
    expect(pushes.map((p) => [p.dedupe_key, p.status, p.attempts])).toEqual(
      expect.arrayContaining([
        ['cdr_a', 'pending', 0],
        ['cdr_b', 'retrying', 2],
        ['cdr_c', 'done', 1],
        ['cdr_d', 'exhausted', 4],
        ['cdr_e', 'cancelled', 0],
      ]),
    );
    expect(pushes.every((p) => /^[0-9a-f]{8}-1111-2222-3333-444444444444$/.test(p.id) && JSON.parse(p.payload).cdrId === p.dedupe_key)).toBe(true);

    const attempts = await db.selectFrom('job_attempts').selectAll().orderBy('id').execute();
    expect(attempts.map((a) => a.id)).toEqual(['cpa_1', 'cpa_2', 'cpa_3', 'cpa_d0', 'cpa_d1', 'cpa_d2', 'cpa_d3', 'wha_1', 'wha_2', 'wha_3']);
    expect(attempts.find((a) => a.id === 'wha_1')).toMatchObject({ job_id: 'whd_fa', app_id: 'acme', at: T, status_code: 500, latency_ms: 12 });
    expect(await db.selectFrom('job_paused_groups').select(['kind', 'group_key']).execute()).toEqual([{ kind: 'webhooks.delivery', group_key: 'whs_off' }]);

    // The delivery logs read the moved rows in their old shapes.
    const clock = new ManualClock(T + 10_000);
    const log = createLogger('silent');
    const webhooks = createWebhooks({ storage, clock, log, allowPrivateTargets: false });
    const reports = createReports({ storage, clock, log, allowPrivateTargets: false, sources: { findConversation: async () => undefined, conversationRouting: async () => ({ history: [] }), supervisionOf: async () => [], cobrowseOf: async () => [], appNumericId: async () => 1, queuesOf: async () => [], agentOf: async () => undefined, agentQueueIds: async () => [], wrapUpOf: async () => null } });
    try {
      const { deliveries } = await webhooks.listDeliveries('acme', { limit: 100 });
      const shown = new Map(deliveries.map((d) => [d.id, d]));
      expect([...shown.keys()].sort()).toEqual(['whd_del', 'whd_exha', 'whd_fa', 'whd_p']);
      expect(shown.get('whd_fa')).toMatchObject({ subscriptionId: 'whs_off', eventId: 'evt_whd_fa', eventType: 'message.created', status: 'failed', attempts: 2, nextAttemptAt: T + 5000 });
      expect(shown.get('whd_fa')!.attemptLog).toEqual([
        { id: 'wha_1', at: T, statusCode: 500, error: null, latencyMs: 12, responseExcerpt: EXCERPT },
        { id: 'wha_2', at: T + 1000, statusCode: null, error: 'ECONNREFUSED', latencyMs: 1, responseExcerpt: null },
      ]);
      expect(shown.get('whd_del')).toMatchObject({ status: 'delivered', deliveredAt: T + 1000, nextAttemptAt: null });
      expect(shown.get('whd_exha')).toMatchObject({ status: 'exhausted', attempts: 10 });
      expect(shown.get('whd_p')).toMatchObject({ status: 'pending', orderingKey: null });
      expect((await webhooks.getSubscription('acme', 'whs_off')).enabled).toBe(false);

      const push = (await reports.listPushDeliveries('acme', { limit: 100 })).deliveries;
      expect(push.map((p) => [p.sessionId, p.status, p.attempts, p.nextAttemptAt])).toEqual(
        expect.arrayContaining([
          ['cnv_a', 'pending', 0, T + 30_000],
          ['cnv_b', 'pending', 2, T + 30_000],
          ['cnv_c', 'delivered', 1, null],
          ['cnv_d', 'failed', 4, null],
          ['cnv_e', 'cancelled', 0, null],
        ]),
      );
      expect(push.find((p) => p.sessionId === 'cnv_b')!.attemptLog).toEqual([
        { at: T, statusCode: 200, errCode: 1001, error: 'ErrCode 1001', latencyMs: 5 },
        { at: T + 5000, statusCode: null, errCode: null, error: 'ECONNREFUSED', latencyMs: 1 },
      ]);
      expect(push.find((p) => p.sessionId === 'cnv_d')!.attemptLog).toHaveLength(4);
    } finally {
      await webhooks.close();
      await reports.close();
    }

    // Moved open jobs are claimed like new ones: the due CDR write now, the leased push only once its lease lapses.
    const claim = (jobKind: string, nowMs: number) => claimJobs(storage!, { kind: jobKind, owner: 'node_test', nowMs, leaseMs: 600_000, limit: 10, excludeGroups: [] });
    expect((await claim('reports.cdr-write', T)).map((j) => j.dedupeKey)).toEqual(['cnv_new']);
    expect((await claim('reports.data-push', T + 30_000)).map((j) => j.dedupeKey)).toEqual(['cdr_a']);
    expect((await claim('reports.data-push', T + 60_000)).map((j) => j.dedupeKey)).toEqual(['cdr_b']);
  });
});
