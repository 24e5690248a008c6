import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { composeMigrations } from '../src/platform/storage/migrations.ts';
import { openStorage } from '../src/platform/storage/storage.ts';
import { migrationsUpTo0014 } from './fixtures/migrations-0014.ts';
import { freshStorage, STORAGES, type StorageKind } from './helpers.ts';

/**
 * Modules own their tables and migrations now; databases created before that must open with the
 * same schema and every row. The frozen list in fixtures/ builds such a database.
 */

/** Tables that later migrations replaced, and where their rows went (checked by the test of that migration). */
const TABLES_MOVED: Record<string, string> = {
  webhook_deliveries: 'jobs (0015_jobs, jobs-migration.test.ts)',
  webhook_attempts: 'job_attempts (0015_jobs)',
  cdr_jobs: 'jobs (0015_jobs)',
  cdr_pushes: 'jobs (0015_jobs)',
  cdr_push_attempts: 'job_attempts (0015_jobs)',
};

interface Handle {
  db: Kysely<any>;
  kind: StorageKind;
  /** Runs statements on one connection that does not enforce foreign keys (for fixture rows). */
  unchecked(statements: { text: string; values: unknown[] }[]): Promise<void>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rawDatabase(kind: StorageKind): Promise<{ handle: Handle; dataDir: string; databaseUrl?: string }> {
  const storage = await freshStorage(kind);
  cleanups.push(storage.drop);
  if (kind === 'sqlite') {
    const file = new SqliteDatabase(path.join(storage.dataDir, 'frontdesk.db'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: file }) });
    return {
      dataDir: storage.dataDir,
      handle: {
        db,
        kind,
        async unchecked(statements) {
          file.pragma('foreign_keys = OFF');
          for (const s of statements) file.prepare(s.text).run(...(s.values as never[]));
          file.pragma('foreign_keys = ON');
        },
        close: () => db.destroy(),
      },
    };
  }
  const pool = new pg.Pool({ connectionString: storage.databaseUrl!, max: 2 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    dataDir: storage.dataDir,
    databaseUrl: storage.databaseUrl!,
    handle: {
      db,
      kind,
      async unchecked(statements) {
        const client = await pool.connect();
        try {
          await client.query('set session_replication_role = replica');
          for (const s of statements) await client.query(s.text, s.values);
        } finally {
          await client.query('set session_replication_role = origin');
          client.release();
        }
      },
      close: () => db.destroy(),
    },
  };
}

async function migrate(db: Kysely<any>, migrations: Record<string, Migration>, to?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = to ? await migrator.migrateTo(to) : await migrator.migrateToLatest();
  if (error) throw error;
}

interface Column {
  table: string;
  name: string;
  type: string;
  maxLength: number | null;
}

async function columnsOf(handle: Handle): Promise<Column[]> {
  if (handle.kind === 'sqlite') {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'`.execute(handle.db);
    const out: Column[] = [];
    for (const { name } of tables.rows) {
      const info = await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${name})`.execute(handle.db);
      for (const c of info.rows) out.push({ table: name, name: c.name, type: c.type.toLowerCase(), maxLength: null });
    }
    return out;
  }
  const rows = await sql<{ table_name: string; column_name: string; data_type: string; character_maximum_length: number | null }>`
    select table_name, column_name, data_type, character_maximum_length from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, ordinal_position`.execute(handle.db);
  return rows.rows.map((r) => ({ table: r.table_name, name: r.column_name, type: r.data_type, maxLength: r.character_maximum_length }));
}

/** Everything that makes up the schema, as comparable text: tables, columns, indexes, constraints. */
async function schemaOf(handle: Handle): Promise<string[]> {
  if (handle.kind === 'sqlite') {
    const rows = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_master where name not like 'kysely_%' and name not like 'sqlite_%'`.execute(handle.db);
    return rows.rows.map((r) => `${r.type} ${r.name}: ${r.sql}`).sort();
  }
  const columns = (await columnsOf(handle)).map((c) => `column ${c.table}.${c.name} ${c.type}(${c.maxLength})`);
  const details = await sql<{ d: string }>`
    select 'column ' || table_name || '.' || column_name || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '') as d
      from information_schema.columns where table_schema = 'public' and table_name not like 'kysely_%'
    union all select 'index ' || indexname || ': ' || indexdef from pg_indexes where schemaname = 'public' and tablename not like 'kysely_%'
    union all select 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace`.execute(handle.db);
  return [...columns, ...details.rows.map((r) => r.d)].sort();
}

