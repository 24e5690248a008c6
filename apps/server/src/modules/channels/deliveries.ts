import type { DeliveryStatus } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/storage/storage.ts';
import type { ChangedDelivery } from './delivery-notifier.ts';

/** What an update of deliveries gives back: the rows it changed, to announce. */
const CHANGED = ['app_id', 'conversation_id', 'message_id', 'status', 'reason', 'updated_at'] as const;

/**
 * A message's delivery state only moves forward: queued → sent → delivered → read. A failure
 * replaces queued or sent (the provider gave up), never delivered or read (it arrived: a late
 * failure report of an earlier attempt says nothing new).
 */
const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 1.5 };

/** Whether `next` may replace `current`. Pure. */
export function advancesDelivery(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (current === 'failed') return next === 'delivered' || next === 'read';
  if (next === 'failed') return current === 'queued' || current === 'sent';
  return RANK[next] > RANK[current];
}

/** The statuses `next` may replace (for a conditional UPDATE). */
export function replaceableBy(next: DeliveryStatus): DeliveryStatus[] {
  return (['queued', 'sent', 'delivered', 'read', 'failed'] as const).filter((current) => advancesDelivery(current, next));
}

/** A status the provider reported of one of our messages; answers the row when it moved the message's state. */
export function applyDeliveryStatus(db: DbOrTx, clock: Clock, channelId: string, providerMessageId: string, status: DeliveryStatus, reason: string | null): Promise<ChangedDelivery[]> {
  return db
    .updateTable('channel_outbound')
    .set({ status, updated_at: clock.now(), ...(status === 'failed' ? { reason: reason ?? 'failed' } : {}) })
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', providerMessageId)
    .where('status', 'in', replaceableBy(status))
    .returning(CHANGED)
    .execute();
}

/** Messenger's watermark: every message to the user sent up to `upToMs` is delivered (or read); answers the rows moved. */
export function applyWatermark(db: DbOrTx, clock: Clock, channelId: string, externalId: string, status: 'delivered' | 'read', upToMs: number): Promise<ChangedDelivery[]> {
  return db
    .updateTable('channel_outbound')
    .set({ status, updated_at: clock.now() })
    .where('channel_id', '=', channelId)
    .where('external_id', '=', externalId)
    .where('sent_at', '<=', upToMs)
    .where('status', 'in', replaceableBy(status))
    .returning(CHANGED)
    .execute();
}
