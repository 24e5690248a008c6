/**
 * Full-text search of messages (SPEC M8) on 1,000,000 messages, Chinese and English mixed, on SQLite
 * and PostgreSQL: query latency (p50/p99), index size, and the write cost of a message with the
 * search index and without it, measured in the same run.
 *
 *   npm run search -w @frontdesk/bench                                   # both storages, 1,000,000 messages
 *   npm run search -w @frontdesk/bench -- --storage sqlite --messages 100000
 *   BENCH_DATABASE_URL=postgres://… npm run search -w @frontdesk/bench -- --storage postgres
 *
 * Load (untimed for the targets): visitors, conversations (20 messages each, 30 % ended) and
 * messages in transactions of 1,000 messages, each message's tokens written to the index in the
 * same transaction, as the in-transaction listener does. Queries: `conversations.search` (the
 * production code behind GET /v1/conversations/search: visitor names, then messages, newest match
 * first, 20 conversations), phrases cut from stored messages (2–4 Chinese characters, one or two
 * English words), very common words and words found nowhere. Writes: `conversations.sendAs`, one
 * message per transaction through the message store and the event dispatcher, with the search
 * listener registered and without it, alternating rounds on the same database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { DomainEvents } from '../../apps/server/src/events.ts';
import { createConversationsService, registerConversationListeners } from '../../apps/server/src/modules/conversations/index.ts';
import { minuteOf } from '../../apps/server/src/modules/conversations/conversations.repository.ts';
import { searchTokens } from '../../apps/server/src/modules/conversations/search-tokens.ts';
import { insertTokens } from '../../apps/server/src/modules/conversations/message-search.ts';
import { INDEX_DELAY_MS, indexBacklog, mergeSegments } from '../../apps/server/src/modules/conversations/search-indexer.ts';
import { createTenancyService } from '../../apps/server/src/modules/tenancy/index.ts';
import { systemClock } from '../../apps/server/src/platform/clock.ts';
import { createEventDispatcher } from '../../apps/server/src/platform/events/event-dispatcher.ts';
import { createLogger } from '../../apps/server/src/platform/logger.ts';
import type { Principal } from '../../apps/server/src/platform/principal.ts';
import { openStorage, type Storage } from '../../apps/server/src/platform/storage/storage.ts';
import { databaseUrl, psql, startPostgres } from '../realtime/fullstack.ts';
import { COMMON_QUERIES, MISSING_QUERIES, message, queries, random } from './corpus.ts';

const { values: args } = parseArgs({
  options: {
    storage: { type: 'string', default: 'both' },
    messages: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '600' },
    writes: { type: 'string', default: '2000' },
    'pg-port': { type: 'string', default: process.env.FRONTDESK_TEST_PG_PORT ?? '54349' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** PostgreSQL: a database name; kept after the run, and loaded only when it has no messages yet (for trying queries again). */
    'pg-database': { type: 'string' },
    /** A transaction of at least this many messages indexes them itself (1: every one, PostgreSQL's default; Infinity: none, SQLite's). */
    'in-transaction-from': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('flags: --storage sqlite|postgres|both  --messages N (1000000)  --queries N (600)  --writes N (2000)  --pg-port P  --json FILE');
  process.exit(0);
}
const MESSAGES = Number(args.messages);
const PER_CONVERSATION = 20;
const BATCH = 1000;
const APP_ID = 'bench';
const TARGET_P99_MS = 200;
const TARGET_WRITE_OVERHEAD = 0.2;
/** Visitors sending at once in the load rounds, messages per round, rounds each side, warm-up messages each side. */
const SENDERS = 50;
const ROUND = 2000;
const LOAD_ROUNDS = 5;
const WARM_UP = 200;
/** One-at-a-time sends per block, each side in turn; messages sent alone (each with its own indexing pass). */
const BLOCK = 100;
const ALONE = 200;
const repoRoot = path.resolve(import.meta.dirname, '../..');
const log = createLogger('warn');

