import type SqliteDatabase from 'better-sqlite3';
import type { Compilable, CompiledQuery, QueryResult, RawBuilder } from 'kysely';
import { answerUnreadTexts, preparableTexts } from './pg-prepared.ts';
import type { DbOrTx } from './storage.ts';

/**
 * A SQLite storage's file, by its Kysely adapter (one per storage, shared by its transactions):
 * set by storage.ts. NOTE: in a transaction these statements run on it directly, synchronously.
 * Through Kysely each took seven async calls (its executor, connection providers, the transaction's
 * checks, result plugins): under a message load, where a send runs four of these statements, 15 %
 * of the server's bytes allocated were Kysely's connection provider's alone (V8's sampling heap
 * profiler); run directly, a send took 17–19 % less CPU (bench/README.md, round 13). Kysely's
 * transaction holds the one connection until it ends, so nothing else runs on the file meanwhile;
 * callers await these statements inside the transaction's callback (a transaction used after it
 * ended would run in whichever is open then, where Kysely throws).
 */
export const sqliteFiles = new WeakMap<object, SqliteDatabase.Database>();

/** What stands for one argument while a statement is compiled: it must come out as one bound parameter. */
class Slot {
  constructor(readonly name: string) {}
}

interface Template {
  compiled: CompiledQuery;
  /** For each bound parameter: the argument it takes, or undefined for a constant of the statement. */
  slots: (string | undefined)[];
}

/**
 * A statement of a hot path, built and compiled by Kysely once per dialect and then run with each
 * call's values. NOTE: Kysely builds and compiles every query anew, about a tenth of a message's
 * server CPU on the messaging paths (bench/README.md, `channels`); SQLite's statement cache
 * (storage.ts) already keys by the SQL text, which stays the same here, and PostgreSQL runs these
 * texts as prepared statements (pg-prepared.ts).
 *
 * `build` gets placeholders for the arguments and must give a statement whose shape does not depend
 * on their values: each argument used is one bound parameter (no `in` list built from it, no
 * `is null` chosen by it, no value Kysely reads, such as an insert's `undefined` column). A
 * placeholder compiled into the SQL text instead is refused on the first call.
 *
 * `answerUnread`: no caller reads what the statement returns (not even its count of rows), so in a
 * PostgreSQL transaction what follows goes out without waiting for its answer (pg-prepared.ts); an
 * error of it fails the transaction's next statement and its commit.
 */
export function compiledOnce<A extends object, R = unknown>(
  build: (db: DbOrTx, args: A) => Compilable<R> | RawBuilder<R>,
  options: { answerUnread?: boolean } = {},
): (db: DbOrTx, args: A) => Promise<QueryResult<R>> {
  // By dialect (its adapter's class): one process may hold SQLite and PostgreSQL databases (tests).
  const templates = new Map<unknown, Template>();
  const placeholders = new Proxy({} as A, { get: (_target, key) => new Slot(String(key)) });

  function compile(db: DbOrTx): Template {
    const built = build(db, placeholders);
    const compiled: CompiledQuery = 'isRawBuilder' in built ? built.compile(db) : built.compile();
    if (compiled.sql.includes('[object Object]')) throw new Error(`compiledOnce: an argument was compiled into the SQL text: ${compiled.sql}`);
    preparableTexts.add(compiled.sql);
    if (options.answerUnread) answerUnreadTexts.add(compiled.sql);
    return { compiled, slots: compiled.parameters.map((value) => (value instanceof Slot ? value.name : undefined)) };
  }

  return async (db, args) => {
    const { adapter } = db.getExecutor();
    let template = templates.get(adapter.constructor);
    if (!template) templates.set(adapter.constructor, (template = compile(db)));
    const { compiled, slots } = template;
    const values = args as Record<string, unknown>;
    const parameters = slots.map((name, i) => (name === undefined ? compiled.parameters[i] : values[name]));
    // Outside a transaction Kysely waits for the connection (another transaction may hold it).
    const file = db.isTransaction ? sqliteFiles.get(adapter) : undefined;
    if (file?.inTransaction) {
      const statement = file.prepare(compiled.sql);
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      return { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) };
    }
    return db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
  };
}
