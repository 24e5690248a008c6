/**
 * Report queries and exports at a million conversations, on SQLite and PostgreSQL.
 *
 *   npm run reports -w @frontdesk/bench                                  # SQLite, 1,000,000 conversations
 *   npm run reports -w @frontdesk/bench -- --storage postgres            # starts its own PostgreSQL (port 54352)
 *   npm run reports -w @frontdesk/bench -- --conversations 200000 --reps 10 --json /tmp/reports.json
 *
 * The rows are written straight into the report read model (generate.ts: 90 days, 10 queues,
 * 50 agents, 3 channels), then the real server starts as a child process and every report is
 * asked over HTTP for a day (hourly buckets), a week and a month (daily buckets) in Europe/Berlin:
 * p50/p99 of `--reps` requests each. Export: the whole range (every conversation) as CSV and a
 * week as XLSX, streamed over HTTP, rows/s with the server's RSS sampled every 100 ms.
 * Baseline in the same run: `SELECT count(*)` over the same rows, through the same storage layer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
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
    'pg-port': { type: 'string', default: '54352' },
    json: { type: 'string' },
    'exports-only': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('flags: --storage sqlite|postgres  --conversations N (1000000)  --days N (90)  --reps N (15)  --pg-port P (54352)  --json FILE  --exports-only (the baseline and the exports, no report query)');
  process.exit(0);
}
const CONVERSATIONS = Number(args.conversations);
const DAYS = Number(args.days);
const REPS = Number(args.reps);
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

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-reports-'));
  let url: string | undefined;
  let cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (args.storage === 'postgres') {
    const postgres = startPostgres(repoRoot, process.env.BENCH_DATABASE_URL, Number(args['pg-port']), path.join(os.tmpdir(), 'frontdesk-bench-pg-reports'));
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
    console.log(`reports bench: ${CONVERSATIONS} conversations over ${DAYS} days, ${args.storage}, ${REPS} repetitions, ${os.cpus().length} cores, Node ${process.version}, load average ${loadAverage()}`);
    await createAppWithCli(opts);
    const storage = await openStorage({ databaseUrl: url, dataDir, poolSize: 4 });
    const genStarted = performance.now();
    await generate(storage, APP_ID, { conversations: CONVERSATIONS, days: DAYS, endMs: END_MS, onProgress: (n) => n % 100_000 === 0 && process.stdout.write(`  generated ${n}\r`) });
    // Fresh planner statistics, as autovacuum would have gathered them on a database that grew over months.
    await sql`analyze`.execute(storage.db);
    console.log(`generated in ${((performance.now() - genStarted) / 1000).toFixed(1)} s`);

    const server = await startServer(opts);
    const login = await api<{ token: string }>(server.base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: 'bench-password-1' } });
    const token = login.token;
    const results: Record<string, { p50: number; p99: number }> = {};
    const count = await timed(REPS, () => storage.db.selectFrom('report_conversations').select((eb) => eb.fn.countAll().as('n')).where('app_id', '=', APP_ID).executeTakeFirstOrThrow());
    results[`baseline: select count(*) (${CONVERSATIONS} rows)`] = count;
    const ranges = [
      { label: 'day, hourly', from: END_MS - 2 * DAY_MS, to: END_MS - DAY_MS, interval: 'hour' },
      { label: 'week, daily', from: END_MS - 8 * DAY_MS, to: END_MS - DAY_MS, interval: 'day' },
      { label: 'month, daily', from: END_MS - 31 * DAY_MS, to: END_MS - DAY_MS, interval: 'day' },
    ];
    for (const kind of args['exports-only'] ? [] : ['queues', 'agents', 'channels', 'csat']) {
      for (const r of ranges) {
        const query = `from=${iso(r.from)}&to=${iso(r.to)}&tz=Europe/Berlin&interval=${r.interval}`;
        results[`${kind}: ${r.label}`] = await timed(REPS, () => api(server.base, 'GET', `/v1/reports/${kind}?${query}`, { token }));
      }
    }
    // Drill-down: the conversations behind a bar (a day's, a month's: the newest 200 of each).
    for (const r of args['exports-only'] ? [] : [ranges[0]!, ranges[2]!]) {
      const query = `from=${iso(r.from)}&to=${iso(r.to)}&tz=Europe/Berlin`;
      results[`drill-down: ${r.label.split(',')[0]}`] = await timed(REPS, () => api(server.base, 'GET', `/v1/reports/conversations?${query}`, { token }));
    }
    const queriesLoad = loadAverage();
    const idleRssMb = Math.round(rssKb(server.pid) / 1024);
    const csv = await download(server.base, token, `from=${iso(END_MS - DAYS * DAY_MS)}&to=${iso(END_MS)}&tz=Europe/Berlin&format=csv`, server.pid);
    const csvRows = csv.newlines - 1;
    const xlsx = await download(server.base, token, `from=${iso(END_MS - 8 * DAY_MS)}&to=${iso(END_MS - DAY_MS)}&tz=Europe/Berlin&format=xlsx`, server.pid);
    const xlsxRows = Math.round((7 / DAYS) * CONVERSATIONS);
    await server.stop();
    await storage.close();

    console.log(`\n${'query'.padEnd(40)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
    for (const [label, r] of Object.entries(results)) console.log(`${label.padEnd(40)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(9)}${label.startsWith('baseline') ? '' : r.p99 < 1000 ? '' : '  > 1 s'}`);
    const rate = (rows: number, s: number) => Math.round(rows / s);
    console.log(`\nload average after the queries: ${queriesLoad}, after the exports: ${loadAverage()}`);
    console.log(`server RSS before exports: ${idleRssMb} MB`);
    console.log(`export CSV, every conversation: ${csvRows} rows in ${csv.seconds} s = ${rate(csvRows, csv.seconds)} rows/s, ${(csv.bytes / 1e6).toFixed(1)} MB; server RSS ${csv.rssStartMb} → peak ${csv.rssPeakMb} → ${csv.rssEndMb} MB`);
    console.log(`export XLSX, a week: ~${xlsxRows} rows in ${xlsx.seconds} s = ${rate(xlsxRows, xlsx.seconds)} rows/s, ${(xlsx.bytes / 1e6).toFixed(1)} MB; server RSS ${xlsx.rssStartMb} → peak ${xlsx.rssPeakMb} → ${xlsx.rssEndMb} MB`);
    const slowest = Math.max(0, ...Object.entries(results).filter(([l]) => !l.startsWith('baseline')).map(([, r]) => r.p99));
    console.log(`targets: every report p99 < 1 s: ${slowest < 1000 ? 'met' : 'NOT met'} (slowest ${slowest.toFixed(0)} ms); CSV export ≥ 20,000 rows/s: ${rate(csvRows, csv.seconds) >= 20_000 ? 'met' : 'NOT met'}`);
    if (args.json) fs.writeFileSync(args.json, JSON.stringify({ storage: args.storage, conversations: CONVERSATIONS, days: DAYS, reps: REPS, loadAverage: loadAverage(), results, idleRssMb, csv: { rows: csvRows, ...csv }, xlsx: { rows: xlsxRows, ...xlsx } }, null, 2));
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