/** CPU time of this process (user + system) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function load(storage: Storage): Promise<{ seconds: number; sample: string[] }> {
  const { db } = storage;
  const isPostgres = storage.dialect === 'postgres';
  const rand = random(42);
  const sample: string[] = [];
  const start = performance.now();
  const base = Date.UTC(2026, 0, 1);
  for (let done = 0; done < MESSAGES; done += BATCH) {
    const count = Math.min(BATCH, MESSAGES - done);
    const firstConversation = done / PER_CONVERSATION;
    const conversations = Math.ceil(count / PER_CONVERSATION);
    await db.transaction().execute(async (tx) => {
      const visitors = Array.from({ length: conversations }, (_, i) => {
        const n = firstConversation + i;
        return { id: `vis_${n}`, app_id: APP_ID, name: rand() < 0.3 ? `Customer ${n} 客户${n}` : 'Visitor', created_at: base, external_id: null, identity_mode: 'anonymous', token_generation: 0, login_ip: null, login_at: null };
      });
      await tx.insertInto('visitors').values(visitors).execute();
      const rows = Array.from({ length: conversations }, (_, i) => {
        const n = firstConversation + i;
        const closed = rand() < 0.3;
        const at = base + (done + i * PER_CONVERSATION) * 1000;
        return {
          id: `conv_${n}`, app_id: APP_ID, visitor_id: `vis_${n}`, agent_id: null, status: closed ? 'closed' : 'open', last_seq: PER_CONVERSATION,
          visitor_read_seq: 0, agent_read_seq: 0, created_at: at, updated_at: at + PER_CONVERSATION * 1000, closed_at: closed ? at + PER_CONVERSATION * 1000 : null,
          channel_id: null, queue_id: null, routing_state: closed ? 'ended' : 'none', close_by: closed ? 'seat' : null, last_visitor_message_at: at,
          visitor_name: null, visitor_email: null, visitor_phone: null, message_left_at: null,
          updated_minute: minuteOf(at + PER_CONVERSATION * 1000), last_activity_minute: minuteOf(at),
        };
      });
      await tx.insertInto('conversations').values(rows).execute();
      const messages = Array.from({ length: count }, (_, i) => {
        const serial = done + i;
        const text = message(rand, serial);
        if (serial % 97 === 0) sample.push(text);
        return {
          id: `msg_${serial}`, app_id: APP_ID, conversation_id: `conv_${Math.floor(serial / PER_CONVERSATION)}`, seq: (serial % PER_CONVERSATION) + 1, client_id: null,
          sender_type: serial % 2 === 0 ? 'visitor' : 'agent', sender_id: null, kind: 'text', text, file_id: null,
          location_latitude: null, location_longitude: null, location_name: null, location_address: null, created_at: base + serial * 1000,
        };
      });
      for (let i = 0; i < messages.length; i += 500) await tx.insertInto('messages').values(messages.slice(i, i + 500)).execute();
      // The index, in the same transaction: PostgreSQL's in-transaction listener's writer; SQLite's
      // indexer (which in the server runs right after the commit).
      if (isPostgres) await insertTokens(tx, isPostgres, messages.map((m) => ({ id: m.id, appId: APP_ID, createdAt: m.created_at, tokens: searchTokens(m.text) })).filter((e) => e.tokens.length > 0));
      else await mergeSegments(tx, await indexBacklog(tx, false, count));
    });
    if ((done / BATCH) % 100 === 0) process.stderr.write(`  loaded ${done.toLocaleString('en')} messages (${((performance.now() - start) / 1000).toFixed(0)} s)\n`);
  }
  return { seconds: (performance.now() - start) / 1000, sample };
}

async function sizes(storage: Storage, dataDir: string) {
  if (storage.dialect === 'postgres') {
    const { rows } = await sql<{ index_bytes: string; messages_bytes: string }>`select pg_total_relation_size('message_search') as index_bytes, pg_total_relation_size('messages') as messages_bytes`.execute(storage.db);
    return { indexBytes: Number(rows[0]!.index_bytes), messagesBytes: Number(rows[0]!.messages_bytes) };
  }
  await sql`pragma wal_checkpoint(truncate)`.execute(storage.db);
  const dbstat = await sql<{ name: string; bytes: number }>`select name, sum(pgsize) as bytes from dbstat group by name`.execute(storage.db).catch(() => null);
  if (dbstat) {
    const sum = (pred: (name: string) => boolean) => dbstat.rows.filter((r) => pred(r.name)).reduce((t, r) => t + Number(r.bytes), 0);
    return { indexBytes: sum((n) => n.startsWith('message_search')), messagesBytes: sum((n) => n === 'messages' || n.startsWith('sqlite_autoindex_messages')) };
  }
  return { indexBytes: NaN, messagesBytes: fs.statSync(path.join(dataDir, 'frontdesk.db')).size };
}

async function measureQueries(storage: Storage, sample: string[]) {
  const events = createEventDispatcher<DomainEvents>({ storage, log });
  const conversations = service(storage, events);
  const principal: Principal = { kind: 'agent', appId: APP_ID, agentId: 'agent_bench', role: 'agent' };
  const rand = random(7);
  const total = Number(args.queries);
  const phrases = queries(rand, sample, total);
  const mixed = phrases.map((q, i) => (i % 20 === 0 ? COMMON_QUERIES[(i / 20) % COMMON_QUERIES.length]! : i % 20 === 10 ? MISSING_QUERIES[(i / 20) % MISSING_QUERIES.length]! : q));
  for (const q of mixed.slice(0, 20)) await conversations.search(principal, { q, limit: 20 });
  const timings: { q: string; ms: number; results: number }[] = [];
  for (const q of mixed) {
    const t0 = performance.now();
    const results = await conversations.search(principal, { q, limit: 20 });
    timings.push({ q, ms: performance.now() - t0, results: results.length });
  }
  const all = timings.map((t) => t.ms).sort((a, b) => a - b);
  const common = timings.filter((t) => COMMON_QUERIES.includes(t.q)).map((t) => t.ms).sort((a, b) => a - b);
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5).map((t) => `${t.q} ${t.ms.toFixed(1)} ms (${t.results})`);
  const found = timings.filter((t) => t.results > 0).length;
  return { count: all.length, p50Ms: round(percentile(all, 50)), p95Ms: round(percentile(all, 95)), p99Ms: round(percentile(all, 99)), maxMs: round(all.at(-1)!), commonP50Ms: round(percentile(common, 50)), commonMaxMs: round(common.at(-1)!), withResults: found, slowest };
}

function service(storage: Storage, events: ReturnType<typeof createEventDispatcher<DomainEvents>>) {
  return createConversationsService({
    // SQLite's indexer runs when the bench says (flushSearchIndex), so its work is counted on the side that made it.
    searchIndexDelayMs: null,
    ...(args['in-transaction-from'] ? { searchIndexInTransactionFrom: Number(args['in-transaction-from']) } : {}),
    log,
    storage,
    clock: systemClock,
    events,
    filesDir: os.tmpdir(),
    uploadMaxBytes: 1024,
    agentOf: async () => ({ name: 'Agent', avatarUrl: null }),
    channelOf: async () => null,
    isTypingPreviewOn: async () => false,
    // The identity module's rule (visitorIdsNamed), on the same table.
    visitorIdsNamed: async (appId, text, limit) =>
      (await storage.db.selectFrom('visitors').select('id').where('app_id', '=', appId).where(sql<boolean>`name <> 'Visitor'`).where('name', storage.dialect === 'postgres' ? 'ilike' : 'like', `%${text.toLowerCase()}%`).limit(limit).execute()).map((r) => r.id),
  });
}

/**
 * The write cost of the index, through the real paths, with the search listeners and without them:
 * - one at a time: `sendAs`, one message per transaction, in blocks of `BLOCK` with and `BLOCK`
 *   without in turn: the send's own time (what its sender waits for), and the send plus the
 *   indexing pass SQLite runs after it (timed after each block with the index: one pass for the
 *   block, as the indexer's `INDEX_DELAY_MS` gathers sends of a busy server);
 * - alone: one message, then its own indexing pass (a quiet server: a pass per message);
 * - under load: `SENDERS` visitors each sending one message after another (each waits for its ack,
 *   as a widget does) through `sendText` and the group commit, in rounds of `ROUND` messages, with
 *   and without in turn, SQLite's indexer running every `INDEX_DELAY_MS` during the rounds with it
 *   and the rest indexed at the round's end, in its time: the message rate.
 * NOTE: the indexer indexes every message stored, of either side: the messages of a side without
 * the index are indexed after its block, untimed, so a side with it pays only for its own. On
 * PostgreSQL the index is written in the send's transaction (its default) and the passes find
 * nothing; `--in-transaction-from Infinity` queues the messages for the passes instead.
 * Alternating falls load from elsewhere on the machine on both sides alike; a warm-up of both
 * first, so neither pays for the JIT or the statement cache.
 */
