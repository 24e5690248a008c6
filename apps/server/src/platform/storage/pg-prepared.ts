import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The SQL texts of the statements compiled once (`compiledOnce`, compiled-query.ts): the hot paths'
 * statements, whose text never changes. On PostgreSQL they run as named (prepared) statements.
 */
export const preparableTexts = new Set<string>();
/**
 * Those of them whose callers never read the answer (`compiledOnce`'s `answerUnread`): in a
 * transaction on a pipelined connection, the next statement goes out without waiting for it.
 */
export const answerUnreadTexts = new Set<string>();

const RESULT_TYPE_CHANGED = 'cached plan must not change result type';
const BEGINS = /^\s*(begin|start transaction)\b/i;
const ENDS = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;
const COMMITS = /^\s*(commit|end)\b/i;

/**
 * Makes each pooled connection run the preparable statements as named ones: PostgreSQL parses and
 * plans each once per connection instead of on every run (planning the hello's reads took longer
 * than running them; 19,900 sockets said hello in 14.0 s instead of 20.5–20.8 s, bench/README.md).
 *
 * NOTE: a prepared `SELECT *` fails with "cached plan must not change result type" once another
 * node's migration adds a column to its table, on every connection that prepared it. The first
 * such failure moves the names on, so each connection prepares the statements again under new
 * names, and the statement runs again at once when it was outside a transaction; inside one,
 * PostgreSQL has aborted the transaction already, so that caller gets the error (once).
 *
 * On a pipelined connection (storage.ts) a transaction's `BEGIN`, and in it a statement whose
 * answer is not read, are answered at once and go out with what follows: a group commit's `BEGIN`
 * and lock are one round trip, its append and its listeners' reads another (bench/README.md, round
 * 18). The next statement's answer waits for theirs and fails with their error if one failed; and
 * since a caller may catch that error and go on, the `COMMIT` of a transaction a statement aborted
 * (PostgreSQL answers it `ROLLBACK`) fails too, with that statement's error.
 */
export function createStatementPreparer(): (client: pg.PoolClient) => pg.PoolClient {
  let generation = 0;
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `fd${generation}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`));
    return name;
  };
  const prepared = new WeakSet<pg.PoolClient>();

  return (client) => {
    if (prepared.has(client)) return client;
    prepared.add(client);
    const pipelined = (client as unknown as pg.Client).pipeline;
    const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let inTransaction = false;
    /** Statements of this transaction answered before PostgreSQL did, whose answers nothing waited for yet. */
    let unanswered: Promise<unknown>[] = [];
    /** The first error of one of them in this transaction. */
    let failure: unknown;

    /** Sends a statement; its answer comes after those of the statements sent before it unanswered. */
    const query = (run: () => Promise<unknown>): Promise<unknown> => {
      const sent = run();
      if (unanswered.length === 0) return sent;
      const before = unanswered;
      unanswered = [];
      // An error of theirs comes first: this one's may only be that the transaction is aborted.
      sent.catch(() => {});
      return Promise.all(before).then(() => sent);
    };
    const answerNow = (run: () => Promise<unknown>): Promise<unknown> => {
      const sent = run();
      sent.catch((err: unknown) => {
        failure ??= err;
      });
      unanswered.push(sent);
      // Its answer, before PostgreSQL's: not read.
      return Promise.resolve({ command: '', rowCount: null, rows: [], fields: [] });
    };

    /** Runs a preparable statement as a named one (see above for a table another node changed). */
    const runPrepared = (text: string, values: unknown) => () => {
      const name = nameOf(text);
      return send({ name, text, values }).catch((err: { code?: string; message?: string }) => {
        if (err?.code !== '0A000' || !err.message?.includes(RESULT_TYPE_CHANGED)) throw err;
        if (names.get(text) === name) {
          generation++;
          names.clear();
        }
        if (inTransaction) throw err;
        return send({ name: nameOf(text), text, values });
      });
    };

    client.query = ((text: unknown, ...rest: unknown[]) => {
      const plain = () => send(text, ...rest);
      if (typeof text !== 'string' || rest.length > 1 || typeof rest[0] === 'function') return query(plain);
      if (preparableTexts.has(text)) {
        const run = runPrepared(text, rest[0]);
        return pipelined && inTransaction && answerUnreadTexts.has(text) ? answerNow(run) : query(run);
      }
      if (BEGINS.test(text)) {
        inTransaction = true;
        failure = undefined;
        return pipelined ? answerNow(plain) : query(plain);
      }
      if (!ENDS.test(text)) return query(plain);
      inTransaction = false;
      if (!COMMITS.test(text)) {
        // A rollback: the errors of the statements before it no longer matter (the caller has its own).
        unanswered = [];
        return plain();
      }
      return query(plain).then((result) => {
        if ((result as { command?: string }).command !== 'ROLLBACK') return result;
        throw failure ?? new Error('the transaction was rolled back: a statement in it failed');
      });
    }) as typeof client.query;
    return client;
  };
}
