/**
 * The job queue (platform/jobs): outbound work as leased jobs with retries, an attempt log, replay
 * and retention, safe on several nodes. A module defines a kind (`JobKind`: run one job, decide
 * from its outcome, optional in-transaction hooks), writes jobs with `enqueueJobs(tx, …)` in the
 * transaction of the change that calls for them, and runs a `createJobWorker` per kind. Jobs of
 * one (kind, group, ordering key) are attempted strictly in order; a job is never run by two nodes
 * at once (leases, SKIP LOCKED) and is run at least once (a lease lapses when its node dies).
 * See README.md.
 */
export type { AttemptedJob, Job, JobAttempt, JobAttemptDetail, JobAttemptLog, JobDecision, JobKind, JobStatus, NewJob } from './job-kind.ts';
export { JOB_STATUSES } from './job-kind.ts';
export { nextPosition } from './job-position.ts';
export { claimJobs, enqueueJobs, hasJobFor, type ClaimRequest } from './job-store.ts';
export { attemptsOf, deleteJobGroup, getJob, listJobs, pauseJobGroup, replayJob, resumeJobGroup, type JobListQuery } from './job-log.ts';
export { pruneFinishedJobs } from './job-retention.ts';
export { createJobWorker, type JobWorker, type JobWorkerOptions } from './job-worker.ts';
export type { JobsTables } from './jobs.schema.ts';
