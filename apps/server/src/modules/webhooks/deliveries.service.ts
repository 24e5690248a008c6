import {
  ListWebhookDeliveriesQuery,
  MAX_WEBHOOK_REPLAY_EVENTS,
  ReplayWebhookEventsBody,
  type ReplayWebhookEventsInput,
  type WebhookDelivery,
} from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { attemptsOf, enqueueJobs, getJob, listJobs, replayJob } from '../../platform/jobs/index.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { formatWants } from './anychat-format.ts';
import { parseInput } from './subscriptions.service.ts';
import { WebhookError } from './webhooks.errors.ts';
import { eventTypesOf, JOB_STATUSES_OF, pendingDelivery, toDelivery, WEBHOOK_DELIVERY_JOB, type DeliveryJob, type DeliveryPayload } from './webhooks.repository.ts';

/**
 * The delivery log (every delivery with its attempts) and replay: of one delivery, or of every
 * event of a time range to one subscription. A replayed delivery is pending again with a fresh
 * retry schedule and the same `webhook-id`, so an idempotent receiver still sees each event once;
 * while it is open, later deliveries of its ordering key to that subscription wait for it.
 * Deliveries are jobs (platform/jobs) of kind `webhooks.delivery`.
 */
export function createDeliveriesService({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;

  async function subscriptionRow(appId: string, subscriptionId: string) {
    const row = await db.selectFrom('webhook_subscriptions').select(['id', 'event_types', 'format']).where('app_id', '=', appId).where('id', '=', subscriptionId).executeTakeFirst();
    if (!row) throw new WebhookError('FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${subscriptionId} not found`);
    return row;
  }

  async function withAttempts(appId: string, jobs: DeliveryJob[]): Promise<WebhookDelivery[]> {
    const attempts = await attemptsOf(
      db,
      appId,
      jobs.map((job) => job.id),
    );
    return jobs.map((job) => toDelivery(job, attempts.get(job.id) ?? []));
  }

  async function getDelivery(appId: string, id: string): Promise<WebhookDelivery> {
    const job = await getJob<DeliveryPayload>(db, WEBHOOK_DELIVERY_JOB, appId, id);
    if (!job) throw new WebhookError('FD_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${id} not found`);
    return (await withAttempts(appId, [job]))[0]!;
  }

  return {
    getDelivery,

    /** Newest event first; `after` continues from a previous page's `nextAfter`. */
    async listDeliveries(appId: string, query: z.input<typeof ListWebhookDeliveriesQuery>): Promise<{ deliveries: WebhookDelivery[]; nextAfter: string | null }> {
      const { subscriptionId, status, after, limit } = parseInput(ListWebhookDeliveriesQuery, query, 'delivery query');
      if (subscriptionId !== undefined) await subscriptionRow(appId, subscriptionId);
      const page = await listJobs<DeliveryPayload>(db, {
        kind: WEBHOOK_DELIVERY_JOB,
        appId,
        groupKey: subscriptionId,
        statuses: status === undefined ? undefined : JOB_STATUSES_OF[status],
        after,
        limit,
      });
      if (!page) throw new WebhookError('FD_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${after} not found`);
      const deliveries = await withAttempts(appId, page.jobs);
      return { deliveries, nextAfter: page.hasMore ? deliveries[limit - 1]!.id : null };
    },

    /** Makes the delivery pending again, due now, with a fresh retry schedule. */
    async replayDelivery(appId: string, id: string): Promise<WebhookDelivery> {
      if (!(await replayJob(db, WEBHOOK_DELIVERY_JOB, appId, id, clock.now()))) throw new WebhookError('FD_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${id} not found`);
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
      const deliveries = batch.filter((event) => formatWants(subscription.format, appId, event)).map((event) => pendingDelivery(appId, subscriptionId, event));
      await db.transaction().execute((tx) => enqueueJobs(tx, deliveries, clock.now(), 'reopen'));
      const next = events[MAX_WEBHOOK_REPLAY_EVENTS];
      return { count: deliveries.length, nextFromMs: next ? Number(next.created_at) : null };
    },
  };
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
