/**
 * Workbench rendering in Chromium (issue 5): how long the agent's inbox takes to render with 50
 * live sessions of 200 messages each, how long one of those conversations takes to open, and the
 * main-thread time the workbench spends per incoming message at 20 messages/s.
 *
 *   npm run build && npm run workbench -w @frontdesk/bench [-- --sessions 50 --messages 200 --rate 20 --seconds 10 --runs 3]
 *
 * The server runs as a child process (SQLite, temporary data dir); setup goes through the CLI and
 * REST. Each figure is printed beside a baseline measured in the same run: an agent with an empty
 * inbox (render), and the same window with no messages (main-thread time at idle).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/browser.ts';
import { api, mapLimited, sleep } from '../realtime/http.ts';
import { APP_ID, createAppWithCli, freePort, startServer, type ServerOptions } from '../realtime/fullstack.ts';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '50' },
    messages: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run workbench -w @frontdesk/bench -- [--sessions 50] [--messages 200] [--rate 20] [--seconds 10] [--runs 3]');
  process.exit(0);
}
const SESSIONS = Number(args.sessions);
const MESSAGES = Number(args.messages);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const PASSWORD = 'bench-password-1';
const repoRoot = path.resolve(import.meta.dirname, '../..');
const log = (line: string) => console.log(line);

interface Visitor {
  token: string;
  conversationId: string;
}

async function setup(base: string) {
  const admin = await api<{ token: string }>(base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD } });
  const makeAgent = async (email: string) => {
    await api(base, 'POST', '/v1/agents', { token: admin.token, body: { email, password: PASSWORD, role: 'agent', maxConcurrentChats: 100 } });
    return api<{ token: string; agent: { id: string } }>(base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email, password: PASSWORD } });
  };
  const busy = await makeAgent('busy@bench.test');
  await makeAgent('idle@bench.test');
  const t0 = Date.now();
  const visitors = await mapLimited(
    Array.from({ length: SESSIONS }, (_, i) => i),
    8,
    async (i): Promise<Visitor> => {
      const session = await api<{ token: string }>(base, 'POST', '/v1/visitor/session', { body: { appId: APP_ID, name: `Visitor ${i + 1}` } });
      const conversation = await api<{ id: string }>(base, 'POST', '/v1/conversations', { token: session.token });
      await api(base, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: busy.token });
      return { token: session.token, conversationId: conversation.id };
    },
  );
  let stored = 0;
  await mapLimited(visitors, 16, async (v, i) => {
    // The claim stored one system message (agent joined): 199 more make 200.
    for (let n = 1; n < MESSAGES; n++) {
      const isVisitor = n % 2 === 1;
      const text = isVisitor ? `Visitor ${i + 1}, message ${n}: is my order on its way? <b>not bold</b>` : `Agent reply ${n}: let me check that for you.`;
      await api(base, 'POST', `/v1/conversations/${v.conversationId}/messages`, { token: isVisitor ? v.token : busy.token, body: { clientId: `seed-${n}`, text } });
      if (++stored % 2000 === 0) log(`  setup: ${stored}/${SESSIONS * (MESSAGES - 1)} messages`);
    }
  });
  log(`  setup: ${SESSIONS} sessions × ${MESSAGES} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { visitors, busyAgentId: busy.agent.id };
}

/** Sign in from the login screen; resolves with ms from the click until the inbox shows `rows` rows with their last messages. */
async function timeInboxRender(page: Page, base: string, email: string, rows: number): Promise<number> {
  // A fresh sign-in each time: forget the session the last one kept.
  await page.goto(`${base}/workbench/?appId=${APP_ID}`);
  await page.evaluate(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  await page.reload();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    (expected: number) => {
      if (expected === 0) return document.querySelector('.wb-inbox__empty') !== null;
      const items = document.querySelectorAll('[data-testid="inbox-row"]');
      if (items.length < expected) return false;
      return [...items].every((row) => !row.textContent?.includes('No messages yet'));
    },
    rows,
    { timeout: 120_000, polling: 'raf' },
  );
  const t1 = await page.evaluate(() => performance.now());
  // Reading performance.now() in the page after a click costs a round trip, as for both targets.
  return t1 - t0;
}

