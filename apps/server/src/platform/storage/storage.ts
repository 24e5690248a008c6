import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type Driver, type SelectQueryBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import { BusyError } from '../errors.ts';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrations.ts';
import { schedulePlannerStatistics, updatePlannerStatistics } from './sqlite-statistics.ts';
import { sqliteFiles } from './compiled-query.ts';
import { createStatementPreparer } from './pg-prepared.ts';
import { startSqliteCheckpointer } from './sqlite-checkpointer.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Db | Tx;

/**
 * The storage adapter: one Kysely instance over SQLite (embedded default) or
 * PostgreSQL. The few dialect-specific statements live here and nowhere else.
 */
export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Db;
  /** Locks the selected rows until the transaction ends (PostgreSQL `FOR UPDATE`;
   * SQLite has one writer at a time, so its transactions are already serialized). */
  forUpdate<O>(query: SelectQueryBuilder<Database, any, O>): SelectQueryBuilder<Database, any, O>;
  /** Locks the selected rows and leaves out rows another transaction has locked (PostgreSQL
   * `FOR UPDATE SKIP LOCKED`, for work queues claimed by several nodes; SQLite: `query` as is). */
  forUpdateSkipLocked<O>(query: SelectQueryBuilder<Database, any, O>): SelectQueryBuilder<Database, any, O>;
  /** For the rest of the transaction, `ORDER BY … LIMIT` reads walk an index in order rather than
   * sort (PostgreSQL `SET LOCAL enable_sort = off`): for work-queue claims, whose planner statistics
   * lag a burst of new rows and would sort the whole backlog per claim. SQLite already walks it. */
  preferIndexOrder(tx: Tx): Promise<void>;
  isUniqueViolation(err: unknown): boolean;
  /** Serializes transactions that take the same key, across nodes, until the transaction ends
   * (PostgreSQL advisory transaction lock; SQLite transactions are already serialized). */
  lockKey(tx: Tx, key: string): Promise<void>;
  /** Tells every node listening on `channel` (PostgreSQL NOTIFY; one SQLite node has no one to tell). */
  notify(channel: string, payload: string): Promise<void>;
  /** Calls `handler` for each notification on `channel`, and `onReconnect` after a lost
   * listening connection comes back (notifications may have been missed meanwhile). */
  listen(channel: string, handler: (payload: string) => void, onReconnect: () => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Callers that may wait for a pooled PostgreSQL connection, per connection, before queries are refused (FD_BUSY). */
const POOL_WAITERS_PER_CONNECTION = 200;
const POOL_BUSY_RETRY_MS = 200;

/** A full disk: the data dir's (ENOSPC, EDQUOT), SQLite's file, or PostgreSQL's own (53100 disk_full). */
const FULL_CODES = ['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100'];

/** Errors that mean "the database cannot be reached right now", not "this request is wrong". */
export function isStorageUnavailable(err: unknown): boolean {
  const { code = '', message = '' } = (err ?? {}) as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'SQLITE_BUSY', 'SQLITE_IOERR', ...FULL_CODES].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)
  );
}

/** Errors that mean the disk (of the data dir or of the database) is full: no write can succeed now. */
export function isStorageFull(err: unknown): boolean {
  const { code = '' } = (err ?? {}) as { code?: string };
  return FULL_CODES.includes(code);
}

/**
 * The database could not be opened or migrated at start for a reason an operator fixes outside
 * Frontdesk (read-only or full disk, permissions, an unreachable or unknown database): one line says
 * which, no stack trace.
 */
export class StorageOpenError extends Error {
  override readonly name = 'StorageOpenError';
}

const OPEN_FAILURE_CODES = new Set([
  'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_RECOVERY', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_CANTLOCK', 'SQLITE_READONLY_ROLLBACK',
  'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_IOERR_SHMOPEN', 'SQLITE_IOERR_WRITE', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR',
  // PostgreSQL: authentication failed, no such database, no such role, too many connections.
  '28P01', '28000', '3D000', '53300',
]);

function asOpenError(err: unknown, where: string): unknown {
  const { code = '', message = '' } = (err ?? {}) as { code?: string; message?: string };
  if (!OPEN_FAILURE_CODES.has(code) && !isStorageUnavailable(err)) return err;
  const readOnly = /^SQLITE_READONLY|^EROFS$/.test(code) ? ' (the database is read-only)' : '';
  return new StorageOpenError(`cannot open the database ${where}${readOnly}: ${message.split('\n')[0]} (${code || 'no code'})`);
}

