import fs from 'node:fs/promises';
import { isStorageFull, type Storage } from './storage.ts';

/** Below this much free space in the data dir, uploads and SQLite writes are about to fail: reported as full. */
export const MIN_FREE_BYTES = 1024 * 1024;
/** A disk-full error seen this recently (of a database whose disk we cannot measure) still counts. */
const RECENT_FULL_MS = 5_000;

export type StorageHealthReport = { ok: true } | { ok: false; reason: 'database unreachable' | 'disk full' };

/**
 * What `/healthz` reports of storage: the database answers, the data dir (uploads, SQLite) has room,
 * and no write failed for a full disk a moment ago (PostgreSQL's own disk is not ours to measure).
 * NOTE: real monotonic time, like the gateway's transport limits: a test clock must not hide an outage.
 */
export function createStorageHealth({ storage, dataDir }: { storage: Pick<Storage, 'ping'>; dataDir: string }) {
  let lastFullAt = Number.NEGATIVE_INFINITY;
  return {
    /** Every storage error the edges see: a full disk is remembered for a few seconds. */
    noteError(err: unknown): void {
      if (isStorageFull(err)) lastFullAt = performance.now();
    },
    async check(): Promise<StorageHealthReport> {
      try {
        await storage.ping();
      } catch {
        return { ok: false, reason: 'database unreachable' };
      }
      if (performance.now() - lastFullAt < RECENT_FULL_MS) return { ok: false, reason: 'disk full' };
      const stats = await fs.statfs(dataDir).catch(() => undefined);
      if (stats && stats.bavail * stats.bsize < MIN_FREE_BYTES) return { ok: false, reason: 'disk full' };
      return { ok: true };
    },
  };
}

export type StorageHealth = ReturnType<typeof createStorageHealth>;