/**
 * Click a row; ms until its conversation pane is painted with the messages the SDK holds (the
 * newest window of each session), and how many those are.
 */
async function timeOpenConversation(page: Page, rowIndex: number): Promise<{ ms: number; shown: number }> {
  return page.evaluate(
    (index) =>
      new Promise<{ ms: number; shown: number }>((resolve, reject) => {
        const target = document.querySelectorAll<HTMLButtonElement>('[data-testid="inbox-row"]')[index];
        if (!target) return reject(new Error('no such row'));
        const t0 = performance.now();
        target.click();
        const check = () => {
          const pane = document.querySelector(`[data-testid="conversation"][data-session-id="${target.dataset.sessionId}"]`);
          const shown = pane?.querySelectorAll('[data-testid="message"]').length ?? 0;
          // The frame after the pane has its messages: layout and paint included.
          if (shown > 0) requestAnimationFrame(() => resolve({ ms: performance.now() - t0, shown }));
          else requestAnimationFrame(check);
        };
        check();
      }),
    rowIndex,
  );
}

/** In the open conversation, "Load earlier messages" until all `messages` show; ms including the requests. */
async function timeFullHistory(page: Page, messages: number): Promise<number> {
  const t0 = Date.now();
  const pane = page.getByTestId('conversation');
  for (;;) {
    const shown = await pane.getByTestId('message').count();
    if (shown >= messages) break;
    const button = pane.getByRole('button', { name: 'Load earlier messages' });
    if ((await button.count()) === 0) throw new Error(`only ${shown} of ${messages} messages and nothing more to load`);
    await button.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="conversation"] [data-testid="message"]').length > n, shown, { timeout: 30_000 });
  }
  return Date.now() - t0;
}

interface MainThread {
  /** All main-thread work (CDP Performance.TaskDuration), ms. */
  taskMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
}

/** Main-thread busy time over a window, in ms, with its script, style and layout parts. */
async function mainThread(page: Page, during: () => Promise<void>): Promise<MainThread> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { taskMs: ms('TaskDuration'), scriptMs: ms('ScriptDuration'), styleMs: ms('RecalcStyleDuration'), layoutMs: ms('LayoutDuration') };
  };
  const before = await read();
  await during();
  const after = await read();
  await cdp.detach();
  return { taskMs: after.taskMs - before.taskMs, scriptMs: after.scriptMs - before.scriptMs, styleMs: after.styleMs - before.styleMs, layoutMs: after.layoutMs - before.layoutMs };
}

