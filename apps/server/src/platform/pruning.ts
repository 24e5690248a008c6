import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { Storage, Tx } from './storage/storage.ts';

/** Rows one pruning transaction deletes at most, so a large backlog never holds a long lock. */
export const PRUNE_BATCH = 1000;

/**
 * Runs `batch` in transactions under the lock `lockKey` (one node at a time) until it finds fewer
 * than PRUNE_BATCH rows: `batch` selects at most PRUNE_BATCH ids, deletes them (and what hangs on
 * them) and answers how many it selected.
 */
export async function deleteInBatches(storage: Storage, lockKey: string, batch: (tx: Tx) => Promise<number>): Promise<void> {
  for (;;) {
    const selected = await storage.db.transaction().execute(async (tx) => {
      await storage.lockKey(tx, lockKey);
      return batch(tx);
    });
    if (selected < PRUNE_BATCH) return;
  }
}

/** Rows a delete removed. */
export const deletedRows = (result: { numDeletedRows: bigint }): number => Number(result.numDeletedRows);

/** How often each node looks for rows past retention (prune functions take a lock, so one node at a time works). */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Runs `prune(cutoff)` every PRUNE_INTERVAL_MS on the injected clock; a failure is logged and tried again next time. */
export function schedulePruning({ clock, log, retentionMs, prune, what }: { clock: Clock; log: Logger; retentionMs: number; prune: (cutoffMs: number) => Promise<Record<string, number>>; what: string }) {
  let cancel: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    cancel = clock.at(clock.now() + PRUNE_INTERVAL_MS, () => {
      running = prune(clock.now() - retentionMs)
        .then((counts) => {
          if (Object.values(counts).some((n) => n > 0)) log.info({ ...counts }, `${what}: pruned rows past retention`);
        })
        .catch((err: unknown) => log.warn({ err }, `${what}: pruning failed, tried again in an hour`))
        .finally(() => {
          running = undefined;
          arm();
        });
    });
  };
  return {
    start: arm,
    async stop(): Promise<void> {
      stopped = true;
      cancel?.();
      await running;
    },
  };
}
