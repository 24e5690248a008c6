import { sql } from 'kysely';
import { deleteInBatches, deletedRows, PRUNE_BATCH } from '../../platform/pruning.ts';
import type { Storage } from '../../platform/storage/storage.ts';

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
  const counts: PruneCounts = { deliveries: 0, attempts: 0, events: 0 };
  await deleteInBatches(storage, 'webhooks.prune', async (tx) => {
    const ids = (
      await tx
        .selectFrom('webhook_deliveries')
        .select('id')
        // Literals, word for word the partial index's predicate (a bound parameter would not use it).
        .where(sql<boolean>`status in ('delivered', 'exhausted')`)
        .where('updated_at', '<', cutoffMs)
        .limit(PRUNE_BATCH)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) {
      counts.attempts += deletedRows(await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).executeTakeFirst());
      counts.deliveries += deletedRows(await tx.deleteFrom('webhook_deliveries').where('id', 'in', ids).executeTakeFirst());
    }
    return ids.length;
  });
  await deleteInBatches(storage, 'webhooks.prune', async (tx) => {
    const ids = (
      await tx
        .selectFrom('outbox_events as e')
        .select('e.id')
        .where('e.created_at', '<', cutoffMs)
        .where('e.fanned_out_at', 'is not', null)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))))
        .orderBy('e.position')
        .limit(PRUNE_BATCH)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) counts.events += deletedRows(await tx.deleteFrom('outbox_events').where('id', 'in', ids).executeTakeFirst());
    return ids.length;
  });
  return counts;
}
