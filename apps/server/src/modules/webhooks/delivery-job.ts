import type { JobDecision, JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { anychatRequest, anychatRoomOf, anychatUserIdsOf, type AnyChatContext, type AnyChatSigner, type AnyChatUser } from './anychat-format.ts';
import type { AnyChatRooms } from './anychat-rooms.ts';
import type { Outbox, OutboxEvent } from './outbox.ts';
import { decide, isSuccess } from './retry-policy.ts';
import { signatureHeader } from './signing.ts';
import { originOf } from './target-url.ts';
import type { WebhookClient, WebhookResponse } from './webhook-client.ts';
import { payloadOf, WEBHOOK_DELIVERY_JOB, type DeliveryJob, type DeliveryPayload, type EventRow, type SubscriptionRow } from './webhooks.repository.ts';

/** What one delivery attempt needs beyond its job: the event it sends and the subscription it goes to. */
export interface DeliveryContext {
  event: Pick<EventRow, 'id' | 'type' | 'created_at' | 'data'>;
  subscription: SubscriptionRow;
}

/**
 * The event that tells the app a delivery is exhausted (RELIABILITY: "exhausted → endpoint owner
 * told"): written in the transaction that records the last attempt, delivered to the app's other
 * subscriptions (fan-out skips the failing one). An exhausted delivery of this event makes no other.
 */
function exhaustedEvent(job: DeliveryJob, { event, subscription }: DeliveryContext, at: number, response: WebhookResponse): OutboxEvent {
  return {
    appId: job.appId,
    type: 'webhook.delivery_exhausted',
    data: {
      subscriptionId: subscription.id,
      url: subscription.url,
      deliveryId: job.id,
      eventId: event.id,
      eventType: event.type,
      attempts: job.attempts + 1,
      lastStatusCode: response.statusCode,
      lastError: response.error,
      at,
    },
  };
}

/** An attempt that sent nothing: it fails (and is retried) like a refused connection. */
function notSent(error: string): WebhookResponse {
  return { statusCode: null, error, retryAfterMs: null, latencyMs: 0, responseExcerpt: null };
}

/**
 * Webhook deliveries as a kind of job (platform/jobs): each is one event to one subscription,
 * signed per Standard Webhooks (or an AnyChat notify for `anychat` subscriptions), retried on the
 * schedule of retry-policy.ts. A 410 pauses the subscription's group and disables it; an exhausted
 * delivery writes `webhook.delivery_exhausted` into the outbox, both in the recording transaction.
 */
export function webhookDeliveryKind(deps: {
  storage: Storage;
  log: Logger;
  client: WebhookClient;
  outbox: Outbox;
  random?: () => number;
  /** The app's AnyChat secret (its gateway secret), which signs `anychat` subscriptions' notifies. */
  secretOf?: (appId: string) => Promise<string | undefined>;
  /** The users a notify names (their names and login addresses). */
  userOf?: (appId: string, userId: string) => Promise<AnyChatUser | undefined>;
  /** Integer room ids of conversations (textmsg_notify roomid). */
  rooms?: AnyChatRooms;
}): JobKind<DeliveryPayload, WebhookResponse, DeliveryContext> {
  const { storage, log, client, outbox } = deps;
  const { db } = storage;
  const secretOf = deps.secretOf ?? (async () => undefined);
  const random = deps.random ?? Math.random;

  /** What signs an `anychat` subscription's notifies: its RSA key, or the app's gateway secret (MD5). */
  async function signerOf(appId: string, subscription: SubscriptionRow): Promise<AnyChatSigner | string> {
    if (subscription.sign_type === 'RSA') {
      return subscription.rsa_private_key ? { signType: 'RSA', privateKeyPem: subscription.rsa_private_key } : 'the subscription has no RSA key (rotate its secret)';
    }
    try {
      const secret = await secretOf(appId);
      return secret ? { signType: 'MD5', secret } : 'the app has no AnyChat gateway secret';
    } catch (err) {
      return `could not read the app's AnyChat secret: ${(err as Error).message}`;
    }
  }

  /** The users a notify names and its conversation's room, read when it is sent (a user gone is named by id). */
  async function anychatContextOf(appId: string, event: DeliveryContext['event']): Promise<AnyChatContext> {
    const users = new Map<string, AnyChatUser>();
    for (const id of anychatUserIdsOf(event)) {
      const user = await deps.userOf?.(appId, id);
      if (user) users.set(id, user);
    }
    const conversationId = anychatRoomOf(event);
    return { users, roomId: conversationId && deps.rooms ? await deps.rooms.roomIdOf(appId, conversationId) : undefined };
  }

  /** An `anychat` subscription's attempt (SPEC M36): the event's notify, signed at send time. */
  async function sendAnyChat(job: DeliveryJob, { event, subscription }: DeliveryContext, at: number): Promise<WebhookResponse> {
    const signer = await signerOf(job.appId, subscription);
    if (typeof signer === 'string') return notSent(signer);
    let request: ReturnType<typeof anychatRequest>;
    try {
      const context = await anychatContextOf(job.appId, event);
      request = anychatRequest({ baseUrl: subscription.url, appId: job.appId, signer, nowMs: at, event, context });
    } catch (err) {
      return notSent(`could not build the AnyChat notify: ${(err as Error).message}`);
    }
    if (!request) return notSent(`no AnyChat notify for a ${event.type} event`);
    const headers = { 'content-type': 'application/json;charset=UTF-8', 'user-agent': 'Frontdesk-Webhooks/1', 'webhook-id': event.id };
    return client.send({ url: request.url, headers, body: request.body }, at);
  }

  function sendStandard({ event, subscription }: DeliveryContext, at: number): Promise<WebhookResponse> {
    const body = payloadOf(event);
    const secrets = [subscription.secret];
    if (subscription.previous_secret && Number(subscription.previous_secret_expires_at) > at) secrets.push(subscription.previous_secret);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Frontdesk-Webhooks/1',
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(at / 1000)),
      'webhook-signature': signatureHeader(secrets, event.id, at, body),
    };
    return client.send({ url: subscription.url, headers, body }, at);
  }

  return {
    kind: WEBHOOK_DELIVERY_JOB,
    attemptIdPrefix: 'wha',

    async load(jobs) {
      const contexts = new Map<string, DeliveryContext>();
      if (jobs.length === 0) return contexts;
      const [events, subscriptions] = await Promise.all([
        db
          .selectFrom('outbox_events')
          .select(['id', 'type', 'created_at', 'data'])
          .where('id', 'in', [...new Set(jobs.map((job) => job.payload.eventId))])
          .execute(),
        db
          .selectFrom('webhook_subscriptions')
          .selectAll()
          .where('id', 'in', [...new Set(jobs.map((job) => job.groupKey ?? ''))])
          .execute(),
      ]);
      const eventById = new Map(events.map((e) => [e.id, e]));
      const subscriptionById = new Map(subscriptions.map((s) => [s.id, s]));
      for (const job of jobs) {
        const event = eventById.get(job.payload.eventId);
        const subscription = subscriptionById.get(job.groupKey ?? '');
        if (event && subscription) contexts.set(job.id, { event, subscription });
      }
      return contexts;
    },

    run: (job, context, at) => (context.subscription.format === 'anychat' ? sendAnyChat(job, context, at) : sendStandard(context, at)),

    decide(job, { event, subscription }, response, nowMs): JobDecision {
      // AnyChat notifies are delivered by HTTP 200 only.
      const delivers = subscription.format === 'anychat' ? (statusCode: number | null) => statusCode === 200 : isSuccess;
      const decision = decide(response, job.attempts + 1, nowMs, random(), delivers);
      const target = originOf(subscription.url);
      if (decision.status === 'exhausted') {
        log.error(
          { appId: job.appId, subscriptionId: subscription.id, deliveryId: job.id, eventId: event.id, eventType: event.type, target, attempts: job.attempts + 1, statusCode: response.statusCode, error: response.error },
          'webhook delivery exhausted: every attempt failed, no more retries (see the delivery log; replay it once the receiver is fixed)',
        );
      } else if (decision.status === 'failed' && decision.disableSubscription) {
        log.warn({ appId: job.appId, subscriptionId: subscription.id, target }, 'webhook receiver answered 410 Gone: subscription disabled');
      }
      if (decision.status === 'delivered') return { status: 'done' };
      if (decision.status === 'failed') return { status: 'retry', nextAttemptAt: decision.nextAttemptAt, disableGroup: decision.disableSubscription };
      return { status: 'exhausted', disableGroup: decision.disableSubscription };
    },

    attemptOf: (response) => ({
      statusCode: response.statusCode,
      error: response.error,
      latencyMs: response.latencyMs,
      detail: response.responseExcerpt === null ? null : { responseExcerpt: response.responseExcerpt },
    }),

    async onExhausted(tx, exhausted) {
      const events = exhausted.filter(({ context }) => context.event.type !== 'webhook.delivery_exhausted').map(({ job, context, at, outcome }) => exhaustedEvent(job, context, at, outcome));
      if (events.length > 0) await outbox.enqueue(tx, events);
    },

    async onGroupsDisabled(tx, subscriptionIds, nowMs) {
      await tx
        .updateTable('webhook_subscriptions')
        .set({ enabled: 0, disabled_reason: 'gone', updated_at: nowMs })
        .where('id', 'in', [...subscriptionIds])
        .where('enabled', '=', 1)
        .execute();
    },
  };
}
