import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, hostResolverRules, launchChromium, LOOPBACK_HOSTS } from './browser.ts';

/**
 * The harness's Chromium reaches loopback only: any other host name fails to resolve inside the
 * browser (no test names a public host, even to see it fail). A `*.localhost` name shows it happens
 * before any lookup: Chromium itself resolves `localhost` and every `*.localhost` name to loopback
 * without asking DNS (RFC 6761 §6.3; net's ResolveLocalHostname), so the control browser, whose rule
 * lets `*.localhost` through, reaches the local server by it at 127.0.0.1, and the harness's browser
 * does not. NOTE: the control keeps the rule for every other name: it reaches loopback only too.
 */
describe('launchChromium reaches loopback only', () => {
  let server: http.Server;
  let origin: string;
  let browser: Browser;
  /** Host and path of each request the server answered (the favicon's aside). */
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url !== '/favicon.ico') seen.push(`${req.headers.host}${req.url}`);
      res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** The fetch's status, or the network error Chromium gave the request. */
  async function fetchFrom(page: Page, url: string): Promise<number | string> {
    const failed = page.waitForEvent('requestfailed', { predicate: (request) => request.url() === url, timeout: 10_000 }).then(
      (request) => request.failure()?.errorText ?? 'failed',
      () => 'no requestfailed event',
    );
    const status = await page.evaluate((target) => fetch(target).then((res) => res.status, () => null), url);
    return status ?? failed;
  }

  it('fetches from loopback by address and by localhost; any other name fails to resolve, reaching nothing', async () => {
    const port = new URL(origin).port;
    const page = await browser.newPage();
    await page.goto(`${origin}/page`);
    expect(await fetchFrom(page, `${origin}/by-address`)).toBe(200);
    expect(await fetchFrom(page, `http://localhost:${port}/by-name`)).toBe(200);
    expect(await fetchFrom(page, `http://public.localhost:${port}/`)).toBe('net::ERR_NAME_NOT_RESOLVED');
    expect(seen).toEqual([`127.0.0.1:${port}/page`, `127.0.0.1:${port}/by-address`, `localhost:${port}/by-name`]);
    await page.close();
  });

  it('when the rule lets *.localhost through, Chromium resolves the same name to this server on loopback (the check above can fail)', async () => {
    const port = new URL(origin).port;
    const control = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', hostResolverRules([...LOOPBACK_HOSTS, '*.localhost'])] });
    try {
      const page = await control.newPage();
      await page.goto(`${origin}/page`);
      seen.length = 0;
      const url = `http://public.localhost:${port}/`;
      const answered = page.waitForResponse(url, { timeout: 10_000 });
      expect(await fetchFrom(page, url)).toBe(200);
      expect(await (await answered).serverAddr()).toEqual({ ipAddress: '127.0.0.1', port: Number(port) });
      expect(seen).toEqual([`public.localhost:${port}/`]);
    } finally {
      await control.close();
    }
  });

  it('an origin the test fulfils still loads: Playwright answers before the resolver is asked', async () => {
    const context = await browser.newContext();
    await context.route('http://shop.invalid/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Shop</title>' }));
    const page = await context.newPage();
    await page.goto('http://shop.invalid/');
    expect(await page.title()).toBe('Shop');
    await context.close();
  });
});
