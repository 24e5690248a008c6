/**
 * What co-browsing costs and how fast the mirror follows, on a busy page, with its baseline in the
 * same run.
 *
 *   npm run build && npm run cobrowse -w @frontdesk/bench
 *   npm run cobrowse -w @frontdesk/bench -- --views 9 --seconds 10 --json /tmp/cobrowse.json
 *
 * The Frontdesk server runs in-process on SQLite; the visitor is the real widget on a shop page of
 * another origin (loopback), the agent a page with the mirror (packages/cobrowse/src/mirror) on its
 * own socket, both in Debian's Chromium (headless), one browser context each.
 *
 * 1. First view after consent (`--views` times): the agent proposes, the visitor clicks "Allow";
 *    the time from that click to the mirror having built the first snapshot. p50 / p95.
 * 2. Busy page (`--seconds`): a burst of 1,000 DOM mutations a second (10 every 10 ms: rows added,
 *    removed, texts changed) and a steady typing load (8 characters a second into an opted-in
 *    field). Each mutated text carries its time; the mirror reads it when it applies the batch:
 *    mutation → agent latency, p50 / p95 / max. Bytes/s: the `cobrowse.data` frames the visitor's
 *    socket sent (Chromium's frame events), per second of load.
 * 3. Main-thread time of the visitor's page during the load (CDP `Performance.getMetrics`,
 *    TaskDuration), three runs of the same load in the same page: no capture; the capture with its
 *    output serialising to nothing (`dryRun`: records, never encodes or sends); the capture as
 *    shipped. Overhead = (capture − no capture) ÷ wall time.
 * Targets (issue 15): first view ≤ 1.5 s; p95 ≤ 300 ms; ≤ 50 KB/s average; ≤ 5 % main-thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { CDPSession, Page } from 'playwright-core';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { launchChromium } from '../../e2e/browser.ts';
import { shopPage, startSite } from '../../e2e/cobrowse-pages.ts';

const { values: args } = parseArgs({
  options: {
    views: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '8' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run cobrowse -w @frontdesk/bench -- [--views N (default 7)] [--seconds S (default 8)] [--json FILE]');
  process.exit(0);
}
const views = Math.max(3, Number(args.views));
const seconds = Math.max(2, Number(args.seconds));
const PASSWORD = 'correct horse battery';
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
};

/** The busy load, run in the visitor's page: 10 mutations every 10 ms and typing, for `ms`. */
const BUSY = (ms: number) =>
  new Promise<void>((resolve) => {
    const list = document.createElement('ul');
    list.id = 'busy';
    document.querySelector('main section')!.append(list);
    const name = document.getElementById('name') as HTMLInputElement;
    let n = 0;
    const mutate = setInterval(() => {
      for (let i = 0; i < 10; i++) {
        const at = Date.now();
        if (list.children.length > 40) list.firstElementChild!.remove();
        else if (n % 3 === 1 && list.lastElementChild) list.lastElementChild.textContent = `row ${n} t=${at}`;
        else {
          const li = document.createElement('li');
          li.textContent = `row ${n} t=${at}`;
          list.append(li);
        }
        n++;
      }
    }, 10);
    const type = setInterval(() => {
      name.value += 'a';
      name.dispatchEvent(new Event('input', { bubbles: true }));
    }, 125);
    setTimeout(() => {
      clearInterval(mutate);
      clearInterval(type);
      list.remove();
      resolve();
    }, ms);
  });

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-cobrowse-bench-'));
  const config = loadConfig({ FRONTDESK_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', FRONTDESK_DEMO: 'off', FRONTDESK_LOG_LEVEL: 'warn', FRONTDESK_MEDIA: 'off' });
  const app = await buildApp(config);
  const serverUrl = await app.listen();
  const pages = new Map<string, string>();
  const site = await startSite(pages);
  pages.set('/shop', shopPage(serverUrl, { 'app-id': 'bench', 'channel-id': 'default', locale: 'en' }));
  const { tenancy, identity } = app.services;
  await tenancy.createApp({ id: 'bench', name: 'bench' });
  await tenancy.updateApp('bench', { allowedOrigins: [site.origin, serverUrl] });
  await identity.createAgent('bench', { email: 'agent@bench.test', password: PASSWORD, role: 'agent', mediaTypes: ['chat'], maxConcurrentChats: 50 });
  const login = (await (await fetch(`${serverUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId: 'bench', email: 'agent@bench.test', password: PASSWORD }) })).json()) as { token: string };
  const mirrorBundle = await build({ entryPoints: [path.resolve(import.meta.dirname, '../../packages/cobrowse/src/mirror/index.ts')], bundle: true, format: 'iife', globalName: 'FD', write: false, minify: true });
  const captureBundle = await build({ entryPoints: [path.resolve(import.meta.dirname, '../../packages/cobrowse/src/capture/index.ts')], bundle: true, format: 'iife', globalName: 'FDC', write: false, minify: true });
  const agentPage = `<!doctype html><html><body style="margin:0"><iframe id="mirror" style="width:1280px;height:800px;border:0"></iframe><script>MIRROR</script></body></html>`;
  pages.set('/agent', agentPage.replace('MIRROR', () => mirrorBundle.outputFiles[0]!.text));
  // NOTE: a function as replacement: the bundle's text holds `$&`-like sequences a string would expand.
  pages.set('/plain-busy', shopPage('http://127.0.0.1:9', {}).replace(/<script type="module"[^>]*><\/script>/, () => `<script>${captureBundle.outputFiles[0]!.text}</script>`));

  const browser = await launchChromium();
  const results: Record<string, unknown> = { views, seconds, at: new Date().toISOString() };
  try {
    // ── the agent: a socket and the mirror ──
    // NOTE: tsx keeps function names with a `__name` helper, which functions run in the page would miss.
    const NAME_SHIM = 'window.__name = (f) => f';
    const agentContext = await browser.newContext();
    await agentContext.addInitScript(NAME_SHIM);
    const agent = await agentContext.newPage();
    await agent.goto(`${site.origin}/agent`);
    await agent.evaluate(
      async ({ wsUrl, token }) => {
        const w = window as unknown as Record<string, any>;
        const ws = new WebSocket(wsUrl);
        await new Promise((r) => ws.addEventListener('open', r, { once: true }));
        let n = 0;
        const waiters = new Map<string, (v: any) => void>();
        w.request = (frame: object) =>
          new Promise((resolve) => {
            const id = `r${++n}`;
            waiters.set(id, resolve);
            ws.send(JSON.stringify({ ...frame, id }));
          });
        w.latencies = [] as number[];
        w.firstViewAt = 0;
        w.session = null;
        ws.addEventListener('message', (e) => {
          const frame = JSON.parse(e.data as string);
          if (frame.type === 'reply') return waiters.get(frame.id)?.(frame);
          if (frame.type === 'cobrowse') w.session = frame.session;
          if (frame.type === 'cobrowse.data' && w.mirror) w.mirror.receive(frame);
        });
        await w.request({ type: 'hello', token });
        w.newMirror = (sessionId: string) => {
          w.firstViewAt = 0;
          const frameEl = document.getElementById('mirror')!;
          const fresh = frameEl.cloneNode() as HTMLIFrameElement;
          frameEl.replaceWith(fresh);
          w.mirror = new w.FD.Mirror(fresh, {
            needSnapshot: () => w.request({ type: 'cobrowse.view', sessionId, viewing: true }),
            applied: (batch: { kind: string; at: number }) => {
              const now = Date.now();
              if (batch.kind === 'snapshot' && !w.firstViewAt) w.firstViewAt = now;
              for (const m of JSON.stringify(batch).matchAll(/t=(\d{13})/g)) w.latencies.push(now - Number(m[1]));
            },
          });
        };
      },
      { wsUrl: `${serverUrl.replace(/^http/, 'ws')}/v1/ws?appId=bench`, token: login.token },
    );

    // ── the visitor: the widget on the shop page ──
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await visitorContext.addInitScript(NAME_SHIM);
    const visitor = await visitorContext.newPage();
    let wireChars = 0;
    let counting = false;
    visitor.on('websocket', (ws) => ws.on('framesent', (f) => counting && typeof f.payload === 'string' && f.payload.includes('"cobrowse.data"') && (wireChars += f.payload.length)));
    await visitor.goto(`${site.origin}/shop`);
    await visitor.locator('frontdesk-widget button.launcher').click();
    const message = visitor.locator('frontdesk-widget').getByRole('textbox', { name: 'Message' });
    await message.fill('Hello');
    await message.press('Enter');
    let conversationId = '';
    for (let i = 0; i < 100 && !conversationId; i++) {
      const list = (await (await fetch(`${serverUrl}/v1/conversations?status=open`, { headers: { authorization: `Bearer ${login.token}` } })).json()) as { conversations: { id: string }[] };
      conversationId = list.conversations[0]?.id ?? '';
      if (!conversationId) await new Promise((r) => setTimeout(r, 100));
    }
    await fetch(`${serverUrl}/v1/conversations/${conversationId}/claim`, { method: 'POST', headers: { authorization: `Bearer ${login.token}` } });

    // 1. First view after consent.
    const firstViews: number[] = [];
    for (let i = 0; i < views; i++) {
      const proposed = await agent.evaluate((id) => (window as any).request({ type: 'cobrowse.start', conversationId: id }), conversationId);
      const sessionId = proposed.data.id as string;
      await agent.evaluate((id) => ((window as any).newMirror(id), (window as any).request({ type: 'cobrowse.view', sessionId: id, viewing: true })), sessionId);
      const allow = visitor.locator('frontdesk-widget').getByTestId('cobrowse-consent').getByRole('button', { name: 'Allow' });
      await allow.waitFor();
      const clickedAt = Date.now();
      await allow.click();
      await agent.waitForFunction(() => (window as any).firstViewAt > 0, undefined, { timeout: 10_000 });
      firstViews.push((await agent.evaluate(() => (window as any).firstViewAt as number)) - clickedAt);
      if (i < views - 1) {
        await agent.evaluate((id) => (window as any).request({ type: 'cobrowse.end', sessionId: id }), sessionId);
        await visitor.locator('frontdesk-cobrowse').waitFor({ state: 'detached' });
      }
    }
    results.firstViewMs = { p50: pct(firstViews, 50), p95: pct(firstViews, 95), all: firstViews };

    // 2. The busy page, mirrored.
    await agent.evaluate(() => ((window as any).latencies = []));
    counting = true;
    const loadStarted = Date.now();
    await visitor.evaluate(BUSY, seconds * 1000);
    await visitor.waitForTimeout(500);
    counting = false;
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const latencies = (await agent.evaluate(() => (window as any).latencies as number[])).filter((v) => v >= 0);
    results.mutationToAgentMs = { p50: pct(latencies, 50), p95: pct(latencies, 95), max: Math.max(...latencies), samples: latencies.length };
    results.wire = { bytesPerSecond: Math.round(wireChars / loadSeconds), totalBytes: wireChars, seconds: loadSeconds };

    // 3. Main-thread time, the same load: no capture, capture serialising to nothing, capture as shipped.
    const plainContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await plainContext.addInitScript(NAME_SHIM);
    const plain = await plainContext.newPage();
    await plain.goto(`${site.origin}/plain-busy`);
    const cdp = await plainContext.newCDPSession(plain);
    await cdp.send('Performance.enable');
    const mainThread: Record<string, number> = {};
    for (const mode of ['none', 'dryRun', 'capture', 'none', 'dryRun', 'capture'] as const) {
      const ms = await taskTime(cdp, plain, mode, seconds * 1000);
      mainThread[mode] = (mainThread[mode] ?? 0) + ms / 2;
    }
    const wallMs = seconds * 1000;
    results.mainThread = {
      taskMsPerSecond: Object.fromEntries(Object.entries(mainThread).map(([k, v]) => [k, Math.round((v / wallMs) * 1000)])),
      overheadPercent: Math.round(((mainThread.capture! - mainThread.none!) / wallMs) * 1000) / 10,
      overheadDryRunPercent: Math.round(((mainThread.dryRun! - mainThread.none!) / wallMs) * 1000) / 10,
    };
  } finally {
    await browser.close();
    await site.close();
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(results, null, 2));
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(results, null, 2));
}

/** Main-thread task time (ms) of the page over one run of the busy load in `mode`. */
async function taskTime(cdp: CDPSession, page: Page, mode: 'none' | 'dryRun' | 'capture', ms: number): Promise<number> {
  const read = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  await page.evaluate((m) => {
    const w = window as any;
    w.capture?.stop();
    w.capture = null;
    // The shipped capture sends to a socket-like sink that only counts (the wire is measured above).
    if (m !== 'none') {
      w.capture = new w.FDC.CaptureSession({ sessionId: 'bench', send: () => true, dryRun: m === 'dryRun' });
      w.capture.start();
    }
  }, mode);
  const before = await read();
  await page.evaluate(BUSY, ms);
  const after = await read();
  return after - before;
}

await main();
