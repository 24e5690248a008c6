import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import {
  attemptsOf,
  createJobWorker,
  enqueueJobs,
  getJob,
  pruneFinishedJobs,
  resumeJobGroup,
  type AttemptedJob,
  type JobKind,
  type JobWorker,
  type NewJob,
} from '../src/platform/jobs/index.ts';
import { newLeaseOwner } from '../src/platform/jobs/lease-owner.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage, STORAGES } from './helpers.ts';

/**
 * The job queue (platform/jobs) with a kind of its own, on a real database and an injected clock:
 * what every kind relies on beyond what the webhook, CDR and data push tests show.
 */

const T = Date.UTC(2026, 0, 5, 10, 0);
const KIND = 'test.work';

interface Work {
  n: number;
  /** Attempts that fail before one succeeds. */
  failures?: number;
  /** 'gone': its context is missing; 'throw': the handler breaks its contract; 'pause': fails and pauses its group (a 410). */
  mode?: 'gone' | 'throw' | 'pause';
}
type Outcome = { ok: boolean };

describe.each(STORAGES)('job queue (%s)', (kind) => {
  let storage: Storage | undefined;
  let drop: (() => Promise<void>) | undefined;
  const workers: JobWorker[] = [];
  let releaseHeld: (() => void) | undefined;

  afterEach(async () => {
    releaseHeld?.();
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await storage?.close();
    await drop?.();
    storage = drop = undefined;
  });

  async function setup(options: { concurrency?: number; maxInFlightPerGroup?: number; maxAttempts?: number } = {}) {
    const fresh = await freshStorage(kind);
    drop = fresh.drop;
    const s = (storage = await openStorage({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl }));
    const clock = new ManualClock(T);
    const runs: { n: number; group: string | null }[] = [];
    const inFlight = new Map<string, number>();
    const maxSeen = new Map<string, number>();
    const exhausted: AttemptedJob<Work, Outcome, undefined>[][] = [];
    const paused: string[][] = [];
    let release: (() => void) | undefined;
    let held: Promise<void> | undefined;
    const maxAttempts = options.maxAttempts ?? 3;
    const work: JobKind<Work, Outcome> = {
      kind: KIND,
      load: async (jobs) => new Map(jobs.filter((j) => j.payload.mode !== 'gone').map((j) => [j.id, undefined])),
      async run(job) {
        if (job.payload.mode === 'throw') throw new Error('broken handler');
        const group = job.groupKey ?? '';
        inFlight.set(group, (inFlight.get(group) ?? 0) + 1);
        maxSeen.set(group, Math.max(maxSeen.get(group) ?? 0, inFlight.get(group)!));
        runs.push({ n: job.payload.n, group: job.groupKey });
        await held;
        inFlight.set(group, inFlight.get(group)! - 1);
        return { ok: job.attempts >= (job.payload.failures ?? 0) };
      },
      decide: (job, _context, outcome, nowMs) =>
        outcome.ok
          ? { status: 'done' }
          : job.attempts + 1 >= maxAttempts
            ? { status: 'exhausted', disableGroup: job.payload.mode === 'pause' }
            : { status: 'retry', nextAttemptAt: nowMs + 1000, disableGroup: job.payload.mode === 'pause' },
      attemptOf: (outcome) => ({ statusCode: outcome.ok ? 200 : 500, error: outcome.ok ? null : 'refused', latencyMs: 1, detail: { ok: outcome.ok } }),
      onExhausted: async (_tx, jobs) => void exhausted.push([...jobs]),
      onGroupsDisabled: async (_tx, groups) => void paused.push([...groups]),
    };
    const worker = () => {
      const w = createJobWorker({ storage: s, clock, log: createLogger('silent'), kind: work, options: { concurrency: options.concurrency ?? 8, maxInFlightPerGroup: options.maxInFlightPerGroup ?? 8, pollIntervalMs: 500, leaseMs: 30_000 } });
      workers.push(w);
      return w;
    };
    const enqueue = (jobs: Partial<NewJob<Work>>[], onConflict: 'ignore' | 'reopen' = 'ignore') =>
      s.db.transaction().execute((tx) => enqueueJobs<Work>(tx, jobs.map((j) => ({ kind: KIND, appId: 'acme', payload: { n: 0 }, ...j })), clock.now(), onConflict));
    const job = (id: string) => getJob<Work>(s.db, KIND, 'acme', id);
    return {
      storage: s,
      clock,
      runs,
      exhausted,
      paused,
      worker,
      enqueue,
      job,
      maxInFlightSeen: (group: string) => maxSeen.get(group),
      hold: () => (held = new Promise<void>((resolve) => (release = releaseHeld = resolve))),
      release: () => release?.(),
    };
  }

  it('runs the jobs of one (group, ordering key) strictly in order across retries, and other keys meanwhile', async () => {
    const t = await setup();
    const [a, b] = [t.worker(), t.worker()];
    await t.enqueue([
      { id: 'k1', groupKey: 'g', orderingKey: 'key', payload: { n: 1, failures: 2 } },
      { id: 'k2', groupKey: 'g', orderingKey: 'key', payload: { n: 2 } },
      { id: 'o1', groupKey: 'g', orderingKey: 'other', payload: { n: 10 } },
      { id: 'x1', groupKey: 'h', orderingKey: 'key', payload: { n: 20 } },
    ]);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(i === 0 ? 0 : 1000);
      await Promise.all([a.runOnce(), b.runOnce()]);
    }
    expect(t.runs.map((r) => r.n)).toEqual(expect.arrayContaining([1, 10, 20]));
    expect(t.runs.filter((r) => r.n === 1 || r.n === 2).map((r) => r.n)).toEqual([1, 1, 1, 2]);
    expect(t.runs.indexOf(t.runs.find((r) => r.n === 10)!)).toBeLessThan(t.runs.findIndex((r) => r.n === 2));
    expect(await t.job('k1')).toMatchObject({ status: 'done', attempts: 3 });
    expect((await attemptsOf(t.storage.db, 'acme', ['k1'])).get('k1')!.map((x) => [x.statusCode, x.detail])).toEqual([
      [500, { ok: false }],
      [500, { ok: false }],
      [200, { ok: true }],
    ]);
  });

  it('holds at most maxInFlightPerGroup jobs of one group at once on a node, while other groups use the free slots', async () => {
    const t = await setup({ concurrency: 6, maxInFlightPerGroup: 2 });
    const w = t.worker();
    t.hold();
    await t.enqueue([...Array.from({ length: 6 }, (_, n) => ({ groupKey: 'slow', payload: { n } })), ...Array.from({ length: 3 }, (_, n) => ({ groupKey: 'fast', payload: { n: 100 + n } }))]);
    const running = w.runOnce();
    // The slow group's first two hold their slots; the other group's jobs, made later, take free ones at once (two: its own cap).
    await expect.poll(() => t.runs.length).toBe(4);
    expect(t.runs.map((r) => r.group).sort()).toEqual(['fast', 'fast', 'slow', 'slow']);
    t.release();
    await running;
    expect(t.runs).toHaveLength(9);
    expect([t.maxInFlightSeen('slow'), t.maxInFlightSeen('fast')]).toEqual([2, 2]);
  });

  it('cancels a job whose context is gone without an attempt; a throwing handler leaves its job to the lease, then it runs again', async () => {
    const t = await setup();
    const w = t.worker();
    await t.enqueue([
      { id: 'gone', payload: { n: 1, mode: 'gone' } },
      { id: 'throws', payload: { n: 2, mode: 'throw' } },
    ]);
    await w.runOnce();
    expect(await t.job('gone')).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect((await attemptsOf(t.storage.db, 'acme', ['gone', 'throws'])).size).toBe(0);
    expect(await t.job('throws')).toMatchObject({ status: 'pending', attempts: 0 });
    const leaseOf = async () => (await t.storage.db.selectFrom('jobs').select('lease_until').where('id', '=', 'throws').executeTakeFirstOrThrow()).lease_until;
    expect(await leaseOf()).toBe(T + 30_000);
    t.clock.advance(30_000);
    await w.runOnce();
    expect(await leaseOf()).toBe(T + 60_000);
  });

  it("a node started again takes back at once the leases an ended process of its host held; a live process's and another host's lapse", async () => {
    const t = await setup();
    await t.enqueue(['killed', 'same-pid-before', 'live', 'other-host'].map((id, n) => ({ id, payload: { n } })));
    // Owners as workers name them: host (and pid namespace), pid, the process's start time, random.
    const [, host, pid, started] = /^node_(\w+)_(\d+)_(\w+)_/.exec(newLeaseOwner())!;
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    const owners: Record<string, string> = {
      killed: `node_${host}_${exited}_${started}_a`,
      // The same pid as this process, another start time: an earlier process that had this pid.
      'same-pid-before': `node_${host}_${pid}_${(Number.parseInt(started!, 36) - 60_000).toString(36)}_b`,
      live: `node_${host}_${process.ppid}_${started}_c`,
      'other-host': `node_${host === '00000000' ? '11111111' : '00000000'}_${exited}_${started}_d`,
    };
    for (const [id, owner] of Object.entries(owners)) await t.storage.db.updateTable('jobs').set({ lease_owner: owner, lease_until: T + 30_000 }).where('id', '=', id).execute();
    t.worker().start();
    await expect.poll(() => t.runs.map((r) => r.n).sort()).toEqual([0, 1]);
    expect([await t.job('live'), await t.job('other-host')]).toMatchObject([{ status: 'pending' }, { status: 'pending' }]);
    // Their leases lapse as before.
    t.clock.advance(30_000);
    await t.worker().runOnce();
    expect(t.runs.map((r) => r.n).sort()).toEqual([0, 1, 2, 3]);
  });

  it('an exhausted job and a paused group reach their hooks once; a paused group waits until resumed', async () => {
    const t = await setup({ maxAttempts: 2 });
    const w = t.worker();
    await t.enqueue([
      { id: 'dead', groupKey: 'g1', payload: { n: 1, failures: 5 } },
      { id: 'gone410', groupKey: 'g2', payload: { n: 2, failures: 1, mode: 'pause' } },
      { id: 'next', groupKey: 'g2', payload: { n: 3 } },
    ]);
    t.clock.advance(0);
    await w.runOnce();
    expect(t.paused).toEqual([['g2']]);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      await w.runOnce();
    }
    expect(t.exhausted.map((batch) => batch.map((x) => [x.job.id, x.decision.status]))).toEqual([[['dead', 'exhausted']]]);
    // 'next' was made before the pause took effect: it ran in the first pass, or waits with 'gone410'.
    expect(await t.job('gone410')).toMatchObject({ status: 'retrying', attempts: 1 });
    await t.storage.db.transaction().execute((tx) => resumeJobGroup(tx, KIND, 'g2'));
    t.clock.advance(1000);
    await w.runOnce();
    expect(await t.job('gone410')).toMatchObject({ status: 'done', attempts: 2 });
    expect(await t.job('next')).toMatchObject({ status: 'done' });
  });

  it("a job's dedupe key is unique per kind and group: 'ignore' keeps the first, 'reopen' makes it pending again; finished jobs are pruned after retention, open ones kept", async () => {
    const t = await setup({ maxAttempts: 1 });
    const w = t.worker();
    await t.enqueue([{ id: 'first', dedupeKey: 'evt_1', groupKey: 'g', payload: { n: 1 } }]);
    await t.enqueue([{ id: 'second', dedupeKey: 'evt_1', groupKey: 'g', payload: { n: 2 } }]);
    await t.enqueue([{ id: 'other-group', dedupeKey: 'evt_1', groupKey: 'h', payload: { n: 3, failures: 1 } }]);
    await w.runOnce();
    expect(await t.job('second')).toBeUndefined();
    expect(await t.job('first')).toMatchObject({ status: 'done', attempts: 1 });
    expect(await t.job('other-group')).toMatchObject({ status: 'exhausted', attempts: 1 });
    t.clock.advance(5000);
    await t.enqueue([{ id: 'again', dedupeKey: 'evt_1', groupKey: 'g', payload: { n: 4 } }], 'reopen');
    expect(await t.job('first')).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T + 5000 });
    await t.enqueue([{ id: 'open', payload: { n: 5 } }]);
    const pruned = await pruneFinishedJobs(t.storage, { kind: KIND, cutoffMs: T + 1, lockKey: 'test.prune' });
    expect(pruned).toEqual({ jobs: 1, attempts: 1 });
    expect(await t.job('other-group')).toBeUndefined();
    expect(await t.job('first')).toBeDefined();
    expect(await t.job('open')).toBeDefined();
  });
});
