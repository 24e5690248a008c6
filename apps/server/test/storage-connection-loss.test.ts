import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage } from './helpers.ts';

/**
 * A PostgreSQL connection lost while the server holds it (a transaction between two statements):
 * the transaction fails, the process goes on (no uncaught error), and the next query gets a working
 * connection.
 */
describe('PostgreSQL: a connection lost while in use', () => {
  let fresh: Awaited<ReturnType<typeof freshStorage>>;
  let storage: Storage;

  beforeAll(async () => {
    fresh = await freshStorage('postgres');
    storage = await openStorage({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl! });
  });

  afterAll(async () => {
    await storage?.close();
    await fresh?.drop();
  });

  it('fails its transaction and nothing else', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const admin = new pg.Client({ connectionString: fresh.databaseUrl });
    await admin.connect();
    try {
      const lost = storage.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        // The server ends this connection while the transaction holds it, between two statements.
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(tx);
      });
      await expect(lost).rejects.toThrow();
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(storage.db);
      expect(rows).toEqual([{ one: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
    }
  });
});
