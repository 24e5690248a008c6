import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { chromiumPath, LOOPBACK_ONLY_FLAG } from './browser.ts';
import { decodeCobrowseFrames, SECRETS, shopPage, startSite } from './cobrowse-pages.ts';

/**
 * The co-browse browser extension (Manifest V3) in Chromium: loaded unpacked, it shares a page that
 * does not include the widget, tied to the conversation by the short code the agent reads out.
 */
const EXTENSION = path.resolve(import.meta.dirname, '../apps/cobrowse-extension/dist');

describe('the co-browse extension in Chromium', () => {
  let server: TestServer;
  let site: Awaited<ReturnType<typeof startSite>>;
  let context: BrowserContext;
  let userDataDir: string;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    if (!fs.existsSync(path.join(EXTENSION, 'manifest.json'))) throw new Error('the extension is not built: npm run build -w @frontdesk/cobrowse-extension');
    [server, site] = await Promise.all([startTestServer('sqlite'), startSite(pages)]);
    // The shop without the widget's snippet.
    pages.set('/no-widget', shopPage(server.url, {}).replace(/<script type="module"[^>]*><\/script>/, ''));
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-extension-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, LOOPBACK_ONLY_FLAG],
    });
  });

  afterAll(async () => {
    await context?.close();
    await site?.close();
    await server?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('loads, and with the code the agent read out shares a page without the widget; masked values stay in the page', async () => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    // NOTE: Node's URL gives a chrome-extension: URL the origin 'null'.
    const extensionOrigin = /^chrome-extension:\/\/[^/]+/.exec(worker.url())?.[0] ?? '';
    expect(extensionOrigin).toMatch(/^chrome-extension:\/\/[a-p]{32}$/);
    const seeded = await seedApp(server, 'acme');
    // The app allows the extension's origin (its WebSocket comes from there).
    expect((await api(server.url, 'PATCH', '/v1/app', { token: seeded.admin.token, body: { allowedOrigins: [extensionOrigin] } })).status).toBe(200);
    // The channel's rules apply in a page without the widget too: its masked note never leaves the tab.
    expect((await api(server.url, 'PATCH', '/v1/channels/default', { token: seeded.admin.token, body: { cobrowse: { maskSelectors: ['.secret-note'] } } })).status).toBe(200);
    const visitor = await newVisitor(server, 'acme');
    expect((await api(server.url, 'POST', `/v1/conversations/${visitor.conversationId}/claim`, { token: seeded.agent1.token })).status).toBe(200);
    const agent = await TestClient.connect(`${server.url.replace(/^http/, 'ws')}/v1/ws?appId=acme`);
    expect((await agent.request({ type: 'hello', token: seeded.agent1.token })).ok).toBe(true);

    // Only the agent holding the conversation gets a code; a wrong code is refused.
    expect((await api(server.url, 'POST', `/v1/conversations/${visitor.conversationId}/cobrowse/code`, { token: seeded.agent2.token })).status).toBe(403);
    const { body: code } = await api(server.url, 'POST', `/v1/conversations/${visitor.conversationId}/cobrowse/code`, { token: seeded.agent1.token });
    expect(code.code).toMatch(/^[A-Z2-9]{8}$/);

    const page = await context.newPage();
    await page.goto(`${site.origin}/no-widget`);
    await page.locator('#password').fill(SECRETS.password);
    const tabId = (await worker.evaluate(`chrome.tabs.query({ active: true, lastFocusedWindow: true }).then((tabs) => tabs[0].id)`)) as number;
    const share = (args: object) => worker.evaluate(`globalThis.frontdeskShare(${JSON.stringify(args)}).then((r) => r, (e) => ({ error: e.message }))`) as Promise<{ sessionId?: string; error?: string }>;
    expect((await share({ server: server.url, appId: 'acme', code: 'WRONG123', tabId })).error).toContain('not valid');
    const shared = await share({ server: server.url, appId: 'acme', code: code.code.toLowerCase(), tabId });
    expect(shared.error).toBeUndefined();
    expect(shared.sessionId).toBeTruthy();
    // Used up: the same code again is refused.
    expect((await api(server.url, 'POST', '/v1/cobrowse/join', { body: { appId: 'acme', code: code.code } })).status).toBe(404);

    await page.locator('frontdesk-cobrowse').waitFor({ state: 'attached', timeout: 10_000 });
    const view = await agent.request({ type: 'cobrowse.view', sessionId: shared.sessionId, viewing: true });
    expect(view.data).toMatchObject({ status: 'live', startedBy: 'visitor', visitorId: visitor.visitorId });
    await agent.waitFor(() => agent.events.some((e) => e.type === 'cobrowse.data' && e.kind === 'snapshot'), 10_000);
    await page.locator('#card').fill(SECRETS.card);
    await page.evaluate(() => document.querySelector('h1')!.append(' (shared)'));
    const raw = () => agent.events.filter((e) => e.type === 'cobrowse.data').map((e) => JSON.stringify(e));
    await expect.poll(() => decodeCobrowseFrames(raw()).some((b) => b.json.includes('(shared)')), { timeout: 10_000 }).toBe(true);
    const wire = decodeCobrowseFrames(raw()).map((b) => b.json).join('\n');
    expect(wire).toContain('Acme Tea Shop');
    expect(wire.includes(SECRETS.password) || wire.includes(SECRETS.card)).toBe(false);
    expect(wire).not.toContain(SECRETS.note);
    await page.screenshot({ path: path.resolve(import.meta.dirname, 'screenshots/cobrowse-extension.png') });
    await agent.close();
  });
});
