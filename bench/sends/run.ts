/**
 * What a send costs the server's event loop without its sockets: the conversations service's sends
 * (`sendText` through the group commit, its listeners, the bus's fan-out with no socket to write
 * to), in one process on SQLite, against SQLite's own statements for the same appends (the baseline,
 * in the same run, on the same database).
 *
 *   npm run sends -w @frontdesk/bench
 *   npm run sends -w @frontdesk/bench -- --senders 8,16,40 --seconds 5 --rounds 3 --json /tmp/sends.json
 *
 * `--conversations` open conversations (default 19,509, the visitors of `realtime`'s 19,900
 * sockets), each its own visitor, written straight into the tables. For each count of senders:
 *   - service: that many sends in flight at once, each sender sending again as soon as its send is
 *     stored (a closed loop), round-robin over the conversations;
 *   - SQLite alone: transactions of that many appends, one after the other (a turn of the event loop
 *     between two), each append the statements it cannot do without: the conversation's row read,
 *     the client id looked up, its `last_seq` moved, the message inserted; then the commit. On the
 *     service's own connection (the same pragmas, statement cache and checkpointer thread).
 * The two alternate, `--rounds` times each; the median round is printed: sends a second, the event
 * loop's busy time a send (`performance.eventLoopUtilization`) and the process's CPU a send (the
 * checkpointer's thread included). What `realtime` measures beyond this is the sockets' share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import { buildApp, type FrontdeskApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { minuteOf } from '../../apps/server/src/modules/conversations/conversations.repository.ts';
import { newTimeOrderedId } from '../../apps/server/src/platform/ids.ts';
import { sqliteFiles } from '../../apps/server/src/platform/storage/compiled-query.ts';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '19509' },
    senders: { type: 'string', default: '8,16,40' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'string' },
  },
});
function whole(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be a whole number of ${min} or more, not ${value}`);
  return n;
}
const CONVERSATIONS = whole('conversations', args.conversations, 1);
const SENDERS = args.senders.split(',').map((s) => whole('senders', s, 1));
const SECONDS = whole('seconds', args.seconds, 1);
const ROUNDS = whole('rounds', args.rounds, 1);
const APP = 'sends';
// The words of `realtime`'s messages (its worker's padding).
const TEXT = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. '.repeat(2).slice(0, 120);
const conv = (i: number) => `conv_s${String(i).padStart(6, '0')}`;
const vis = (i: number) => `vis_s${String(i).padStart(6, '0')}`;

interface Round {
  sendsPerSec: number;
  loopUsPerSend: number;
  cpuUsPerSend: number;
}

/** Runs `body` for SECONDS and measures it; `body` returns how many sends it made once told to stop. */
async function measure(body: (stopped: () => boolean) => Promise<number>): Promise<Round> {
  let stop = false;
  const timer = setTimeout(() => (stop = true), SECONDS * 1000);
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const startedAt = performance.now();
  const sends = await body(() => stop);
  const ms = performance.now() - startedAt;
  clearTimeout(timer);
  const busy = performance.eventLoopUtilization(elu);
  const used = process.cpuUsage(cpu);
  return { sendsPerSec: (sends / ms) * 1000, loopUsPerSend: (busy.active * 1000) / sends, cpuUsPerSend: (used.user + used.system) / sends };
}

