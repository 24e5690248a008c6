import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

// Another origin than the server's, on loopback; every request of it is fulfilled by the test.
const CRM = 'http://127.0.0.3:9';
const WORKBENCH_BUILT = fs.existsSync(path.resolve(import.meta.dirname, '../apps/workbench/dist/assets/workbench.js'));

/**
 * The SDK login script in a business's CRM page on another origin: it exchanges its single-use token
 * with the real server (a CORS request) and mounts the workbench into `data-target`, or a floating
 * panel. The workbench bundle is stood in for by a module defining `window.FrontdeskWorkbench` at
 * `/workbench/assets/workbench.js` (the real one may not be built in this run).
 */
describe('SDK login script in a CRM page (Chromium)', () => {
  let browser: Browser;
  let server: TestServer | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // The CRM page is fulfilled by Playwright: let it reach the loopback server.
    browser = await launchChromium({ args: ['--disable-features=LocalNetworkAccessChecks'] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function crmPage(base: string, scriptTag: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    await context.route(`${CRM}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>CRM</title><body><div id="desk"></div>${scriptTag}</body>` }),
    );
    await context.route(`${base}/workbench/assets/workbench.js`, (route) =>
      route.fulfill({
        headers: { 'access-control-allow-origin': '*' },
        contentType: 'text/javascript',
        body: `window.FrontdeskWorkbench = { mount(element, options) { element.setAttribute('data-mounted', options.agent.email); window.mountedWith = { ...options, elementId: element.id }; } };`,
      }),
    );
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    await page.goto(`${CRM}/desk`);
    return page;
  }

  const result = (page: Page) => page.waitForFunction(() => (window as any).FrontdeskSdkLogin, undefined, { timeout: 10_000 }).then((h) => h.jsonValue() as Promise<any>);

  it('a login URL signs the agent in and mounts the workbench into data-target, once; without a target it floats', async () => {
    server = await startTestServer('sqlite');
    const s = await seedApp(server, 'acme');
    const base = server.url;
    const login = async () => (await api(base, 'POST', `/v1/agents/${s.agent1.agent.id}/sdk-login`, { token: s.admin.token, body: {} })).body as { url: string; token: string };
    const scriptOf = (token: string, attrs = '') => `<script src="${base}/sdk/login.js?token=${token}"${attrs}></script>`;

    const { token } = await login();
    const page = await crmPage(base, scriptOf(token, ' data-target="#desk"'));
    expect(await result(page)).toMatchObject({ status: 'success', agent: { id: s.agent1.agent.id } });
    const mounted = await page.evaluate(() => (window as any).mountedWith);
    expect(mounted).toMatchObject({ floating: false, elementId: 'desk', appId: 'acme', baseUrl: base });
    expect(await page.getAttribute('#desk', 'data-mounted')).toBe('agent1@acme.test');
    // The session it got is a real agent session.
    expect((await api(base, 'GET', '/v1/me', { token: mounted.token })).body.agent.id).toBe(s.agent1.agent.id);

    // The same URL a second time (a reload) is refused.
    await page.reload();
    expect(await result(page)).toMatchObject({ status: 'error', errorMsg: expect.stringMatching(/invalid, expired or already used/) });

    // Without data-target: a floating panel.
    const floating = await crmPage(base, scriptOf((await login()).token));
    expect(await result(floating)).toMatchObject({ status: 'success' });
    expect(await floating.evaluate(() => (window as any).mountedWith)).toMatchObject({ floating: true, elementId: 'frontdesk-workbench' });
    expect(await floating.evaluate(() => getComputedStyle(document.getElementById('frontdesk-workbench')!).position)).toBe('fixed');
  }, 60_000);

  // With the real workbench build (npm run build), in a CRM page of another origin allowed on the app.
  it.skipIf(!WORKBENCH_BUILT)('the login script renders the real workbench, signed in as the agent', async () => {
    server = await startTestServer('sqlite');
    const s = await seedApp(server, 'acme');
    const base = server.url;
    await api(base, 'PATCH', '/v1/app', { token: s.admin.token, body: { allowedOrigins: [CRM] } });
    const { token } = (await api(base, 'POST', `/v1/agents/${s.agent1.agent.id}/sdk-login`, { token: s.admin.token, body: {} })).body;
    const context = await browser.newContext();
    contexts.push(context);
    await context.route(`${CRM}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>CRM</title><body><div id="desk" style="height:600px"></div><script src="${base}/sdk/login.js?token=${token}" data-target="#desk"></script></body>` }),
    );
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    await page.goto(`${CRM}/desk`);
    expect(await result(page)).toMatchObject({ status: 'success', agent: { id: s.agent1.agent.id } });
    await page.locator('#desk [data-testid="sign-out"]').waitFor({ timeout: 15_000 });
  }, 60_000);
});
