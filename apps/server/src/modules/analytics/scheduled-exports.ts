import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { createJobWorker, enqueueJobs, type JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { AnalyticsError } from './analytics.errors.ts';
import type { ExportKind } from './export-rows.ts';
import type { ExportFormat } from './export-stream.ts';
import type { Exports } from './export.service.ts';
import { isTimeZone, nextBoundary, startOfBucket } from './time-buckets.ts';

export const SCHEDULED_EXPORT_JOB = 'analytics.scheduled-export';
type Payload = { scheduleId: string; fromMs: number; toMs: number };
type Outcome = { result: 'written' | 'skipped'; error: null; latencyMs: number } | { result: 'failed'; error: string; latencyMs: number };
const RETRY_MS = 5 * 60_000;
/** A period is exported this long after it ends, so the facts of conversations closed just before its end are written. */
export const EXPORT_GRACE_MS = 15 * 60_000;

export interface ExportSchedule {
  id: string;
  kind: ExportKind;
  format: ExportFormat;
  tz: string;
  every: 'day' | 'week';
  nextRunAt: number;
  createdBy: string;
  createdAt: number;
}
export interface ExportFile {
  id: string;
  scheduleId: string;
  fileName: string;
  fromMs: number;
  toMs: number;
  sizeBytes: number;
  createdAt: number;
}

/** When the local day (or week) that holds `atMs` ends in `tz`: the next export of a schedule is due then. */
export const periodEndAfter = (tz: string, atMs: number, every: 'day' | 'week') => nextBoundary(tz, startOfBucket(tz, atMs, every), every);

/**
 * Scheduled exports: every local day or week of the schedule's zone, a job (platform/jobs) writes
 * the export of the period that just ended under `<data dir>/exports`, and staff list and download
 * the files. The worker's feed enqueues the due periods (one job per schedule and period: its
 * dedupe key), so a period is exported once however many nodes run.
 */
export function createScheduledExports(deps: { storage: Storage; clock: Clock; log: Logger; exports: Exports; dir: string; pollIntervalMs: number }) {
  const { storage, clock, log, exports, dir } = deps;
  const { db } = storage;
  const fileOf = (id: string, format: string) => path.join(dir, `${id}.${format}`);

  /** Enqueues the export of every period that ended, and moves each schedule to its next period. */
  async function feed(): Promise<number> {
    const due = await db.selectFrom('report_export_schedules').select('id').where('next_run_at', '<=', clock.now() - EXPORT_GRACE_MS).limit(100).execute();
    for (const { id } of due) {
      await db.transaction().execute(async (tx) => {
        await storage.lockKey(tx, `analytics.schedule:${id}`);
        const s = await tx.selectFrom('report_export_schedules').selectAll().where('id', '=', id).executeTakeFirst();
        if (!s || s.next_run_at > clock.now() - EXPORT_GRACE_MS) return;
        const every = s.every as 'day' | 'week';
        const fromMs = startOfBucket(s.tz, s.next_run_at - 1, every);
        await enqueueJobs<Payload>(tx, [{ kind: SCHEDULED_EXPORT_JOB, appId: s.app_id, dedupeKey: `${s.id}:${s.next_run_at}`, payload: { scheduleId: s.id, fromMs, toMs: s.next_run_at } }], clock.now());
        await tx.updateTable('report_export_schedules').set({ next_run_at: periodEndAfter(s.tz, s.next_run_at, every) }).where('id', '=', id).execute();
      });
    }
    return due.length;
  }

  const kind: JobKind<Payload, Outcome> = {
    kind: SCHEDULED_EXPORT_JOB,
    attemptIdPrefix: 'sea',
    async run(job) {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      try {
        const s = await db.selectFrom('report_export_schedules').selectAll().where('id', '=', job.payload.scheduleId).executeTakeFirst();
        if (!s) return { result: 'skipped', error: null, latencyMs: latencyMs() };
        const { fileName, body } = await exports.exportRows(job.appId, { from: String(job.payload.fromMs), to: String(job.payload.toMs), tz: s.tz, kind: s.kind as ExportKind, format: s.format as ExportFormat });
        const id = newId('rxf');
        await fs.promises.mkdir(dir, { recursive: true });
        await pipeline(body, fs.createWriteStream(fileOf(id, s.format)));
        const { size } = await fs.promises.stat(fileOf(id, s.format));
        await db.insertInto('report_export_files').values({ id, app_id: job.appId, schedule_id: s.id, file_name: fileName, from_ms: job.payload.fromMs, to_ms: job.payload.toMs, size_bytes: size, created_at: clock.now() }).execute();
        return { result: 'written', error: null, latencyMs: latencyMs() };
      } catch (err) {
        log.error({ err: { message: (err as Error).message }, job: job.dedupeKey }, 'scheduled export failed; retrying in 5 minutes');
        return { result: 'failed', error: (err as Error).message, latencyMs: latencyMs() };
      }
    },
    decide: (_job, _context, outcome, nowMs) => (outcome.result === 'written' ? { status: 'done' } : outcome.result === 'skipped' ? { status: 'cancelled' } : { status: 'retry', nextAttemptAt: nowMs + RETRY_MS }),
    attemptOf: (outcome) => (outcome.result === 'failed' ? { statusCode: null, error: outcome.error, latencyMs: outcome.latencyMs } : null),
  };
  const worker = createJobWorker({ storage, clock, log, kind, feed, options: { concurrency: 1, pollIntervalMs: deps.pollIntervalMs, leaseMs: 30 * 60_000 } });

  const toSchedule = (r: { id: string; kind: string; format: string; tz: string; every: string; next_run_at: number; created_by: string; created_at: number }): ExportSchedule => ({
    id: r.id,
    kind: r.kind as ExportKind,
    format: r.format as ExportFormat,
    tz: r.tz,
    every: r.every as 'day' | 'week',
    nextRunAt: r.next_run_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
  });

  return {
    async createSchedule(appId: string, createdBy: string, input: { kind: ExportKind; format: ExportFormat; tz: string; every: 'day' | 'week' }): Promise<ExportSchedule> {
      if (!isTimeZone(input.tz)) throw new AnalyticsError('FD_REPORT_TIMEZONE_INVALID', `tz: "${input.tz}" is not an IANA time zone (e.g. Europe/Berlin)`);
      const row = { id: newId('rxs'), app_id: appId, ...input, next_run_at: periodEndAfter(input.tz, clock.now(), input.every), created_by: createdBy, created_at: clock.now() };
      await db.insertInto('report_export_schedules').values(row).execute();
      return toSchedule(row);
    },
    async listSchedules(appId: string): Promise<ExportSchedule[]> {
      return (await db.selectFrom('report_export_schedules').selectAll().where('app_id', '=', appId).orderBy('created_at').execute()).map(toSchedule);
    },
    async deleteSchedule(appId: string, id: string): Promise<void> {
      const deleted = await db.deleteFrom('report_export_schedules').where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw new DomainError('FD_REQ_NOT_FOUND', `export schedule ${id} not found`);
    },
    async listFiles(appId: string): Promise<ExportFile[]> {
      const rows = await db.selectFrom('report_export_files').selectAll().where('app_id', '=', appId).orderBy('created_at', 'desc').limit(500).execute();
      return rows.map((r) => ({ id: r.id, scheduleId: r.schedule_id, fileName: r.file_name, fromMs: r.from_ms, toMs: r.to_ms, sizeBytes: r.size_bytes, createdAt: r.created_at }));
    },
    /** A file of the caller's app, to stream to the client. */
    async openFile(appId: string, id: string): Promise<{ fileName: string; format: ExportFormat; sizeBytes: number; body: fs.ReadStream }> {
      const r = await db.selectFrom('report_export_files').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (!r) throw new DomainError('FD_REQ_NOT_FOUND', `export file ${id} not found`);
      const format = (r.file_name.endsWith('.xlsx') ? 'xlsx' : 'csv') as ExportFormat;
      return { fileName: r.file_name, format, sizeBytes: r.size_bytes, body: fs.createReadStream(fileOf(r.id, format)) };
    },
    start: () => worker.start(),
    runOnce: () => worker.runOnce(),
    close: () => worker.close(),
  };
}

export type ScheduledExports = ReturnType<typeof createScheduledExports>;
