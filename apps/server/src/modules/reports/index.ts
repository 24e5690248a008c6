/**
 * Reports (SPEC M41) own CDRs, and the TCCC data push of them (SPEC M37). Invariants: every
 * conversation closed gets one CDR (a job is written in its close transaction; the CDR's
 * conversation id is unique, so several nodes may race and one wins); each CDR is pushed with
 * one X-TCCC-PUSH-UUID, at most 4 attempts. Every query is scoped by app id.
 */
export { createReports, type Reports, type ReportsDeps } from './reports.service.ts';
export { enqueueCdrWrite, type CdrSources } from './cdr-jobs.ts';
export { registerReportsListeners } from './reports.listeners.ts';
export { registerReportsRoutes } from './reports.routes.ts';
