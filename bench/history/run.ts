/**
 * The reads of the busy paths on a database with a long history, against the same reads on an
 * empty database (the baseline, in the same run), on SQLite or PostgreSQL.
 *
 *   npm run history -w @frontdesk/bench                          # SQLite
 *   npm run history -w @frontdesk/bench -- --storage postgres    # starts its own PostgreSQL (port 54349)
 *   npm run history -w @frontdesk/bench -- --calls 50000 --visitors 20000 --messages-each 500 --reps 20
 *
 * History, written straight into the tables: `--visitors` visitors, each with a closed conversation
 * and half of them a contact; `--calls` ended calls of those conversations (a visitor's and an
 * agent's leg each); 40 open conversations of `--messages-each` messages. Then both databases get
 * the same requests through the server's services, in process:
 *   - sends: 2,000 by 40 senders at once (after 500 to warm up), into the 40 long conversations
 *     (history) or 40 new ones;
 *   - a hello's live calls (a visitor's, an agent's), a conversation's calls (the widget's
 *     transcript), the supervisors' board of live calls;
 *   - seven visitors by id, a contact's timeline (its visitors' conversations with previews).
 * Each read `--reps` times: mean and p99 (ms); sends: server CPU a send and sends a second.
 * Target: nothing costs more than 1.5× with the history, or (reads) 0.5 ms more (docs/scaling.md,
 * "Reads that do not grow with history"). Before those fixes, on SQLite, sends cost 1.95× and the
 * reads 3.6–3,360× (bench/README.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp, type FrontdeskApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { minuteOf } from '../../apps/server/src/modules/conversations/conversations.repository.ts';
import type { Principal } from '../../apps/server/src/platform/principal.ts';
import { databaseUrl, psql, startPostgres } from '../realtime/fullstack.ts';

const { values: args } = parseArgs({
  options: {
    storage: { type: 'string', default: 'sqlite' },
    visitors: { type: 'string', default: '100000' },
    calls: { type: 'string', default: '200000' },
    'messages-each': { type: 'string', default: '2000' },
    reps: { type: 'string', default: '50' },
    'pg-port': { type: 'string', default: '54349' },
    json: { type: 'string' },
  },
});
if (args.storage !== 'sqlite' && args.storage !== 'postgres') throw new Error(`--storage must be sqlite or postgres, not ${args.storage}`);
const kind = args.storage;
/** A flag's value as a positive whole number (`--visitors` an even one: half of them are contacts). */
function count(flag: 'visitors' | 'calls' | 'messages-each' | 'reps'): number {
  const n = Number(args[flag]);
  if (!Number.isInteger(n) || n < 2 || (flag === 'visitors' && n % 2 !== 0)) throw new Error(`--${flag} must be a whole number of 2 or more${flag === 'visitors' ? ', and even' : ''}, not ${args[flag]}`);
  return n;
}
const VISITORS = count('visitors');
const CALLS = count('calls');
const MESSAGES_EACH = count('messages-each');
const REPS = count('reps');
const LONG = 40;
const SENDS = 2000;
const APP = 'hist';
const repoRoot = path.resolve(import.meta.dirname, '../..');
const log = (line: string) => console.log(line);

type Row = Record<string, unknown>;

async function insertChunked(app: FrontdeskApp, table: string, count: number, row: (i: number) => Row): Promise<void> {
  const { db } = app.storage;
  for (let base = 0; base < count; base += 500) {
    const rows = Array.from({ length: Math.min(500, count - base) }, (_, k) => row(base + k));
    await db.insertInto(table as never).values(rows as never).execute();
  }
}

/** The minutes the conversations' activity indexes hold (migration 0034), for a row created and last active at `ms`. */
const minutes = (ms: number) => ({ updated_minute: minuteOf(ms), last_activity_minute: minuteOf(ms) });
const conv = (i: number) => `conv_h${String(i).padStart(7, '0')}`;
const vis = (i: number) => `vis_h${String(i).padStart(7, '0')}`;
const longConv = (i: number) => `conv_long${String(i).padStart(3, '0')}`;
const longVis = (i: number) => `vis_long${String(i).padStart(3, '0')}`;
const AGENTS = Array.from({ length: 50 }, (_, i) => `agt_h${i}`);

