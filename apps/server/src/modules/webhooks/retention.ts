import { deleteInBatches, deletedRows, PRUNE_BATCH } from '../../platform/pruning.ts';
import { hasJobFor, pruneFinishedJobs } from '../../platform/jobs/index.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { WEBHOOK_DELIVERY_JOB } from './webhooks.repository.ts';

export interface PruneCounts {
  deliveries: number;
  attempts: number;
  events: number;
}

/**
 * Deletes what the delivery log no longer needs: finished deliveries (delivered or exhausted) last
 * touched before `cutoffMs`, with their attempt log, then outbox events created before it that no
 * delivery refers to any more. Open deliveries (pending, failed) and their events are kept however
 * old, in batches (`deleteInBatches`). Replaying an event range therefore covers the retention window.
 */
export async function pruneDeliveryLog(storage: Storage, cutoffMs: number): Promise<PruneCounts> {
  const { jobs, attempts } = await pruneFinishedJobs(storage, { kind: WEBHOOK_DELIVERY_JOB, cutoffMs, lockKey: 'webhooks.prune' });
  const counts: PruneCounts = { deliveries: jobs, attempts, events: 0 };
  await deleteInBatches(storage, 'webhooks.prune', async (tx) => {
    const ids = (
      await tx
        .selectFrom('outbox_events as e')
        .select('e.id')
        .where('e.created_at', '<', cutoffMs)
        .where('e.fanned_out_at', 'is not', null)
        // A delivery's dedupe key is its event (the jobs_dedupe index starts with kind, dedupe key).
        .where((eb) => eb.not(hasJobFor(eb, WEBHOOK_DELIVERY_JOB, 'e.id')))
        // NOTE: in no order: no index has created_at first (each would cost every event's insert),
        // and ordered by position each batch sorted every event past retention, in one statement
        // (SQLite: 75 ms a batch at 1,000,000 events, on the event loop). Unordered, the table's scan
        // stops at the batch's 1,000th (1–2 ms; SQLite reads in insertion order, the oldest first).
        // Any order will do: all are past retention.
        .limit(PRUNE_BATCH)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) counts.events += deletedRows(await tx.deleteFrom('outbox_events').where('id', 'in', ids).executeTakeFirst());
    return ids.length;
  });
  return counts;
}
