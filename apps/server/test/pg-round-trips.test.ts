import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type FrontdeskApp } from '../src/app.ts';
import { compiledOnce } from '../src/platform/storage/compiled-query.ts';
import { freshStorage, newVisitor, seedApp, testConfig } from './helpers.ts';

/**
 * Between the server and PostgreSQL, on loopback: forwards every byte, and while `recording`
 * notes each connection's turns. A turn is what the server writes before it hears back: the
 * statements it sent without waiting for an answer (the texts of the statements their Bind messages
 * name, or of their simple Query messages). While recording, answers are held back a few
 * milliseconds, so that what the server writes in one go is seen as one turn.
 */
async function startTurnRecorder(target: URL) {
  const connections: { turns: string[][] }[] = [];
  let recording = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const seen = { turns: [] as string[][] };
    connections.push(seen);
    const statements = new Map<string, string>();
    let pending = Buffer.alloc(0);
    let started = false;
    let answered = true;
    client.on('data', (chunk) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      // The startup message has no type byte; every later message is a type, a length, a body.
      if (!started) {
        if (pending.length < 4) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        pending = pending.subarray(length);
        started = true;
      }
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        const type = String.fromCharCode(pending[0]!);
        const fields = pending.subarray(5, 1 + length).toString('utf8').split('\u0000');
        pending = pending.subarray(1 + length);
        let text: string | undefined;
        if (type === 'P') statements.set(fields[0]!, fields[1]!);
        else if (type === 'B') text = statements.get(fields[1]!);
        else if (type === 'Q') text = fields[0]!;
        if (text === undefined || !recording) continue;
        if (answered) seen.turns.push([]);
        answered = false;
        seen.turns.at(-1)!.push(text.replace(/\s+/g, ' ').trim());
      }
    });
    upstream.on('data', (chunk) => {
      const forward = () => {
        answered = true;
        client.write(chunk);
      };
      if (recording) setTimeout(forward, 5);
      else forward();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    record: (on: boolean) => {
      recording = on;
      if (on) for (const c of connections) c.turns = [];
    },
    /** The turns of every connection, from `begin` to `commit`, of the transactions that ran `marker`. */
    transactionsWith: (marker: RegExp): string[][][] =>
      connections.flatMap(({ turns }) => {
        const found: string[][][] = [];
        let current: string[][] | undefined;
        for (const turn of turns) {
          if (turn[0] === 'begin') current = [];
          current?.push(turn);
          if (current && turn.at(-1) === 'commit') {
            if (current.flat().some((s) => marker.test(s))) found.push(current);
            current = undefined;
          }
        }
        return found;
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const insertProbe = compiledOnce<{ id: string }>((_db, a) => sql`insert into round_trip_probe (id) values (${a.id})`, { answerUnread: true });

/** What a statement of a batch does, for the expected turns. */
function short(statement: string): string {
  if (statement.includes('with locked as materialized')) return 'lock the conversations';
  if (statement.includes('insert into messages')) return 'append the messages';
  if (statement.includes('from "webhook_subscriptions"')) return 'read the webhook subscriptions';
  return statement;
}

/**
 * PostgreSQL's connections are pipelined: a statement goes out before the answer to the one before
 * it when nothing waits for that answer. A group commit of several sends is three round trips: the
 * `BEGIN` with the lock (and the read of the client ids), the append with the in-transaction
 * listeners' reads, the `COMMIT`; it was five, one for each. An error is not lost on the way.
 */
describe('PostgreSQL round trips', () => {
  let fresh: Awaited<ReturnType<typeof freshStorage>>;
  let recorder: Awaited<ReturnType<typeof startTurnRecorder>>;
  let server: { app: FrontdeskApp; url: string };

  beforeAll(async () => {
    fresh = await freshStorage('postgres');
    recorder = await startTurnRecorder(new URL(fresh.databaseUrl!));
    const config = testConfig({ dataDir: fresh.dataDir, databaseUrl: recorder.url });
    const app = await buildApp(config);
    server = { app, url: await app.listen() };
  }, 60_000);

  afterAll(async () => {
    await server?.app.close();
    await recorder?.close();
    await fresh?.drop();
  });

  it('a group commit of sends: three, the BEGIN with the lock and the listeners’ reads with the append', async () => {
    const appId = 'round-trips';
    await seedApp(server, appId);
    const visitors = [await newVisitor(server, appId), await newVisitor(server, appId), await newVisitor(server, appId)];
    const { conversations } = server.app.services;
    const batches = conversations.sendStats().batches;
    recorder.record(true);
    const sent = await Promise.all(
      visitors.map((v, i) => conversations.sendText({ kind: 'visitor', appId, visitorId: v.visitorId }, v.conversationId, { clientId: `c${i}`, text: `hello ${i}` })),
    );
    recorder.record(false);
    expect(conversations.sendStats().batches - batches).toBe(1);
    expect(sent.map((s) => s.message.seq)).toEqual([1, 1, 1]);

    const transactions = recorder.transactionsWith(/insert into messages/);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]!.map((turn) => turn.map(short))).toEqual([
      ['begin', 'lock the conversations'],
      ['append the messages', 'read the webhook subscriptions'],
      ['commit'],
    ]);
  });

  it('a statement whose answer is not read fails the next statement with its error, and the commit of a caller that caught that; not a rollback', async () => {
    const { db } = server.app.storage;
    await sql`create table round_trip_probe (id text primary key)`.execute(db);
    await sql`insert into round_trip_probe values ('taken')`.execute(db);
    const stored = async () => (await sql<{ id: string }>`select id from round_trip_probe order by id`.execute(db)).rows.map((r) => r.id);

    const next = db.transaction().execute(async (tx) => {
      await insertProbe(tx, { id: 'taken' });
      await sql`select 1`.execute(tx);
    });
    await expect(next).rejects.toMatchObject({ code: '23505' });
    const last = db.transaction().execute((tx) => insertProbe(tx, { id: 'taken' }));
    await expect(last).rejects.toMatchObject({ code: '23505' });
    // PostgreSQL answers the COMMIT of an aborted transaction `ROLLBACK`, without an error.
    const caught = db.transaction().execute(async (tx) => {
      await insertProbe(tx, { id: 'new' });
      await insertProbe(tx, { id: 'taken' });
      await sql`select 1`.execute(tx).catch(() => {});
    });
    await expect(caught).rejects.toMatchObject({ code: '23505' });
    // The caller's own error, not the statement's that the rollback's answer would otherwise bring.
    const thrown = db.transaction().execute(async (tx) => {
      await insertProbe(tx, { id: 'taken' });
      throw new Error('the caller changed its mind');
    });
    await expect(thrown).rejects.toThrow('the caller changed its mind');
    expect(await stored()).toEqual(['taken']);

    await db.transaction().execute((tx) => insertProbe(tx, { id: 'new' }));
    expect(await stored()).toEqual(['new', 'taken']);
  });

  it('a statement that fails right after its BEGIN fails its transaction with its own error, and the connection serves the next', async () => {
    const failing = server.app.storage.db.transaction().execute(async (tx) => {
      await sql`select 1 / 0`.execute(tx);
    });
    await expect(failing).rejects.toThrow(/division by zero/);
    const rows = await server.app.storage.db.transaction().execute(async (tx) => (await sql<{ one: number }>`select 1 as one`.execute(tx)).rows);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
