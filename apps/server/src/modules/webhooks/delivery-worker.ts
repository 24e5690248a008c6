import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { AttemptResult, ClaimedDelivery, DeliveryStore } from './delivery-store.ts';
import { fanOutBatch } from './fan-out.ts';
import { anychatRequest, anychatRoomOf, anychatUserIdsOf, type AnyChatContext, type AnyChatSigner, type AnyChatUser } from './anychat-format.ts';
import type { AnyChatRooms } from './anychat-rooms.ts';
import { decide, isSuccess } from './retry-policy.ts';
import { signatureHeader } from './signing.ts';
import { originOf } from './target-url.ts';
import type { WebhookClient, WebhookResponse } from './webhook-client.ts';
import { payloadOf } from './webhooks.repository.ts';

export interface DeliveryWorkerOptions {
  /** Requests in flight on this node. */
  concurrency: number;
  /** Requests in flight on this node to one subscription, so a slow receiver cannot take every slot. */
  maxInFlightPerSubscription: number;
  /** How often an idle worker looks for new events and due retries (injected clock). */
  pollIntervalMs: number;
  /** Held on each claimed delivery; longer than a request can take, so it only lapses when a node dies. */
  leaseMs: number;
}

/**
 * One node's delivery loop: fan out new outbox events, claim due deliveries (leased, so nodes
 * never send one at the same time), send them with up to `concurrency` requests in flight,
 * record each attempt and its decision, repeat until nothing is due, then sleep until the next
 * poll on the injected clock. `runOnce` runs the loop now and resolves once it is idle.
 */
