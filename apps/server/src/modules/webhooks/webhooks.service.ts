import type { Clock } from '../../platform/clock.ts';
import { createJobWorker } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { schedulePruning } from '../../platform/pruning.ts';
import { createReadThroughCache } from '../../platform/read-through-cache.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { createDeliveriesService } from './deliveries.service.ts';
import { webhookDeliveryKind } from './delivery-job.ts';
import { fanOutBatch } from './fan-out.ts';
import { createOutbox } from './outbox.ts';
import type { AnyChatUser } from './anychat-format.ts';
import { createAnyChatRooms } from './anychat-rooms.ts';
import { pruneDeliveryLog } from './retention.ts';
import { createSubscriptionsService } from './subscriptions.service.ts';
import type { TargetPolicy } from './target-url.ts';
import { createWebhookClient } from './webhook-client.ts';

export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface WebhooksDeps {
  storage: Storage;
  clock: Clock;
  log: Logger;
  /** Lets webhooks reach loopback and private addresses: tests and trusted networks only. */
  allowPrivateTargets: boolean;
  /** A request (connect, send, response) taking longer fails; 15 s by default, at most 15 s. */
  fetchTimeoutMs?: number;
  /** IPs and CIDR ranges allowed although private (FRONTDESK_WEBHOOK_ALLOWED_TARGETS). */
  allowedTargets?: readonly string[];
  /** Requests in flight per node (default 64). */
  concurrency?: number;
  /** Requests in flight per node to one subscription (default 16). */
  maxInFlightPerSubscription?: number;
  /** How often idle workers look for new events and due retries, on the injected clock (default 500 ms). */
  pollIntervalMs?: number;
  /** Random source of the retry jitter (tests). */
  random?: () => number;
  /** Finished deliveries, their attempts and delivered events are deleted after this (default 30 days). */
  retentionMs?: number;
  /** The app's AnyChat secret (tenancy gateway secret) for `anychat` subscriptions; read through a 60 s cache. */
  secretOf?: (appId: string) => Promise<string | undefined>;
  /** A user's name and login address (identity), read when an AnyChat notify names it. */
  userOf?: (appId: string, userId: string) => Promise<AnyChatUser | undefined>;
}

/** How long an app's AnyChat secret is reused before it is read again (a rotation reaches notifies within this). */
export const SECRET_CACHE_MS = 60_000;

function cachedSecretOf(clock: Clock, read: (appId: string) => Promise<string | undefined>) {
  const cache = createReadThroughCache<string, string | undefined>({ ttlMs: SECRET_CACHE_MS, now: () => clock.now() });
  return (appId: string) => cache.get(appId, () => read(appId));
}

/**
 * The webhooks module: subscriptions, the delivery log and replay (services the routes use),
 * and this node's delivery workers (`start` / `close`), safe to run on several nodes at once.
 */
export function createWebhooks(deps: WebhooksDeps) {
  const { storage, clock, log } = deps;
  const fetchTimeoutMs = Math.min(deps.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_FETCH_TIMEOUT_MS);
  const policy: TargetPolicy = { allowPrivateTargets: deps.allowPrivateTargets, allowedTargets: deps.allowedTargets ?? [] };
  const subscriptions = createSubscriptionsService({ storage, clock, policy });
  const deliveries = createDeliveriesService({ storage, clock });
  const client = createWebhookClient({ policy, timeoutMs: fetchTimeoutMs });
  const workerLog = log.child({ module: 'webhooks' });
  // Deliveries are jobs (platform/jobs); each turn of the worker first fans new outbox events out into them.
  const worker = createJobWorker({
    storage,
    clock,
    log: workerLog,
    kind: webhookDeliveryKind({
      storage,
      log: workerLog,
      client,
      outbox: createOutbox({ clock }),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.secretOf ? { secretOf: cachedSecretOf(clock, deps.secretOf) } : {}),
      ...(deps.userOf ? { userOf: deps.userOf } : {}),
      rooms: createAnyChatRooms(storage),
    }),
    feed: () => fanOutBatch(storage, clock),
    options: {
      concurrency: deps.concurrency ?? 64,
      maxInFlightPerGroup: deps.maxInFlightPerSubscription ?? 16,
      pollIntervalMs: deps.pollIntervalMs ?? 500,
      // Longer than any request can take, so a lease lapses only when its node is gone.
      leaseMs: fetchTimeoutMs + 30_000,
    },
  });

  const pruning = schedulePruning({
    clock,
    log: workerLog,
    retentionMs: deps.retentionMs ?? DEFAULT_RETENTION_MS,
    prune: async (cutoffMs) => ({ ...(await pruneDeliveryLog(storage, cutoffMs)) }),
    what: 'webhook delivery log',
  });

  return {
    ...subscriptions,
    ...deliveries,
    /** Starts this node's delivery workers and the hourly pruning of the delivery log (timers on the injected clock). */
    start: (): void => {
      worker.start();
      pruning.start();
    },
    /** Fans out new events and sends every due delivery now; resolves when nothing is due (tests, benchmarks). */
    runOnce: (): Promise<void> => worker.runOnce(),
    /** Stops the workers and waits for the requests in flight and their records. */
    async close(): Promise<void> {
      await pruning.stop();
      await worker.close();
      client.close();
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
