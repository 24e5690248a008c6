import type { Events } from '../../events.ts';
import { BusyError } from '../../platform/errors.ts';
import { isStorageUnavailable, type Storage } from '../../platform/storage/storage.ts';
import type { AppendOutcome, AppendRequest, AppendResult, MessageStore } from './message-store.ts';

export interface GroupCommitOptions {
  /** Requests appended in one transaction at most. */
  maxBatch: number;
  /** Batches in flight at once: 1 on SQLite (one writer), a few on PostgreSQL (round trips overlap). */
  maxInFlight: number;
  /** While a batch is in flight, a new one waits this long for more requests before it starts. */
  windowMs: number;
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
export function createGroupCommit(deps: { storage: Storage; events: Events; store: MessageStore; options: GroupCommitOptions }) {
  const { storage, events, store, options } = deps;
  const queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled: 'turn' | 'window' | undefined;
  const stats = { batches: 0, requests: 0, largestBatch: 0, refusedBusy: 0 };
  /** How long a batch takes from its start to its commit (moving average, ms). */
  let batchMs = 5;

  /** How long a request queued now would wait for its commit, at the current pace. */
  function expectedWaitMs(): number {
    const batchesAhead = Math.ceil((queue.length + 1) / options.maxBatch);
    return (batchesAhead * batchMs) / options.maxInFlight;
  }

  function schedule(): void {
    if (queue.length === 0 || scheduled || inFlight >= options.maxInFlight) return;
    if (inFlight === 0) {
      // Idle: what arrived in this turn goes together, at the end of the turn.
      scheduled = 'turn';
      setImmediate(flush);
    } else {
      // Another batch is still on its way to the database: gather a little more before starting one.
      scheduled = 'window';
      setTimeout(flush, options.windowMs);
    }
  }

  function flush(): void {
    scheduled = undefined;
    if (queue.length === 0 || inFlight >= options.maxInFlight) return;
    const batch = queue.splice(0, options.maxBatch);
    stats.batches += 1;
    stats.requests += batch.length;
    stats.largestBatch = Math.max(stats.largestBatch, batch.length);
    inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
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
      batchMs = 0.8 * batchMs + 0.2 * (performance.now() - startedAt);
    } catch (err) {
      if (batch.length === 1 || isStorageUnavailable(err) || err instanceof BusyError) {
        for (const waiting of batch) waiting.reject(err);
        return;
      }
      // NOTE: each alone, one after the other, so an error of one request stays with it.
      for (const waiting of batch) await run([waiting], () => {});
      return;
    }
    // The next batch may start now: after-commit listeners (fan-out, the bot) run beside it, and one
    // that sends again (through this queue) must not wait for its own batch's slot.
    release();
    await unit.afterCommit();
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }

  return {
    /** Appends one message in the next batch; resolves once it is stored (or found by its client id). */
    append(request: AppendRequest): Promise<AppendResult> {
      const waitMs = expectedWaitMs();
      if (queue.length >= options.maxQueued || waitMs > options.maxQueueWaitMs) {
        stats.refusedBusy += 1;
        // NOTE: the hint is the time the queue needs to drain; clients add their own jitter.
        return Promise.reject(new BusyError('the server is busy: send again shortly', Math.min(5000, Math.max(100, Math.round(waitMs)))));
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
