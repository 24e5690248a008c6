import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage } from './helpers.ts';

/**
 * SQLite with two processes writing the same file (a CLI command beside the server): a transaction
 * that reads and then writes, while the other process writes in between, used to fail at once with
 * SQLITE_BUSY (its snapshot was stale). Transactions take the write lock when they begin, so the
 * other process waits for the commit and both writes are stored.
 */
describe('SQLite: a transaction that reads then writes, beside another writing process', () => {
  let fresh: Awaited<ReturnType<typeof freshStorage>>;
  let storage: Storage;

  beforeAll(async () => {
    fresh = await freshStorage('sqlite');
    storage = await openStorage({ dataDir: fresh.dataDir });
    await sql`create table writers_test (id integer primary key, who text not null)`.execute(storage.db);
  });

  afterAll(async () => {
    await storage?.close();
    await fresh?.drop();
  });

  it('makes the other process wait instead of failing', async () => {
    let other: Promise<{ code: number | null; out: string }> | undefined;
    await storage.db.transaction().execute(async (tx) => {
      await sql`select count(*) from writers_test`.execute(tx);
      const writer = otherProcessWrites(path.join(fresh.dataDir, 'frontdesk.db'));
      other = writer.done;
      // The other process tries its write while this transaction is open: it said it is about to.
      await writer.ready;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sql`insert into writers_test (who) values ('server')`.execute(tx);
    });
    const { code, out } = await other!;
    expect({ code, out }).toEqual({ code: 0, out: 'written' });
    const { rows } = await sql<{ who: string }>`select who from writers_test order by id`.execute(storage.db);
    expect(rows.map((r) => r.who)).toEqual(['server', 'other']);
  });
});

/**
 * Another process opens the file (as `frontdesk` commands do: WAL, a 5 s busy timeout) and writes one
 * row; `ready` once it has opened the file and is about to write.
 */
function otherProcessWrites(dbPath: string): { ready: Promise<void>; done: Promise<{ code: number | null; out: string }> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare("insert into writers_test (who) values ('other')");
    process.stderr.write('ready');
    insert.run();
    process.stdout.write('written');`;
  const child = spawn(process.execPath, ['-e', script, dbPath], { cwd: path.join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errors = '';
  const ready = new Promise<void>((resolve) =>
    child.stderr.on('data', (d) => {
      errors += d;
      if (errors.startsWith('ready')) resolve();
    }),
  );
  child.stdout.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out: out + errors.replace(/^ready/, '') })));
  return { ready: Promise.race([ready, done.then(() => {})]), done };
}
