import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/platform/principal.ts';
import { newVisitor, seedApp, startTestServer, STORAGES, type TestServer } from './helpers.ts';

/** mulberry32: a seeded generator, so a failing seed replays the same sends. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Group commit: sends that arrive together are appended in one transaction. Whatever the mix —
 * several sends to one conversation, sends to many, the same client id twice in one batch or
 * across batches, a conversation that is closed, a client id reused for another text — each send
 * succeeds or fails on its own, seqs stay gap-free, each client id is stored once, and every
 * stored message has its outbox row.
 */
describe.each(STORAGES)('group commit of sends (%s)', (kind) => {
  let server: TestServer;
  const appId = `gc-${kind}`;
  const visitors: { principal: Principal; conversationId: string }[] = [];
  let closed: { principal: Principal; conversationId: string };
  let seeded: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(kind);
    seeded = await seedApp(server, appId);
    // A subscription, so that message events are written to the outbox (an app without any writes none).
    const now = Date.now();
    await server.app.storage.db
      .insertInto('webhook_subscriptions')
      .values({ id: 'whs_gc', app_id: appId, url: 'http://127.0.0.1:9/hook', description: '', event_types: JSON.stringify(['message.created']), format: 'standard', sign_type: 'MD5', rsa_private_key: null, rsa_public_key: null, secret: 'whsec_test', previous_secret: null, previous_secret_expires_at: null, enabled: 1, disabled_reason: null, created_at: now, updated_at: now })
      .execute();
    for (let i = 0; i < 6; i++) {
      const v = await newVisitor(server, appId);
      visitors.push({ principal: { kind: 'visitor', appId, visitorId: v.visitorId }, conversationId: v.conversationId });
    }
    const c = await newVisitor(server, appId);
    closed = { principal: { kind: 'visitor', appId, visitorId: c.visitorId }, conversationId: c.conversationId };
    await server.app.storage.db.updateTable('conversations').set({ status: 'closed', closed_at: now, close_by: 'client' }).where('id', '=', c.conversationId).execute();
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('concurrent sends to the same and different conversations: gap-free seqs, one row per client id, each answered on its own', async () => {
    const { conversations } = server.app.services;
    const { db } = server.app.storage;
    const before = conversations.sendStats();
    const seqsBefore = new Map<string, number>();
    for (const v of visitors) seqsBefore.set(v.conversationId, (await conversations.findConversation(appId, v.conversationId))!.lastSeq);
    const next = random(kind === 'sqlite' ? 7 : 11);
    type Send = { who: (typeof visitors)[number]; clientId: string; text: string; expect: 'ok' | 'closed' | 'conflict' };
    const sends: Send[] = [];
    const textOf = new Map<string, string>();
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 40; i++) {
        const who = visitors[Math.floor(next() * visitors.length)]!;
        const r = next();
        if (r < 0.15 && sends.length > 0) {
          // The same send again (a retry): same client id, same text, same sender.
          const again = sends[Math.floor(next() * sends.length)]!;
          if (again.expect === 'ok') sends.push({ ...again });
          continue;
        }
        if (r < 0.2 && sends.length > 0) {
          const reused = sends[Math.floor(next() * sends.length)]!;
          if (reused.expect === 'ok') sends.push({ ...reused, text: `${reused.text} (edited)`, expect: 'conflict' });
          continue;
        }
        if (r < 0.25) {
          sends.push({ who: closed, clientId: `c-${round}-${i}`, text: 'too late', expect: 'closed' });
          continue;
        }
        const clientId = `m-${round}-${i}`;
        textOf.set(`${who.conversationId}/${clientId}`, `hello ${round}/${i}`);
        sends.push({ who, clientId, text: `hello ${round}/${i}`, expect: 'ok' });
      }
    }
    // Every send of a round starts in the same turn: they are grouped into few transactions.
    const results: { send: Send; result: PromiseSettledResult<Awaited<ReturnType<typeof conversations.sendText>>> }[] = [];
    for (let round = 0; round < 4; round++) {
      const part = sends.slice((round * sends.length) / 4, ((round + 1) * sends.length) / 4);
      const settled = await Promise.allSettled(part.map((s) => conversations.sendText(s.who.principal, s.who.conversationId, { clientId: s.clientId, text: s.text })));
      settled.forEach((result, i) => results.push({ send: part[i]!, result }));
    }

    const idOf = new Map<string, string>();
    for (const { send, result } of results) {
      const key = `${send.who.conversationId}/${send.clientId}`;
      if (send.expect === 'closed') {
        expect(result.status === 'rejected' && (result.reason as { code?: string }).code).toBe('FD_CONVERSATION_CLOSED');
        continue;
      }
      if (send.expect === 'conflict') {
        // A reused client id with another text: refused, unless the original had not been stored yet
        // when this one came (then this one was stored and the original is the conflict); either way once.
        if (result.status === 'rejected') expect((result.reason as { code?: string }).code).toBe('FD_MESSAGE_CLIENT_ID_CONFLICT');
        continue;
      }
      if (result.status === 'rejected') {
        // Only possible when a conflicting text with the same client id got there first.
        expect((result.reason as { code?: string }).code).toBe('FD_MESSAGE_CLIENT_ID_CONFLICT');
        continue;
      }
      const { message } = result.value;
      expect(message.clientId).toBe(send.clientId);
      expect(idOf.get(key) ?? message.id).toBe(message.id);
      idOf.set(key, message.id);
    }

    for (const v of visitors) {
      const rows = await db.selectFrom('messages').select(['id', 'seq', 'client_id', 'text']).where('conversation_id', '=', v.conversationId).orderBy('seq').execute();
      // Gap-free from 1, and the conversation's last_seq is the last one.
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect((await conversations.findConversation(appId, v.conversationId))!.lastSeq).toBe(rows.length);
      expect(rows.length).toBeGreaterThan(seqsBefore.get(v.conversationId)!);
      // One row per client id, and the one each ok reply named.
      const clientIds = rows.flatMap((r) => (r.client_id ? [r.client_id] : []));
      expect(new Set(clientIds).size).toBe(clientIds.length);
      for (const r of rows) if (r.client_id && idOf.has(`${v.conversationId}/${r.client_id}`)) expect(idOf.get(`${v.conversationId}/${r.client_id}`)).toBe(r.id);
      for (const key of textOf.keys()) if (key.startsWith(`${v.conversationId}/`)) expect(clientIds).toContain(key.split('/')[1]);
    }
    expect(await db.selectFrom('messages').select('id').where('conversation_id', '=', closed.conversationId).where('text', '=', 'too late').execute()).toEqual([]);

    // Every stored message has exactly one outbox row (the in-transaction listener saw the whole batch).
    const stored = await db.selectFrom('messages').select('id').where('app_id', '=', appId).where('client_id', 'is not', null).execute();
    const outbox = await db.selectFrom('outbox_events').select('data').where('app_id', '=', appId).where('type', '=', 'message.created').execute();
    const inOutbox = outbox.map((e) => (JSON.parse(e.data) as { message: { id: string } }).message.id);
    expect(new Set(inOutbox).size).toBe(inOutbox.length);
    for (const { id } of stored) expect(inOutbox).toContain(id);

    // And every one is in the search index (PostgreSQL: its listener too writes the whole batch at
    // once; SQLite: right after they commit, so waited for), each once.
    const indexed = async () => kind === 'postgres'
      ? (await sql<{ id: string }>`select message_id as id from message_search where app_id = ${appId} and tokens @> array['hello']`.execute(db)).rows.map((r) => r.id)
      : (await sql<{ id: string }>`select m.id from message_search s join messages m on m.rowid = s.rowid where message_search match '"hello"' and m.app_id = ${appId}`.execute(db)).rows.map((r) => r.id);
    await expect.poll(async () => new Set(await indexed())).toEqual(new Set(stored.map((r) => r.id)));
    const once = await indexed();
    expect(new Set(once).size).toBe(once.length);

    // And they were grouped: far fewer transactions than sends.
    const after = conversations.sendStats();
    expect(after.requests - before.requests).toBe(sends.length);
    expect(after.largestBatch).toBeGreaterThan(10);
    expect(after.batches - before.batches).toBeLessThan(sends.length / 4);
    // None of them failed as a whole and went one by one (that path is for unexpected errors only).
    expect(after.fallbacks - before.fallbacks).toBe(0);
  }, 60_000);

  it("a batch of agents' and visitors' sends moves each conversation's last seq and activity time, and the visitor's last message time only where the visitor sent", async () => {
    const { conversations } = server.app.services;
    const { db } = server.app.storage;
    const agentId = seeded.agent1.agent.id;
    const agent: Principal = { kind: 'agent', appId, agentId, role: 'agent' };
    const [agentOnly, mixed] = [await newVisitor(server, appId), await newVisitor(server, appId)];
    await db.updateTable('conversations').set({ agent_id: agentId }).where('id', 'in', [agentOnly.conversationId, mixed.conversationId]).execute();
    const read = (id: string) => db.selectFrom('conversations').select(['last_seq', 'updated_at', 'last_visitor_message_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const [agentOnlyBefore, mixedBefore] = [await read(agentOnly.conversationId), await read(mixed.conversationId)];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const batches = conversations.sendStats().batches;
    // Texts an array literal would have to escape: PostgreSQL gets the batch's rows as arrays.
    const awkward = ['NULL', 'a "quoted", {braced} \\ back\\slash', ' spaced\nlines ', '订单号 ✓'];
    const sent = await Promise.all([
      conversations.sendText(agent, agentOnly.conversationId, { clientId: 'a1', text: awkward[0]! }),
      conversations.sendText(agent, agentOnly.conversationId, { clientId: 'a2', text: awkward[1]! }),
      conversations.sendText(agent, mixed.conversationId, { clientId: 'a3', text: awkward[2]! }),
      conversations.sendText({ kind: 'visitor', appId, visitorId: mixed.visitorId }, mixed.conversationId, { clientId: 'v1', text: awkward[3]! }),
      conversations.sendLocation({ kind: 'visitor', appId, visitorId: mixed.visitorId }, mixed.conversationId, { clientId: 'v2', latitude: 31.2304, longitude: -121.4737, name: 'The "office"' }),
    ]);
    expect(conversations.sendStats().batches - batches).toBe(1);
    const stored = await db.selectFrom('messages').select(['id', 'text', 'location_latitude', 'location_longitude', 'location_name', 'location_address']).where('id', 'in', sent.map((r) => r.message.id)).execute();
    const byId = new Map(stored.map((row) => [row.id, row]));
    sent.slice(0, 4).forEach((r, i) => expect(byId.get(r.message.id)?.text).toBe(awkward[i]));
    expect(byId.get(sent[4]!.message.id)).toMatchObject({ location_latitude: 31.2304, location_longitude: -121.4737, location_name: 'The "office"', location_address: null });
    const [agentOnlyAfter, mixedAfter] = [await read(agentOnly.conversationId), await read(mixed.conversationId)];
    expect(agentOnlyAfter.last_seq).toBe(agentOnlyBefore.last_seq + 2);
    expect(mixedAfter.last_seq).toBe(mixedBefore.last_seq + 3);
    expect(agentOnlyAfter.updated_at).toBeGreaterThan(agentOnlyBefore.updated_at);
    expect(mixedAfter.updated_at).toBeGreaterThan(mixedBefore.updated_at);
    expect(agentOnlyAfter.last_visitor_message_at).toBe(agentOnlyBefore.last_visitor_message_at);
    expect(mixedAfter.last_visitor_message_at).toBe(mixedAfter.updated_at);
  });

  // SQLite commits a batch within the turn it starts in: without a pause between batches, sends
  // that come one per turn (busy sockets) would go one per transaction.
  it.runIf(kind === 'postgres')('a copy that another transaction stored while the batch waited for the lock: answered as stored, no seq twice', async () => {
    // PostgreSQL reads a batch's stored client ids in the lock's statement, whose snapshot is taken
    // before it waits: another node's copy committed meanwhile is not seen, and the batch is stored
    // again one request per transaction, where the read follows the lock.
    const { conversations } = server.app.services;
    const { db } = server.app.storage;
    const [a, b] = [visitors[0]!, visitors[1]!];
    const visitorId = (a.principal as { visitorId: string }).visitorId;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const other = db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('conversations').selectAll().where('id', '=', a.conversationId).forUpdate().executeTakeFirstOrThrow();
      locked();
      await released;
      const now = Date.now();
      await tx.insertInto('messages').values({ id: 'msg_race_copy', app_id: appId, conversation_id: a.conversationId, seq: row.last_seq + 1, client_id: 'race-1', sender_type: 'visitor', sender_id: visitorId, kind: 'text', text: 'the same text', file_id: null, location_latitude: null, location_longitude: null, location_name: null, location_address: null, created_at: now }).execute();
      await tx.updateTable('conversations').set({ last_seq: row.last_seq + 1, updated_at: now }).where('id', '=', a.conversationId).execute();
    });
    await isLocked;
    const before = conversations.sendStats();
    const sent = Promise.all([
      conversations.sendText(a.principal, a.conversationId, { clientId: 'race-1', text: 'the same text' }),
      conversations.sendText(b.principal, b.conversationId, { clientId: 'race-2', text: 'another' }),
    ]);
    // The batch's statement waits for the row held above.
    await expect.poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db)).rows[0]!.n).toBe(1);
    release();
    await other;
    const [copy, fresh] = await sent;
    expect(copy.created).toBe(false);
    expect(copy.message.id).toBe('msg_race_copy');
    expect(fresh.created).toBe(true);
    const rows = await db.selectFrom('messages').select(['seq', 'client_id']).where('conversation_id', '=', a.conversationId).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.filter((r) => r.client_id === 'race-1')).toHaveLength(1);
    expect(conversations.sendStats().fallbacks - before.fallbacks).toBe(1);
  });

  it.runIf(kind === 'sqlite')('sends that come one per turn are gathered into batches (SQLite: a batch at most every 2 ms)', async () => {
    const { conversations } = server.app.services;
    const before = conversations.sendStats();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const who = visitors[i % visitors.length]!;
      pending.push(conversations.sendText(who.principal, who.conversationId, { clientId: `turn-${i}`, text: `turn ${i}` }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    const after = conversations.sendStats();
    expect(after.requests - before.requests).toBe(40);
    expect(after.batches - before.batches).toBeLessThanOrEqual(20);
  });
});
