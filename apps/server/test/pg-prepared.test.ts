import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledOnce } from '../src/platform/storage/compiled-query.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage } from './helpers.ts';

// A table of the test's own, read with `select *` as the hot paths read theirs.
const readAll = compiledOnce<{ id: string }, Record<string, unknown>>((db, a) => sql`select * from prepared_probe where id = ${a.id}`);

describe('statements compiled once, on PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(): Promise<{ storage: Storage; alter: (statement: string) => Promise<void> }> {
    const fresh = await freshStorage('postgres');
    cleanups.push(fresh.drop);
    // One connection: every statement below runs on it.
    const storage = await openStorage({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl, poolSize: 1 });
    cleanups.push(() => storage.close());
    await sql`create table prepared_probe (id text primary key, name text)`.execute(storage.db);
    await sql`insert into prepared_probe values ('p1', 'one')`.execute(storage.db);
    // Another node's migration: a connection of its own.
    const alter = async (statement: string) => {
      const other = new pg.Client({ connectionString: fresh.databaseUrl });
      await other.connect();
      await other.query(statement);
      await other.end();
    };
    return { storage, alter };
  }

  const preparedOf = async (db: Kysely<any>) =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like '%prepared_probe%'`.execute(db)).rows.map((r) => r.statement);

  it('are prepared once per connection and run with each call’s values', async () => {
    const { storage } = await open();
    expect((await readAll(storage.db, { id: 'p1' })).rows).toEqual([{ id: 'p1', name: 'one' }]);
    expect((await readAll(storage.db, { id: 'p2' })).rows).toEqual([]);
    expect(await preparedOf(storage.db)).toHaveLength(1);
    // Other statements are not prepared.
    await sql`select * from prepared_probe where name = ${'one'}`.execute(storage.db);
    expect(await preparedOf(storage.db)).toHaveLength(1);
  });

  it('a `select *` keeps working when another node adds a column: run again at once outside a transaction, failing once inside one', async () => {
    const { storage, alter } = await open();
    expect((await readAll(storage.db, { id: 'p1' })).rows).toEqual([{ id: 'p1', name: 'one' }]);

    await alter(`alter table prepared_probe add column extra integer default 7`);
    expect((await readAll(storage.db, { id: 'p1' })).rows).toEqual([{ id: 'p1', name: 'one', extra: 7 }]);

    await alter(`alter table prepared_probe add column more text default 'm'`);
    await expect(storage.db.transaction().execute((tx) => readAll(tx, { id: 'p1' }))).rejects.toThrow(/cached plan must not change result type/);
    expect((await storage.db.transaction().execute((tx) => readAll(tx, { id: 'p1' }))).rows).toEqual([{ id: 'p1', name: 'one', extra: 7, more: 'm' }]);
    expect((await readAll(storage.db, { id: 'p1' })).rows).toEqual([{ id: 'p1', name: 'one', extra: 7, more: 'm' }]);
  });
});
