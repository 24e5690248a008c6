import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Storage } from '../storage/storage.ts';
import type { AttemptedJob, Job, JobKind } from './job-kind.ts';
import { claimJobs, recordAttempts, releaseJobs, takeBackEndedLeases, type AttemptRecord } from './job-store.ts';
import { newLeaseOwner } from './lease-owner.ts';

export interface JobWorkerOptions {
  /** Attempts in flight on this node. */
  concurrency: number;
  /** Attempts in flight on this node per group, so one slow receiver cannot take every slot (default: `concurrency`). */
  maxInFlightPerGroup?: number;
  /** How often an idle worker looks for due jobs (injected clock). */
  pollIntervalMs: number;
  /** Held on each claimed job; longer than an attempt can take, so it only lapses when a node dies. */
  leaseMs: number;
}

/** Claims per turn when full groups hand jobs back (each round excludes the groups found full). */
const MAX_CLAIM_ROUNDS = 4;

/** A finished attempt, or a job cancelled before one, waiting to be recorded with the next batch. */
type Settled<P, O, C> = { ran: true; attempted: AttemptedJob<P, O, C> } | { ran: false; job: Job<P>; at: number };

/**
 * One node's loop over the jobs of one kind: `feed` (work that makes jobs, such as the webhook
 * fan-out), claim due jobs under a lease, run them with up to `concurrency` in flight, record
 * every attempt that finished since the last record in one transaction, repeat until nothing is
 * due, then sleep until the next poll on the injected clock. `runOnce` runs the loop now and
 * resolves once it is idle.
 */
