import type { Tx } from '../storage/storage.ts';

/**
 * pending: not attempted since it was made or replayed; retrying: the last attempt failed and
 * another is due at `nextAttemptAt`; done; exhausted: no attempt left; cancelled: given up without
 * a verdict (what it was for is gone or turned off).
 */
export const JOB_STATUSES = ['pending', 'retrying', 'done', 'exhausted', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A JSON value kept in the attempt log beside the common fields. */
export type JobAttemptDetail = Readonly<Record<string, string | number | boolean | null>>;

/** One job as its handler and the log see it; `P` is the kind's payload. */
export interface Job<P> {
  id: string;
  kind: string;
  appId: string;
  groupKey: string | null;
  orderingKey: string | null;
  dedupeKey: string | null;
  position: number;
  payload: P;
  status: JobStatus;
  /** Attempts since the job was made or last replayed (the attempt log keeps every one). */
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  doneAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A job to write: everything but kind, app and payload has a default. */
export interface NewJob<P> {
  kind: string;
  appId: string;
  payload: P;
  /** Default: a new `job_…` id. */
  id?: string;
  groupKey?: string | null;
  orderingKey?: string | null;
  dedupeKey?: string | null;
  /** Orders the jobs of one ordering key; default: `nextPosition(now)`. */
  position?: number;
  /** Default: now. */
  nextAttemptAt?: number;
}

/** What the kind decides after an attempt. `disableGroup` pauses the job's group (a 410 Gone). */
export type JobDecision =
  | { status: 'done' }
  | { status: 'retry'; nextAttemptAt: number; disableGroup?: boolean }
  | { status: 'exhausted'; disableGroup?: boolean }
  | { status: 'cancelled' };

/** The row an attempt leaves in the log. */
export interface JobAttemptLog {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  detail?: JobAttemptDetail | null;
}

/** An attempt as the log answers it. */
export interface JobAttempt extends JobAttemptLog {
  id: string;
  jobId: string;
  at: number;
  detail: JobAttemptDetail | null;
}

/** A job this node attempted, with what its handler made of it. */
export interface AttemptedJob<P, O, C> {
  job: Job<P>;
  context: C;
  /** When the attempt started (injected clock). */
  at: number;
  outcome: O;
  decision: JobDecision;
}

/**
 * A kind of job: how to run one, and what to make of the outcome. `P` payload, `O` outcome of one
 * attempt, `C` what `load` reads for a batch of claimed jobs (their event, their receiver…).
 */
export interface JobKind<P, O, C = undefined> {
  readonly kind: string;
  /** Prefix of attempt log ids (default `jat`). */
  readonly attemptIdPrefix?: string;
  /**
   * Reads what the claimed jobs need, in one go. A job missing from the answer is cancelled without
   * an attempt (what it was for is gone). Without `load`, every context is `undefined`.
   */
  load?(jobs: readonly Job<P>[]): Promise<ReadonlyMap<string, C>>;
  /** One attempt. Never throws: a failure is an outcome (a throw leaves the job to its lease's end). */
  run(job: Job<P>, context: C, atMs: number): Promise<O>;
  /** `job.attempts` does not count this attempt yet. */
  decide(job: Job<P>, context: C, outcome: O, nowMs: number): JobDecision;
  /** The attempt log row of an outcome, or null to log nothing (a success not worth a row). */
  attemptOf(outcome: O): JobAttemptLog | null;
  /** In the transaction that records them: jobs that have just been exhausted. */
  onExhausted?(tx: Tx, exhausted: readonly AttemptedJob<P, O, C>[], nowMs: number): Promise<void>;
  /** In the transaction that records them: groups an attempt has just paused (`disableGroup`). */
  onGroupsDisabled?(tx: Tx, groupKeys: readonly string[], nowMs: number): Promise<void>;
}