export interface StorageOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  sqliteSync?: 'normal' | 'full';
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  const where = options.databaseUrl ? `at ${redactPassword(options.databaseUrl)}` : `in ${options.dataDir}`;
  let storage: Storage | undefined;
  try {
    storage = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openSqlite(options);
    await migrateToLatest(storage.db);
    const file = sqliteFiles.get(storage.db.getExecutor().adapter);
    if (file) updatePlannerStatistics(file, { allTables: true });
    return storage;
  } catch (err) {
    await storage?.close().catch(() => {});
    throw asOpenError(err, where);
  }
}

function redactPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://***';
  }
}

/** NOTE: owner-only: the database holds the token signing secret and every conversation. */
export const OWNER_ONLY_DIR_MODE = 0o700;
export const OWNER_ONLY_FILE_MODE = 0o600;

function openSqlite(options: StorageOptions): Storage {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: OWNER_ONLY_DIR_MODE });
  const dbPath = path.join(options.dataDir, 'frontdesk.db');
  // Created owner-only before SQLite opens it: its WAL and shared-memory files take the database's mode.
  fs.closeSync(fs.openSync(dbPath, 'a', OWNER_ONLY_FILE_MODE));
  const file = new SqliteDatabase(dbPath);
  file.pragma('journal_mode = WAL');
  // NOTE: in WAL mode `normal` survives a process crash (kill -9) with every commit;
  // only a power loss can drop the last commits. `full` also fsyncs each commit.
  file.pragma(`synchronous = ${options.sqliteSync ?? 'normal'}`);
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  // The log is copied back by a thread of its own (sqlite-checkpointer.ts); the commit does it only
  // past 20,000 pages (80 MB), should that thread fall behind.
  file.pragma('wal_autocheckpoint = 20000');
  const checkpointer = startSqliteCheckpointer(dbPath);
  // Kysely prepares every query anew; SQLite statements are reusable, so keep them by SQL text
  // (measured: a third less server CPU per message, bench/README.md).
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = file.prepare.bind(file);
  file.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      if (statements.size >= 1000) statements.clear();
      statements.set(source, (statement = prepare(source)));
    }
    return statement;
  }) as typeof file.prepare;
  const db = new Kysely<Database>({ dialect: new FrontdeskSqliteDialect(file, checkpointer.committed) });
  sqliteFiles.set(db.getExecutor().adapter, file);
  const stopStatistics = schedulePlannerStatistics(file);
  return {
    dialect: 'sqlite',
    db,
    forUpdate: (query) => query,
    forUpdateSkipLocked: (query) => query,
    preferIndexOrder: async () => {},
    isUniqueViolation: (err) => (err as { code?: string })?.code?.startsWith('SQLITE_CONSTRAINT') ?? false,
    lockKey: async () => {},
    notify: async () => {},
    listen: async () => async () => {},
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      stopStatistics();
      await db.destroy();
      await checkpointer.stop();
    },
  };
}

/**
 * Three changes to Kysely's SQLite driver:
 * - transactions begin `IMMEDIATE`, taking SQLite's write lock at once. A deferred one that read
 *   and then wrote failed at once (SQLITE_BUSY, no wait) when another process (a CLI command beside
 *   the server) had committed in between; now the other process waits for it, or it for the other.
 *   In one process nothing changes: Kysely already runs one transaction at a time.
 * - each commit tells the checkpointer (sqlite-checkpointer.ts), which copies the log back right after it.
 * - SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, some I/O errors);
 *   Kysely's ROLLBACK then fails ("no transaction is active") and that error replaces the real one,
 *   so a full disk answered 500 instead of 503. Roll back only what is still open.
 */
class FrontdeskSqliteDialect extends SqliteDialect {
  constructor(
    private readonly file: SqliteDatabase.Database,
    private readonly committed: () => void,
  ) {
    super({ database: file });
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    const commit = driver.commitTransaction.bind(driver);
    driver.commitTransaction = async (connection) => {
      await commit(connection);
      this.committed();
    };
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.file.inTransaction) await rollback(connection);
    };
    return driver;
  }
}

