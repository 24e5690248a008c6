import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * The visitor SDK in a real browser: the global WebSocket, localStorage as the default storage
 * (a reload is the same visitor), and XMLHttpRequest upload progress. The page is served on the
 * server's own origin (Playwright routes it), with the SDK bundled here by esbuild.
 */
describe('visitor SDK in Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  let sdkScript: string;

  beforeAll(async () => {
    // A page Playwright fulfils counts as public to Chromium, which then blocks its loopback WebSocket.
    [browser, server] = await Promise.all([launchChromium({ args: ['--disable-features=LocalNetworkAccessChecks'] }), startTestServer('sqlite')]);
    seeded = await seedApp(server, 'acme');
    await server.app.services.tenancy.updateApp('acme', { allowedOrigins: [server.url] });
    const result = await build({
      entryPoints: [path.resolve(import.meta.dirname, '../packages/sdk-visitor/src/index.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'FrontdeskVisitorSdk',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    sdkScript = result.outputFiles[0]!.text;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Loads the page and starts a client that records its events in `window.seen`. */
  async function open(page: Page): Promise<void> {
    await page.goto(`${server.url}/sdk-visitor-test/page.html`);
    await page.evaluate(async (base) => {
      const w = window as any;
      w.seen = [];
      w.client = w.FrontdeskVisitorSdk.createVisitorClient({ baseUrl: base, appId: 'acme' });
      for (const name of ['message', 'messageStatus', 'state', 'error']) w.client.on(name, (payload: unknown) => w.seen.push({ name, payload }));
      await w.client.connect();
    }, server.url);
  }

  it('connects with the browser WebSocket, uploads with XHR progress, and a reload is the same visitor with its history', async () => {
    const context = await browser.newContext();
    await context.route(`${server.url}/sdk-visitor-test/**`, (route) => {
      if (route.request().url().endsWith('/sdk.js')) return route.fulfill({ contentType: 'text/javascript', body: sdkScript });
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Shop</title><script src="/sdk-visitor-test/sdk.js"></script>' });
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    page.on('console', (m) => process.env.E2E_DEBUG && console.log('[page]', m.text()));
    await open(page);

    const first = await page.evaluate(async () => {
      const w = window as any;
      const conversation = await w.client.startConversation();
      const text = await w.client.send('hello from Chromium');
      const bytes = new Uint8Array(300_000);
      bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
      const progress: number[] = [];
      const image = await w.client.sendFile(new Blob([bytes], { type: 'image/png' }), 'photo.png', (p: { loadedBytes: number }) => progress.push(p.loadedBytes));
      const downloaded = await w.client.fetchFile(image.file);
      const tooLarge = await w.client.sendFile(new Blob([new Uint8Array(11 * 1024 * 1024)], { type: 'image/png' }), 'huge.png').then(
        () => null,
        (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
      );
      return { visitorId: w.client.visitorId, conversationId: conversation.id, text, image, progress, downloadedBytes: downloaded.size, state: w.client.state, tooLarge };
    });
    expect(first.state).toBe('open');
    expect(first.text.text).toBe('hello from Chromium');
    expect(first.image).toMatchObject({ kind: 'image', file: { sizeBytes: 300_000 } });
    expect(first.progress[0]).toBe(0);
    expect(first.progress.at(-1)).toBe(300_000);
    expect(first.downloadedBytes).toBe(300_000);
    expect(first.tooLarge).toMatchObject({ code: 'FD_FILE_TOO_LARGE', message: expect.stringContaining('10485760') });

    await page.reload();
    await open(page);
    const after = await page.evaluate(async () => {
      const w = window as any;
      const history = await w.client.history();
      return { visitorId: w.client.visitorId, conversationId: w.client.conversation?.id, kinds: history.messages.map((m: { kind: string }) => m.kind) };
    });
    expect(after).toEqual({ visitorId: first.visitorId, conversationId: first.conversationId, kinds: ['text', 'image'] });

    await api(server.url, 'POST', `/v1/conversations/${first.conversationId}/claim`, { token: seeded.agent1.token });
    await api(server.url, 'POST', `/v1/conversations/${first.conversationId}/messages`, { token: seeded.agent1.token, body: { clientId: 'e2e-1', text: '<b>hi</b> from the agent' } });
    await page.waitForFunction(() => (window as any).seen.some((e: any) => e.name === 'message' && e.payload.text === '<b>hi</b> from the agent'), undefined, { timeout: 10_000 });
    const messages = await page.evaluate(() => (window as any).seen.filter((e: any) => e.name === 'message').map((e: any) => e.payload.seq));
    expect(new Set(messages).size).toBe(messages.length);
    await context.close();
  });

  it('a call the browser may not make fails with a typed error before anybody is rung: permission denied, or no WebRTC on an insecure page', async () => {
    // No fake-UI flag: the camera prompt cannot be answered, so Chromium denies it.
    const denying = await launchChromium({ grantMedia: false, args: ['--disable-features=LocalNetworkAccessChecks'] });
    // NOTE: not loopback on purpose (loopback pages are secure contexts, with WebRTC); `.invalid` never
    // resolves (RFC 6761) and every request of this origin is fulfilled by the test.
    const shop = 'http://shop.invalid';
    await server.app.services.tenancy.updateApp('acme', { allowedOrigins: [server.url, shop] });
    await api(server.url, 'PATCH', '/v1/channels/default', { token: seeded.admin.token, body: { calls: { video: true, audio: true } } });
    try {
      const attempt = async (origin: string) => {
        const context = await denying.newContext();
        // NOTE: the shop answers every request of its own (a favicon too), so none of them reaches the
        // resolver; routes registered later are asked first.
        if (origin === shop) await context.route(`${shop}/**`, (route) => route.fulfill({ status: 404 }));
        await context.route(`${origin}/sdk-visitor-test/**`, (route) => {
          if (route.request().url().endsWith('/sdk.js')) return route.fulfill({ contentType: 'text/javascript', body: sdkScript });
          return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Shop</title><script src="/sdk-visitor-test/sdk.js"></script>' });
        });
        const page = await context.newPage();
        await page.goto(`${origin}/sdk-visitor-test/page.html`);
        const result = await page.evaluate(async (base) => {
          const client = (window as any).FrontdeskVisitorSdk.createVisitorClient({ baseUrl: base, appId: 'acme' });
          await client.connect();
          const conversation = await client.startConversation();
          const error = await client.startCall({ video: true }).then(
            () => null,
            (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
          );
          return { isSupported: client.isCallSupported(), error, conversationId: conversation.id, call: client.call };
        }, server.url);
        await context.close();
        return result;
      };
      const denied = await attempt(server.url);
      expect(denied).toMatchObject({ isSupported: true, error: { code: 'FD_SDK_MEDIA_PERMISSION_DENIED' }, call: null });
      const insecure = await attempt(shop);
      expect(insecure).toMatchObject({ isSupported: false, error: { code: 'FD_SDK_MEDIA_UNSUPPORTED' }, call: null });
      // Nobody was rung: no call exists in either conversation.
      for (const { conversationId } of [denied, insecure]) {
        expect((await api(server.url, 'GET', `/v1/conversations/${conversationId}/calls`, { token: seeded.admin.token })).body.calls).toEqual([]);
      }
    } finally {
      await denying.close();
    }
  });
});
