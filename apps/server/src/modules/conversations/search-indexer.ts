import { sql } from 'kysely';
import type { Logger } from '../../platform/logger.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { searchTokens } from './search-tokens.ts';

/** Messages indexed per transaction: one FTS5 insert, short enough not to hold the writer long. */
export const INDEX_BATCH = 500;
/** After a message is stored, how long the indexer waits for more before it writes (one batch for all). */
export const INDEX_DELAY_MS = 100;
/** After a failed pass, when the indexer tries again. */
const RETRY_MS = 1000;

/**
 * SQLite: indexes the next messages stored after the last one indexed, in one transaction with the
 * progress mark, so a pass is all or nothing and a pass run twice indexes nothing twice. Returns
 * how many messages it read (0 = caught up).
 * NOTE: SQLite has one writer, so messages get their rowids in commit order, and every message
 * after the mark is one not yet indexed (messages are never deleted, so rowids are never reused).
 */
export async function indexBacklog(tx: DbOrTx, limit: number = INDEX_BATCH): Promise<number> {
  const progress = await sql<{ last_rowid: number }>`select last_rowid from message_search_progress where id = 1`.execute(tx);
  const after = Number(progress.rows[0]?.last_rowid ?? 0);
  const { rows } = await sql<{ rowid: number; kind: string; text: string }>`select rowid, kind, text from messages where rowid > ${after} order by rowid limit ${limit}`.execute(tx);
  if (rows.length === 0) return 0;
  const entries = rows.flatMap((row) => {
    const tokens = row.kind === 'system' ? [] : searchTokens(row.text);
    return tokens.length === 0 ? [] : [sql`(${row.rowid}, ${tokens.join(' ')})`];
  });
  if (entries.length > 0) await sql`insert into message_search (rowid, tokens) values ${sql.join(entries)}`.execute(tx);
  await sql`insert into message_search_progress (id, last_rowid) values (1, ${rows.at(-1)!.rowid}) on conflict (id) do update set last_rowid = excluded.last_rowid`.execute(tx);
  return rows.length;
}

/**
 * The search index of SQLite, written right after messages commit rather than in their
 * transaction: a one-message transaction then pays no FTS5 segment of its own (that was +25–57 %
 * of a send alone), and the messages stored within `delayMs` share one index write. Durable
 * without a queue of its own: the messages are the queue and `message_search_progress` the mark,
 * so a crash leaves the unindexed tail for the next start (`start` catches up first).
 */
export function createSearchIndexer({ storage, log, delayMs = INDEX_DELAY_MS }: { storage: Storage; log: Logger; delayMs?: number | null }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function pass(): Promise<void> {
    while ((await storage.db.transaction().execute((tx) => indexBacklog(tx))) === INDEX_BATCH) {
      // A full batch: there may be more (a backlog after a restart, a burst of sends).
    }
  }

  /** Runs passes until caught up; a request during a pass runs one more after it (it may have missed it). */
  function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function schedule(afterMs: number): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch((err: unknown) => {
        log.warn({ err }, 'search index: a pass failed; trying again');
        schedule(RETRY_MS);
      });
    }, afterMs);
    timer.unref();
  }

  return {
    /** After-commit: messages were stored; index them within `delayMs` (null: only on `flush`). */
    poke(): void {
      if (delayMs !== null) schedule(delayMs);
    },
    /** Indexes every message stored so far (tests, the bench, shutdown). */
    flush,
    /** At boot: what a crash or a stop left unindexed. */
    start(): void {
      schedule(0);
    },
    /** Indexes what is left (a clean stop leaves nothing for the next start), then stops. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await flush().catch((err: unknown) => log.warn({ err }, 'search index: the last pass failed; the next start indexes the rest'));
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