async function measureWrites(storage: Storage) {
  const withIndex = createEventDispatcher<DomainEvents>({ storage, log });
  const indexed = service(storage, withIndex);
  // The server's own listeners of the module (the search index; routing's listener hears nothing here).
  registerConversationListeners(withIndex, indexed);
  const plain = service(storage, createEventDispatcher<DomainEvents>({ storage, log }));
  const rand = random(99);
  const writes = Number(args.writes);
  const open = await storage.db.selectFrom('conversations').select(['id', 'visitor_id']).where('app_id', '=', APP_ID).where('status', '=', 'open').limit(SENDERS).execute();
  for (let i = 0; i < WARM_UP; i++) for (const target of [indexed, plain]) await target.sendAs(APP_ID, open[i % open.length]!.id, 'bot', message(rand, i));
  await indexed.flushSearchIndex();

  const totals = { with: 0, without: 0, indexing: 0 };
  // NOTE: CPU time as well as wall time: SQLite runs on this thread, and CPU time is much less
  // disturbed than wall time by other work on a shared machine.
  const cpu = { with: 0, without: 0 };
  let sentEach = 0;
  for (let i = 0; i < writes / 2; i += BLOCK) {
    // NOTE: which side goes first changes block by block: in a fixed order the second side was
    // 15–30 % slower than the first with the same code on both (a send after the indexing pass
    // likely pays for the WAL checkpoint its pages brought on).
    for (const side of (i / BLOCK) % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
      const target = side === 'with' ? indexed : plain;
      const cpu0 = process.cpuUsage();
      for (let j = i; j < Math.min(i + BLOCK, writes / 2); j++) {
        const t0 = performance.now();
        await target.sendAs(APP_ID, open[j % open.length]!.id, 'bot', message(rand, j));
        totals[side] += performance.now() - t0;
        if (side === 'with') sentEach++;
      }
      const t0 = performance.now();
      if (side === 'with') await indexed.flushSearchIndex();
      cpu[side] += cpuMs(cpu0);
      if (side === 'with') totals.indexing += performance.now() - t0;
      else await indexed.flushSearchIndex();
    }
  }
  const count = sentEach;
  const withMs = totals.with / count;
  const withoutMs = totals.without / count;
  const indexingMs = totals.indexing / count;

  // Alone: a send and its own pass, against a send, in turn.
  const alone = { with: 0, without: 0 };
  for (let i = 0; i < ALONE; i++) {
    let t0 = performance.now();
    await indexed.sendAs(APP_ID, open[i % open.length]!.id, 'bot', message(rand, i));
    await indexed.flushSearchIndex();
    alone.with += performance.now() - t0;
    t0 = performance.now();
    await plain.sendAs(APP_ID, open[i % open.length]!.id, 'bot', message(rand, i));
    alone.without += performance.now() - t0;
    await indexed.flushSearchIndex();
  }

  let clientSerial = 0;
  const loadCpu = { with: 0, without: 0 };
  /** `ROUND` messages from `SENDERS` visitors at once, each waiting for its ack before the next: ms taken, the indexing of the round included when `indexing`. */
  async function loadRound(target: typeof indexed, indexing: boolean): Promise<number> {
    const perSender = ROUND / open.length;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const ticker = indexing ? setInterval(() => void indexed.flushSearchIndex(), INDEX_DELAY_MS) : undefined;
    await Promise.all(open.map(async (row) => {
      const principal: Principal = { kind: 'visitor', appId: APP_ID, visitorId: row.visitor_id };
      for (let i = 0; i < perSender; i++) {
        const input = { clientId: `bench-${clientSerial++}`, text: message(rand, clientSerial) };
        // NOTE: refused when the queue is long (the group commit's back-pressure): sent again after
        // the hint, as the widget does; the wait counts in the round's time.
        for (;;) {
          try {
            await target.sendText(principal, row.id, input);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== 'FD_BUSY') throw err;
            await new Promise((resolve) => setTimeout(resolve, (err as { retryAfterMs: number }).retryAfterMs));
          }
        }
      }
    }));
    clearInterval(ticker);
    if (indexing) await indexed.flushSearchIndex();
    const ms = performance.now() - t0;
    loadCpu[indexing ? 'with' : 'without'] += cpuMs(cpu0);
    if (!indexing) await indexed.flushSearchIndex();
    return ms;
  }
  await loadRound(indexed, true);
  await loadRound(plain, false);
  const before = { with: indexed.sendStats(), without: plain.sendStats() };
  loadCpu.with = 0;
  loadCpu.without = 0;
  const loadMs = { with: 0, without: 0 };
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    loadMs.with += await loadRound(indexed, true);
    loadMs.without += await loadRound(plain, false);
  }
  const after = { with: indexed.sendStats(), without: plain.sendStats() };
  const sent = ROUND * LOAD_ROUNDS;
  const rate = (ms: number) => Math.round((sent / ms) * 1000);
  const meanBatch = (side: 'with' | 'without') => round((after[side].requests - before[side].requests) / (after[side].batches - before[side].batches), 1);
  return {
    oneAtATime: {
      messagesEach: count,
      withIndexMsPerMessage: round(withMs, 3),
      withoutIndexMsPerMessage: round(withoutMs, 3),
      // The send's own time: what the sender waits for.
      overhead: round(withMs / withoutMs - 1, 3),
      // SQLite: the indexer's passes after each block, per message; with them, the whole write cost.
      indexingMsPerMessage: round(indexingMs, 3),
      overheadWithIndexing: round((withMs + indexingMs) / withoutMs - 1, 3),
      cpuWithIndexMsPerMessage: round(cpu.with / count, 3),
      cpuWithoutIndexMsPerMessage: round(cpu.without / count, 3),
      cpuOverhead: round(cpu.with / cpu.without - 1, 3),
    },
    alone: {
      messagesEach: ALONE,
      withIndexMsPerMessage: round(alone.with / ALONE, 3),
      withoutIndexMsPerMessage: round(alone.without / ALONE, 3),
      overhead: round(alone.with / alone.without - 1, 3),
    },
    underLoad: {
      senders: open.length,
      messagesEach: sent,
      withIndexPerSecond: rate(loadMs.with),
      withoutIndexPerSecond: rate(loadMs.without),
      meanBatchWith: meanBatch('with'),
      meanBatchWithout: meanBatch('without'),
      // Cost per message with the index over without: the rate lost, as a cost.
      overhead: round(loadMs.with / loadMs.without - 1, 3),
      cpuWithIndexMsPerMessage: round(loadCpu.with / sent, 3),
      cpuWithoutIndexMsPerMessage: round(loadCpu.without / sent, 3),
      cpuOverhead: round(loadCpu.with / loadCpu.without - 1, 3),
    },
  };
}

