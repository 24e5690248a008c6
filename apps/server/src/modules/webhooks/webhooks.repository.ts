import type { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEventType, WebhookSubscription } from '@frontdesk/protocol';
import { newId } from '../../platform/ids.ts';
import type { Job, JobAttempt, JobStatus, NewJob } from '../../platform/jobs/index.ts';
import type { Database } from '../../platform/storage/schema.ts';

/** Rows of the webhooks module's tables, and their protocol shapes. */
export type EventRow = Database['outbox_events'];
export type SubscriptionRow = Database['webhook_subscriptions'];

/** A delivery is a job of this kind (platform/jobs): its group is the subscription, its dedupe key the event. */
export const WEBHOOK_DELIVERY_JOB = 'webhooks.delivery';
export interface DeliveryPayload {
  eventId: string;
  eventType: string;
}
export type DeliveryJob = Job<DeliveryPayload>;

/** A delivery's status is its job's: retrying shows as failed, done as delivered, cancelled (its event or subscription went) as exhausted. */
const STATUS_OF_JOB: Record<JobStatus, WebhookDeliveryStatus> = { pending: 'pending', retrying: 'failed', done: 'delivered', exhausted: 'exhausted', cancelled: 'exhausted' };
export const JOB_STATUSES_OF: Record<WebhookDeliveryStatus, JobStatus[]> = { pending: ['pending'], failed: ['retrying'], delivered: ['done'], exhausted: ['exhausted', 'cancelled'] };

export function eventTypesOf(row: Pick<SubscriptionRow, 'event_types'>): WebhookEventType[] | null {
  return row.event_types === null ? null : (JSON.parse(row.event_types) as WebhookEventType[]);
}

export function matches(row: Pick<SubscriptionRow, 'event_types'>, type: string): boolean {
  const types = eventTypesOf(row);
  return types === null || (types as string[]).includes(type);
}

/** A new delivery of `event` to a subscription, due now; in the event's place among the deliveries of its key. */
export function pendingDelivery(appId: string, subscriptionId: string, event: Pick<EventRow, 'id' | 'type' | 'ordering_key' | 'position'>): NewJob<DeliveryPayload> {
  return {
    kind: WEBHOOK_DELIVERY_JOB,
    id: newId('whd'),
    appId,
    groupKey: subscriptionId,
    orderingKey: event.ordering_key,
    dedupeKey: event.id,
    position: Number(event.position),
    payload: { eventId: event.id, eventType: event.type },
  };
}

export function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    appId: row.app_id,
    url: row.url,
    format: (row.format ?? 'standard') as WebhookSubscription['format'],
    signType: row.sign_type as WebhookSubscription['signType'],
    rsaPublicKeyPem: row.sign_type === 'RSA' ? row.rsa_public_key : null,
    eventTypes: eventTypesOf(row),
    description: row.description,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason as WebhookSubscription['disabledReason'],
    previousSecretExpiresAt: row.previous_secret === null ? null : row.previous_secret_expires_at,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toAttempt(attempt: JobAttempt): WebhookAttempt {
  const excerpt = attempt.detail?.responseExcerpt;
  return {
    id: attempt.id,
    at: attempt.at,
    statusCode: attempt.statusCode,
    error: attempt.error,
    latencyMs: attempt.latencyMs,
    responseExcerpt: typeof excerpt === 'string' ? excerpt : null,
  };
}

export function toDelivery(job: DeliveryJob, attempts: readonly JobAttempt[]): WebhookDelivery {
  const isOpen = job.status === 'pending' || job.status === 'retrying';
  return {
    id: job.id,
    subscriptionId: job.groupKey ?? '',
    eventId: job.payload.eventId,
    eventType: job.payload.eventType as WebhookEventType,
    orderingKey: job.orderingKey,
    status: STATUS_OF_JOB[job.status],
    attempts: job.attempts,
    nextAttemptAt: isOpen ? job.nextAttemptAt : null,
    lastAttemptAt: job.lastAttemptAt,
    deliveredAt: job.doneAt,
    createdAt: job.createdAt,
    attemptLog: attempts.map(toAttempt),
  };
}

/** The request body: built from the stored event, so every attempt of a delivery sends the same bytes. */
export function payloadOf(event: Pick<EventRow, 'type' | 'created_at' | 'data'>): string {
  return `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(new Date(Number(event.created_at)).toISOString())},"data":${event.data}}`;
}