async function sendAtRate(base: string, visitors: Visitor[], count: number, ratePerSecond: number, tag: string): Promise<void> {
  const t0 = Date.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const v = visitors[i % visitors.length]!;
    sends.push(api(base, 'POST', `/v1/conversations/${v.conversationId}/messages`, { token: v.token, body: { clientId: `${tag}-${i}`, text: `Live message ${i} at ${new Date().toISOString()}` } }));
  }
  await Promise.all(sends);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-workbench-'));
  const port = await freePort();
  // The browser's Origin must be the server's public URL (or an allowed origin) for the socket.
  const opts: ServerOptions = { repoRoot, port, dataDir, extraEnv: { FRONTDESK_PUBLIC_URL: `http://127.0.0.1:${port}` } };
  let browser: Browser | undefined;
  let failurePage: Page | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    if (!fs.existsSync(path.join(repoRoot, 'apps/workbench/dist/index.html'))) throw new Error('the workbench is not built: npm run build -w @frontdesk/workbench');
    await createAppWithCli(opts);
    server = await startServer(opts);
    const base = server.base;
    log(`Frontdesk workbench bench: ${SESSIONS} sessions × ${MESSAGES} messages, ${RATE} messages/s for ${SECONDS} s, ${RUNS} runs, Chromium headless`);
    const { visitors } = await setup(base);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx keeps function names with a `__name` helper, which functions sent to the page then call.
    await context.addInitScript('window.__name = (fn) => fn');
    const page = await context.newPage();
    page.on('pageerror', (err) => log(`  [page error] ${err.message}`));
    failurePage = page;

    // 1. Inbox render: empty inbox (baseline) and the full one, alternating.
    const empty: number[] = [];
    const full: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      empty.push(await timeInboxRender(page, base, 'idle@bench.test', 0));
      full.push(await timeInboxRender(page, base, 'busy@bench.test', SESSIONS));
    }
    // 2. Opening a conversation (different rows each run), then its whole history.
    const opens: number[] = [];
    const histories: number[] = [];
    let shownOnOpen = 0;
    for (let run = 0; run < RUNS; run++) {
      const opened = await timeOpenConversation(page, run + 1);
      opens.push(opened.ms);
      shownOnOpen = opened.shown;
      histories.push(await timeFullHistory(page, MESSAGES));
    }
    await sleep(1000);

    // 3. Main-thread time per incoming message, with a conversation open, vs the same window idle.
    const count = RATE * SECONDS;
    const idleRuns: MainThread[] = [];
    const loadedRuns: MainThread[] = [];
    for (let run = 0; run < RUNS; run++) {
      idleRuns.push(await mainThread(page, () => sleep(SECONDS * 1000 + 500)));
      loadedRuns.push(
        await mainThread(page, async () => {
          await sendAtRate(base, visitors, count, RATE, `live-${run}`);
          await sleep(500);
        }),
      );
    }
    const idle = idleRuns.map((r) => r.taskMs);
    const loaded = loadedRuns.map((r) => r.taskMs);
    const perMessage = (median(loaded) - median(idle)) / count;
    const part = (key: keyof MainThread) => (median(loadedRuns.map((r) => r[key])) - median(idleRuns.map((r) => r[key]))) / count;

    log('');
    log('| measure | baseline (same run) | workbench | ');
    log('| --- | --- | --- |');
    log(`| inbox render after sign-in (median of ${RUNS}) | empty inbox: ${fmt(median(empty))} | ${SESSIONS} sessions × ${MESSAGES} messages: ${fmt(median(full))} |`);
    log(`| open a conversation: its newest ${shownOnOpen} messages painted (median of ${RUNS}) | — | ${fmt(median(opens))} |`);
    log(`| then load its whole history, ${MESSAGES} messages, with "Load earlier" (median of ${RUNS}) | — | ${fmt(median(histories))} |`);
    log(`| main-thread time over ${SECONDS} s (median of ${RUNS}) | idle: ${fmt(median(idle))} | ${RATE} messages/s: ${fmt(median(loaded))} |`);
    log(`| main-thread time per incoming message | — | ${perMessage.toFixed(2)} ms (${((perMessage * RATE) / 10).toFixed(1)} % of one core at ${RATE}/s): script ${part('scriptMs').toFixed(2)}, style ${part('styleMs').toFixed(2)}, layout ${part('layoutMs').toFixed(2)}, the rest (paint, compositing, IPC) ${(part('taskMs') - part('scriptMs') - part('styleMs') - part('layoutMs')).toFixed(2)} ms |`);
    log('');
    log(`raw: empty ${empty.map(fmt).join(', ')}; full ${full.map(fmt).join(', ')}; open ${opens.map(fmt).join(', ')}; history ${histories.map(fmt).join(', ')}; idle ${idle.map(fmt).join(', ')}; loaded ${loaded.map(fmt).join(', ')}`);
  } catch (err) {
    const file = path.join(os.tmpdir(), 'frontdesk-bench-workbench-failure.png');
    await failurePage?.screenshot({ path: file }).then(() => log(`  failure screenshot: ${file}`), () => undefined);
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
