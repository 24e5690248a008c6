import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { decodeCobrowseFrames, SECRETS, shopPage, startSite } from './cobrowse-pages.ts';

/**
 * The visitor-side capture alone in Chromium (packages/cobrowse/src/capture, bundled as the widget
 * bundles it): the channel's selectors mask, block and opt in; a listed page pauses the co-browse
 * by itself and leaving it sends a fresh snapshot; password and payment fields are never read.
 * Then the agent's mirror alone (packages/cobrowse/src/mirror), fed batches by hand.
 */
describe('the co-browse capture in a page', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startSite>>;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    const bundle = await build({ entryPoints: [path.resolve(import.meta.dirname, '../packages/cobrowse/src/capture/index.ts')], bundle: true, format: 'iife', globalName: 'FDC', write: false });
    site = await startSite(pages);
    const page = shopPage('http://127.0.0.1:9', {}).replace(/<script type="module"[^>]*><\/script>/, () => `<script>${bundle.outputFiles[0]!.text}</script>`);
    pages.set('/shop', page);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Starts a capture with these rules; every frame it sends is kept (as the socket would get it). */
  async function capture(page: Page, rules: object, pausedPages: string[]) {
    await page.evaluate(
      ({ rules, pausedPages }) => {
        const w = window as unknown as { FDC: any; sent: string[]; capture: any };
        w.sent = [];
        w.capture = new w.FDC.CaptureSession({ sessionId: 's', rules, pausedPages, send: (frame: object) => (w.sent.push(JSON.stringify({ ...frame, type: 'cobrowse.data' })), true) });
        w.capture.start();
      },
      { rules, pausedPages },
    );
    return async () => decodeCobrowseFrames(await page.evaluate(() => (window as unknown as { sent: string[] }).sent));
  }

  it('selectors of the channel mask, block and opt in; a listed page pauses it and leaving it sends a fresh snapshot', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`${site.origin}/shop`);
    const batches = await capture(page, { maskSelectors: ['.secret-note'], blockSelectors: ['.product:nth-child(3)'], unmaskSelectors: ['#email'] }, ['/account']);
    await page.locator('#email').fill(SECRETS.email);
    await page.locator('#password').fill(SECRETS.password);
    await page.locator('#cvc').fill(SECRETS.cvc);
    await expect.poll(async () => (await batches()).some((b) => b.json.includes(SECRETS.email)), { timeout: 5000 }).toBe(true);
    const first = (await batches()).map((b) => b.json).join('\n');
    // Opted in by selector: sent as typed. Masked by selector, blocked by selector, password: not.
    expect(first).not.toContain(SECRETS.note);
    expect(first).not.toContain('Malty black tea');
    expect(first).not.toContain(SECRETS.password);
    expect(first).not.toMatch(/"value":"737"/);
    expect(first).toContain('"reason":"blocked"');

    // A listed page: paused, and nothing of it is sent while there.
    await page.evaluate(() => history.pushState({}, '', '/account/orders'));
    await expect.poll(async () => (await batches()).some((b) => b.json.includes('"paused":true')), { timeout: 5000 }).toBe(true);
    const pausedAt = (await batches()).length;
    await page.evaluate(() => (document.querySelector('h1')!.textContent = 'Your orders: 3 (account page)'));
    await page.waitForTimeout(400);
    expect((await batches()).slice(pausedAt).map((b) => b.json).join('')).not.toContain('account page');
    // Back on a shared page: a fresh snapshot (a new epoch) that shows the page as it is now.
    await page.evaluate(() => history.pushState({}, '', '/shop'));
    await expect.poll(async () => (await batches()).slice(pausedAt).filter((b) => b.kind === 'snapshot').length, { timeout: 5000 }).toBe(1);
    const resumed = (await batches()).slice(pausedAt).find((b) => b.kind === 'snapshot')!;
    expect(resumed.epoch).toBeGreaterThan((await batches())[0]!.epoch);
    expect(resumed.json).toContain('account page');
    await context.close();
  });

  it('the mirror forgets a removed subtree: a page that keeps replacing rows does not grow the mirror’s node map', async () => {
    const mirror = await build({ entryPoints: [path.resolve(import.meta.dirname, '../packages/cobrowse/src/mirror/index.ts')], bundle: true, format: 'iife', globalName: 'FDM', write: false });
    pages.set('/mirror', `<!doctype html><html><body><iframe id="m"></iframe><script>${mirror.outputFiles[0]!.text}</script></body></html>`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/mirror`);
    const known = await page.evaluate(async () => {
      const w = window as unknown as { FDM: any };
      let applied = 0;
      const m = new w.FDM.Mirror(document.getElementById('m'), { needSnapshot: () => {}, applied: () => applied++ });
      const text = (id: number, t: string) => ({ id, t: 'x', text: t });
      const el = (id: number, tag: string, kids: object[]) => ({ id, t: 'e', tag, attrs: {}, kids });
      const root = el(1, 'html', [el(2, 'head', []), el(3, 'body', [el(4, 'ul', [])])]);
      const frame = (seq: number, batch: object) => ({ epoch: 1, seq, kind: seq === 0 ? 'snapshot' : 'delta', encoding: 'json', payload: JSON.stringify(batch) });
      m.receive(frame(0, { kind: 'snapshot', at: 0, snapshot: { href: '', title: '', viewport: { width: 800, height: 600 }, scroll: { x: 0, y: 0 }, root } }));
      m.receive(frame(1, { kind: 'delta', at: 0, events: [{ k: 'add', parent: 4, before: null, node: el(10, 'li', [text(11, 'row')]) }] }));
      m.receive(frame(2, { kind: 'delta', at: 0, events: [{ k: 'remove', id: 10 }] }));
      for (let i = 0; i < 250 && applied < 3; i++) await new Promise((r) => setTimeout(r, 20));
      return [m.nodeOf(4) !== undefined, m.nodeOf(10) !== undefined, m.nodeOf(11) !== undefined];
    });
    expect(known).toEqual([true, false, false]);
    await context.close();
  });
});
