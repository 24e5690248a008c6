import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqliteFiles } from '../src/platform/storage/compiled-query.ts';
import type { Principal } from '../src/platform/principal.ts';
import { apiOk, newVisitor, seedApp, startTestServer, STORAGES, TestClient, type TestServer } from './helpers.ts';

/**
 * Reads that run often must not grow with history: each is checked on the plan of the statement
 * the server really ran.
 *
 * A send reads the messages already stored under its client id (idempotent sends). That read must
 * name the messages' whole unique key (conversation, sender, client id): named without the sender,
 * which comes before the client id in the key, it walks every message of the conversation, and a
 * send's cost grows with its conversation's length. Single and batched sends.
 */
describe.each(STORAGES)('the client-id reads of a send (%s)', (kind) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  /** Sends alone and in concurrent batches over three conversations; every statement run is captured. */
  async function sendsRan(captured: () => { text: string; values?: unknown[] }[]) {
    const srv = server!;
    const { conversations } = srv.app.services;
    const visitors = await Promise.all([1, 2, 3].map(() => newVisitor(srv, 'acme')));
    const as = (v: (typeof visitors)[number]): Principal => ({ kind: 'visitor', appId: 'acme', visitorId: v.visitorId });
    const start = captured().length;
    for (const v of visitors) await conversations.sendText(as(v), v.conversationId, { clientId: 'alone', text: 'hello' });
    await Promise.all(visitors.flatMap((v) => [1, 2, 3].map((i) => conversations.sendText(as(v), v.conversationId, { clientId: `batched-${i}`, text: `hello ${i}` }))));
    // A copy: answered from the stored message.
    const again = await conversations.sendText(as(visitors[0]!), visitors[0]!.conversationId, { clientId: 'alone', text: 'hello' });
    expect(again.created).toBe(false);
    return captured().slice(start).filter((s) => /\bmessages\b/.test(s.text) && /client_id"?\s*=/.test(s.text) && /^\s*(with|select)\b/i.test(s.text));
  }

  it('names the sender with the client id, so the unique key is used whole', async () => {
    server = await startTestServer(kind);
    await seedApp(server, 'acme');
    const { db } = server.app.storage;
    if (kind === 'sqlite') {
      const file = sqliteFiles.get(db.getExecutor().adapter)!;
      const prepare = vi.spyOn(file, 'prepare');
      const reads = await sendsRan(() => prepare.mock.calls.map(([text]) => ({ text })));
      expect(reads.length).toBeGreaterThan(0);
      for (const text of new Set(reads.map((r) => r.text))) {
        const parameters = (text.match(/\?/g) ?? []).map(() => null);
        const plan = (file.prepare(`explain query plan ${text}`).all(parameters) as { detail: string }[]).map((r) => r.detail);
        const onMessages = plan.filter((line) => /^SEARCH messages\b/.test(line));
        expect(onMessages, `${text}\n${plan.join('\n')}`).not.toHaveLength(0);
        for (const line of onMessages) expect(line, text).toMatch(/conversation_id=\? AND sender_id=\? AND client_id=\?/);
      }
    } else {
      const query = vi.spyOn(pg.Client.prototype, 'query');
      const runs = () =>
        query.mock.calls.map(([config, values]) =>
          typeof config === 'string' ? { text: config, values: (values as unknown[]) ?? [] } : { text: (config as pg.QueryConfig).text, values: (config as pg.QueryConfig).values ?? [] },
        );
      // A connection the app's pool opens after the spy: its statements go through it.
      await server.restart();
      const reads = await sendsRan(runs);
      query.mockRestore();
      const texts = new Set(reads.map((r) => r.text));
      // Alone (one key) and batched (keys as arrays, with the lock).
      expect(texts.size).toBeGreaterThanOrEqual(2);
      const client = new pg.Client({ connectionString: server.app.config.databaseUrl });
      await client.connect();
      try {
        // Plans as on a large table: no sequential scan, no hash or merge join reading a whole index.
        await client.query('set enable_seqscan = off; set enable_hashjoin = off; set enable_mergejoin = off; set enable_bitmapscan = off');
        for (const text of texts) {
          const { values } = reads.find((r) => r.text === text)!;
          const { rows } = await client.query(`explain (format text, costs off) ${text}`, values);
          const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
          const conditions = plan.flatMap((line, i) => (/Index (Only )?Scan .* on messages\b/.test(line) ? [plan[i + 1] ?? ''] : []));
          expect(conditions, `${text}\n${plan.join('\n')}`).not.toHaveLength(0);
          for (const condition of conditions) expect(condition, plan.join('\n')).toMatch(/Index Cond: .*sender_id.*client_id/);
        }
      } finally {
        await client.end();
      }
    }
  });
});

/**
 * The calls read by every socket's hello (the user's live calls), by the widget on every load (its
 * conversation's calls) and by the supervisors' board (the app's live calls): each through an
 * index made for it, never by walking every call the app ever had (calls_app_created) or the whole
 * table. SQLite's plans (PostgreSQL's depend on its statistics; the indexes are the same).
 */
describe('the calls a hello, the widget and the board read (sqlite)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  it('come from the legs of the user, the conversation or the live calls, not from all of the app', async () => {
    server = await startTestServer('sqlite');
    const seeded = await seedApp(server, 'acme');
    const visitor = await newVisitor(server, 'acme');
    const file = sqliteFiles.get(server.app.storage.db.getExecutor().adapter)!;
    const prepare = vi.spyOn(file, 'prepare');
    for (const token of [visitor.token, seeded.agent1.token]) {
      const client = await TestClient.connect(server.wsUrl('acme'));
      expect((await client.request({ type: 'hello', token })).ok).toBe(true);
      await client.close();
    }
    expect((await apiOk<{ calls: unknown[] }>(server.url, 'GET', `/v1/conversations/${visitor.conversationId}/calls`, visitor.token)).calls).toEqual([]);
    expect((await apiOk<{ calls: unknown[] }>(server.url, 'GET', '/v1/calls/live', seeded.admin.token)).calls).toEqual([]);
    const texts = new Set(prepare.mock.calls.map(([text]) => text).filter((text) => /\bfrom "calls"/.test(text)));
    prepare.mockRestore();
    // The hello's, the conversation's and the board's.
    expect(texts.size).toBeGreaterThanOrEqual(3);
    for (const text of texts) {
      const plan = (file.prepare(`explain query plan ${text}`).all((text.match(/\?/g) ?? []).map(() => null)) as { detail: string }[]).map((r) => r.detail);
      for (const line of plan) expect(line, text).not.toMatch(/^SCAN calls\b|calls_app_created/);
    }
  });
});
