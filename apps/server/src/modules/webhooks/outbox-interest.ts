import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { Tx } from '../../platform/storage/storage.ts';
import type { OutboxEvent } from './outbox.ts';
import { matches, type SubscriptionRow } from './webhooks.repository.ts';

/** The subscriptions of each app, as far as writing hot-path events to the outbox is concerned. */
export type Interest = ReadonlyMap<string, Pick<SubscriptionRow, 'enabled' | 'event_types'>[]>;

/** A batch of one app's events (the common case): compiled once (compiled-query.ts). */
const subscriptionsOfOne = compiledOnce<{ appId: string }, Pick<SubscriptionRow, 'app_id' | 'enabled' | 'event_types'>>((db, a) =>
  db.selectFrom('webhook_subscriptions').select(['app_id', 'enabled', 'event_types']).where('app_id', '=', a.appId),
);

/** One read for a batch: the subscriptions (enabled or not) of the batch's apps, as the transaction sees them. */
export async function interestOf(tx: Tx, appIds: readonly string[]): Promise<Interest> {
  const interest = new Map<string, Pick<SubscriptionRow, 'enabled' | 'event_types'>[]>();
  if (appIds.length === 0) return interest;
  const rows = appIds.length === 1 ? (await subscriptionsOfOne(tx, { appId: appIds[0]! })).rows : await tx.selectFrom('webhook_subscriptions').select(['app_id', 'enabled', 'event_types']).where('app_id', 'in', appIds).execute();
  for (const { app_id, ...row } of rows) interest.set(app_id, [...(interest.get(app_id) ?? []), row]);
  return interest;
}

/**
 * Which events of a hot path (messages) are written, and which are fanned out. NOTE: an app that has
 * never had a subscription writes none (most apps: the outbox row, its JSON and its fan-out were a
 * third of a send's writes). Once it has one, every event is written, so a replay reaches events from
 * before a later subscription existed or while one was disabled, as before; events that no enabled
 * subscription wants are stored already marked fanned out, so the fan-out worker never reads them.
 * A subscription counts from the first transaction that reads it committed.
 */
export function selectWanted(events: readonly OutboxEvent[], interest: Interest): OutboxEvent[] {
  return events.flatMap((event) => {
    const subscriptions = interest.get(event.appId);
    if (!subscriptions || subscriptions.length === 0) return [];
    const wanted = subscriptions.some((s) => s.enabled === 1 && matches(s, event.type));
    return [wanted ? event : { ...event, skipFanOut: true }];
  });
}
