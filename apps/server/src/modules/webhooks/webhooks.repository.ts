import type { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEventType, WebhookSubscription } from '@frontdesk/protocol';
import { sql, type RawBuilder } from 'kysely';
import { newId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';

/** Rows of the webhooks module's tables, and their protocol shapes. */
export type EventRow = Database['outbox_events'];
export type SubscriptionRow = Database['webhook_subscriptions'];
export type DeliveryRow = Database['webhook_deliveries'];
export type AttemptRow = Database['webhook_attempts'];

/**
 * Open deliveries (pending, failed) are still to be attempted.
 * `<column> in ('pending', 'failed')` with literals, word for word the predicate of the partial
 * indexes on open deliveries (migration 0005): with bound parameters instead, SQLite (and a
 * generic PostgreSQL plan) cannot prove the query implies the index's predicate, and scans.
 */
export function isOpen(column: 'status' | 'd.status' | 'p.status'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} in ('pending', 'failed')`;
}

export function eventTypesOf(row: Pick<SubscriptionRow, 'event_types'>): WebhookEventType[] | null {
  return row.event_types === null ? null : (JSON.parse(row.event_types) as WebhookEventType[]);
}

export function matches(row: Pick<SubscriptionRow, 'event_types'>, type: string): boolean {
  const types = eventTypesOf(row);
  return types === null || (types as string[]).includes(type);
}

/** A new delivery of `event` to a subscription, due now. */
export function pendingDelivery(appId: string, subscriptionId: string, event: Pick<EventRow, 'id' | 'type' | 'ordering_key' | 'position'>, nowMs: number): DeliveryRow {
  return {
    id: newId('whd'),
    app_id: appId,
    subscription_id: subscriptionId,
    event_id: event.id,
    event_type: event.type,
    ordering_key: event.ordering_key,
    position: Number(event.position),
    status: 'pending',
    attempts: 0,
    next_attempt_at: nowMs,
    last_attempt_at: null,
    delivered_at: null,
    lease_owner: null,
    lease_until: null,
    created_at: nowMs,
    updated_at: nowMs,
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

export function toAttempt(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    at: Number(row.at),
    statusCode: row.status_code,
    error: row.error,
    latencyMs: row.latency_ms,
    responseExcerpt: row.response_excerpt,
  };
}

export function toDelivery(row: DeliveryRow, attempts: AttemptRow[]): WebhookDelivery {
  const status = row.status as WebhookDeliveryStatus;
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type as WebhookEventType,
    orderingKey: row.ordering_key,
    status,
    attempts: row.attempts,
    nextAttemptAt: status === 'pending' || status === 'failed' ? Number(row.next_attempt_at) : null,
    lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    createdAt: Number(row.created_at),
    attemptLog: attempts.map(toAttempt),
  };
}

/** The request body: built from the stored event, so every attempt of a delivery sends the same bytes. */
export function payloadOf(event: Pick<EventRow, 'type' | 'created_at' | 'data'>): string {
  return `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(new Date(Number(event.created_at)).toISOString())},"data":${event.data}}`;
}
