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
});
