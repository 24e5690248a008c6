import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The SQL texts of the statements compiled once (`compiledOnce`, compiled-query.ts): the hot paths'
 * statements, whose text never changes. On PostgreSQL they run as named (prepared) statements.
 */
export const preparableTexts = new Set<string>();

const RESULT_TYPE_CHANGED = 'cached plan must not change result type';
const BEGINS = /^\s*(begin|start transaction)\b/i;
const ENDS = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;

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
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let inTransaction = false;
    client.query = ((text: unknown, ...rest: unknown[]) => {
      if (typeof text !== 'string' || rest.length > 1 || typeof rest[0] === 'function') return query(text, ...rest);
      if (!preparableTexts.has(text)) {
        if (BEGINS.test(text)) inTransaction = true;
        else if (ENDS.test(text)) inTransaction = false;
        return query(text, ...rest);
      }
      const values = rest[0];
      const name = nameOf(text);
      return query({ name, text, values }).catch((err: { code?: string; message?: string }) => {
        if (err?.code !== '0A000' || !err.message?.includes(RESULT_TYPE_CHANGED)) throw err;
        if (names.get(text) === name) {
          generation++;
          names.clear();
        }
        if (inTransaction) throw err;
        return query({ name: nameOf(text), text, values });
      });
    }) as typeof client.query;
    return client;
  };
}