/** One row for every table, each value derived from its table and column (foreign keys unchecked). */
function fixtureRows(columns: Column[]): Map<string, Record<string, unknown>> {
  const rows = new Map<string, Record<string, unknown>>();
  columns.forEach((c, i) => {
    const row = rows.get(c.table) ?? {};
    if (/int|bigint/.test(c.type)) row[c.name] = 1000 + i;
    else if (/double|real|numeric/.test(c.type)) row[c.name] = i + 0.5;
    else row[c.name] = `${c.table}:${c.name}`.slice(0, c.maxLength ?? 200);
    rows.set(c.table, row);
  });
  return rows;
}

function insertStatements(kind: StorageKind, rows: Map<string, Record<string, unknown>>) {
  return [...rows].map(([table, row]) => {
    const names = Object.keys(row);
    const params = names.map((_, i) => (kind === 'sqlite' ? '?' : `$${i + 1}`));
    return { text: `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values (${params.join(', ')})`, values: Object.values(row) };
  });
}

describe.each(STORAGES)('migrations (%s)', (kind) => {
  it('the modules’ migrations up to 0014 build exactly the schema of the single list they replaced', async () => {
    const frozen = (await rawDatabase(kind)).handle;
    const composed = (await rawDatabase(kind)).handle;
    cleanups.push(frozen.close, composed.close);
    await migrate(frozen.db, migrationsUpTo0014);
    await migrate(composed.db, composeMigrations(), '0014_anychat_rsa_notify');
    expect(await schemaOf(composed)).toEqual(await schemaOf(frozen));
  });

  it('a database created before modules owned their tables opens at the latest schema with every row kept', async () => {
    const { handle, dataDir, databaseUrl } = await rawDatabase(kind);
    await migrate(handle.db, migrationsUpTo0014);
    const rows = fixtureRows(await columnsOf(handle));
    await handle.unchecked(insertStatements(kind, rows));
    await handle.close();

    const storage = await openStorage({ dataDir, databaseUrl });
    cleanups.push(() => storage.close());
    const now = new Set((await columnsOf({ ...handle, db: storage.db as Kysely<any> })).map((c) => c.table));
    for (const [table, row] of rows) {
      if (!now.has(table)) {
        expect(TABLES_MOVED[table], `table ${table} is gone without a migration that moved its rows`).toBeDefined();
        continue;
      }
      const stored = await (storage.db as Kysely<any>).selectFrom(table).selectAll().execute();
      expect(stored, table).toHaveLength(1);
      expect(stored[0], table).toMatchObject(row);
    }
    // Migration 0018 numbered the rows that existed (TCCC SdkAppId, SkillGroupId, StaffNumber; AnyChat objectid).
    const first = async (table: string, column: string) => (await (storage.db as Kysely<any>).selectFrom(table).select(column).executeTakeFirstOrThrow())[column];
    expect(Number(await first('apps', 'numeric_id'))).toBe(1);
    expect(Number(await first('queues', 'numeric_id'))).toBe(1);
    expect(await first('agents', 'staff_number')).toBe('1');
    // Migration 0021 indexed the message stored before it ("messages:text"): its words are found.
    const found =
      kind === 'sqlite'
        ? await sql`select rowid from message_search where message_search match '"messages" "text"'`.execute(storage.db)
        : await sql`select message_id from message_search where tokens @> array['messages', 'text']`.execute(storage.db);
    expect(found.rows).toHaveLength(1);
  });

  it('0027 (internal calls): calls made before keep every row and index; a call may then have no conversation and no visitor', async () => {
    const { handle, dataDir, databaseUrl } = await rawDatabase(kind);
    await migrate(handle.db, composeMigrations(), '0026_calls_screen_share');
    const callTables = ['calls', 'call_participants', 'call_supervision_steps'];
    const rows = fixtureRows((await columnsOf(handle)).filter((c) => callTables.includes(c.table)));
    await handle.unchecked(insertStatements(kind, rows));
    const callsIndexes = async (h: Handle) => (await schemaOf(h)).filter((line) => /^index calls_/.test(line) || /^index (calls_\w+):/.test(line)).map((line) => line.split(':')[0]);
    const indexesBefore = await callsIndexes(handle);
    await handle.close();

    const storage = await openStorage({ dataDir, databaseUrl });
    cleanups.push(() => storage.close());
    const db = storage.db as Kysely<any>;
    for (const table of callTables) {
      const stored = await db.selectFrom(table).selectAll().execute();
      expect(stored, table).toHaveLength(1);
      expect(stored[0], table).toMatchObject(rows.get(table)!);
    }
    const reopened = { ...handle, db };
    expect(indexesBefore).toEqual(expect.arrayContaining(['index calls_app_created', 'index calls_due', 'index calls_live_visitor', 'index calls_one_live']));
    // Every index it had, and those a later migration adds (0033).
    const later: (string | undefined)[] = ['index calls_conversation', 'index calls_live'];
    expect(await callsIndexes(reopened)).toEqual(expect.arrayContaining(later));
    expect((await callsIndexes(reopened)).filter((name) => !later.includes(name))).toEqual(indexesBefore);
    const nullable =
      kind === 'sqlite'
        ? (await sql<{ name: string; notnull: number }>`select name, "notnull" from pragma_table_info('calls') where name in ('conversation_id', 'visitor_id', 'app_id') order by name`.execute(db)).rows.map((r) => [r.name, r.notnull === 0])
        : (await sql<{ name: string; is_nullable: string }>`select column_name as name, is_nullable from information_schema.columns where table_name = 'calls' and column_name in ('conversation_id', 'visitor_id', 'app_id') order by column_name`.execute(db)).rows.map((r) => [r.name, r.is_nullable === 'YES']);
    expect(nullable).toEqual([
      ['app_id', false],
      ['conversation_id', true],
      ['visitor_id', true],
    ]);
  });

  it.skipIf(kind === 'sqlite')('0030: the search index merges its pending entries at 256 kB, not at 4 MB inside a send', async () => {
    const { handle, dataDir, databaseUrl } = await rawDatabase(kind);
    await migrate(handle.db, composeMigrations(), '0029_conversations_agent_open');
    const options = async (db: Kysely<any>) => (await sql<{ reloptions: string[] | null }>`select reloptions from pg_class where relname = 'message_search_tokens'`.execute(db)).rows;
    expect(await options(handle.db)).toEqual([{ reloptions: null }]);
    await handle.close();

    const storage = await openStorage({ dataDir, databaseUrl });
    cleanups.push(() => storage.close());
    expect(await options(storage.db as Kysely<any>)).toEqual([{ reloptions: ['gin_pending_list_limit=256'] }]);
  });

  it('0034: conversations stored before get the minutes of their activity; the four activity indexes hold the minutes', async () => {
    const { handle, dataDir, databaseUrl } = await rawDatabase(kind);
    await migrate(handle.db, composeMigrations(), '0033_calls_by_conversation_and_live');
    const rows = fixtureRows((await columnsOf(handle)).filter((c) => c.table === 'conversations'));
    const conversation = rows.get('conversations')!;
    // Minute 3 of its updates, minute 1 of its visitor's last message; one without a visitor message falls back to its start (minute 0).
    const second = { ...conversation, id: 'conv_second', status: 'closed', last_visitor_message_at: null };
    Object.assign(conversation, { status: 'open', created_at: 5_000, updated_at: 3 * 60_000 + 59_999, last_visitor_message_at: 60_000 });
    Object.assign(second, { created_at: 59_999, updated_at: 60_000 });
    await handle.unchecked(insertStatements(kind, new Map([['conversations', conversation]])));
    await handle.unchecked(insertStatements(kind, new Map([['conversations', second]])));
    await handle.close();

    const storage = await openStorage({ dataDir, databaseUrl });
    cleanups.push(() => storage.close());
    const db = storage.db as Kysely<any>;
    const minutes = await db.selectFrom('conversations').select(['id', 'updated_minute', 'last_activity_minute']).orderBy('id').execute();
    // ('conv_second' sorts before the fixture's 'conversations:id'.)
    expect(minutes.map((r) => ({ ...r, updated_minute: Number(r.updated_minute), last_activity_minute: Number(r.last_activity_minute) }))).toEqual([
      { id: 'conv_second', updated_minute: 1, last_activity_minute: 0 },
      { id: conversation.id, updated_minute: 3, last_activity_minute: 1 },
    ]);
    const indexes = (await schemaOf({ ...handle, db })).filter((line) => /^index conversations_(app_status|app_updated|visitor_named|idle)\b/.test(line));
    expect(indexes).toHaveLength(4);
    for (const line of indexes) {
      expect(line, line).toMatch(/updated_minute|last_activity_minute/);
      expect(line, line).not.toMatch(/updated_at|last_visitor_message_at/);
    }
  });
});
