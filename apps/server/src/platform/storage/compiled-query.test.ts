import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compiledOnce } from './compiled-query.ts';
import { openStorage, type Storage } from './storage.ts';

describe('compiledOnce', () => {
  let storage: Storage | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await storage?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<Storage> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-compiled-'));
    return (storage = await openStorage({ dataDir: dir }));
  }

  it("runs each call with its own values, the statement's constants kept, in a transaction or not", async () => {
    const { db } = await open();
    const insert = compiledOnce<{ key: string; value: string }>((d, a) => d.insertInto('server_settings').values({ key: a.key, value: a.value }));
    const read = compiledOnce<{ key: string }, { value: string }>((d, a) => d.selectFrom('server_settings').select('value').where('key', '=', a.key).where('value', '<>', 'constant'));
    await insert(db, { key: 'a', value: 'one' });
    await db.transaction().execute(async (tx) => {
      await insert(tx, { key: 'b', value: 'two' });
      await insert(tx, { key: 'c', value: 'constant' });
    });
    expect((await read(db, { key: 'a' })).rows).toEqual([{ value: 'one' }]);
    expect((await read(db, { key: 'b' })).rows).toEqual([{ value: 'two' }]);
    expect((await read(db, { key: 'c' })).rows).toEqual([]);
    const raw = compiledOnce<{ key: string }, { n: number }>((_d, a) => sql<{ n: number }>`select count(*) as n from server_settings where key <= ${a.key}`);
    expect((await raw(db, { key: 'b' })).rows).toEqual([{ n: 2 }]);
  });

  it("SQLite: runs in a transaction on the file itself, which the transaction's rollback takes back; outside one it waits for the connection", async () => {
    const { db } = await open();
    const insert = compiledOnce<{ key: string; value: string }>((d, a) => d.insertInto('server_settings').values({ key: a.key, value: a.value }));
    const read = compiledOnce<{ key: string }, { value: string }>((d, a) => d.selectFrom('server_settings').select('value').where('key', '=', a.key));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const rolledBack = db
      .transaction()
      .execute(async (tx) => {
        const throughKysely = vi.spyOn(tx, 'executeQuery');
        await insert(tx, { key: 'x', value: 'in the transaction' });
        expect((await read(tx, { key: 'x' })).rows).toEqual([{ value: 'in the transaction' }]);
        expect(throughKysely).not.toHaveBeenCalled();
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch((err: Error) => err.message);
    await insertedYet;
    // The transaction is open and holds the connection: a read outside it waits, and never sees its row.
    const outside = read(db, { key: 'x' });
    release();
    expect(await rolledBack).toBe('roll back');
    expect((await outside).rows).toEqual([]);
  });

  it('refuses a statement whose SQL text would hold an argument', async () => {
    const { db } = await open();
    const bad = compiledOnce<{ column: string }>((d, a) => d.selectFrom('server_settings').select('key').where(sql.raw(String(a.column)), '=', 'x'));
    await expect(bad(db, { column: 'key' })).rejects.toThrow(/compiled into the SQL text/);
  });
});
