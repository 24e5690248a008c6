import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * The widget takes its upload limit from the server (`FRONTDESK_UPLOAD_MAX_BYTES`, published in the
 * channel's public view), not from a constant of its own: a server started with a small limit makes
 * it refuse a larger file before any byte is uploaded, naming that limit. A snippet attribute may
 * lower the limit, never raise it.
 */
const WIDGET_DIST = path.resolve(import.meta.dirname, '../apps/widget/dist/loader.js');
const APP_ID = 'shop';
const UPLOAD_MAX_BYTES = 300 * 1024;

const businessPage = (serverUrl: string, attributes: Record<string, string>) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Acme Tea Shop</h1>
<script type="module" async src="${serverUrl}/widget/loader.js" ${Object.entries(attributes)
  .map(([k, v]) => `data-${k}="${v}"`)
  .join(' ')}></script>
</body></html>`;

describe('widget upload limit in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let site: http.Server;
  let siteOrigin: string;
  const pages = new Map<string, string>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(WIDGET_DIST)) throw new Error('the widget is not built: run npm run build -w @frontdesk/widget');
    server = await startTestServer('sqlite', { FRONTDESK_UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) });
    await seedApp(server, APP_ID);
    site = http.createServer((request, response) => {
      const html = pages.get((request.url ?? '/').split('?')[0]!);
      response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    await server.app.services.tenancy.updateApp(APP_ID, { allowedOrigins: [siteOrigin] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await server?.close();
  });

  /** Opens the page's widget, picks a file of `sizeBytes` and returns the failure shown, and the uploads the page attempted. */
  async function offerFile(pagePath: string, attributes: Record<string, string>, sizeBytes: number) {
    pages.set(pagePath, businessPage(server.url, { 'app-id': APP_ID, locale: 'en', ...attributes }));
    const context = await browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/v1\/conversations\/[^/]+\/files/.test(request.url())) uploads.push(request.url());
    });
    await page.goto(siteOrigin + pagePath);
    await page.locator('frontdesk-widget button.launcher').click();
    const dialog = page.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => dialog.locator('textarea').count()).toBe(1);
    await dialog.locator('input[type=file]').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(sizeBytes, 1) });
    await expect.poll(() => dialog.locator('.meta .failed').count()).toBe(1);
    return { failure: await dialog.locator('.meta .failed').textContent(), uploads };
  }

  it("refuses a file over the server's limit before uploading it, naming that limit", async () => {
    const { failure, uploads } = await offerFile('/plain', {}, 400 * 1024);
    expect(failure).toBe('big.pdf is too large (at most 300 KB).');
    expect(uploads).toEqual([]);
  });

  it('a snippet attribute above the server limit does not raise it; one below lowers it', async () => {
    const higher = await offerFile('/higher', { 'max-file-mb': '5' }, 400 * 1024);
    expect(higher.failure).toBe('big.pdf is too large (at most 300 KB).');
    expect(higher.uploads).toEqual([]);

    const lower = await offerFile('/lower', { 'max-file-mb': '0.1' }, 200 * 1024);
    expect(lower.failure).toBe('big.pdf is too large (at most 102 KB).');
    expect(lower.uploads).toEqual([]);
  });
});
