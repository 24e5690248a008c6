import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { bundle } from '../packages/sdk-agent/scripts/build.mjs';
import { launchChromium } from './browser.ts';

const PASSWORD = 'correct horse battery';

/**
 * Multi-tab sharing in a real browser: two tabs of one Chromium profile sign the same agent in
 * with `multiTab: true`; one tab holds the socket (Web Locks), the other relays through it
 * (BroadcastChannel), nobody is kicked; closing the leader hands over. The page is served on the
 * server's own origin (Playwright routes it), with the SDK bundle built here by esbuild.
 */
describe('agent SDK multi-tab sharing (Chromium)', () => {
  let browser: Browser;
  let sdkScript: string;
  let server: TestServer | undefined;
  const contexts: BrowserContext[] = [];
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    // The page is fulfilled by Playwright, so Chromium cannot tell it came from loopback and would
    // block its socket to 127.0.0.1 as a public page reaching the local network.
    browser = await launchChromium({ args: ['--disable-features=LocalNetworkAccessChecks'] });
    sdkScript = (await bundle({ format: 'iife', write: false })).code.toString('utf8');
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await Promise.all(sockets.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  /** A browser profile whose pages at `${server}/sdk-test/` load the SDK. */
  async function profile(base: string): Promise<BrowserContext> {
    const context = await browser.newContext();
    contexts.push(context);
    await context.route(`${base}/sdk-test/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname.endsWith('/sdk.js')) return route.fulfill({ contentType: 'text/javascript', body: sdkScript });
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>CRM</title><script src="/sdk-test/sdk.js"></script>' });
    });
    return context;
  }

  /** Opens a tab that signs agent1 in with multi-tab sharing and records the SDK's events. */
  async function tab(context: BrowserContext, base: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    page.on('console', (m) => process.env.E2E_DEBUG && console.log('[page]', m.text()));
    await page.goto(`${base}/sdk-test/page.html`);
    await page.evaluate(
      ({ base, password }) => {
        const w = window as any;
        w.sdk = w.FrontdeskAgentSdk.createAgentClient({ baseUrl: base, appId: 'acme', credentials: { email: 'agent1@acme.test', password }, multiTab: true });
        w.seen = [];
        for (const name of Object.values(w.sdk.events)) w.sdk.on(name, (payload: unknown) => w.seen.push({ name, payload }));
        w.started = w.sdk.start();
      },
      { base, password: PASSWORD },
    );
    return page;
  }

  const started = (page: Page) => page.evaluate(() => (window as any).started);
  const seen = (page: Page, name: string) => page.evaluate((n) => (window as any).seen.filter((e: any) => e.name === n).map((e: any) => e.payload), name);
  const waitForEvent = (page: Page, name: string, predicate = '() => true') =>
    page.waitForFunction(([n, p]) => (window as any).seen.some((e: any) => e.name === n && new Function(`return (${p})`)()(e.payload)), [name, predicate] as const, { timeout: 10_000 });

  it('two tabs of one browser share one session and socket; the other tab takes over when the leader closes; another browser kicks them', async () => {
    server = await startTestServer('sqlite');
    const s = await seedApp(server, 'acme');
    const base = server.url;
    await api(base, 'PATCH', '/v1/app', { token: s.admin.token, body: { allowedOrigins: [base] } });
    const queue = (await api(base, 'POST', '/v1/queues', { token: s.admin.token, body: { name: 'sales', ringTimeoutSeconds: 60 } })).body;
    await api(base, 'PUT', `/v1/agents/${s.agent1.agent.id}/skills`, { token: s.admin.token, body: { skills: [{ queueId: queue.id }] } });
    await api(base, 'PATCH', '/v1/channels/default', { token: s.admin.token, body: { queueId: queue.id } });

    const browserOne = await profile(base);
    const first = await tab(browserOne, base);
    const firstReady = await started(first);
    expect(firstReady).toMatchObject({ status: 'success', data: { isLeader: true, agent: { id: s.agent1.agent.id } } });
    const second = await tab(browserOne, base);
    const secondReady = await started(second);
    expect(secondReady).toMatchObject({ status: 'success', data: { isLeader: false, agent: { id: s.agent1.agent.id } } });
    expect(secondReady.data.tabUUID).not.toBe(firstReady.data.tabUUID);

    // One socket for the agent, whatever the number of tabs.
    expect(server.app.gateway.connectionCount()).toBe(1);

    // The follower's call runs in the leader; both tabs see the change.
    const rest = await second.evaluate(() => (window as any).sdk.Agent.setStatus({ status: 'rest', restReason: 'tea' }));
    expect(rest).toMatchObject({ status: 'success', data: { status: 'rest', reason: 'tea' } });
    await waitForEvent(first, 'statusChanged', "(e) => e.status === 'rest'");
    await waitForEvent(second, 'statusChanged', "(e) => e.status === 'rest'");
    expect(await second.evaluate(() => (window as any).sdk.Agent.getStatus().status)).toBe('rest');
    expect(await first.evaluate(() => (window as any).sdk.Agent.online())).toMatchObject({ status: 'success' });

    // An offer rings in both tabs; the second tab accepts it: userAccessed names that tab.
    const session = (await api(base, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body;
    const conversation = (await api(base, 'POST', '/v1/conversations', { token: session.token })).body;
    await waitForEvent(first, 'callIn', `(e) => e.sessionId === '${conversation.id}'`);
    await waitForEvent(second, 'callIn', `(e) => e.sessionId === '${conversation.id}'`);
    const accepted = await second.evaluate((id) => (window as any).sdk.Chat.accept({ sessionId: id }), conversation.id);
    expect(accepted).toMatchObject({ status: 'success' });
    await waitForEvent(first, 'userAccessed', `(e) => e.sessionId === '${conversation.id}' && e.tabUUID === '${secondReady.data.tabUUID}'`);
    expect(await seen(first, 'kickedOut')).toEqual([]);
    expect(await seen(second, 'kickedOut')).toEqual([]);

    // The leader tab closes: the other one takes the lock and the socket, with the same session.
    await first.close();
    await waitForEvent(second, 'leaderChanged', '(e) => e.isLeader === true');
    await second.waitForFunction(() => (window as any).sdk.connectionState === 'connected', undefined, { timeout: 10_000 });
    const sent = await second.evaluate((id) => (window as any).sdk.Chat.send({ sessionId: id, text: 'hello from the second tab' }), conversation.id);
    expect(sent).toMatchObject({ status: 'success', data: { text: 'hello from the second tab' } });
    expect(await seen(second, 'kickedOut')).toEqual([]);

    // Another browser signing the same agent in is a second login: this browser is kicked out.
    const browserTwo = await profile(base);
    const elsewhere = await tab(browserTwo, base);
    expect(await started(elsewhere)).toMatchObject({ status: 'success', data: { isLeader: true } });
    await waitForEvent(second, 'kickedOut', "(e) => e.reason === 'replaced'");
  }, 60_000);
});
