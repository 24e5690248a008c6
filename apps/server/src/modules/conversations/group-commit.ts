import type { Events } from '../../events.ts';
import { BusyError } from '../../platform/errors.ts';
import { isStorageUnavailable, type Storage } from '../../platform/storage/storage.ts';
import type { AppendOutcome, AppendRequest, AppendResult, MessageStore } from './message-store.ts';

export interface GroupCommitOptions {
  /** Requests appended in one transaction at most. */
  maxBatch: number;
  /** Batches in flight at once: 1 on SQLite (one writer), 2 on PostgreSQL (round trips overlap). */
  maxInFlight: number;
  /** While a batch is in flight, a new one waits this long for more requests before it starts. */
  windowMs: number;
  /**
   * A batch starts at least this long after the previous one started (0: at the end of the turn).
   * SQLite: one batch at a time, which commits within the turn, so busy sends would otherwise go a
   * few per transaction; gathering them saves the per-transaction work (the commit, the listeners).
   */
  minIntervalMs?: number;
  /**
   * A request is refused at once (FD_BUSY) when the queue ahead of it would take longer than this
   * to commit, at the pace batches commit now, or when `maxQueued` requests wait already.
   */
  maxQueueWaitMs: number;
  maxQueued: number;
}

interface Waiting {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of sends: requests that arrive in the same event-loop turn (or while a batch is in
 * flight, within `windowMs`) are appended in one transaction (`store.appendBatch`: one statement per
 * table) and each is answered once that transaction committed and its after-commit listeners ran,
 * as a send in its own transaction would be. A request refused on its own merits fails alone; a
 * batch that fails as a whole (an unexpected error) is tried again one request per transaction, so
 * one bad request never fails the others.
 */
export function createGroupCommit(deps: { storage: Storage; events: Events; store: MessageStore; options: GroupCommitOptions; onBatchError?: (err: unknown, size: number) => void }) {
  const { storage, events, store, options, onBatchError } = deps;
  const queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  let lastStartedAt = -Infinity;
  /** `fallbacks`: batches that failed as a whole and were tried again one request at a time. */
  const stats = { batches: 0, requests: 0, largestBatch: 0, refusedBusy: 0, fallbacks: 0 };
  /** How long a batch takes from its start until its requests are answered (moving average, ms). */
  let batchMs = 5;
  /**
   * How far apart batches start while requests wait (moving average, ms): under a backlog the time
   * between two batches is the event loop's other work too (frames read, refused, answered), which
   * a batch's own time leaves out. NOTE: admitted on `batchMs` alone, at three times the sustainable
   * rate, acked sends waited 515 ms at the median, 834 ms at p99 (SQLite, overload.test.ts).
   */
  let paceMs = 0;
  /** Whether requests were left waiting when the last batch started. */
  let backlog = false;

  /** How long a request queued now would wait for its commit, at the current pace. */
  function expectedWaitMs(): number {
    const batchesAhead = Math.ceil((queue.length + 1) / options.maxBatch) + inFlight;
    return batchesAhead * Math.max(batchMs / options.maxInFlight, paceMs);
  }

  function schedule(): void {
    if (queue.length === 0 || scheduled || inFlight >= options.maxInFlight) return;
    scheduled = true;
    const gatherMs = lastStartedAt + (options.minIntervalMs ?? 0) - performance.now();
    // Idle and not too soon after the last batch: what arrived in this turn goes together, at its
    // end. Else gather a little more first (while another batch is still on its way to the database,
    // or until `minIntervalMs` has passed).
    if (inFlight === 0 && gatherMs <= 0) setImmediate(flush);
    else setTimeout(flush, inFlight === 0 ? gatherMs : options.windowMs);
  }

  /** Conversations with a request in a batch in flight: their later requests wait for it. */
  const busy = new Map<string, number>();

  /**
   * The next batch: the oldest requests, leaving out those of conversations a batch in flight holds.
   * NOTE: two batches in flight (PostgreSQL) could take a conversation's lock in either order; a
   * conversation is in one batch at a time, so its messages get seqs in the order they came.
   */
  function takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const waiting of queue) {
      if (batch.length < options.maxBatch && !busy.has(waiting.request.conversationId)) batch.push(waiting);
      else rest.push(waiting);
    }
    queue.splice(0, queue.length, ...rest);
    for (const { request } of batch) busy.set(request.conversationId, (busy.get(request.conversationId) ?? 0) + 1);
    return batch;
  }

  function settle(batch: Waiting[]): void {
    for (const { request } of batch) {
      const left = (busy.get(request.conversationId) ?? 1) - 1;
      if (left === 0) busy.delete(request.conversationId);
      else busy.set(request.conversationId, left);
    }
  }

  function flush(): void {
    scheduled = false;
    if (queue.length === 0 || inFlight >= options.maxInFlight) return;
    const batch = takeBatch();
    if (batch.length === 0) return;
    const now = performance.now();
    if (backlog) paceMs = 0.8 * paceMs + 0.2 * (now - lastStartedAt);
    backlog = queue.length > 0;
    lastStartedAt = now;
    stats.batches += 1;
    stats.requests += batch.length;
    stats.largestBatch = Math.max(stats.largestBatch, batch.length);
    inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      settle(batch);
      inFlight -= 1;
      schedule();
    };
    void run(batch, release).finally(release);
    schedule();
  }

  /** `release` frees the batch's slot: once it committed, or when it failed. */
  async function run(batch: Waiting[], release: () => void): Promise<void> {
    let outcomes: AppendOutcome[];
    const unit = events.unit();
    const startedAt = performance.now();
    try {
      outcomes = await storage.db.transaction().execute((tx) => store.appendBatch(unit.bind(tx), batch.map((w) => w.request)));
    } catch (err) {
      if (batch.length === 1 || isStorageUnavailable(err) || err instanceof BusyError) {
        for (const waiting of batch) waiting.reject(err);
        return;
      }
      // NOTE: each alone, one after the other, so an error of one request stays with it.
      stats.fallbacks += 1;
      onBatchError?.(err, batch.length);
      for (const waiting of batch) await run([waiting], () => {});
      return;
    }
    // The next batch may start now: after-commit listeners (fan-out, the bot) run beside it, and one
    // that sends again (through this queue) must not wait for its own batch's slot.
    release();
    await unit.afterCommit();
    // From its start to its answers (the commit and the fan-out): what a request queued behind it waits.
    // NOTE: up at once, down slowly: a slow batch (a lock wait, a checkpoint) is what the next requests
    // meet, and an average of it admitted sends that were then answered after more than a second.
    const tookMs = performance.now() - startedAt;
    batchMs = tookMs > batchMs ? tookMs : 0.8 * batchMs + 0.2 * tookMs;
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }

  /** A request now would be refused: in how long to come back (ms); undefined = it would be queued. */
  function refusal(): number | undefined {
    // Nothing ahead of it: it starts at once, however slow the last batch was (right after an outage).
    if (queue.length === 0 && inFlight < options.maxInFlight) return undefined;
    const waitMs = expectedWaitMs();
    if (queue.length < options.maxQueued && waitMs <= options.maxQueueWaitMs) return undefined;
    // NOTE: the hint is the time the queue needs to drain; clients add their own jitter.
    return Math.min(5000, Math.max(100, Math.round(waitMs)));
  }

  return {
    refusal,
    /** Appends one message in the next batch; resolves once it is stored (or found by its client id). */
    append(request: AppendRequest): Promise<AppendResult> {
      const retryAfterMs = refusal();
      if (retryAfterMs !== undefined) {
        stats.refusedBusy += 1;
        return Promise.reject(new BusyError('the server is busy: send again shortly', retryAfterMs));
      }
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        schedule();
      });
    },
    /** Requests waiting for a batch (not counting those in flight). */
    queued: () => queue.length,
    /** Batches started and requests in them since start (a batch tried again one by one counts once). */
    stats: () => ({ ...stats }),
  };
}

export type GroupCommit = ReturnType<typeof createGroupCommit>;