async function run(kind: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-search-'));
  let url: string | undefined;
  let cleanup = () => {};
  if (kind === 'postgres') {
    const postgres = startPostgres(repoRoot, process.env.BENCH_DATABASE_URL, Number(args['pg-port']), path.join(os.tmpdir(), `frontdesk-test-pg-${args['pg-port']}`));
    const name = args['pg-database'] ?? `fd_bench_search_${process.pid}`;
    if (!args['pg-database']) psql(postgres.adminUrl, `create database ${name}`);
    else psql(postgres.adminUrl, `select 1`);
    url = databaseUrl(postgres.adminUrl, name);
    cleanup = () => {
      if (!args['pg-database'] && !args.keep) psql(postgres.adminUrl, `drop database if exists ${name} with (force)`);
      postgres.stop();
    };
  }
  const storage = await openStorage({ databaseUrl: url, dataDir, poolSize: 10 });
  try {
    const existing = Number((await storage.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let loaded: { seconds: number; sample: string[] };
    if (existing > 0) {
      // A kept database: the same corpus (the generator is seeded), not loaded again.
      const rand = random(42);
      const sample: string[] = [];
      for (let serial = 0; serial < MESSAGES; serial++) {
        if (serial % BATCH === 0) for (let i = 0; i < Math.ceil(Math.min(BATCH, MESSAGES - serial) / PER_CONVERSATION); i++) rand(), rand();
        const text = message(rand, serial);
        if (serial % 97 === 0) sample.push(text);
      }
      loaded = { seconds: NaN, sample };
    } else {
      await createTenancyService({ storage, clock: systemClock }).createApp({ id: APP_ID, name: 'bench' });
      process.stderr.write(`${kind}: loading ${MESSAGES.toLocaleString('en')} messages…\n`);
      loaded = await load(storage);
    }
    if (kind === 'postgres') await sql`analyze`.execute(storage.db);
    const size = await sizes(storage, dataDir);
    const queryResult = await measureQueries(storage, loaded.sample);
    const writeResult = await measureWrites(storage);
    return {
      storage: kind,
      messages: MESSAGES,
      loadSeconds: round(loaded.seconds, 1),
      indexMB: round(size.indexBytes / 1048576, 1),
      messagesTableMB: round(size.messagesBytes / 1048576, 1),
      indexBytesPerMessage: Math.round(size.indexBytes / MESSAGES),
      queries: queryResult,
      writes: writeResult,
      meetsTargets: queryResult.p99Ms < TARGET_P99_MS && writeResult.oneAtATime.overheadWithIndexing <= TARGET_WRITE_OVERHEAD && writeResult.underLoad.overhead <= TARGET_WRITE_OVERHEAD,
    };
  } finally {
    await storage.close();
    if (args.keep) process.stderr.write(`kept ${dataDir}\n`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
    cleanup();
  }
}

const kinds = args.storage === 'both' ? (['sqlite', 'postgres'] as const) : [args.storage as 'sqlite' | 'postgres'];
const results = [];
for (const kind of kinds) {
  const result = await run(kind);
  results.push(result);
  console.log(JSON.stringify(result, null, 2));
}
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, results }, null, 2));
process.exit(0);
