/**
 * Webhooks (SPEC M35) own the outbox, subscriptions, and deliveries (jobs of kind
 * `webhooks.delivery` on platform/jobs, which keeps their attempt log). Other modules write events
 * with `createOutbox().enqueue(tx, …)` in the transaction of the change, so an event exists if and
 * only if its change committed. Workers on every node fan events out to the app's matching
 * subscriptions and deliver them at least once, signed per Standard Webhooks, with retries; one
 * delivery is never sent by two nodes at once (leases, SKIP LOCKED); the deliveries of one
 * ordering key to one subscription are attempted in order; every connection is checked against
 * the SSRF policy at connect time. Every query is scoped by app id.
 */
export { createOutbox, type Outbox, type OutboxEvent } from './outbox.ts';
export { createWebhooks, DEFAULT_FETCH_TIMEOUT_MS, type Webhooks, type WebhooksDeps } from './webhooks.service.ts';
export { registerWebhookRoutes } from './webhooks.routes.ts';
export { MAX_ATTEMPTS, RETRY_DELAYS_MS } from './retry-policy.ts';
export { WEBHOOK_DELIVERY_JOB } from './webhooks.repository.ts';
/** The guarded HTTP client and URL check, reused by the TCCC data push (reports module). */
export { createWebhookClient, type WebhookClient, type WebhookResponse } from './webhook-client.ts';
export { checkTargetUrl, originOf, type TargetPolicy } from './target-url.ts';
export { registerWebhookListeners } from './webhooks.listeners.ts';
