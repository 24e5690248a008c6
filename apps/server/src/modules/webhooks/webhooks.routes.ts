import {
  CreateWebhookSubscriptionBody,
  IdParams,
  ListWebhookDeliveriesQuery,
  ReplayWebhookEventsBody,
  ReplayWebhookEventsReply,
  UpdateWebhookSubscriptionBody,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookSubscription,
  WebhookSubscriptionList,
  WebhookSubscriptionWithSecret,
} from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { Webhooks } from './webhooks.service.ts';

/** Webhook subscriptions, the delivery log and replay: admins or API keys, always within their own app. */
export function registerWebhookRoutes(http: HttpServer, { webhooks, auth }: { webhooks: Webhooks; auth: AuthHooks }) {
  const admin = auth.staff('admin');
  const tags = ['webhooks'];
  const base = '/v1/webhooks/subscriptions';

  http.get(base, { preHandler: admin, schema: { tags, summary: "The app's webhook subscriptions, oldest first", response: { 200: WebhookSubscriptionList } } }, async (request) => ({
    subscriptions: await webhooks.listSubscriptions(principalOf(request).appId),
  }));

  http.post(
    base,
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Subscribe a receiver URL (http/https, public addresses only) to event types; the answer holds the signing secret, shown only this once',
        body: CreateWebhookSubscriptionBody,
        response: { 201: WebhookSubscriptionWithSecret },
      },
    },
    async (request, reply) => reply.code(201).send(await webhooks.createSubscription(principalOf(request).appId, request.body)),
  );

  http.get(`${base}/:id`, { preHandler: admin, schema: { tags, summary: 'One subscription (without its secret)', params: IdParams, response: { 200: WebhookSubscription } } }, (request) =>
    webhooks.getSubscription(principalOf(request).appId, request.params.id),
  );

  http.patch(
    `${base}/:id`,
    { preHandler: admin, schema: { tags, summary: 'Change the URL, event types or description; fields left out are kept', params: IdParams, body: UpdateWebhookSubscriptionBody, response: { 200: WebhookSubscription } } },
    (request) => webhooks.updateSubscription(principalOf(request).appId, request.params.id, request.body),
  );

  http.delete(`${base}/:id`, { preHandler: admin, schema: { tags, summary: 'Delete a subscription with its deliveries and their log', params: IdParams } }, async (request, reply) => {
    await webhooks.deleteSubscription(principalOf(request).appId, request.params.id);
    return reply.code(204).send();
  });

  http.post(
    `${base}/:id/rotate-secret`,
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'A new signing secret, shown once; for 24 h requests carry signatures by both the new and the previous secret',
        params: IdParams,
        response: { 200: WebhookSubscriptionWithSecret },
      },
    },
    (request) => webhooks.rotateSecret(principalOf(request).appId, request.params.id),
  );

  http.post(
    `${base}/:id/enable`,
    { preHandler: admin, schema: { tags, summary: 'Enable a subscription (after a 410 or a disable); waiting deliveries resume', params: IdParams, response: { 200: WebhookSubscription } } },
    (request) => webhooks.enableSubscription(principalOf(request).appId, request.params.id),
  );

  http.post(
    `${base}/:id/disable`,
    { preHandler: admin, schema: { tags, summary: 'Disable a subscription: nothing is sent, and events meanwhile are not queued for it (replay them)', params: IdParams, response: { 200: WebhookSubscription } } },
    (request) => webhooks.disableSubscription(principalOf(request).appId, request.params.id),
  );

  http.get(
    '/v1/webhooks/deliveries',
    { preHandler: admin, schema: { tags, summary: 'The delivery log, newest event first, each delivery with its attempts', querystring: ListWebhookDeliveriesQuery, response: { 200: WebhookDeliveryList } } },
    (request) => webhooks.listDeliveries(principalOf(request).appId, request.query),
  );

  http.get('/v1/webhooks/deliveries/:id', { preHandler: admin, schema: { tags, summary: 'One delivery with its attempts', params: IdParams, response: { 200: WebhookDelivery } } }, (request) =>
    webhooks.getDelivery(principalOf(request).appId, request.params.id),
  );

  http.post(
    '/v1/webhooks/deliveries/:id/replay',
    { preHandler: admin, schema: { tags, summary: 'Send a delivery again (same webhook-id), with a fresh retry schedule', params: IdParams, response: { 200: WebhookDelivery } } },
    (request) => webhooks.replayDelivery(principalOf(request).appId, request.params.id),
  );

  http.post(
    '/v1/webhooks/replay',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: "Deliver again to one subscription every event of [fromMs, toMs] its filter matches (10,000 at most per call; continue from nextFromMs)",
        body: ReplayWebhookEventsBody,
        response: { 200: ReplayWebhookEventsReply },
      },
    },
    (request) => webhooks.replayEvents(principalOf(request).appId, request.body),
  );
}