/** The history: written straight into the tables, the way months of traffic leave them. */
async function writeHistory(app: FrontdeskApp): Promise<void> {
  const t0 = Date.now() - 90 * 86_400_000;
  const at = (i: number, n: number) => t0 + Math.floor((i * 80 * 86_400_000) / n);
  const started = performance.now();
  await insertChunked(app, 'visitors', VISITORS, (i) => ({ id: vis(i), app_id: APP, name: `Visitor ${i}`, external_id: i % 2 ? null : `ext_${i}`, created_at: at(i, VISITORS) }));
  await insertChunked(app, 'conversations', VISITORS, (i) => ({ id: conv(i), app_id: APP, visitor_id: vis(i), status: 'closed', created_at: at(i, VISITORS), updated_at: at(i, VISITORS), last_seq: 0, ...minutes(at(i, VISITORS)) }));
  await insertChunked(app, 'contacts', VISITORS / 2, (i) => ({ id: `ct_h${i}`, app_id: APP, name: `Contact ${i}`, attributes: '{}', first_seen_at: at(i, VISITORS), last_seen_at: at(i, VISITORS), created_at: at(i, VISITORS), updated_at: at(i, VISITORS) }));
  await insertChunked(app, 'contact_visitors', VISITORS / 2, (i) => ({ app_id: APP, contact_id: `ct_h${i}`, visitor_id: vis(i), linked_at: at(i, VISITORS) }));
  log(`  visitors, conversations, contacts: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await insertChunked(app, 'calls', CALLS, (i) => {
    const c = i % VISITORS;
    const created = at(i, CALLS);
    return { id: `call_h${i}`, app_id: APP, conversation_id: conv(c), visitor_id: vis(c), kind: 'audio', direction: 'inbound', origin: 'widget', phase: 'ended', state: '{}', created_at: created, clock_at: created, updated_at: created + 60_000, ended_at: created + 60_000, end_reason: 'hangup' };
  });
  await insertChunked(app, 'call_participants', CALLS * 2, (i) => {
    const call = Math.floor(i / 2);
    const isAgent = i % 2 === 1;
    return { call_id: `call_h${call}`, seq: (i % 2) + 1, app_id: APP, role: isAgent ? 'agent' : 'visitor', user_id: isAgent ? AGENTS[call % AGENTS.length] : vis(call % VISITORS), left_at: at(call, CALLS) + 60_000 };
  });
  log(`  calls: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await insertChunked(app, 'visitors', LONG, (i) => ({ id: longVis(i), app_id: APP, name: `Long ${i}`, created_at: t0 }));
  await insertChunked(app, 'conversations', LONG, (i) => ({ id: longConv(i), app_id: APP, visitor_id: longVis(i), status: 'open', created_at: t0, updated_at: t0, last_seq: MESSAGES_EACH, ...minutes(t0) }));
  await insertChunked(app, 'messages', LONG * MESSAGES_EACH, (i) => {
    const c = i % LONG;
    const seq = Math.floor(i / LONG) + 1;
    const fromVisitor = seq % 2 === 1;
    return { id: `msg_h${String(i).padStart(9, '0')}`, app_id: APP, conversation_id: longConv(c), seq, client_id: `h${i}`, sender_type: fromVisitor ? 'visitor' : 'agent', sender_id: fromVisitor ? longVis(c) : AGENTS[c % AGENTS.length], kind: 'text', text: `earlier message ${seq}`, created_at: t0 + i };
  });
  log(`  messages: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The 40 conversations sends go to: the long ones (history), or new ones (the empty database). */
async function sendTargets(app: FrontdeskApp, withHistory: boolean): Promise<{ principal: Principal; conversationId: string }[]> {
  if (!withHistory) {
    await insertChunked(app, 'visitors', LONG, (i) => ({ id: longVis(i), app_id: APP, name: `Long ${i}`, created_at: Date.now() }));
    await insertChunked(app, 'conversations', LONG, (i) => ({ id: longConv(i), app_id: APP, visitor_id: longVis(i), status: 'open', created_at: Date.now(), updated_at: Date.now(), last_seq: 0, ...minutes(Date.now()) }));
  }
  return Array.from({ length: LONG }, (_, i) => ({ principal: { kind: 'visitor', appId: APP, visitorId: longVis(i) }, conversationId: longConv(i) }));
}

interface Timing {
  meanMs: number;
  p99Ms: number;
}

async function timed(read: (i: number) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 3; i++) await read(i);
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await read(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { meanMs: ms.reduce((a, b) => a + b, 0) / ms.length, p99Ms: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)]! };
}

async function measure(app: FrontdeskApp, withHistory: boolean) {
  const targets = await sendTargets(app, withHistory);
  const { conversations, calls, callSupervision, identity } = app.services;
  let n = 0;
  const send = (count: number) =>
    Promise.all(
      targets.map(async ({ principal, conversationId }) => {
        for (let k = 0; k < count / LONG; k++) await conversations.sendText(principal, conversationId, { clientId: `bench-${withHistory}-${n++}`, text: `hello ${n}` });
      }),
    );
  // Warmed up first (the code compiled), as the other database's run is.
  await send(SENDS / 4);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await send(SENDS);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sends = { cpuUsPerSend: (cpu.user + cpu.system) / SENDS, perSecond: SENDS / seconds };
  const visitorOf = (i: number): Principal => ({ kind: 'visitor', appId: APP, visitorId: withHistory ? vis((i * 7919) % VISITORS) : longVis(i % LONG) });
  const agentOf = (i: number): Principal => ({ kind: 'agent', appId: APP, agentId: AGENTS[i % AGENTS.length]!, role: 'agent' });
  const board: Principal = { kind: 'apiKey', appId: APP, keyId: 'bench' };
  const someVisitors = (i: number) => Array.from({ length: 7 }, (_, k) => (withHistory ? vis((i * 101 + k * 9973) % VISITORS) : longVis((i + k) % LONG)));
  const reads = {
    "a visitor's hello: live calls": await timed((i) => calls.liveCallsOf(visitorOf(i))),
    "an agent's hello: live calls": await timed((i) => calls.liveCallsOf(agentOf(i))),
    "the widget: a conversation's calls": await timed((i) => calls.ofConversation({ kind: 'visitor', appId: APP, visitorId: longVis(i % LONG) }, longConv(i % LONG))),
    "the board: the app's live calls": await timed(() => callSupervision.live(board)),
    'seven visitors by id': await timed((i) => identity.visitorsOf(APP, someVisitors(i))),
    "a contact's timeline": await timed((i) => conversations.conversationsOfVisitors(APP, [longVis(i % LONG)], 20)),
  };
  return { sends, reads };
}

/** A migrated database with the app, and how to remove it; the app is the caller's to close. */
async function openDatabase(name: string, adminUrl: string | undefined): Promise<{ app: FrontdeskApp; remove: () => void }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `frontdesk-bench-history-${name}-`));
  const database = `fd_bench_history_${name}_${process.pid}`;
  if (adminUrl) psql(adminUrl, `create database ${database}`);
  const env = { PORT: '0', HOST: '127.0.0.1', FRONTDESK_DATA_DIR: dataDir, FRONTDESK_MEDIA: 'off', FRONTDESK_LOG_LEVEL: 'warn', FRONTDESK_PUBLIC_URL: 'http://127.0.0.1:9', ...(adminUrl ? { DATABASE_URL: databaseUrl(adminUrl, database) } : {}) };
  const app = await buildApp(loadConfig(env));
  await app.services.tenancy.createApp({ id: APP, name: 'History bench' });
  return {
    app,
    remove: () => {
      if (adminUrl) psql(adminUrl, `drop database if exists ${database} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const postgres = kind === 'postgres' ? startPostgres(repoRoot, process.env.BENCH_DATABASE_URL, Number(args['pg-port']), path.join(os.tmpdir(), `frontdesk-test-pg-${args['pg-port']}`), true) : undefined;
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  try {
    for (const withHistory of [false, true]) {
      const name = withHistory ? 'history' : 'empty';
      log(`${kind}, ${name} database${withHistory ? `: ${VISITORS} visitors and conversations, ${CALLS} calls, ${LONG} conversations of ${MESSAGES_EACH} messages` : ''}`);
      let { app, remove } = await openDatabase(name, postgres?.adminUrl);
      try {
        if (withHistory) {
          await writeHistory(app);
          // PostgreSQL's statistics, as autovacuum keeps them for months of history (written at once,
          // the tables would look nearly empty to the planner); SQLite gets its own at the next open.
          if (kind === 'postgres') await sql`analyze`.execute(app.storage.db);
          // Opened again, as a server restarted on it would be.
          const { config } = app;
          await app.close();
          app = await buildApp(config);
        }
        results[name] = await measure(app, withHistory);
      } finally {
        await app.close();
        remove();
      }
    }
  } finally {
    postgres?.stop();
  }
  const empty = results.empty!;
  const history = results.history!;
  const pad = (s: string, n: number) => s.padEnd(n);
  log('');
  log(`${pad('', 38)}${pad('empty (baseline)', 22)}${pad('with history', 22)}ratio`);
  log(`${pad('sends: server CPU a send', 38)}${pad(`${empty.sends.cpuUsPerSend.toFixed(0)} µs`, 22)}${pad(`${history.sends.cpuUsPerSend.toFixed(0)} µs`, 22)}${(history.sends.cpuUsPerSend / empty.sends.cpuUsPerSend).toFixed(2)}`);
  log(`${pad('sends a second (40 at once)', 38)}${pad(empty.sends.perSecond.toFixed(0), 22)}${pad(history.sends.perSecond.toFixed(0), 22)}${(empty.sends.perSecond / history.sends.perSecond).toFixed(2)}`);
  // PostgreSQL's own work is outside this process's CPU: the rate shows it.
  const ratios: [string, number][] = [
    ['sends (CPU a send)', history.sends.cpuUsPerSend / empty.sends.cpuUsPerSend],
    ['sends (time a send, 40 at once)', empty.sends.perSecond / history.sends.perSecond],
  ];
  for (const [read, t] of Object.entries(history.reads)) {
    const base = empty.reads[read as keyof typeof empty.reads];
    log(`${pad(read, 38)}${pad(`${base.meanMs.toFixed(3)} / ${base.p99Ms.toFixed(3)} ms`, 22)}${pad(`${t.meanMs.toFixed(3)} / ${t.p99Ms.toFixed(3)} ms`, 22)}${(t.meanMs / base.meanMs).toFixed(2)}`);
    ratios.push([read, t.meanMs / base.meanMs]);
  }
  log('(reads: mean / p99 of the reps)');
  log('');
  // A read of a fraction of a millisecond may double by noise alone: the bound is 1.5× or 0.5 ms more.
  for (const [read, ratio] of ratios) {
    const base = read.startsWith('sends') ? undefined : empty.reads[read as keyof typeof empty.reads];
    const met = ratio <= 1.5 || (base !== undefined && history.reads[read as keyof typeof history.reads].meanMs - base.meanMs <= 0.5);
    log(`  ${met ? 'MET   ' : 'MISSED'} ${read}: ${ratio.toFixed(2)}× the empty database's`);
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ kind, visitors: VISITORS, calls: CALLS, messagesEach: MESSAGES_EACH, reps: REPS, ...results }, null, 2));
}

await main();
