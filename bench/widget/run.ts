/**
 * What the widget costs a business's page, against the same page without it, in the same run.
 *
 *   npm run build -w @frontdesk/widget && npm run widget -w @frontdesk/bench
 *   npm run widget -w @frontdesk/bench -- --runs 31 --json /tmp/widget.json
 *
 * 1. Sizes: gzip (level 9) of `loader.js`, what every page loads, and of the panel chunks the
 *    loader imports when the chat is opened. Budgets: loader ≤ 10 KB, panel ≤ 50 KB.
 * 2. Time in Debian's Chromium (headless), the Frontdesk server started in-process on SQLite and the
 *    business page served from another origin by a bare node:http server, every run in a fresh
 *    browser context (cold cache), blank and widget pages alternating:
 *      - blank: a plain page; its `load` event (ms after navigation start);
 *      - widget: the same page plus the snippet; its `load` event, and when the launcher button is
 *        laid out with a size (seen by a requestAnimationFrame loop injected before the page runs).
 *    "added" = median launcher visible − median blank load: how much later the page is complete
 *    with its chat button than without it. Target: < 50 ms. Also shown: how much later the
 *    page's own `load` event fires (the loader is fetched before it).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { launchChromium } from '../../e2e/browser.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run widget -w @frontdesk/bench -- [--runs N (default 15)] [--json FILE]');
  process.exit(0);
}
const runs = Math.max(3, Number(args.runs));
const dist = path.resolve(import.meta.dirname, '../../apps/widget/dist');
const KB = 1024;

function sizes() {
  if (!fs.existsSync(path.join(dist, 'loader.js'))) throw new Error('the widget is not built: npm run build -w @frontdesk/widget');
  const gzip = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  const scripts = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
  const panel = scripts.filter((f) => f !== 'loader.js');
  return { loaderGzipBytes: gzip('loader.js'), panelGzipBytes: panel.reduce((sum, f) => sum + gzip(f), 0), panelFiles: panel };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.9) - 1)]!;

const page = (snippet: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme Tea Shop</title>
<style>body{font:16px system-ui,sans-serif;margin:40px;max-width:720px}</style></head>
<body><h1>Acme Tea Shop</h1>${'<p>Fresh tea, shipped in 48 hours. Longjing, Earl Grey, Moroccan mint.</p>'.repeat(20)}
${snippet}</body></html>`;

/** Injected before any page script: the first frame in which the launcher has a size. */
const WATCH_LAUNCHER = `(() => {
  const look = () => {
    const button = document.querySelector('frontdesk-widget')?.shadowRoot?.querySelector('button.launcher');
    const box = button?.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) window.__launcherVisibleMs = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();`;

async function main() {
  const size = sizes();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-widget-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', FRONTDESK_DATA_DIR: dataDir, FRONTDESK_LOG_LEVEL: 'warn', FRONTDESK_DEMO: 'off', FRONTDESK_MEDIA: 'off' });
  const app = await buildApp(config);
  const serverUrl = await app.listen();
  await app.services.tenancy.createApp({ id: 'bench', name: 'bench', allowedOrigins: ['*'] });

  const pages = new Map([
    ['/blank', page('')],
    ['/widget', page(`<script type="module" async src="${serverUrl}/widget/loader.js" data-app-id="bench" data-locale="en"></script>`)],
  ]);
  const site = http.createServer((request, response) => {
    const html = pages.get(request.url ?? '');
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html ?? '');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const browser = await launchChromium();

  const measure = async (pagePath: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(WATCH_LAUNCHER);
    const tab = await context.newPage();
    await tab.goto(siteUrl + pagePath, { waitUntil: 'load' });
    const withWidget = pagePath === '/widget';
    if (withWidget) await tab.waitForFunction(() => (window as { __launcherVisibleMs?: number }).__launcherVisibleMs !== undefined, undefined, { timeout: 10_000 });
    const result = await tab.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return { loadMs: navigation!.loadEventEnd, launcherMs: (window as { __launcherVisibleMs?: number }).__launcherVisibleMs ?? null };
    });
    await context.close();
    return result;
  };

  try {
    // One untimed round of each warms Chromium's own start-up paths.
    await measure('/blank');
    await measure('/widget');
    const blank: number[] = [];
    const widgetLoad: number[] = [];
    const launcher: number[] = [];
    for (let i = 0; i < runs; i++) {
      blank.push((await measure('/blank')).loadMs);
      const w = await measure('/widget');
      widgetLoad.push(w.loadMs);
      launcher.push(w.launcherMs!);
    }
    const added = median(launcher) - median(blank);
    const report = {
      runs,
      chromium: browser.version(),
      loaderGzipBytes: size.loaderGzipBytes,
      panelGzipBytes: size.panelGzipBytes,
      panelFiles: size.panelFiles,
      blankLoadMs: { median: median(blank), p90: p90(blank) },
      widgetLoadMs: { median: median(widgetLoad), p90: p90(widgetLoad) },
      launcherVisibleMs: { median: median(launcher), p90: p90(launcher) },
      addedMs: added,
      loadDelayMs: median(widgetLoad) - median(blank),
    };
    const ms = (v: number) => `${v.toFixed(1).padStart(6)} ms`;
    console.log(`widget bench — Chromium ${report.chromium}, ${runs} runs each, cold cache, median (p90)`);
    console.log(`  loader.js            ${(size.loaderGzipBytes / KB).toFixed(2).padStart(6)} KB gzip   budget 10 KB ${size.loaderGzipBytes <= 10 * KB ? 'ok' : 'OVER'}`);
    console.log(`  panel (${size.panelFiles.length} chunk${size.panelFiles.length > 1 ? 's' : ''})     ${(size.panelGzipBytes / KB).toFixed(2).padStart(6)} KB gzip   budget 50 KB ${size.panelGzipBytes <= 50 * KB ? 'ok' : 'OVER'}`);
    console.log(`  blank page load      ${ms(report.blankLoadMs.median)} (${ms(report.blankLoadMs.p90).trim()})`);
    console.log(`  widget page load     ${ms(report.widgetLoadMs.median)} (${ms(report.widgetLoadMs.p90).trim()})`);
    console.log(`  launcher visible     ${ms(report.launcherVisibleMs.median)} (${ms(report.launcherVisibleMs.p90).trim()})`);
    console.log(`  load event later by  ${ms(report.loadDelayMs)}   (widget page load − blank page load)`);
    console.log(`  added by the widget  ${ms(added)}   (launcher visible − blank page load) target < 50 ms ${added < 50 ? 'ok' : 'OVER'}`);
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    await new Promise((resolve) => site.close(resolve));
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
