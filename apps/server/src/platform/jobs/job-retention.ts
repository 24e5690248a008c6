import { sql } from 'kysely';
import { deleteInBatches, deletedRows, PRUNE_BATCH } from '../pruning.ts';
import type { Storage } from '../storage/storage.ts';

/**
 * Deletes the finished jobs of one kind (done, exhausted, cancelled) last touched before
 * `cutoffMs`, with their attempt log, PRUNE_BATCH per transaction under `lockKey` (one node at a
 * time). Open jobs (pending, retrying) are kept however old.
 */
export async function pruneFinishedJobs(storage: Storage, { kind, cutoffMs, lockKey }: { kind: string; cutoffMs: number; lockKey: string }): Promise<{ jobs: number; attempts: number }> {
  const counts = { jobs: 0, attempts: 0 };
  await deleteInBatches(storage, lockKey, async (tx) => {
    const ids = (
      await tx
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', kind)
        // Literals, word for word the partial index's predicate (a bound parameter would not use it).
        .where(sql<boolean>`status in ('done', 'exhausted', 'cancelled')`)
        .where('updated_at', '<', cutoffMs)
        .limit(PRUNE_BATCH)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) {
      counts.attempts += deletedRows(await tx.deleteFrom('job_attempts').where('job_id', 'in', ids).executeTakeFirst());
      counts.jobs += deletedRows(await tx.deleteFrom('jobs').where('id', 'in', ids).executeTakeFirst());
    }
    return ids.length;
  });
  return counts;
}
