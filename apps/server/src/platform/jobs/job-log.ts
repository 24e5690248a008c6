import type { Db, DbOrTx, Tx } from '../storage/storage.ts';
import type { Job, JobAttempt, JobAttemptDetail, JobStatus } from './job-kind.ts';
import { toJob } from './job-store.ts';

/**
 * The job log as modules show it (their delivery logs): jobs of one kind and app, newest position
 * first, with their attempts; replay; pausing, resuming and deleting a group. Every query is
 * scoped by kind and app id.
 */

export interface JobListQuery {
  kind: string;
  appId: string;
  groupKey?: string | undefined;
  dedupeKey?: string | undefined;
  statuses?: readonly JobStatus[] | undefined;
  /** A job id from the previous page: the page continues after it. */
  after?: string | undefined;
  limit: number;
}

/** A page of jobs, newest position first; undefined when `after` names no job of the kind and app. */
export async function listJobs<P>(db: Db, query: JobListQuery): Promise<{ jobs: Job<P>[]; hasMore: boolean } | undefined> {
  let rows = db.selectFrom('jobs').selectAll().where('kind', '=', query.kind).where('app_id', '=', query.appId);
  if (query.groupKey !== undefined) rows = rows.where('group_key', '=', query.groupKey);
  if (query.dedupeKey !== undefined) rows = rows.where('dedupe_key', '=', query.dedupeKey);
  if (query.statuses !== undefined) rows = rows.where('status', 'in', [...query.statuses]);
  if (query.after !== undefined) {
    const cursor = await db.selectFrom('jobs').select(['id', 'position']).where('kind', '=', query.kind).where('app_id', '=', query.appId).where('id', '=', query.after).executeTakeFirst();
    if (!cursor) return undefined;
    rows = rows.where((eb) => eb.or([eb('position', '<', cursor.position), eb.and([eb('position', '=', cursor.position), eb('id', '<', cursor.id)])]));
  }
  const page = await rows
    .orderBy('position', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return { jobs: page.slice(0, query.limit).map((row) => toJob<P>(row)), hasMore: page.length > query.limit };
}

export async function getJob<P>(db: Db, kind: string, appId: string, id: string): Promise<Job<P> | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
  return row && toJob<P>(row);
}

/** The attempts of each job, oldest first. */
export async function attemptsOf(db: Db, appId: string, jobIds: readonly string[]): Promise<Map<string, JobAttempt[]>> {
  const byJob = new Map<string, JobAttempt[]>();
  if (jobIds.length === 0) return byJob;
  const rows = await db
    .selectFrom('job_attempts')
    .selectAll()
    .where('app_id', '=', appId)
    .where('job_id', 'in', [...jobIds])
    .orderBy('at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const attempt: JobAttempt = {
      id: row.id,
      jobId: row.job_id,
      at: Number(row.at),
      statusCode: row.status_code,
      error: row.error,
      latencyMs: row.latency_ms,
      detail: row.detail === null ? null : (JSON.parse(row.detail) as JobAttemptDetail),
    };
    byJob.set(row.job_id, [...(byJob.get(row.job_id) ?? []), attempt]);
  }
  return byJob;
}

/**
 * Makes the job pending again, due now, with a fresh attempt count (same id: receivers can tell it
 * is the same work). A lease still held stays: the node running it records its attempt, and the
 * job is due again afterwards only if that attempt did not finish it. Answers whether it exists.
 */
export async function replayJob(db: DbOrTx, kind: string, appId: string, id: string, nowMs: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'pending', attempts: 0, next_attempt_at: nowMs, updated_at: nowMs })
    .where('kind', '=', kind)
    .where('app_id', '=', appId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Claims skip the group's jobs until it is resumed (they keep their place and schedule). */
export async function pauseJobGroup(tx: Tx, kind: string, groupKey: string, nowMs: number): Promise<void> {
  await tx
    .insertInto('job_paused_groups')
    .values({ kind, group_key: groupKey, paused_at: nowMs })
    .onConflict((oc) => oc.columns(['kind', 'group_key']).doNothing())
    .execute();
}

export async function resumeJobGroup(tx: Tx, kind: string, groupKey: string): Promise<void> {
  await tx.deleteFrom('job_paused_groups').where('kind', '=', kind).where('group_key', '=', groupKey).execute();
}

/** Deletes the group's jobs of the app with their attempt log, and its pause. */
export async function deleteJobGroup(tx: Tx, kind: string, appId: string, groupKey: string): Promise<void> {
  const jobs = tx.selectFrom('jobs').select('id').where('kind', '=', kind).where('app_id', '=', appId).where('group_key', '=', groupKey);
  await tx.deleteFrom('job_attempts').where('app_id', '=', appId).where('job_id', 'in', jobs).execute();
  await tx.deleteFrom('jobs').where('kind', '=', kind).where('app_id', '=', appId).where('group_key', '=', groupKey).execute();
  await resumeJobGroup(tx, kind, groupKey);
}