async function seed(app: FrontdeskApp): Promise<void> {
  const { db } = app.storage;
  const now = Date.now();
  for (let base = 0; base < CONVERSATIONS; base += 500) {
    const ids = Array.from({ length: Math.min(500, CONVERSATIONS - base) }, (_, k) => base + k);
    await db.insertInto('visitors').values(ids.map((i) => ({ id: vis(i), app_id: APP, name: `Visitor ${i}`, identity_mode: 'anonymous', token_generation: 0, created_at: now }))).execute();
    await db
      .insertInto('conversations')
      .values(ids.map((i) => ({ id: conv(i), app_id: APP, visitor_id: vis(i), status: 'open', routing_state: 'none', agent_read_seq: 0, visitor_read_seq: 0, created_at: now, updated_at: now, last_seq: 0, updated_minute: minuteOf(now), last_activity_minute: minuteOf(now) })))
      .execute();
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-sends-'));
const app = await buildApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', FRONTDESK_DATA_DIR: dataDir, FRONTDESK_MEDIA: 'off', FRONTDESK_DEMO: 'off', FRONTDESK_LOG_LEVEL: 'warn', FRONTDESK_PUBLIC_URL: 'http://127.0.0.1:9' }));
try {
  await app.services.tenancy.createApp({ id: APP, name: 'Sends bench' });
  await seed(app);
  const file = sqliteFiles.get(app.storage.db.getExecutor().adapter)!;
  let next = 0;
  let clientSeq = 0;
  const target = () => next++ % CONVERSATIONS;

  const service = (senders: number) =>
    measure(async (stopped) => {
      let sends = 0;
      const sender = async () => {
        while (!stopped()) {
          const i = target();
          await app.services.conversations.sendText({ kind: 'visitor', appId: APP, visitorId: vis(i) }, conv(i), { clientId: `s${clientSeq++}`, text: TEXT });
          sends += 1;
        }
      };
      await Promise.all(Array.from({ length: senders }, sender));
      return sends;
    });

  const lock = file.prepare('select * from conversations where app_id = ? and id = ?');
  const lookUp = file.prepare('select seq from messages where app_id = ? and conversation_id = ? and sender_id = ? and client_id = ?');
  const move = file.prepare('update conversations set last_seq = ?, updated_at = ?, last_visitor_message_at = ? where app_id = ? and id = ?');
  const insert = file.prepare(
    "insert into messages (id, app_id, conversation_id, seq, client_id, sender_type, sender_id, kind, text, created_at) values (?, ?, ?, ?, ?, 'visitor', ?, 'text', ?, ?)",
  );
  const sqliteAlone = (senders: number) =>
    measure(async (stopped) => {
      let sends = 0;
      while (!stopped()) {
        const now = Date.now();
        file.exec('begin immediate');
        for (let k = 0; k < senders; k++) {
          const i = target();
          const row = lock.get(APP, conv(i)) as { last_seq: number };
          const clientId = `s${clientSeq++}`;
          // The read a send makes for its client id (new here, so it finds nothing).
          lookUp.get(APP, conv(i), vis(i), clientId);
          move.run(row.last_seq + 1, now, now, APP, conv(i));
          insert.run(newTimeOrderedId('msg', now), APP, conv(i), row.last_seq + 1, clientId, vis(i), TEXT, now);
        }
        file.exec('commit');
        sends += senders;
        await nextTurn();
      }
      return sends;
    }).finally(() =>
      // Its messages are not for the search index: the service's indexer starts after them.
      app.storage.db.transaction().execute((tx) => sql`update message_search_progress set last_rowid = (select max(rowid) from messages) where id = 1`.execute(tx)),
    );

  const results: { senders: number; service: Round; sqliteAlone: Round }[] = [];
  const median = (rounds: Round[]) => [...rounds].sort((a, b) => a.loopUsPerSend - b.loopUsPerSend)[Math.floor(rounds.length / 2)]!;
  console.log(`sends: ${CONVERSATIONS} open conversations on SQLite, ${SECONDS} s a round, median of ${ROUNDS} (alternated)`);
  console.log('senders |     service: sends/s  loop µs  CPU µs | SQLite alone: sends/s  loop µs  CPU µs | service / SQLite (loop)');
  for (const senders of SENDERS) {
    const serviceRounds: Round[] = [];
    const sqliteRounds: Round[] = [];
    // A round of each first, not counted: the statements prepared, the pages read in.
    await service(senders);
    await sqliteAlone(senders);
    for (let r = 0; r < ROUNDS; r++) {
      serviceRounds.push(await service(senders));
      sqliteRounds.push(await sqliteAlone(senders));
    }
    const s = median(serviceRounds);
    const q = median(sqliteRounds);
    results.push({ senders, service: s, sqliteAlone: q });
    const f = (n: number, w: number) => n.toFixed(n >= 1000 ? 0 : 1).padStart(w);
    console.log(`${String(senders).padStart(7)} | ${f(s.sendsPerSec, 20)} ${f(s.loopUsPerSend, 8)} ${f(s.cpuUsPerSend, 7)} | ${f(q.sendsPerSec, 21)} ${f(q.loopUsPerSend, 8)} ${f(q.cpuUsPerSend, 7)} | ${(s.loopUsPerSend / q.loopUsPerSend).toFixed(2).padStart(8)}×`);
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ conversations: CONVERSATIONS, seconds: SECONDS, rounds: ROUNDS, results }, null, 2));
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
