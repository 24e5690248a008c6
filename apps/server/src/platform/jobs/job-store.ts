import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { newId } from '../ids.ts';
import type { Storage, Tx } from '../storage/storage.ts';
import type { JobAttemptLog, JobDecision, JobStatus, Job, NewJob } from './job-kind.ts';
import { nextPosition } from './job-position.ts';
import type { JobsTables } from './jobs.schema.ts';
import { isEndedOwner } from './lease-owner.ts';

export type JobRow = JobsTables['jobs'];
type AttemptRow = JobsTables['job_attempts'];

/** Rows per insert statement (SQLite binds at most 32,766 parameters; 17 columns a row). */
const ROWS_PER_INSERT = 500;

/**
 * Open jobs (pending, retrying) are still to be attempted. `<column> in ('pending', 'retrying')`
 * with literals, word for word the predicate of the partial indexes on open jobs: with bound
 * parameters instead, SQLite (and a generic PostgreSQL plan) cannot prove the query implies the
 * index's predicate, and scans.
 */
export function isOpen(column: 'status' | 'j.status' | 'p.status'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} in ('pending', 'retrying')`;
}

export function toJob<P>(row: JobRow): Job<P> {
  return {
    id: row.id,
    kind: row.kind,
    appId: row.app_id,
    groupKey: row.group_key === '' ? null : row.group_key,
    orderingKey: row.ordering_key,
    dedupeKey: row.dedupe_key,
    position: Number(row.position),
    payload: JSON.parse(row.payload) as P,
    status: row.status as JobStatus,
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
    doneAt: row.done_at === null ? null : Number(row.done_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRow<P>(job: NewJob<P>, nowMs: number): JobRow {
  return {
    id: job.id ?? newId('job'),
    kind: job.kind,
    app_id: job.appId,
    group_key: job.groupKey ?? '',
    ordering_key: job.orderingKey ?? null,
    dedupe_key: job.dedupeKey ?? null,
    position: job.position ?? nextPosition(nowMs),
    payload: JSON.stringify(job.payload),
    status: 'pending',
    attempts: 0,
    next_attempt_at: job.nextAttemptAt ?? nowMs,
    last_attempt_at: null,
    done_at: null,
    lease_owner: null,
    lease_until: null,
    created_at: nowMs,
    updated_at: nowMs,
  };
}

/**
 * Writes jobs in the caller's transaction (the same commit as the change that calls for them).
 * Called on hot paths: one multi-row insert per 500 jobs, no reads. A job whose (kind, dedupe key,
 * group) exists already is left out (`ignore`), or makes the existing one pending again with a
 * fresh schedule (`reopen`: a replay).
 */
export async function enqueueJobs<P>(tx: Tx, jobs: readonly NewJob<P>[], nowMs: number, onConflict: 'ignore' | 'reopen' = 'ignore'): Promise<void> {
  const rows = jobs.map((job) => toRow(job, nowMs));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await tx
      .insertInto('jobs')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => {
        const target = oc.columns(['kind', 'dedupe_key', 'group_key']);
        return onConflict === 'ignore' ? target.doNothing() : target.doUpdateSet({ status: 'pending', attempts: 0, next_attempt_at: nowMs, updated_at: nowMs });
      })
      .execute();
  }
}

export interface ClaimRequest {
  kind: string;
  owner: string;
  nowMs: number;
  leaseMs: number;
  limit: number;
  /** Groups this node runs as many jobs of as it may (the per-group cap). */
  excludeGroups: readonly string[];
}

/**
 * Leases up to `limit` due jobs of one kind, oldest first, outside paused groups. A job with an
 * ordering key is due only when no earlier job of that (group, key) is still open, which keeps each
 * key in order. Safe on several nodes at once: the candidates are locked with `FOR UPDATE SKIP
 * LOCKED` on PostgreSQL (SQLite runs one write at a time) and leased in the same statement, so two
 * nodes never hold one job; a lease that outlives a dead node lapses and the job is claimed again
 * (at least once). The candidates come from walking the partial index of due jobs in order.
 */
export async function claimJobs<P>(storage: Storage, { kind, owner, nowMs, leaseMs, limit, excludeGroups }: ClaimRequest): Promise<Job<P>[]> {
  let candidates = storage.db
    .selectFrom('jobs as j')
    .select('j.id')
    .where('j.kind', '=', kind)
    .where(isOpen('j.status'))
    .where('j.next_attempt_at', '<=', nowMs)
    .where((eb) => eb.or([eb('j.lease_until', 'is', null), eb('j.lease_until', '<=', nowMs)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('job_paused_groups as g')
            .select(sql<number>`1`.as('one'))
            .whereRef('g.kind', '=', 'j.kind')
            .whereRef('g.group_key', '=', 'j.group_key'),
        ),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('j.ordering_key', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('jobs as p')
              .select(sql<number>`1`.as('one'))
              .whereRef('p.kind', '=', 'j.kind')
              .whereRef('p.group_key', '=', 'j.group_key')
              .whereRef('p.ordering_key', '=', 'j.ordering_key')
              .whereRef('p.position', '<', 'j.position')
              .where(isOpen('p.status')),
          ),
        ),
      ]),
    )
    .orderBy('j.next_attempt_at')
    .orderBy('j.position')
    .limit(limit);
  if (excludeGroups.length > 0) candidates = candidates.where('j.group_key', 'not in', [...excludeGroups]);
  const leased = await storage.db.transaction().execute(async (tx) => {
    await storage.preferIndexOrder(tx);
    return tx
      .updateTable('jobs')
      .set({ lease_owner: owner, lease_until: nowMs + leaseMs })
      .where('id', 'in', storage.forUpdateSkipLocked(candidates))
      .returningAll()
      .execute();
  });
  return leased.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || Number(a.position) - Number(b.position)).map((row) => toJob<P>(row));
}

/**
 * Leases of a kind's open jobs still held by processes of this host that have ended (a node killed
 * and restarted): given back, so the jobs are claimed now instead of when their leases lapse (up to
 * `leaseMs`: 45 s for a webhook by default, 10 minutes for a recording's processing). Returns how
 * many.
 */
export async function takeBackEndedLeases(storage: Storage, kind: string, nowMs: number): Promise<number> {
  const owners = await storage.db
    .selectFrom('jobs')
    .select('lease_owner')
    .distinct()
    .where('kind', '=', kind)
    .where(isOpen('status'))
    .where('lease_until', '>', nowMs)
    .execute();
  const ended = owners.flatMap((o) => (o.lease_owner && isEndedOwner(o.lease_owner) ? [o.lease_owner] : []));
  if (ended.length === 0) return 0;
  const { numUpdatedRows } = await storage.db.updateTable('jobs').set({ lease_owner: null, lease_until: null }).where('kind', '=', kind).where('lease_owner', 'in', ended).executeTakeFirst();
  return Number(numUpdatedRows);
}

/** Gives leases back without an attempt (work this node will not do now). */
export async function releaseJobs(storage: Storage, owner: string, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await storage.db
    .updateTable('jobs')
    .set({ lease_owner: null, lease_until: null })
    .where('id', 'in', [...jobIds])
    .where('lease_owner', '=', owner)
    .execute();
}

/** What one attempt (or a cancellation before any) leaves: the job's next state and its log row. */
export interface AttemptRecord {
  job: Pick<Job<unknown>, 'id' | 'appId' | 'groupKey'>;
  /** When the attempt started. */
  at: number;
  decision: JobDecision;
  /** False when the job was cancelled before an attempt (its attempts count stays). */
  ran: boolean;
  attempt: JobAttemptLog | null;
}

const STATUS_OF: Record<JobDecision['status'], JobStatus> = { done: 'done', retry: 'retrying', exhausted: 'exhausted', cancelled: 'cancelled' };

/**
 * Records attempts in one transaction: each job's new state (only while `owner` still holds its
 * lease: a lapsed lease means another node may have run it since), one multi-row insert of the
 * attempt log, the groups a decision pauses, then `inTx` with the ids recorded. Done jobs and
 * cancellations are one statement each; the rest one per job (each has its own next attempt).
 */
export async function recordAttempts(
  storage: Storage,
  { owner, kind, attemptIdPrefix, nowMs }: { owner: string; kind: string; attemptIdPrefix: string; nowMs: number },
  records: readonly AttemptRecord[],
  inTx: (tx: Tx, recorded: ReadonlySet<string>, pausedGroups: readonly string[]) => Promise<void>,
): Promise<void> {
  if (records.length === 0) return;
  await storage.db.transaction().execute(async (tx) => {
    const recorded = new Set<string>();
    const done = records.filter((r) => r.decision.status === 'done' && r.ran).map((r) => r.job.id);
    if (done.length > 0) {
      const rows = await tx
        .updateTable('jobs')
        .set((eb) => ({ status: 'done', attempts: eb('attempts', '+', 1), last_attempt_at: nowMs, done_at: nowMs, lease_owner: null, lease_until: null, updated_at: nowMs }))
        .where('id', 'in', done)
        .where('lease_owner', '=', owner)
        .returning('id')
        .execute();
      for (const row of rows) recorded.add(row.id);
    }
    const dropped = records.filter((r) => !r.ran).map((r) => r.job.id);
    if (dropped.length > 0) {
      const rows = await tx
        .updateTable('jobs')
        .set({ status: 'cancelled', lease_owner: null, lease_until: null, updated_at: nowMs })
        .where('id', 'in', dropped)
        .where('lease_owner', '=', owner)
        .returning('id')
        .execute();
      for (const row of rows) recorded.add(row.id);
    }
    for (const { job, at, decision, ran } of records) {
      if (!ran || decision.status === 'done') continue;
      const result = await tx
        .updateTable('jobs')
        .set((eb) => ({
          status: STATUS_OF[decision.status],
          attempts: eb('attempts', '+', 1),
          ...(decision.status === 'retry' ? { next_attempt_at: decision.nextAttemptAt } : {}),
          last_attempt_at: at,
          lease_owner: null,
          lease_until: null,
          updated_at: nowMs,
        }))
        .where('id', '=', job.id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) recorded.add(job.id);
    }
    const attempts: AttemptRow[] = records.flatMap(({ job, at, attempt }) =>
      attempt && recorded.has(job.id)
        ? [
            {
              id: newId(attemptIdPrefix),
              app_id: job.appId,
              job_id: job.id,
              at,
              status_code: attempt.statusCode,
              error: attempt.error,
              latency_ms: attempt.latencyMs,
              detail: attempt.detail ? JSON.stringify(attempt.detail) : null,
            },
          ]
        : [],
    );
    for (let i = 0; i < attempts.length; i += ROWS_PER_INSERT) await tx.insertInto('job_attempts').values(attempts.slice(i, i + ROWS_PER_INSERT)).execute();
    const paused = [
      ...new Set(
        records.flatMap(({ job, decision }) =>
          recorded.has(job.id) && job.groupKey !== null && (decision.status === 'retry' || decision.status === 'exhausted') && decision.disableGroup ? [job.groupKey] : [],
        ),
      ),
    ];
    if (paused.length > 0) {
      await tx
        .insertInto('job_paused_groups')
        .values(paused.map((group) => ({ kind, group_key: group, paused_at: nowMs })))
        .onConflict((oc) => oc.columns(['kind', 'group_key']).doNothing())
        .execute();
    }
    await inTx(tx, recorded, paused);
  });
}

/**
 * A condition for another module's query: a job of `kind` has the outer query's column `dedupeRef`
 * (e.g. `'e.id'`) as its dedupe key. The jobs table stays this module's to read.
 */
export function hasJobFor(eb: ExpressionBuilder<any, any>, kind: string, dedupeRef: string): Expression<SqlBool> {
  return eb.exists(eb.selectFrom('jobs as j').select('j.id').where('j.kind', '=', kind).whereRef('j.dedupe_key', '=', dedupeRef));
}
