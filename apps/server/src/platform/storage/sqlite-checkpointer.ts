import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite write-ahead log back into the database from a thread of its own, so that the
 * event loop's commits never do it. NOTE: SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold (1,000 pages), on the thread that commits: a third of a commit's time under
 * a message load (bench/README.md). A passive checkpoint from another connection runs beside the
 * writer without blocking it; the writer starts the log over by itself once all of it was copied.
 * The caller keeps an automatic checkpoint with a high threshold as a fallback, should this thread
 * fall behind or stop.
 *
 * The caller calls `committed()` after each commit: the checkpoint then runs right after it (at
 * most every `afterCommitMs`), in the gap before the next commit, instead of at a moment of its own
 * that often met one. NOTE: on a timer alone, under a steady load, commits that met a checkpoint
 * took 5–16 ms instead of 0.4 (one in a few hundred; in the loaded server 16–52 ms, about one a
 * second), and a send waited for that; right after the commits, the slowest took 2–6 ms
 * (bench/README.md, round 11). The timer stays for writes outside transactions and quiet moments.
 */
export function startSqliteCheckpointer(dbPath: string, everyMs = 100, afterCommitMs = 20): { committed(): void; stop(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), dbPath, everyMs } });
  worker.unref();
  // NOTE: a failure here (the file gone, a full disk) only means the writer checkpoints by itself.
  worker.on('error', () => {});
  const exited = once(worker, 'exit').then(
    () => {},
    () => {},
  );
  let signalledAt = -Infinity;
  return {
    committed() {
      const now = performance.now();
      if (now - signalledAt < afterCommitMs) return;
      signalledAt = now;
      worker.postMessage('checkpoint');
    },
    async stop() {
      // Held while it closes its connection: a process with nothing else to do (a CLI command that
      // failed) would otherwise end here, before it says why.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.dbPath);
db.pragma('busy_timeout = 1000');
let lastAt = 0;
function checkpoint() {
  lastAt = Date.now();
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}
const timer = setInterval(() => {
  if (Date.now() - lastAt >= workerData.everyMs) checkpoint();
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') return checkpoint();
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