export function createDeliveryWorker(deps: {
  storage: Storage;
  clock: Clock;
  log: Logger;
  store: DeliveryStore;
  client: WebhookClient;
  options: DeliveryWorkerOptions;
  random?: () => number;
  /** The app's AnyChat secret (its gateway secret), which signs `anychat` subscriptions' notifies. */
  secretOf?: (appId: string) => Promise<string | undefined>;
  /** The users a notify names (their names and login addresses). */
  userOf?: (appId: string, userId: string) => Promise<AnyChatUser | undefined>;
  /** Integer room ids of conversations (textmsg_notify roomid). */
  rooms?: AnyChatRooms;
}) {
  const { storage, clock, log, store, client, options } = deps;
  const secretOf = deps.secretOf ?? (async () => undefined);
  const random = deps.random ?? Math.random;
  /** Identifies this worker's leases; a restarted process is a new owner. */
  const owner = newId('node');
  const inFlight = new Map<string, Promise<void>>();
  const inFlightBySubscription = new Map<string, number>();
  let results: AttemptResult[] = [];
  let wakeLoop: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let rerun = false;
  let started = false;
  let closed = false;
  let cancelPoll: (() => void) | undefined;
  let lastLoopErrorLoggedAt = -Infinity;

  function schedulePoll(): void {
    cancelPoll?.();
    if (!started || closed) return;
    cancelPoll = clock.at(clock.now() + options.pollIntervalMs, () => {
      cancelPoll = undefined;
      void kick();
    });
  }

  /** An attempt that sent nothing: it fails (and is retried) like a refused connection. */
  function notSent(error: string): WebhookResponse {
    return { statusCode: null, error, retryAfterMs: null, latencyMs: 0, responseExcerpt: null };
  }

  /** What signs an `anychat` subscription's notifies: its RSA key, or the app's gateway secret (MD5). */
  async function signerOf({ delivery, subscription }: ClaimedDelivery): Promise<AnyChatSigner | string> {
    if (subscription.sign_type === 'RSA') {
      return subscription.rsa_private_key ? { signType: 'RSA', privateKeyPem: subscription.rsa_private_key } : 'the subscription has no RSA key (rotate its secret)';
    }
    try {
      const secret = await secretOf(delivery.app_id);
      return secret ? { signType: 'MD5', secret } : 'the app has no AnyChat gateway secret';
    } catch (err) {
      return `could not read the app's AnyChat secret: ${(err as Error).message}`;
    }
  }

  /** The users a notify names and its conversation's room, read when it is sent (a user gone is named by id). */
  async function anychatContextOf(appId: string, event: ClaimedDelivery['event']): Promise<AnyChatContext> {
    const users = new Map<string, AnyChatUser>();
    for (const id of anychatUserIdsOf(event)) {
      const user = await deps.userOf?.(appId, id);
      if (user) users.set(id, user);
    }
    const conversationId = anychatRoomOf(event);
    return { users, roomId: conversationId && deps.rooms ? await deps.rooms.roomIdOf(appId, conversationId) : undefined };
  }

  /** An `anychat` subscription's attempt (SPEC M36): the event's notify, signed at send time. */
  async function sendAnyChat(claimed: ClaimedDelivery, at: number): Promise<WebhookResponse> {
    const { delivery, event, subscription } = claimed;
    const signer = await signerOf(claimed);
    if (typeof signer === 'string') return notSent(signer);
    let request: ReturnType<typeof anychatRequest>;
    try {
      const context = await anychatContextOf(delivery.app_id, event);
      request = anychatRequest({ baseUrl: subscription.url, appId: delivery.app_id, signer, nowMs: at, event, context });
    } catch (err) {
      return notSent(`could not build the AnyChat notify: ${(err as Error).message}`);
    }
    if (!request) return notSent(`no AnyChat notify for a ${event.type} event`);
    const headers = { 'content-type': 'application/json;charset=UTF-8', 'user-agent': 'Frontdesk-Webhooks/1', 'webhook-id': event.id };
    return client.send({ url: request.url, headers, body: request.body }, at);
  }

  function send(claimed: ClaimedDelivery): void {
    const { event, subscription } = claimed;
    const at = clock.now();
    if (subscription.format === 'anychat') {
      track(claimed, at, sendAnyChat(claimed, at), (statusCode) => statusCode === 200);
      return;
    }
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
    track(claimed, at, client.send({ url: subscription.url, headers, body }, at), isSuccess);
  }

  /** Counts the request in flight; records its outcome and decision once it answers. */
  function track(claimed: ClaimedDelivery, at: number, response: Promise<WebhookResponse>, delivers: (statusCode: number | null) => boolean): void {
    const { delivery, event, subscription } = claimed;
    inFlightBySubscription.set(subscription.id, (inFlightBySubscription.get(subscription.id) ?? 0) + 1);
    const sending = response.then((response) => {
      const decision = decide(response, delivery.attempts + 1, clock.now(), random(), delivers);
      if (decision.status === 'exhausted') {
        log.error(
          { appId: delivery.app_id, subscriptionId: subscription.id, deliveryId: delivery.id, eventId: event.id, eventType: event.type, target: originOf(subscription.url), attempts: delivery.attempts + 1, statusCode: response.statusCode, error: response.error },
          'webhook delivery exhausted: every attempt failed, no more retries (see the delivery log; replay it once the receiver is fixed)',
        );
      } else if (decision.status === 'failed' && decision.disableSubscription) {
        log.warn({ appId: delivery.app_id, subscriptionId: subscription.id, target: originOf(subscription.url) }, 'webhook receiver answered 410 Gone: subscription disabled');
      }
      results.push({ claimed, at, response, decision });
    });
    inFlight.set(
      delivery.id,
      sending.finally(() => {
        inFlight.delete(delivery.id);
        const count = (inFlightBySubscription.get(subscription.id) ?? 1) - 1;
        if (count > 0) inFlightBySubscription.set(subscription.id, count);
        else inFlightBySubscription.delete(subscription.id);
        wakeLoop?.();
      }),
    );
  }

  /** Claims what fits in the free slots; answers how many were claimed, or -1 when nothing was due. */
  async function claimAndSend(): Promise<number> {
    const free = options.concurrency - inFlight.size;
    if (free <= 0) return 0;
    const saturated = [...inFlightBySubscription].filter(([, n]) => n >= options.maxInFlightPerSubscription).map(([id]) => id);
    const claimed = await store.claim({ owner, nowMs: clock.now(), leaseMs: options.leaseMs, limit: free, excludeSubscriptionIds: saturated });
    // One claim may hold more of one subscription than its share: give the rest back at once.
    const kept: ClaimedDelivery[] = [];
    const extra: string[] = [];
    const counts = new Map(inFlightBySubscription);
    for (const c of claimed) {
      const n = counts.get(c.subscription.id) ?? 0;
      if (n < options.maxInFlightPerSubscription) {
        counts.set(c.subscription.id, n + 1);
        kept.push(c);
      } else extra.push(c.delivery.id);
    }
    await store.release(owner, extra);
    for (const c of kept) send(c);
    return claimed.length === 0 ? -1 : kept.length;
  }

  async function flush(): Promise<void> {
    if (results.length === 0) return;
    const batch = results;
    results = [];
    try {
      await store.record(owner, batch, clock.now());
    } catch (err) {
      // The leases lapse and the deliveries are attempted again: at least once, never lost.
      log.error({ err: { message: (err as Error).message }, deliveries: batch.length }, 'could not record webhook attempts; they will be retried');
    }
  }

  /**
   * Resolves when a request completes (or right away if one already has), or at the next poll:
   * slow requests in flight do not hold back new work for the free slots.
   */
  function nextCompletion(): Promise<void> {
    if (results.length > 0 || inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const cancelTimer = clock.at(clock.now() + options.pollIntervalMs, () => wakeLoop?.());
      wakeLoop = () => {
        wakeLoop = undefined;
        cancelTimer();
        // Let the other requests that finished in this turn land too: one record for all.
        setImmediate(resolve);
      };
    });
  }

  async function loop(): Promise<void> {
    for (;;) {
      rerun = false;
      try {
        for (;;) {
          // One fan-out batch per turn, so new events keep flowing in under a steady load.
          const fannedOut = closed ? 0 : await fanOutBatch(storage, clock);
          const claimed = closed ? -1 : await claimAndSend();
          if (fannedOut === 0 && claimed === -1 && inFlight.size === 0 && results.length === 0) break;
          await nextCompletion();
          // A recorded attempt may make the next delivery of its key due: the next turn claims it.
          await flush();
        }
      } catch (err) {
        // Once a minute at most: while the database is down every poll fails the same way.
        if (clock.now() - lastLoopErrorLoggedAt >= 60_000) {
          lastLoopErrorLoggedAt = clock.now();
          log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'webhook delivery loop failed; retrying at each poll');
        }
        await Promise.allSettled(inFlight.values());
        await flush();
      }
      if (!rerun || closed) break;
    }
  }

  /** Runs the loop now, or once more after the running pass; resolves when it is idle. */
  function kick(): Promise<void> {
    if (running) {
      rerun = true;
      wakeLoop?.();
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
      schedulePoll();
    });
    return running;
  }

  return {
    owner,
    start(): void {
      if (started || closed) return;
      started = true;
      void kick();
    },
    runOnce: (): Promise<void> => kick(),
    async close(): Promise<void> {
      closed = true;
      cancelPoll?.();
      await running;
      await Promise.allSettled(inFlight.values());
      await flush();
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
