/**
 * Reports (SPEC M41) own CDRs, and the TCCC data push of them (SPEC M37). Invariants: every
 * conversation closed gets one CDR (a CDR-write job, platform/jobs, is written in its close
 * transaction; the CDR's conversation id is unique, so a write run twice adds nothing); each CDR
 * is pushed by one data-push job whose id is its X-TCCC-PUSH-UUID, at most 4 attempts. Every
 * query is scoped by app id.
 */
export { createReports, type Reports, type ReportsDeps } from './reports.service.ts';
export { enqueueCdrWrite, type CdrSources } from './cdr-write-job.ts';
export { registerReportsListeners } from './reports.listeners.ts';
export { registerReportsRoutes } from './reports.routes.ts';