export function createJobWorker<P, O, C>(deps: {
  storage: Storage;
  clock: Clock;
  log: Logger;
  kind: JobKind<P, O, C>;
  options: JobWorkerOptions;
  /** Runs once per turn before the claim; answers how many items it handled (0: nothing to do). */
  feed?: () => Promise<number>;
}) {
  const { storage, clock, log, kind, options } = deps;
  const maxPerGroup = options.maxInFlightPerGroup ?? options.concurrency;
  const attemptIdPrefix = kind.attemptIdPrefix ?? 'jat';
  /** Identifies this worker's leases; a restarted process is a new owner. */
  const owner = newLeaseOwner();
  const inFlight = new Map<string, Promise<void>>();
  const inFlightByGroup = new Map<string, number>();
  let settled: Settled<P, O, C>[] = [];
  let wakeLoop: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let rerun = false;
  /** Set by `start()`: the leases taken back, then the first run. */
  let starting: Promise<void> | undefined;
  let closed = false;
  let cancelPoll: (() => void) | undefined;
  let lastLoopErrorLoggedAt = -Infinity;

  function schedulePoll(): void {
    cancelPoll?.();
    if (!starting || closed) return;
    cancelPoll = clock.at(clock.now() + options.pollIntervalMs, () => {
      cancelPoll = undefined;
      void kick();
    });
  }

  /** Starts the attempt; counts it in flight until its outcome and decision are in `settled`. */
  function run(job: Job<P>, context: C): void {
    const group = job.groupKey ?? '';
    inFlightByGroup.set(group, (inFlightByGroup.get(group) ?? 0) + 1);
    const at = clock.now();
    const attempt = Promise.resolve()
      .then(() => kind.run(job, context, at))
      .then((outcome) => {
        settled.push({ ran: true, attempted: { job, context, at, outcome, decision: kind.decide(job, context, outcome, clock.now()) } });
      })
      .catch((err: unknown) => {
        // A handler that throws breaks its contract: say so; the lease lapses and the job is tried again.
        log.error({ err: { message: (err as Error).message }, kind: kind.kind, jobId: job.id }, 'job handler threw; the job runs again once its lease lapses');
      });
    inFlight.set(
      job.id,
      attempt.finally(() => {
        inFlight.delete(job.id);
        const count = (inFlightByGroup.get(group) ?? 1) - 1;
        if (count > 0) inFlightByGroup.set(group, count);
        else inFlightByGroup.delete(group);
        wakeLoop?.();
      }),
    );
  }

  /**
   * Claims what fits in the free slots; answers how many were claimed, or -1 when nothing was due.
   * One claim may hold more of one group than its share: the rest goes back at once, and the free
   * slots are offered to the other groups by claiming again without the full ones (a few rounds at
   * most), so one flooded group does not keep the others waiting for a completion.
   */
  async function claimAndRun(): Promise<number> {
    const kept: Job<P>[] = [];
    const counts = new Map(inFlightByGroup);
    let claimedAny = false;
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const free = options.concurrency - inFlight.size - kept.length;
      if (free <= 0) break;
      const saturated = [...counts].filter(([group, n]) => group !== '' && n >= maxPerGroup).map(([group]) => group);
      const claimed = await claimJobs<P>(storage, { kind: kind.kind, owner, nowMs: clock.now(), leaseMs: options.leaseMs, limit: free, excludeGroups: saturated });
      claimedAny ||= claimed.length > 0;
      const extra: string[] = [];
      for (const job of claimed) {
        const group = job.groupKey ?? '';
        const n = counts.get(group) ?? 0;
        if (group === '' || n < maxPerGroup) {
          counts.set(group, n + 1);
          kept.push(job);
        } else extra.push(job.id);
      }
      await releaseJobs(storage, owner, extra);
      if (extra.length === 0) break;
    }
    if (!claimedAny) return -1;
    let contexts: ReadonlyMap<string, C> | undefined;
    try {
      contexts = kind.load ? await kind.load(kept) : undefined;
    } catch (err) {
      await releaseJobs(storage, owner, kept.map((job) => job.id));
      throw err;
    }
    for (const job of kept) {
      if (contexts && !contexts.has(job.id)) settled.push({ ran: false, job, at: clock.now() });
      else run(job, contexts?.get(job.id) as C);
    }
    return kept.length;
  }

  async function flush(): Promise<void> {
    if (settled.length === 0) return;
    const batch = settled;
    settled = [];
    const records: AttemptRecord[] = batch.map((s) =>
      s.ran
        ? { job: s.attempted.job, at: s.attempted.at, decision: s.attempted.decision, ran: true, attempt: kind.attemptOf(s.attempted.outcome) }
        : { job: s.job, at: s.at, decision: { status: 'cancelled' }, ran: false, attempt: null },
    );
    const nowMs = clock.now();
    try {
      await recordAttempts(storage, { owner, kind: kind.kind, attemptIdPrefix, nowMs }, records, async (tx, recorded, pausedGroups) => {
        const exhausted = batch.flatMap((s) => (s.ran && s.attempted.decision.status === 'exhausted' && recorded.has(s.attempted.job.id) ? [s.attempted] : []));
        if (exhausted.length > 0 && kind.onExhausted) await kind.onExhausted(tx, exhausted, nowMs);
        if (pausedGroups.length > 0 && kind.onGroupsDisabled) await kind.onGroupsDisabled(tx, pausedGroups, nowMs);
      });
    } catch (err) {
      // The leases lapse and the jobs are attempted again: at least once, never lost.
      log.error({ err: { message: (err as Error).message }, kind: kind.kind, jobs: batch.length }, 'could not record job attempts; they will be retried');
    }
  }

  /**
   * Resolves when an attempt completes (or right away if one already has), or at the next poll:
   * slow attempts in flight do not hold back new work for the free slots.
   */
  function nextCompletion(): Promise<void> {
    if (settled.length > 0 || inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const cancelTimer = clock.at(clock.now() + options.pollIntervalMs, () => wakeLoop?.());
      wakeLoop = () => {
        wakeLoop = undefined;
        cancelTimer();
        // Let the other attempts that finished in this turn land too: one record for all.
        setImmediate(resolve);
      };
    });
  }

  async function loop(): Promise<void> {
    for (;;) {
      rerun = false;
      try {
        for (;;) {
          // One feed batch per turn, so new work keeps flowing in under a steady load.
          const fed = closed || !deps.feed ? 0 : await deps.feed();
          const claimed = closed ? -1 : await claimAndRun();
          if (fed === 0 && claimed === -1 && inFlight.size === 0 && settled.length === 0) break;
          await nextCompletion();
          // A recorded attempt may make the next job of its key due: the next turn claims it.
          await flush();
        }
      } catch (err) {
        // Once a minute at most: while the database is down every poll fails the same way.
        if (clock.now() - lastLoopErrorLoggedAt >= 60_000) {
          lastLoopErrorLoggedAt = clock.now();
          log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code }, kind: kind.kind }, 'job loop failed; retrying at each poll');
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
    /** Starts the loop, once the leases a killed process of this host left are given back. */
    start(): void {
      if (starting || closed) return;
      starting = (async () => {
        try {
          const taken = await takeBackEndedLeases(storage, kind.kind, clock.now());
          if (taken > 0) log.info({ kind: kind.kind, jobs: taken }, 'took back the leases of an ended process');
        } catch (err) {
          log.warn({ err, kind: kind.kind }, 'could not take back the leases of ended processes; they lapse');
        }
        if (!closed) void kick();
      })();
    },
    /** Runs due jobs now; resolves when nothing is due (tests, benchmarks, a replay). */
    runOnce: (): Promise<void> => kick(),
    /** Stops claiming and waits for the attempts in flight and their records. */
    async close(): Promise<void> {
      closed = true;
      cancelPoll?.();
      await starting;
      await running;
      await Promise.allSettled(inFlight.values());
      await flush();
    },
  };
}

export type JobWorker = ReturnType<typeof createJobWorker>;
