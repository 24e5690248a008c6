import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../apps/server/src/app.ts';
import { vtcSecretOf } from '../apps/server/src/modules/compat/index.ts';
import { formatAuthV2Timestamp, signAuthV2 } from '../apps/server/src/modules/identity/auth-v2.ts';
import { ManualClock } from '../apps/server/src/platform/clock.ts';
import { api, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';
import { XSS_AGENT_NAME, XSS_TEXTS, XSS_VISITOR_NAME, xssFileName, xssTraces } from './xss.ts';

/**
 * The visitor widget in Chromium, embedded by its snippet in a business page served from another
 * origin than the Frontdesk server, as on a real site. One server, one browser; the agent side is
 * driven through the API and WebSocket.
 */
const WIDGET_DIST = path.resolve(import.meta.dirname, '../apps/widget/dist/loader.js');
const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const APP_ID = 'shop';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The panel is connected: "Online" while an agent who serves its channel is free or busy, else it says nobody is available. */
const CONNECTED = /^(Online|No agent available right now)$/;
const attribute = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);


async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The business's site: a plain page per request path, on its own origin. */
function startBusinessSite(pages: Map<string, string>) {
  const site = http.createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/validate') {
      // The business's token check (identity mode `token`): only the token it issued to u-2002.
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { Token, userId } = JSON.parse(body) as { Token: string; userId: string };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ retCode: Token === 'tok-2002' && userId === 'u-2002' ? 0 : 1 }));
      });
      return;
    }
    const html = pages.get((request.url ?? '/').split('?')[0]!);
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  return new Promise<{ origin: string; close: () => Promise<void> }>((resolve) =>
    site.listen(0, '127.0.0.1', () =>
      resolve({ origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}`, close: () => new Promise((r) => site.close(() => r())) }),
    ),
  );
}

const businessPage = (serverUrl: string, attributes: Record<string, string>, before = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<style>body{font:16px Georgia,serif;margin:40px;background:#fafaf7} button{background:red!important}</style></head>
<body><h1>Acme Tea Shop</h1><p>Fresh tea, shipped in 48 hours.</p>${before}
<script type="module" async src="${serverUrl}/widget/loader.js" ${Object.entries(attributes)
  .map(([k, v]) => `data-${k}="${v}"`)
  .join(' ')}></script>
</body></html>`;

describe('widget in Chromium', () => {
  let server: TestServer;
  let site: Awaited<ReturnType<typeof startBusinessSite>>;
  let browser: Browser;
  const pages = new Map<string, string>();
  const contexts: BrowserContext[] = [];
  const sockets: TestClient[] = [];
  let seed: Awaited<ReturnType<typeof seedApp>>;

  const ok = async (method: string, route: string, token: string, body?: unknown) => {
    const res = await api(server.url, method, route, { token, ...(body === undefined ? {} : { body }) });
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const agentSocket = async (token: string, status?: string) => {
    const client = await TestClient.connect(server.wsUrl(APP_ID));
    sockets.push(client);
    const hello = await client.request({ type: 'hello', token });
    if (!hello.ok) throw new Error(JSON.stringify(hello));
    if (status) expect((await client.request({ type: 'agent.status.set', status })).ok).toBe(true);
    return client;
  };
  const openPage = async (
    pagePath: string,
    options: { viewport?: { width: number; height: number }; mobile?: boolean; locale?: string; geolocation?: { latitude: number; longitude: number } } = {},
  ) => {
    const context = await browser.newContext({
      ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
      viewport: options.viewport ?? { width: 1280, height: 800 },
      isMobile: options.mobile ?? false,
      hasTouch: options.mobile ?? false,
      locale: options.locale ?? 'en-US',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
    await page.goto(site.origin + pagePath);
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const messageTexts = (page: Page) => page.locator('frontdesk-widget .log li .bubble').allTextContents();
  const openConversations = async () => (await ok('GET', '/v1/conversations?status=open', seed.admin.token)).conversations as { id: string; visitorId: string }[];

  beforeAll(async () => {
    if (!fs.existsSync(WIDGET_DIST)) throw new Error('the widget is not built: run npm run build -w @frontdesk/widget');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // A fixed port, so that the server comes back where the widget reconnects after restart().
    server = await startTestServer('sqlite', { PORT: String(await freePort()), FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, APP_ID);
    site = await startBusinessSite(pages);
    await server.app.services.tenancy.updateApp(APP_ID, { allowedOrigins: [site.origin] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => {});
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  let page: Page;
  let conversationId: string;
  let agent: TestClient;

  it('the snippet shows a launcher on a plain page without touching its styles or globals', async () => {
    pages.set('/plain', `<!doctype html><html><head><title>blank</title></head><body><p>blank</p></body></html>`);
    pages.set('/shop', businessPage(server.url, { 'app-id': APP_ID, 'channel-id': 'default', locale: 'en', color: '#0f766e' }));
    const blank = await openPage('/plain');
    const blankGlobals = await blank.evaluate(() => Object.keys(window));

    page = await openPage('/shop');
    const launcher = page.locator('frontdesk-widget button.launcher');
    await expect.poll(() => launcher.isVisible()).toBe(true);
    expect(await launcher.textContent()).toBe('Chat with us');
    expect(await launcher.getAttribute('aria-haspopup')).toBe('dialog');
    // The page's `button { background: red !important }` does not reach into the shadow root.
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(15, 118, 110)');
    // One global (Frontdesk), no style sheets added to the document, the panel not loaded yet.
    const added = (await page.evaluate(() => Object.keys(window))).filter((k) => !blankGlobals.includes(k));
    expect(added).toEqual(['Frontdesk']);
    expect(await page.evaluate(() => document.styleSheets.length)).toBe(1);
    expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.includes('/widget/panel-')).length)).toBe(0);
    await shot(page, 'launcher-desktop');
  });

  it('a visitor chats with an agent: keyboard, typing, read state, text only', async () => {
    // Keyboard: the launcher is a button; it opens a dialog with the message box focused.
    await page.locator('frontdesk-widget button.launcher').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.querySelector('frontdesk-widget')!.shadowRoot!.activeElement?.tagName)).toBe('TEXTAREA');
    await expect.poll(() => dialog.locator('.status').textContent()).toBe('No agent available right now');

    await page.keyboard.type('Hello, I need help with my order');
    await page.keyboard.press('Enter');
    await expect.poll(() => messageTexts(page)).toEqual(['Hello, I need help with my order']);

    conversationId = (await openConversations())[0]!.id;
    agent = await agentSocket(seed.agent1.token);
    // The first lookup of the agent's name fails (as in a race with the assignment); no other frame
    // names the agent before the assertion, so the panel must ask again by itself.
    await page.route(
      (url) => url.pathname.endsWith(`/agents/${seed.agent1.agent.id}`),
      (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'FD_AGENT_NOT_FOUND', message: 'not yet' } }) }),
      { times: 1 },
    );
    await ok('POST', `/v1/conversations/${conversationId}/claim`, seed.agent1.token);
    // The visitor sees the agent by its display name (read through the conversation, not the staff list).
    await expect.poll(() => dialog.locator('.log .notice').allTextContents(), { timeout: 5000 }).toContain('agent1 joined the conversation');
    // With an agent on the conversation, the panel is online.
    await expect.poll(() => dialog.locator('.status').textContent()).toBe('Online');

    agent.send({ type: 'typing', conversationId, isTyping: true });
    await expect.poll(() => dialog.locator('.typing').textContent()).toBe('agent1 is typing…');
    expect((await agent.request({ type: 'message.send', conversationId, clientId: 'a-1', text: 'Hi! Which order?' })).ok).toBe(true);
    await expect.poll(() => messageTexts(page)).toEqual(['Hello, I need help with my order', 'Hi! Which order?']);
    expect(await dialog.locator('.typing').textContent()).toBe('');
    // The agent reads the visitor's message: the visitor sees it read.
    const last = (await ok('GET', `/v1/conversations/${conversationId}`, seed.agent1.token)).lastSeq;
    expect((await agent.request({ type: 'read', conversationId, seq: last })).ok).toBe(true);
    await expect.poll(() => dialog.locator('.msg.visitor .meta').first().textContent()).toMatch(/· Read$/);
    // The visitor's panel marked the agent's message read while open.
    await expect.poll(async () => (await ok('GET', `/v1/conversations/${conversationId}`, seed.agent1.token)).visitorReadSeq).toBe(last);

    // Chat content is only ever text: markup stays text, only http(s) links become links.
    const hostile = '<img src=x onerror="window.__pwned=1"> see http://127.0.0.1:9/a?b=1 or javascript:alert(1)';
    expect((await agent.request({ type: 'message.send', conversationId, clientId: 'a-2', text: hostile })).ok).toBe(true);
    const bubble = dialog.locator('.msg.agent .bubble').last();
    await expect.poll(() => bubble.textContent()).toBe(hostile);
    expect(await dialog.locator('.log img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    const links = await bubble.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target') })));
    expect(links).toEqual([{ href: 'http://127.0.0.1:9/a?b=1', rel: 'noopener noreferrer', target: '_blank' }]);
    await shot(page, 'panel-desktop');

    // Escape closes the dialog and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.querySelector('frontdesk-widget')!.shadowRoot!.activeElement?.className)).toContain('launcher');

    // While it is closed, the launcher counts the agent's new messages.
    expect((await agent.request({ type: 'message.send', conversationId, clientId: 'a-2b', text: 'Are you still there?' })).ok).toBe(true);
    const launcher = page.locator('frontdesk-widget button.launcher');
    await expect.poll(() => launcher.locator('.badge').textContent()).toBe('1');
    await shot(page, 'launcher-unread');
    expect(await launcher.getAttribute('aria-label')).toBe('Chat with us (1 new)');
    await launcher.click();
    await expect.poll(() => launcher.locator('.badge').count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('history comes back on reload, and a server restart mid-conversation loses and repeats nothing', async () => {
    await page.reload();
    await page.locator('frontdesk-widget button.launcher').click();
    const dialog = page.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => messageTexts(page)).toHaveLength(4);
    await expect.poll(() => dialog.locator('.status').textContent()).toBe('Online');

    await agent.close();
    await server.app.close();
    await expect.poll(() => dialog.locator('.banner.reconnecting').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await dialog.locator('.banner.reconnecting').textContent()).toBe('Reconnecting…');
    // Sent while the server is down: kept in the outbox, shown as sending.
    await dialog.locator('textarea').fill('Order 1234, sent while you were away');
    await dialog.locator('textarea').press('Enter');
    await expect.poll(() => dialog.locator('.msg.visitor .meta').last().textContent()).toBe('Sending…');
    await shot(page, 'panel-reconnecting');

    // restart() builds the app again on the same storage (and, here, the same port).
    server.app = await buildApp(server.app.config, {});
    server.url = await server.app.listen();
    await expect.poll(() => dialog.locator('.banner.reconnecting').count(), { timeout: 20_000 }).toBe(0);
    agent = await agentSocket(seed.agent1.token);
    expect((await agent.request({ type: 'message.send', conversationId, clientId: 'a-3', text: 'Found it, it ships today.' })).ok).toBe(true);
    const expected = ['Hello, I need help with my order', 'Hi! Which order?', expect.stringContaining('<img'), 'Are you still there?', 'Order 1234, sent while you were away', 'Found it, it ships today.'];
    await expect.poll(() => messageTexts(page), { timeout: 10_000 }).toEqual(expected);
    const stored = (await ok('GET', `/v1/conversations/${conversationId}/messages`, seed.agent1.token)).messages as { text: string; senderType: string }[];
    expect(stored.filter((m) => m.senderType !== 'system').map((m) => m.text)).toEqual(expected);
  });

  it('the visitor rates the conversation (stars and comment) while it is open', async () => {
    const dialog = page.locator('frontdesk-widget [role=dialog]');
    await dialog.locator('header button[aria-label="Rate this conversation"]').click();
    await dialog.locator('.rating input[aria-label="4 of 5 stars"]').check();
    await dialog.locator('.rating textarea').fill('Quick and kind');
    await dialog.locator('.rating button[type=submit]').click();
    await expect.poll(() => dialog.locator('.rating .thanks').textContent()).toBe('Thank you for your feedback!');
    const rating = await ok('GET', `/v1/conversations/${conversationId}/rating`, seed.admin.token);
    expect(rating).toMatchObject({ stars: 4, comment: 'Quick and kind' });
  });

  it('bot answers an FAQ, then hands off to an agent through the queue', async () => {
    const queue = await ok('POST', '/v1/queues', seed.admin.token, { name: 'Support', ringTimeoutSeconds: 30 });
    await ok('PUT', `/v1/agents/${seed.agent2.agent.id}/skills`, seed.admin.token, { skills: [{ queueId: queue.id, level: 3 }] });
    const channel = await ok('POST', '/v1/channels', seed.admin.token, { name: 'Support', queueId: queue.id, bot: { enabled: true, name: 'Teabot' } });
    await ok('POST', `/v1/channels/${channel.id}/faqs`, seed.admin.token, { question: 'How long does shipping take?', keywords: ['shipping', 'delivery'], answer: 'We ship within 48 hours.', locale: 'en' });
    pages.set('/support', businessPage(server.url, { 'app-id': APP_ID, 'channel-id': channel.id, locale: 'en' }));
    const agent2 = await agentSocket(seed.agent2.token, 'rest');

    const visitor = await openPage('/support');
    await visitor.locator('frontdesk-widget button.launcher').click();
    const dialog = visitor.locator('frontdesk-widget [role=dialog]');
    await dialog.locator('textarea').fill('How long does shipping take?');
    await dialog.locator('textarea').press('Enter');
    await expect.poll(() => dialog.locator('.msg.bot .bubble').allTextContents()).toContain('We ship within 48 hours.');
    expect(await dialog.locator('.msg.bot .name').first().textContent()).toBe('Teabot');

    // Nobody is free: the hand-off waits in the queue, and the visitor sees where it stands.
    await dialog.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(() => dialog.locator('.banner.queue').textContent()).toMatch(/^You are number 1 in the queue\./);
    await shot(visitor, 'panel-queue');
    const offered = (async () => {
      await agent2.waitFor(() => agent2.events.some((e) => e.type === 'offer'), 10_000);
      return agent2.events.find((e) => e.type === 'offer') as { conversationId: string };
    })();
    expect((await agent2.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const offer = await offered;
    expect((await agent2.request({ type: 'offer.accept', conversationId: offer.conversationId })).ok).toBe(true);
    await expect.poll(() => dialog.locator('.log .notice').allTextContents()).toContain('agent2 joined the conversation');
    expect(await dialog.locator('.banner.queue').count()).toBe(0);
    expect((await agent2.request({ type: 'message.send', conversationId: offer.conversationId, clientId: 'b-1', text: 'Hello, this is Bob.' })).ok).toBe(true);
    await expect.poll(() => dialog.locator('.msg.agent .bubble').allTextContents()).toEqual(['Hello, this is Bob.']);
    expect(await dialog.locator('.msg.agent .name').allTextContents()).toEqual(['agent2']);

    // Transferred to agent1: each join and leave notice keeps naming the agent who joined or left then.
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    await ok('POST', `/v1/conversations/${offer.conversationId}/transfer`, seed.agent2.token, { agentId: seed.agent1.agent.id });
    const moves = () => dialog.locator('.log .notice').allTextContents().then((all) => all.filter((text) => / (joined|left) the conversation$/.test(text)));
    await expect.poll(moves).toEqual(['agent2 joined the conversation', 'agent2 left the conversation', 'agent1 joined the conversation']);

    // The agent ends it: the visitor is told, may rate it, and may start again.
    await ok('POST', `/v1/conversations/${offer.conversationId}/close`, seed.agent1.token);
    await expect.poll(() => dialog.locator('.log .notice').allTextContents()).toContain('The conversation has ended');
    expect(await dialog.locator('textarea').count()).toBe(0);
    await shot(visitor, 'panel-ended');
    await dialog.getByRole('button', { name: 'Start a new conversation' }).click();
    await expect.poll(() => dialog.locator('textarea').count()).toBe(1);
    expect(await messageTexts(visitor)).toEqual([]);
  });

  it('files upload with progress and limits, images show, locations link to a map; off hours are said', async () => {
    const closed = await ok('POST', '/v1/channels', seed.admin.token, {
      name: 'Evening desk',
      hours: { timeZone: 'UTC', workdays: [], workdayPeriods: [], nonWorkdayPeriods: [], offHoursMessage: 'We are closed for today, leave us a message.' },
    });
    pages.set('/closed', businessPage(server.url, { 'app-id': APP_ID, 'channel-id': closed.id, locale: 'en', 'max-file-mb': '2' }));
    const visitor = await openPage('/closed', { geolocation: { latitude: 31.2304, longitude: 121.4737 } });
    await visitor.locator('frontdesk-widget button.launcher').click();
    const dialog = visitor.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => dialog.locator('.banner').first().textContent()).toBe('We are closed for today, leave us a message.');

    // An image: uploaded, then shown from the server (fetched with the visitor's token).
    const files = dialog.locator('input[type=file]');
    await files.setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') });
    await expect.poll(() => dialog.locator('.log img').getAttribute('src')).toMatch(/^blob:/);
    expect(await dialog.locator('.log img').getAttribute('alt')).toBe('Image dot.png');

    // Over the snippet's limit: refused before upload.
    await files.setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(3 * 1024 * 1024, 1) });
    await expect.poll(() => dialog.locator('.meta .failed').textContent()).toBe('big.pdf is too large (at most 2.0 MB).');

    // A slow upload shows its progress.
    const cdp = await visitor.context().newCDPSession(visitor);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1536 * 1024, 32), Buffer.from('\n%%EOF\n')]);
    await files.setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect.poll(() => dialog.locator('[role=progressbar]').getAttribute('aria-valuenow').then(Number)).toBeGreaterThan(0);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await expect.poll(() => dialog.locator('.log .file').textContent(), { timeout: 15_000 }).toMatch(/^invoice\.pdf \(1\.5 MB\)$/);

    await dialog.getByRole('button', { name: 'Share my location' }).click();
    const place = dialog.locator('.log .location');
    await expect.poll(() => place.locator('a').getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=31.2304&mlon=121.4737#map=16/31.2304/121.4737');
    expect(await place.locator('a').getAttribute('rel')).toBe('noopener noreferrer');
    await shot(visitor, 'panel-files-location');
  });

  it('an hmac-identified visitor is the business user the page names', async () => {
    const members = await ok('POST', '/v1/channels', seed.admin.token, { name: 'Members' });
    await ok('PATCH', `/v1/channels/${members.id}`, seed.admin.token, { identity: { mode: 'hmac' } });
    const { secret } = await ok('GET', `/v1/channels/${members.id}/identity-secret`, seed.admin.token);
    const identify = (userHash: string) =>
      `<script>window.Frontdesk = window.Frontdesk || function () { (Frontdesk.q = Frontdesk.q || []).push(arguments); };
      Frontdesk('identify', { mode: 'hmac', userId: 'u-1001', userHash: '${userHash}', userName: 'Li Lei' });</script>`;
    pages.set('/member', businessPage(server.url, { 'app-id': APP_ID, 'channel-id': members.id, locale: 'zh' }, identify(createHmac('sha256', secret).update('u-1001').digest('hex'))));
    pages.set('/impostor', businessPage(server.url, { 'app-id': APP_ID, 'channel-id': members.id, locale: 'zh' }, identify('0'.repeat(64))));

    const member = await openPage('/member');
    await member.locator('frontdesk-widget button.launcher').click();
    const dialog = member.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => dialog.locator('.status').textContent()).toMatch(/^(在线|暂无客服在线)$/);
    await dialog.locator('textarea').fill('我的订单到哪了？');
    await dialog.locator('textarea').press('Enter');
    await expect.poll(() => messageTexts(member)).toEqual(['我的订单到哪了？']);
    const conversation = (await ok('GET', '/v1/conversations?status=open', seed.admin.token)).conversations.find((c: { channelId: string }) => c.channelId === members.id);
    expect(await ok('GET', `/v1/visitors/${conversation.visitorId}`, seed.admin.token)).toMatchObject({ externalId: 'u-1001', identityMode: 'hmac', name: 'Li Lei' });

    // A wrong hash gets no session: the panel says something went wrong and shows nothing else.
    const impostor = await openPage('/impostor');
    await impostor.locator('frontdesk-widget button.launcher').click();
    await expect.poll(() => impostor.locator('frontdesk-widget [role=dialog] .error span').textContent()).toBe('无法确认您的身份，请重新登录。');
    expect(await messageTexts(impostor)).toEqual([]);
  });

  it('token and auth-v2 identities reach the server as the page gives them', async () => {
    const identified = async (mode: 'token' | 'auth-v2', identity: (channelId: string, secret: string) => object, expected: { externalId: string; name: string }) => {
      const channel = await ok('POST', '/v1/channels', seed.admin.token, { name: `Members (${mode})` });
      await ok('PATCH', `/v1/channels/${channel.id}`, seed.admin.token, { identity: { mode, ...(mode === 'token' ? { validateUrl: `${site.origin}/validate` } : {}) } });
      const { secret } = await ok('GET', `/v1/channels/${channel.id}/identity-secret`, seed.admin.token);
      const json = JSON.stringify(identity(channel.id, secret)).replaceAll('<', '\\u003c');
      const stub = `<script>window.Frontdesk = window.Frontdesk || function () { (Frontdesk.q = Frontdesk.q || []).push(arguments); }; Frontdesk('identify', ${json});</script>`;
      pages.set(`/member-${mode}`, businessPage(server.url, { 'app-id': APP_ID, 'channel-id': channel.id, locale: 'en' }, stub));
      const visitor = await openPage(`/member-${mode}`);
      await visitor.locator('frontdesk-widget button.launcher').click();
      const dialog = visitor.locator('frontdesk-widget [role=dialog]');
      await expect.poll(() => dialog.locator('.status').textContent()).toMatch(CONNECTED);
      await dialog.locator('textarea').fill(`hello from ${mode}`);
      await dialog.locator('textarea').press('Enter');
      await expect.poll(() => messageTexts(visitor)).toEqual([`hello from ${mode}`]);
      const conversation = (await ok('GET', '/v1/conversations?status=open', seed.admin.token)).conversations.find((c: { channelId: string }) => c.channelId === channel.id);
      expect(await ok('GET', `/v1/visitors/${conversation.visitorId}`, seed.admin.token)).toMatchObject({ ...expected, identityMode: mode });
    };
    await identified('token', () => ({ mode: 'token', token: 'tok-2002', userId: 'u-2002', userName: 'Han Meimei' }), { externalId: 'u-2002', name: 'Han Meimei' });
    await identified(
      'auth-v2',
      (channelId, secret) => {
        const body = JSON.stringify({ thirdUserId: 'u-3003', thirdUserName: 'Wang Fang', tenantSpaceId: APP_ID, channelConfigId: channelId, locale: 'en' });
        return { mode: 'auth-v2', authorization: signAuthV2({ secret, channelId, timestamp: formatAuthV2Timestamp(Date.now()), body }), body };
      },
      { externalId: 'u-3003', name: 'Wang Fang' },
    );
  });

  it('Arabic renders right to left', async () => {
    pages.set('/ar', businessPage(server.url, { 'app-id': APP_ID, locale: 'ar' }));
    const ar = await openPage('/ar');
    const launcher = ar.locator('frontdesk-widget button.launcher');
    await expect.poll(() => launcher.textContent()).toBe('تحدث معنا');
    // Right to left: the launcher sits at the bottom left.
    expect((await launcher.boundingBox())!.x).toBeLessThan(100);
    // The page may open the chat itself (its own "contact us" link).
    await ar.evaluate(() => (window as unknown as { Frontdesk: (command: string) => void }).Frontdesk('open'));
    const dialog = ar.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => dialog.getAttribute('dir')).toBe('rtl');
    expect(await dialog.evaluate((d) => getComputedStyle(d).direction)).toBe('rtl');
    await dialog.locator('textarea').fill('مرحبا، أريد المساعدة');
    await dialog.locator('textarea').press('Enter');
    await expect.poll(() => ar.locator('frontdesk-widget .msg.visitor .bubble').allTextContents()).toEqual(['مرحبا، أريد المساعدة']);
    // Measured once stored: the sending bubble is replaced by the stored message's when the server acknowledges it.
    await expect.poll(() => dialog.locator('.msg.visitor[aria-busy="true"]').count()).toBe(0);
    // Mirrored: the title is right of the close button, the visitor's bubble on the left.
    const title = (await dialog.locator('h2').boundingBox())!;
    const close = (await dialog.locator('header button[aria-label="إغلاق الدردشة"]').boundingBox())!;
    expect(title.x).toBeGreaterThan(close.x);
    const bubble = (await dialog.locator('.msg.visitor .bubble').boundingBox())!;
    const panel = (await dialog.boundingBox())!;
    expect(bubble.x - panel.x).toBeLessThan(panel.width / 2);
    await shot(ar, 'panel-arabic');
  });

  it('on a phone the panel fills the screen', async () => {
    const phone = await openPage('/shop', { viewport: { width: 390, height: 844 }, mobile: true });
    const launcher = phone.locator('frontdesk-widget button.launcher');
    await expect.poll(() => launcher.isVisible()).toBe(true);
    await shot(phone, 'launcher-mobile');
    await launcher.click();
    const dialog = phone.locator('frontdesk-widget [role=dialog]');
    await expect.poll(() => dialog.locator('.status').textContent()).toMatch(CONNECTED);
    await dialog.locator('textarea').fill('Do you ship to Lisbon? http://127.0.0.1:9/lisbon');
    await dialog.locator('textarea').press('Enter');
    await expect.poll(() => messageTexts(phone)).toEqual(['Do you ship to Lisbon? http://127.0.0.1:9/lisbon']);
    await expect.poll(() => dialog.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    // Covering the page, it is modal: Tab from the last control comes back to the first.
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    await dialog.locator('textarea').focus();
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.querySelector('frontdesk-widget')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).toBe('Rate this conversation');
    await shot(phone, 'panel-mobile');
  });

  it('<frontdesk-chat> embeds the chat inline', async () => {
    pages.set(
      '/inline',
      `<!doctype html><html><head><meta charset="utf-8"><title>inline</title></head><body>
      <h1>Help centre</h1><frontdesk-chat app-id="${APP_ID}" server="${server.url}" locale="fr" style="display:block;width:420px;height:560px"></frontdesk-chat>
      <script type="module" src="${server.url}/widget/loader.js"></script></body></html>`,
    );
    const inline = await openPage('/inline');
    const region = inline.locator('frontdesk-chat [role=region]');
    await expect.poll(() => region.locator('.status').textContent()).toMatch(/^(En ligne|Aucun conseiller disponible pour le moment)$/);
    expect(await inline.locator('frontdesk-widget').count()).toBe(0);
    await region.locator('textarea').fill('Bonjour');
    await region.locator('textarea').press('Enter');
    await expect.poll(() => inline.locator('frontdesk-chat .msg.visitor .bubble').allTextContents()).toEqual(['Bonjour']);
    await shot(inline, 'inline-element');
  });

  it('a VTC user chats as its own visitor; hostile names, texts and file names stay text; a silent chat ends with the idle text', async () => {
    // A server of its own, on a clock the test moves (the idle sweep runs every 30 s of clock time).
    const clock = new ManualClock(Date.now());
    const vtcServer = await startTestServer('sqlite', {}, { clock });
    let visitor: Page | undefined;
    try {
      const vtcSeed = await seedApp(vtcServer, APP_ID);
      await vtcServer.app.services.tenancy.updateApp(APP_ID, { allowedOrigins: [site.origin] });
      const admin = vtcSeed.admin.token;
      const call = async (method: string, route: string, body?: unknown) => {
        const res = await api(vtcServer.url, method, route, { token: admin, ...(body === undefined ? {} : { body }) });
        if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      };

      // The business registers its user through the VTC third-party API, signed with the app token.
      const timestamp = String(clock.now());
      const registered = await fetch(`${vtcServer.url}/vtc/ajx/thirdPartyRegister.do`, {
        method: 'POST',
        body: new URLSearchParams({ appId: APP_ID, timestamp, secret: vtcSecretOf(APP_ID, timestamp, vtcSeed.app.secrets.appToken), thirdPartyId: 'vip-7', password: 'pw-7' }),
      });
      expect(await registered.json()).toEqual({ result: 'OK' });
      const idleText = 'We closed this chat after a quiet minute. Write again any time.';
      const vip = await call('POST', '/v1/channels', { name: 'VIP desk', idleEnd: { enabled: true, minutes: 1, text: idleText } });
      await call('PATCH', `/v1/channels/${vip.id}`, { identity: { mode: 'vtc' } });
      await call('PATCH', `/v1/agents/${vtcSeed.admin.agent.id}`, { name: XSS_AGENT_NAME });
      const stub = `<script>window.Frontdesk = window.Frontdesk || function () { (Frontdesk.q = Frontdesk.q || []).push(arguments); };
        Frontdesk('identify', { mode: 'vtc', userId: 'vip-7', password: 'pw-7' });</script>`;
      pages.set('/vip', businessPage(vtcServer.url, { 'app-id': APP_ID, 'channel-id': vip.id, locale: 'en', 'visitor-name': attribute(XSS_VISITOR_NAME) }, stub));

      visitor = await openPage('/vip');
      // The answer to the panel's opening of the conversation comes back late (a slow network): the
      // claim below can reach the panel first, and the older answer must not undo it.
      await visitor.route(
        (url) => url.pathname === '/v1/conversations',
        async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          const response = await route.fetch();
          await new Promise((resolve) => setTimeout(resolve, 1500));
          await route.fulfill({ response });
        },
      );
      await visitor.locator('frontdesk-widget button.launcher').click();
      const dialog = visitor.locator('frontdesk-widget [role=dialog]');
      await dialog.locator('textarea').fill(XSS_TEXTS[0]!);
      await dialog.locator('textarea').press('Enter');
      await expect.poll(() => messageTexts(visitor!)).toEqual([XSS_TEXTS[0]]);
      // The visitor is the VTC user (its external id), named by the page as given.
      const vipConversation = async () => (await call('GET', '/v1/conversations?status=open')).conversations.find((c: { channelId: string }) => c.channelId === vip.id);
      await expect.poll(vipConversation).toBeDefined();
      const conversation = await vipConversation();
      expect(await call('GET', `/v1/visitors/${conversation.visitorId}`)).toMatchObject({ externalId: 'vip-7', identityMode: 'vtc', name: XSS_VISITOR_NAME });

      // An agent with a hostile display name answers with the corpus; the visitor sends a file with a hostile name.
      await call('POST', `/v1/conversations/${conversation.id}/claim`);
      await expect.poll(() => dialog.locator('.log .notice').allTextContents(), { timeout: 10_000 }).toContain(`${XSS_AGENT_NAME} joined the conversation`);
      for (const [i, text] of XSS_TEXTS.entries()) await call('POST', `/v1/conversations/${conversation.id}/messages`, { clientId: `xss-${i}`, text });
      await expect.poll(() => dialog.locator('.msg.agent .bubble').allTextContents()).toEqual(XSS_TEXTS);
      expect(new Set(await dialog.locator('.msg.agent .name').allTextContents())).toEqual(new Set([XSS_AGENT_NAME]));
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      await dialog.locator('input[type=file]').setInputFiles({ name: xssFileName('pdf'), mimeType: 'application/pdf', buffer: pdf });
      // Its size in bytes (it is under 1 KB).
      await expect.poll(() => dialog.locator('.log .file').textContent()).toBe(`${xssFileName('pdf')} (${pdf.length} B)`);
      expect(await dialog.locator('.log img, .log svg:not(.glyph)').count()).toBe(0);
      expect(await dialog.locator('.log a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['http://127.0.0.1:9/?q=']);
      expect(await xssTraces(visitor)).toEqual([]);
      await shot(visitor, 'panel-xss-vtc');

      // Nobody writes for more than the channel's idle minute: the chat ends with its idle text.
      await expect
        .poll(
          async () => {
            clock.advance(30_000);
            await new Promise((resolve) => setTimeout(resolve, 50));
            return (await call('GET', `/v1/conversations/${conversation.id}`)).status;
          },
          { timeout: 10_000 },
        )
        .toBe('closed');
      expect(await call('GET', `/v1/conversations/${conversation.id}`)).toMatchObject({ closeBy: 'timer' });
      await expect.poll(() => dialog.locator('.log .notice').allTextContents()).toContain(idleText);
      await expect.poll(() => dialog.locator('textarea').count()).toBe(0);
      expect(await xssTraces(visitor)).toEqual([]);
    } finally {
      await visitor?.context().close();
      await vtcServer.close();
    }
  });
});
