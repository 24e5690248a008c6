/**
 * Report queries and exports at a million conversations, on SQLite and PostgreSQL.
 *
 *   npm run reports -w @frontdesk/bench                                  # SQLite, 1,000,000 conversations
 *   npm run reports -w @frontdesk/bench -- --storage postgres            # starts its own PostgreSQL (port 54352)
 *   npm run reports -w @frontdesk/bench -- --conversations 200000 --reps 10 --json /tmp/reports.json
 *   npm run reports -w @frontdesk/bench -- --reports agents --ranges month --no-exports   # one report, same data
 *
 * The rows are written straight into the report read model (generate.ts: 90 days, 10 queues,
 * 50 agents, 3 channels), then the real server starts as a child process and every report is
 * asked over HTTP for a day (hourly buckets), a week and a month (daily buckets) in Europe/Berlin:
 * p50/p99 of `--reps` requests each, first with FRONTDESK_REPORT_ROLLUPS=off (every report reads
 * the rows: the baseline, `--raw-reps` requests), then with the 15-minute roll-ups (built from the
 * generated rows as `analytics rebuild` does, with the agents' hourly tier). Export: the whole range (every conversation) as CSV
 * and a week as XLSX, streamed over HTTP, rows/s with the server's RSS sampled every 100 ms.
 * Baselines in the same run: `SELECT count(*)` over the same rows, a bare keyset read of the
 * export's rows through the same storage layer, and on PostgreSQL its own `COPY … TO STDOUT`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { rebuildRollups } from '../../apps/server/src/modules/analytics/rollup-store.ts';
import { openStorage } from '../../apps/server/src/platform/storage/storage.ts';
import { APP_ID, createAppWithCli, databaseUrl, freePort, psql, startPostgres, startServer, type ServerOptions } from '../realtime/fullstack.ts';
import { api } from '../realtime/http.ts';
import { loadAverage, rssKb } from '../realtime/proc.ts';
import { generate } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    storage: { type: 'string', default: 'sqlite' },
    conversations: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    reps: { type: 'string', default: '15' },
    'raw-reps': { type: 'string', default: '3' },
    'pg-port': { type: 'string', default: '54352' },
    json: { type: 'string' },
    'exports-only': { type: 'boolean', default: false },
    reports: { type: 'string', default: 'queues,agents,channels,csat' },
    ranges: { type: 'string', default: 'day,week,month' },
    'no-exports': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('flags: --storage sqlite|postgres  --conversations N (1000000)  --days N (90)  --reps N (15)  --raw-reps N (3: the rows\' path, before roll-ups)  --pg-port P (54352)  --json FILE  --exports-only (the baselines and the exports, no report query)  --reports queues,agents,channels,csat (which reports)  --ranges day,week,month (which ranges)  --no-exports (the report queries only: no drill-down, export or export baseline)');
  process.exit(0);
}
const CONVERSATIONS = Number(args.conversations);
const DAYS = Number(args.days);
const REPS = Number(args.reps);
const RAW_REPS = Number(args['raw-reps']);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const END_MS = Date.UTC(2026, 10, 1);
const DAY_MS = 86_400_000;

const pct = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
const iso = (ms: number) => new Date(ms).toISOString();

async function timed(reps: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: Math.round(pct(ms, 50) * 10) / 10, p99: Math.round(pct(ms, 99) * 10) / 10 };
}

/** Downloads an export, counting its lines (CSV) or bytes, while sampling the server's RSS. */
async function download(base: string, token: string, query: string, pid: number) {
  const rss: number[] = [rssKb(pid)];
  const sampler = setInterval(() => rss.push(rssKb(pid)), 100);
  const t = performance.now();
  const res = await fetch(`${base}/v1/reports/export?${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok || !res.body) throw new Error(`export → ${res.status}`);
  let bytes = 0;
  let newlines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) newlines++;
  }
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  rss.push(rssKb(pid));
  return { seconds: Math.round(seconds * 100) / 100, bytes, newlines, rssStartMb: Math.round(rss[0]! / 1024), rssPeakMb: Math.round(Math.max(...rss) / 1024), rssEndMb: Math.round(rss.at(-1)! / 1024) };
}

/** A bare keyset read of the export's rows through the storage layer (same query shape and page size, rows dropped): the floor under the export. */
async function bareKeysetRead(storage: Awaited<ReturnType<typeof openStorage>>, fromMs: number, toMs: number): Promise<{ rows: number; seconds: number }> {
  const t = performance.now();
  let rows = 0;
  let after: { at: number; id: string } | null = null;
  for (;;) {
    const lowerBound: number = after ? after.at : fromMs;
    let q = storage.db.selectFrom('report_conversations').selectAll().where('app_id', '=', APP_ID).where('arrived_at', '>=', lowerBound).where('arrived_at', '<', toMs);
    if (after) {
      const { at, id } = after;
      q = q.where((eb) => eb.or([eb('arrived_at', '>', at), eb('conversation_id', '>', id)]));
    }
    const page: { arrived_at: number; conversation_id: string }[] = await q.orderBy('arrived_at').orderBy('conversation_id').limit(2000).execute();
    rows += page.length;
    if (page.length < 2000) break;
    after = { at: page.at(-1)!.arrived_at, id: page.at(-1)!.conversation_id };
  }
  return { rows, seconds: Math.round(((performance.now() - t) / 1000) * 100) / 100 };
}

/** PostgreSQL's own `COPY … TO STDOUT` of the same rows as CSV, through psql into /dev/null: the server's floor. */
function bareCopy(url: string, fromMs: number, toMs: number): { seconds: number } {
  const t = performance.now();
  const query = `copy (select * from report_conversations where app_id = '${APP_ID}' and arrived_at >= ${fromMs} and arrived_at < ${toMs} order by arrived_at, conversation_id) to stdout with csv header`;
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', query], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return { seconds: Math.round(((performance.now() - t) / 1000) * 100) / 100 };
}

const ms = (r: { p50: number; p99: number } | undefined) => (r ? `${r.p50.toFixed(0).padStart(7)} ${r.p99.toFixed(0).padStart(7)}` : `${'–'.padStart(7)} ${'–'.padStart(7)}`);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-reports-'));
  let url: string | undefined;
  let cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (args.storage === 'postgres') {
    const port = Number(args['pg-port']);
    const postgres = startPostgres(repoRoot, process.env.BENCH_DATABASE_URL, port, path.join(os.tmpdir(), `frontdesk-bench-pg-reports-${port}`));
    const name = `fd_bench_reports_${Date.now().toString(36)}`;
    psql(postgres.adminUrl, `create database ${name}`);
    url = databaseUrl(postgres.adminUrl, name);
    const removeDir = cleanup;
    cleanup = async () => {
      psql(postgres.adminUrl, `drop database if exists ${name} with (force)`);
      postgres.stop();
      await removeDir();
    };
  }
  const opts: ServerOptions = { repoRoot, port: await freePort(), dataDir, databaseUrl: url };
  try {
    console.log(`reports bench: ${CONVERSATIONS} conversations over ${DAYS} days, ${args.storage}, ${REPS} repetitions (${RAW_REPS} on the rows' path), ${os.cpus().length} cores, Node ${process.version}, load average ${loadAverage()}`);
    await createAppWithCli(opts);
    const storage = await openStorage({ databaseUrl: url, dataDir, poolSize: 4 });
    const genStarted = performance.now();
    await generate(storage, APP_ID, { conversations: CONVERSATIONS, days: DAYS, endMs: END_MS, onProgress: (n) => n % 100_000 === 0 && process.stdout.write(`  generated ${n}\r`) });
    console.log(`generated in ${((performance.now() - genStarted) / 1000).toFixed(1)} s`);
    // The slots the facts job would have written conversation by conversation, written at once (`analytics rebuild` does the same).
    const rollStarted = performance.now();
    const slots = await rebuildRollups(storage.db, null, APP_ID);
    console.log(`roll-ups: ${slots} slots built in ${((performance.now() - rollStarted) / 1000).toFixed(1)} s`);
    // How many rows a month's slots stand for (what the slots save depends on it).
    const monthFrom = END_MS - 31 * DAY_MS;
    const monthTo = END_MS - DAY_MS;
    const countOf = async (table: string, column: string) =>
      Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where app_id = ${APP_ID} and ${sql.ref(column)} >= ${monthFrom} and ${sql.ref(column)} < ${monthTo}`.execute(storage.db)).rows[0]!.n);
    const month = {
      visits: await countOf('report_queue_visits', 'entered_at'),
      queueSlots: await countOf('report_queue_slots', 'slot_at'),
      assignments: await countOf('report_assignments', 'assigned_at'),
      offers: await countOf('report_offers', 'offered_at'),
      ratings: await countOf('report_ratings', 'rated_at'),
      agentSlots: await countOf('report_agent_slots', 'slot_at'),
      agentHours: await countOf('report_agent_hours', 'hour_at'),
      conversations: await countOf('report_conversations', 'arrived_at'),
      channelSlots: await countOf('report_channel_slots', 'slot_at'),
    };
    const per = (rows: number, slotCount: number) => (slotCount ? (rows / slotCount).toFixed(1) : '–');
    console.log(
      `a month's rows per slot: queues ${month.visits} visits in ${month.queueSlots} slots (${per(month.visits, month.queueSlots)}); agents ${month.assignments} assignments, ${month.offers} offers and ${month.ratings} ratings in ${month.agentSlots} slots (${per(month.assignments + month.offers + month.ratings, month.agentSlots)}), ${month.agentHours} agent hours (${per(month.assignments + month.offers + month.ratings, month.agentHours)}); channels ${month.conversations} conversations in ${month.channelSlots} slots (${per(month.conversations, month.channelSlots)})`,
    );
    // Fresh planner statistics, as autovacuum would have gathered them on a database that grew over months.
    await sql`analyze`.execute(storage.db);

    const results: Record<string, { rows?: { p50: number; p99: number }; slots?: { p50: number; p99: number } }> = {};
    const count = await timed(REPS, () => storage.db.selectFrom('report_conversations').select((eb) => eb.fn.countAll().as('n')).where('app_id', '=', APP_ID).executeTakeFirstOrThrow());
    results[`baseline: select count(*) (${CONVERSATIONS} rows)`] = { rows: count };
    const allRanges = [
      { name: 'day', label: 'day, hourly', from: END_MS - 2 * DAY_MS, to: END_MS - DAY_MS, interval: 'hour' },
      { name: 'week', label: 'week, daily', from: END_MS - 8 * DAY_MS, to: END_MS - DAY_MS, interval: 'day' },
      { name: 'month', label: 'month, daily', from: END_MS - 31 * DAY_MS, to: END_MS - DAY_MS, interval: 'day' },
    ];
    const ranges = allRanges.filter((r) => args.ranges.split(',').includes(r.name));
    // Before (the rows' path, FRONTDESK_REPORT_ROLLUPS=off) and after (roll-ups), same data, same run.
    for (const mode of args['exports-only'] ? [] : (['rows', 'slots'] as const)) {
      const server = await startServer({ ...opts, extraEnv: { FRONTDESK_REPORT_ROLLUPS: mode === 'rows' ? 'off' : 'on' } });
      const login = await api<{ token: string }>(server.base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: 'bench-password-1' } });
      for (const kind of ['queues', 'agents', 'channels', 'csat'].filter((k) => args.reports.split(',').includes(k))) {
        for (const r of ranges) {
          const query = `from=${iso(r.from)}&to=${iso(r.to)}&tz=Europe/Berlin&interval=${r.interval}`;
          const label = `${kind}: ${r.label}`;
          results[label] = { ...results[label], [mode]: await timed(mode === 'rows' ? RAW_REPS : REPS, () => api(server.base, 'GET', `/v1/reports/${kind}?${query}`, { token: login.token })) };
        }
      }
      await server.stop();
    }
    const printQueries = () => {
      console.log(`\n${'query (p50 / p99 ms)'.padEnd(40)} ${'rows p50'.padStart(7)} ${'p99'.padStart(7)}   ${'roll-ups p50'.padStart(7)} ${'p99'.padStart(7)}`);
      for (const [label, r] of Object.entries(results)) {
        const slow = r.slots ? (r.slots.p99 < 1000 ? '' : '  > 1 s') : '';
        console.log(`${label.padEnd(40)} ${ms(r.rows)}   ${ms(r.slots)}${slow}`);
      }
    };
    const slowestReport = () => Math.max(0, ...Object.values(results).map((r) => r.slots?.p99 ?? 0));
    if (args['no-exports']) {
      await storage.close();
      printQueries();
      console.log(`\nload average after the queries: ${loadAverage()}`);
      console.log(`target: every report asked p99 < 1 s (roll-ups): ${slowestReport() < 1000 ? 'met' : 'NOT met'} (slowest ${slowestReport().toFixed(0)} ms)`);
      if (args.json) fs.writeFileSync(args.json, JSON.stringify({ storage: args.storage, conversations: CONVERSATIONS, days: DAYS, reps: REPS, rawReps: RAW_REPS, slots, month, loadAverage: loadAverage(), results }, null, 2));
      return;
    }

    const server = await startServer(opts);
    const login = await api<{ token: string }>(server.base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: 'bench-password-1' } });
    const token = login.token;
    // Drill-down: the conversations behind a bar (a day's, a month's: the newest 200 of each).
    for (const r of args['exports-only'] ? [] : [allRanges[0]!, allRanges[2]!]) {
      const query = `from=${iso(r.from)}&to=${iso(r.to)}&tz=Europe/Berlin`;
      results[`drill-down: ${r.label.split(',')[0]}`] = { rows: await timed(REPS, () => api(server.base, 'GET', `/v1/reports/conversations?${query}`, { token })) };
    }
    const queriesLoad = loadAverage();
    const idleRssMb = Math.round(rssKb(server.pid) / 1024);
    const exportFrom = END_MS - DAYS * DAY_MS;
    const bare = await bareKeysetRead(storage, exportFrom, END_MS);
    const copy = url ? bareCopy(url, exportFrom, END_MS) : undefined;
    const csv = await download(server.base, token, `from=${iso(exportFrom)}&to=${iso(END_MS)}&tz=Europe/Berlin&format=csv`, server.pid);
    const csvRows = csv.newlines - 1;
    const xlsx = await download(server.base, token, `from=${iso(END_MS - 8 * DAY_MS)}&to=${iso(END_MS - DAY_MS)}&tz=Europe/Berlin&format=xlsx`, server.pid);
    const xlsxRows = Math.round((7 / DAYS) * CONVERSATIONS);
    await server.stop();
    await storage.close();

    printQueries();
    const rate = (rows: number, s: number) => Math.round(rows / s);
    console.log(`\nload average after the queries: ${queriesLoad}, after the exports: ${loadAverage()}`);
    console.log(`server RSS before exports: ${idleRssMb} MB`);
    console.log(`baseline, bare keyset read of every conversation (this process, pages of 2,000, rows dropped): ${bare.rows} rows in ${bare.seconds} s = ${rate(bare.rows, bare.seconds)} rows/s`);
    if (copy) console.log(`baseline, PostgreSQL COPY … TO STDOUT (csv) of the same rows through psql: ${copy.seconds} s = ${rate(bare.rows, copy.seconds)} rows/s`);
    console.log(`export CSV, every conversation: ${csvRows} rows in ${csv.seconds} s = ${rate(csvRows, csv.seconds)} rows/s, ${(csv.bytes / 1e6).toFixed(1)} MB; server RSS ${csv.rssStartMb} → peak ${csv.rssPeakMb} → ${csv.rssEndMb} MB`);
    console.log(`export XLSX, a week: ~${xlsxRows} rows in ${xlsx.seconds} s = ${rate(xlsxRows, xlsx.seconds)} rows/s, ${(xlsx.bytes / 1e6).toFixed(1)} MB; server RSS ${xlsx.rssStartMb} → peak ${xlsx.rssPeakMb} → ${xlsx.rssEndMb} MB`);
    const slowest = slowestReport();
    if (!args['exports-only']) console.log(`targets: every report p99 < 1 s (roll-ups): ${slowest < 1000 ? 'met' : 'NOT met'} (slowest ${slowest.toFixed(0)} ms); CSV export ≥ 20,000 rows/s: ${rate(csvRows, csv.seconds) >= 20_000 ? 'met' : 'NOT met'}`);
    else console.log(`target: CSV export ≥ 20,000 rows/s: ${rate(csvRows, csv.seconds) >= 20_000 ? 'met' : 'NOT met'}`);
    if (args.json) fs.writeFileSync(args.json, JSON.stringify({ storage: args.storage, conversations: CONVERSATIONS, days: DAYS, reps: REPS, rawReps: RAW_REPS, slots, month, loadAverage: loadAverage(), results, idleRssMb, bare, copy, csv: { rows: csvRows, ...csv }, xlsx: { rows: xlsxRows, ...xlsx } }, null, 2));
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
