import {
  ListWebhookDeliveriesQuery,
  MAX_WEBHOOK_REPLAY_EVENTS,
  ReplayWebhookEventsBody,
  type ReplayWebhookEventsInput,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { formatWants } from './anychat-format.ts';
import { parseInput } from './subscriptions.service.ts';
import { WebhookError } from './webhooks.errors.ts';
import { eventTypesOf, pendingDelivery, toDelivery, type DeliveryRow } from './webhooks.repository.ts';

const ROWS_PER_INSERT = 500;

/**
 * The delivery log (every delivery with its attempts) and replay: of one delivery, or of every
 * event of a time range to one subscription. A replayed delivery is pending again with a fresh
 * retry schedule and the same `webhook-id`, so an idempotent receiver still sees each event once;
 * while it is open, later deliveries of its ordering key to that subscription wait for it.
 */
export function createDeliveriesService({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;

  async function subscriptionRow(appId: string, subscriptionId: string) {
    const row = await db.selectFrom('webhook_subscriptions').select(['id', 'event_types', 'format']).where('app_id', '=', appId).where('id', '=', subscriptionId).executeTakeFirst();
    if (!row) throw new WebhookError('FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${subscriptionId} not found`);
    return row;
  }

  async function withAttempts(appId: string, rows: DeliveryRow[]): Promise<WebhookDelivery[]> {
    if (rows.length === 0) return [];
    const attempts = await db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('app_id', '=', appId)
      .where(
        'delivery_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('at')
      .orderBy('id')
      .execute();
    const byDelivery = new Map<string, typeof attempts>();
    for (const attempt of attempts) byDelivery.set(attempt.delivery_id, [...(byDelivery.get(attempt.delivery_id) ?? []), attempt]);
    return rows.map((row) => toDelivery(row, byDelivery.get(row.id) ?? []));
  }

  async function getDelivery(appId: string, id: string): Promise<WebhookDelivery> {
    const row = await db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new WebhookError('FD_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${id} not found`);
    return (await withAttempts(appId, [row]))[0]!;
  }

  return {
    getDelivery,

    /** Newest event first; `after` continues from a previous page's `nextAfter`. */
    async listDeliveries(appId: string, query: z.input<typeof ListWebhookDeliveriesQuery>): Promise<{ deliveries: WebhookDelivery[]; nextAfter: string | null }> {
      const { subscriptionId, status, after, limit } = parseInput(ListWebhookDeliveriesQuery, query, 'delivery query');
      let rows = db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', appId);
      if (subscriptionId !== undefined) {
        await subscriptionRow(appId, subscriptionId);
        rows = rows.where('subscription_id', '=', subscriptionId);
      }
      if (status !== undefined) rows = rows.where('status', '=', status satisfies WebhookDeliveryStatus);
      if (after !== undefined) {
        const cursor = await db.selectFrom('webhook_deliveries').select(['id', 'position']).where('app_id', '=', appId).where('id', '=', after).executeTakeFirst();
        if (!cursor) throw new WebhookError('FD_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${after} not found`);
        rows = rows.where((eb) => eb.or([eb('position', '<', cursor.position), eb.and([eb('position', '=', cursor.position), eb('id', '<', cursor.id)])]));
      }
      const page = await rows
        .orderBy('position', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const deliveries = await withAttempts(appId, page.slice(0, limit));
      return { deliveries, nextAfter: page.length > limit ? deliveries[limit - 1]!.id : null };
    },

    /** Makes the delivery pending again, due now, with a fresh retry schedule. */
    async replayDelivery(appId: string, id: string): Promise<WebhookDelivery> {
      const now = clock.now();
      const result = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new WebhookError('FD_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${id} not found`);
      return getDelivery(appId, id);
    },

    /**
     * Delivers again every event created in [fromMs, toMs] that the subscription's filter
     * matches: existing deliveries become pending, events it never got (made before it existed,
     * or while it was disabled) get a delivery. At most 10,000 events per call.
     */
    async replayEvents(appId: string, input: ReplayWebhookEventsInput): Promise<{ count: number; nextFromMs: number | null }> {
      const { subscriptionId, fromMs, toMs } = parseInput(ReplayWebhookEventsBody, input, 'replay');
      const subscription = await subscriptionRow(appId, subscriptionId);
      const types = eventTypesOf(subscription);
      let query = db
        .selectFrom('outbox_events')
        .select(['id', 'type', 'ordering_key', 'position', 'created_at', 'data'])
        .where('app_id', '=', appId)
        .where('created_at', '>=', fromMs)
        .where('created_at', '<=', toMs);
      if (types !== null) query = query.where('type', 'in', types);
      const events = await query
        .orderBy('created_at')
        .orderBy('position')
        .limit(MAX_WEBHOOK_REPLAY_EVENTS + 1)
        .execute();
      const batch = events.slice(0, MAX_WEBHOOK_REPLAY_EVENTS);
      const now = clock.now();
      const rows = batch.filter((event) => formatWants(subscription.format, appId, event)).map((event) => pendingDelivery(appId, subscriptionId, event, now));
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          await tx
            .insertInto('webhook_deliveries')
            .values(rows.slice(i, i + ROWS_PER_INSERT))
            .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doUpdateSet({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now }))
            .execute();
        }
      });
      const next = events[MAX_WEBHOOK_REPLAY_EVENTS];
      return { count: rows.length, nextFromMs: next ? Number(next.created_at) : null };
    },
  };
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
