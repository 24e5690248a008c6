import type { Clock } from '../../platform/clock.ts';
import { enqueueJobs } from '../../platform/jobs/index.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { formatWants } from './anychat-format.ts';
import { matches, pendingDelivery } from './webhooks.repository.ts';

/** Outbox events turned into deliveries per transaction. */
export const FAN_OUT_BATCH_EVENTS = 500;

/** A `webhook.delivery_exhausted` event is not sent to the subscription it is about (that receiver is failing). */
function isAbout(event: { type: string; data: string }, subscriptionId: string): boolean {
  return event.type === 'webhook.delivery_exhausted' && (JSON.parse(event.data) as { subscriptionId?: string }).subscriptionId === subscriptionId;
}

/**
 * Turns outbox events not fanned out yet into one delivery per enabled subscription of the app
 * whose filter matches, and marks the events fanned out in the same transaction: a crash leaves
 * either both or neither, so every event is fanned out exactly once (a delivery job is unique per
 * subscription × event, so a repeat is harmless anyway). Fan-outs are serialized across nodes by
 * an advisory lock and take events in position order, so the deliveries of one key are created
 * in key order and the order check of the claims (an earlier job of the key must be finished)
 * never misses an earlier delivery that did not exist yet. Returns the number of events handled.
 */
export async function fanOutBatch(storage: Storage, clock: Clock, batchSize = FAN_OUT_BATCH_EVENTS): Promise<number> {
  const { db } = storage;
  // A cheap look first, without the lock: most of the time there is nothing to do.
  const pending = await db.selectFrom('outbox_events').select('id').where('fanned_out_at', 'is', null).limit(1).executeTakeFirst();
  if (!pending) return 0;
  return db.transaction().execute(async (tx) => {
    await storage.lockKey(tx, 'webhooks.fan-out');
    const events = await tx
      .selectFrom('outbox_events')
      .select(['id', 'app_id', 'type', 'ordering_key', 'position', 'created_at', 'data'])
      .where('fanned_out_at', 'is', null)
      .orderBy('position')
      .limit(batchSize)
      .execute();
    if (events.length === 0) return 0;
    const appIds = [...new Set(events.map((e) => e.app_id))];
    const subscriptions = await tx.selectFrom('webhook_subscriptions').select(['id', 'app_id', 'event_types', 'format']).where('app_id', 'in', appIds).where('enabled', '=', 1).execute();
    const byApp = new Map<string, typeof subscriptions>();
    for (const subscription of subscriptions) byApp.set(subscription.app_id, [...(byApp.get(subscription.app_id) ?? []), subscription]);
    const now = clock.now();
    const deliveries = events.flatMap((event) =>
      (byApp.get(event.app_id) ?? [])
        .filter((subscription) => matches(subscription, event.type) && formatWants(subscription.format, event.app_id, event) && !isAbout(event, subscription.id))
        .map((subscription) => pendingDelivery(event.app_id, subscription.id, event)),
    );
    await enqueueJobs(tx, deliveries, now, 'ignore');
    await tx
      .updateTable('outbox_events')
      .set({ fanned_out_at: now })
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    return events.length;
  });
}