function openPostgres(url: string, poolSize: number): Storage {
  let notifier: Promise<pg.Client> | undefined;
  let notifyQueue: Promise<void> = Promise.resolve();
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    // A statement not awaited yet does not hold back the next (the `BEGIN` and the first statement of
    // a transaction, a group commit's append and its listeners' reads: pg-prepared.ts, message-store.ts).
    pipeline: true,
    // bigint columns hold ms timestamps and seqs, all below 2^53: read them as numbers.
    types: { getTypeParser: (oid: number, format?: any) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as any,
  });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // NOTE: nor may a broken connection in use. The pool listens for an idle connection's errors only:
  // one checked out (a transaction between two statements) whose server went away emitted its error
  // to nobody, an uncaught exception. Its statements fail (the transaction rolls back), and the pool
  // drops it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  // NOTE: pg's pool queues every caller without bound, each for up to connectionTimeoutMillis: under
  // a burst thousands waited 5 s and then failed. Past `maxWaiting` waiters a query is refused at once
  // (FD_BUSY, retryable), so a saturated server answers fast and its memory stays bounded.
  const maxWaiting = poolSize * POOL_WAITERS_PER_CONNECTION;
  const prepare = createStatementPreparer();
  const boundedPool = {
    connect: () => (pool.waitingCount >= maxWaiting ? Promise.reject(new BusyError('the database is busy: send again shortly', POOL_BUSY_RETRY_MS)) : pool.connect().then(prepare)),
    end: () => pool.end(),
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: boundedPool }) });
  let pinger: Promise<pg.Client> | undefined;
  let pingQueue: Promise<void> = Promise.resolve();
  return {
    dialect: 'postgres',
    db,
    forUpdate: (query) => query.forUpdate(),
    forUpdateSkipLocked: (query) => query.forUpdate().skipLocked(),
    preferIndexOrder: async (tx) => {
      await sql`set local enable_sort = off`.execute(tx);
    },
    isUniqueViolation: (err) => (err as { code?: string })?.code === '23505',
    lockKey: async (tx, key) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
    },
    notify: (channel, payload) => {
      // One connection for every notification of this node, so they arrive in the order sent; one
      // query at a time on it (pg queues overlapping queries itself, but warns that it will stop).
      const sent = notifyQueue.then(async () => {
        notifier ??= connectNotifier(url);
        try {
          await (await notifier).query('select pg_notify($1, $2)', [channel, payload]);
        } catch (err) {
          notifier = undefined;
          throw err;
        }
      });
      notifyQueue = sent.catch(() => {});
      return sent;
    },
    listen: (channel, handler, onReconnect) => listenPostgres(url, channel, handler, onReconnect),
    // Its own connection, outside the pool: /healthz answers while the pool is saturated.
    ping: () => {
      const done = pingQueue.then(async () => {
        pinger ??= connectNotifier(url);
        try {
          await (await pinger).query('select 1');
        } catch (err) {
          const broken = pinger;
          pinger = undefined;
          void broken.then((c) => c.end()).catch(() => {});
          throw err;
        }
      });
      pingQueue = done.catch(() => {});
      return done;
    },
    close: async () => {
      for (const client of [await notifier?.catch(() => undefined), await pinger?.catch(() => undefined)]) await client?.end().catch(() => {});
      await db.destroy();
    },
  };
}

async function connectNotifier(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, query_timeout: 10_000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A dedicated connection for LISTEN, reconnected with backoff when it drops. */
async function listenPostgres(url: string, channel: string, handler: (payload: string) => void, onReconnect: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 100;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => n.channel === channel && n.payload !== undefined && handler(n.payload));
    c.on('error', () => {});
    c.on('end', () => {
      if (closed) return;
      setTimeout(() => void reconnect(), retryMs).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
    retryMs = 100;
  };
  const reconnect = async (): Promise<void> => {
    if (closed) return;
    try {
      await connect();
      onReconnect();
    } catch {
      retryMs = Math.min(retryMs * 2, 5000);
      setTimeout(() => void reconnect(), retryMs).unref();
    }
  };
  await connect();
  return async () => {
    closed = true;
    await client?.end().catch(() => {});
  };
}
