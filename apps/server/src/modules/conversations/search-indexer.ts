import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Logger } from '../../platform/logger.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { messageTokens } from './search-tokens.ts';

/** Messages indexed per transaction: one FTS5 insert, short enough not to hold the writer long. */
export const INDEX_BATCH = 500;
/** After a message is stored, how long the indexer waits for more before it writes (one batch for all). */
export const INDEX_DELAY_MS = 100;
/**
 * SQLite: pages of FTS5 segment merging for a pass's worth of messages indexed (migration 0032).
 * Measured indexing 100,000–200,000 messages in passes of 100 or 500: the index stays as merged as
 * FTS5's own merging kept it (as many pages, queries as fast or faster), a step p50 0.03–0.06 ms, at most 2.5–12 ms.
 */
export const MERGE_PAGES = 64;
/** After a failed pass, when the indexer tries again. */
const RETRY_MS = 1000;

/**
 * Indexes the next messages not yet in the index, in one transaction with what tells which they
 * are, so a pass is all or nothing and a pass run twice indexes nothing twice. Returns how many
 * messages it took (0 = caught up).
 * - SQLite: the messages after a mark (`message_search_progress`). NOTE: SQLite has one writer, so
 *   messages get their rowids in commit order, and every message after the mark is one not yet
 *   indexed (messages are never deleted, so rowids are never reused).
 * - PostgreSQL: the ids the messages' transactions queued (`message_search_pending`), taken with
 *   `skip locked` (nodes take disjoint sets). NOTE: no mark there: transactions commit out of the
 *   order of their ids and times, so a mark would pass over one that commits late.
 */
export async function indexBacklog(tx: DbOrTx, isPostgres: boolean, limit: number = INDEX_BATCH): Promise<number> {
  return isPostgres ? indexPendingPostgres(tx, limit) : indexAfterMarkSqlite(tx, limit);
}

async function indexAfterMarkSqlite(tx: DbOrTx, limit: number): Promise<number> {
  const progress = await sql<{ last_rowid: number }>`select last_rowid from message_search_progress where id = 1`.execute(tx);
  const after = Number(progress.rows[0]?.last_rowid ?? 0);
  const { rows } = await sql<{ rowid: number; kind: string; text: string }>`select rowid, kind, text from messages where rowid > ${after} order by rowid limit ${limit}`.execute(tx);
  if (rows.length === 0) return 0;
  const entries = rows.flatMap((row) => {
    const tokens = messageTokens(row);
    return tokens.length === 0 ? [] : [sql`(${row.rowid}, ${tokens.join(' ')})`];
  });
  if (entries.length > 0) await sql`insert into message_search (rowid, tokens) values ${sql.join(entries)}`.execute(tx);
  await sql`insert into message_search_progress (id, last_rowid) values (1, ${rows.at(-1)!.rowid}) on conflict (id) do update set last_rowid = excluded.last_rowid`.execute(tx);
  return rows.length;
}

async function indexPendingPostgres(tx: DbOrTx, limit: number): Promise<number> {
  const taken = await sql<{ message_id: string }>`
    delete from message_search_pending where message_id in (select message_id from message_search_pending limit ${limit} for update skip locked)
    returning message_id`.execute(tx);
  if (taken.rows.length === 0) return 0;
  const { rows } = await sql<{ id: string; app_id: string; created_at: number | string; kind: string; text: string }>`
    select id, app_id, created_at, kind, text from messages where id in (${sql.join(taken.rows.map((r) => r.message_id))})`.execute(tx);
  const entries = rows.flatMap((row) => {
    const tokens = messageTokens(row);
    return tokens.length === 0 ? [] : [sql`(${row.id}, ${row.app_id}, ${Number(row.created_at)}, ${tokens}::text[])`];
  });
  if (entries.length > 0) await sql`insert into message_search (message_id, app_id, created_at, tokens) values ${sql.join(entries)} on conflict (message_id) do nothing`.execute(tx);
  return taken.rows.length;
}

/**
 * SQLite: merges the index's segments, a bounded amount of work for `indexed` messages just added:
 * FTS5 itself merges only at 64 segments a level, all of them at once (migration 0032).
 */
export async function mergeSegments(tx: DbOrTx, indexed: number): Promise<void> {
  const pages = Math.max(8, Math.ceil((MERGE_PAGES * indexed) / INDEX_BATCH));
  await sql`insert into message_search (message_search, rank) values ('merge', ${pages})`.execute(tx);
}

/** PostgreSQL, in the messages' transaction: their ids, for the next pass (one insert, no tokens yet). */
export async function queueForIndex(tx: DbOrTx, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length > 0) await sql`insert into message_search_pending (message_id) values ${sql.join(messageIds.map((id) => sql`(${id})`))}`.execute(tx);
}

/**
 * The search index, written right after messages commit rather than in their transaction: a
 * one-message transaction then pays no index write of its own (SQLite's FTS5 segment was +25–60 %
 * of a send alone), and the messages stored within `delayMs` share one index write. Durable: on
 * SQLite the messages are the queue and `message_search_progress` the mark; on PostgreSQL the
 * messages' transactions queue their ids; a crash leaves them for the next start (`start`).
 */
export function createSearchIndexer({ storage, log, delayMs = INDEX_DELAY_MS }: { storage: Storage; log: Logger; delayMs?: number | null }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const isPostgres = storage.dialect === 'postgres';

  async function pass(): Promise<void> {
    for (;;) {
      const taken = await storage.db.transaction().execute((tx) => indexBacklog(tx, isPostgres));
      if (taken === 0) return;
      // Sends and timers run between two transactions (SQLite runs each within one turn of the event loop).
      await nextTurn();
      if (!isPostgres) {
        // Its own transaction, in a turn of its own: a pass and a merge step are each a few ms.
        await storage.db.transaction().execute((tx) => mergeSegments(tx, taken));
        await nextTurn();
      }
      // A full batch: there may be more (a backlog after a restart, a burst of sends).
      if (taken < INDEX_BATCH) return;
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
