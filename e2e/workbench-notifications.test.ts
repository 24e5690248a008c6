import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * Notifications of new messages in Chromium: a visitor writes in one of the agent's conversations
 * while the workbench tab is in the background; the agent gets a browser notification, a chime, the
 * count in the tab's title and on its icon; turned off in the settings, the notification stops.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

type Instrumented = { __oscillators: number; __notifications: string[]; __hidden: boolean };

describe('message notifications in the workbench (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, 'acme');
    await api(server.url, 'PATCH', '/v1/app', { token: seeded.admin.token, body: { allowedOrigins: [server.url] } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  it("a visitor's message in a background tab raises a notification, a chime, the title count and the icon's badge; the setting turns the notification off", async () => {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', name: 'Hana' } })).body as { token: string };
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
    expect((await api(server.url, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: seeded.agent1.token })).status).toBe(200);
    let n = 0;
    const say = async (text: string) =>
      expect((await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: session.token, body: { clientId: `c${++n}`, text } })).status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: server.url });
    // Counts the chime's oscillators and the notifications shown, and lets the test say the tab is
    // hidden (headless Chromium has no background tabs).
    await context.addInitScript(() => {
      const w = window as unknown as Instrumented;
      w.__oscillators = 0;
      w.__notifications = [];
      w.__hidden = false;
      const createOscillator = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__oscillators++;
        return createOscillator.call(this);
      };
      const Original = window.Notification;
      window.Notification = class extends Original {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          w.__notifications.push(`${title}: ${options?.body ?? ''}`);
        }
      } as typeof Notification;
      Object.defineProperty(Document.prototype, 'hidden', { get: () => w.__hidden });
    });
    const ann = await context.newPage();
    ann.on('pageerror', (err) => console.error('[workbench page error]', err.message));
    await ann.goto(`${server.url}/workbench/?appId=acme`);
    await ann.getByLabel('Email').fill('agent1@acme.test');
    await ann.getByLabel('Password').fill(PASSWORD);
    await ann.getByRole('button', { name: 'Sign in' }).click();
    await ann.getByTestId('agent-status').waitFor();
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).waitFor();
    const instrumented = () => ann.evaluate(() => {
      const w = window as unknown as Instrumented;
      return { notifications: [...w.__notifications], oscillators: w.__oscillators };
    });
    const icon = () => ann.evaluate(() => {
      const link = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
      return { count: link?.dataset.count ?? null, isDrawn: link?.href.startsWith('data:image/png') ?? false };
    });

    // Read once (the join notice counts as unread until then), then back to the list: nothing open.
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    await expect.poll(() => ann.title()).toBe('Frontdesk workbench');
    await ann.getByRole('link', { name: 'Inbox', exact: true }).click();
    await expect.poll(() => ann.evaluate(() => location.hash)).not.toContain(conversation.id);

    // The tab goes to the background; the visitor writes.
    await ann.evaluate(() => ((window as unknown as Instrumented).__hidden = true));
    await say('Is anyone there? 你好');
    await expect.poll(async () => (await instrumented()).notifications).toEqual(['New message from Hana: Is anyone there? 你好']);
    expect((await instrumented()).oscillators).toBeGreaterThan(0);
    await expect.poll(() => ann.title()).toBe('(1) Frontdesk workbench');
    await expect.poll(icon).toEqual({ count: '1', isDrawn: true });
    await say('Order 42, please');
    await expect.poll(() => ann.title()).toBe('(2) Frontdesk workbench');
    await expect.poll(async () => (await instrumented()).notifications.length).toBe(2);
    await expect.poll(icon).toEqual({ count: '2', isDrawn: true });
    const favicon = await ann.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel~="icon"]')!.href);
    fs.writeFileSync(path.join(SHOTS, 'notifications-favicon.png'), Buffer.from(favicon.split(',')[1]!, 'base64'));

    // The agent turns message notifications off: the next message only counts.
    await ann.evaluate(() => ((window as unknown as Instrumented).__hidden = false));
    await ann.locator('summary[aria-label="Settings"]').click();
    await ann.getByLabel('Browser notifications for new messages when this tab is hidden').uncheck();
    await ann.locator('summary[aria-label="Settings"]').click();
    await ann.evaluate(() => ((window as unknown as Instrumented).__hidden = true));
    await say('Still there?');
    await expect.poll(() => ann.title()).toBe('(3) Frontdesk workbench');
    expect((await instrumented()).notifications).toHaveLength(2);

    // Opened, the conversation is read: the count and the badge go.
    await ann.evaluate(() => ((window as unknown as Instrumented).__hidden = false));
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    await expect.poll(() => ann.title()).toBe('Frontdesk workbench');
    await expect.poll(async () => (await icon()).count).toBe('0');
  });

  it('the workbench is an installable app: a web manifest, and a service worker that shows notifications', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/workbench/?appId=acme`);
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (href) => {
      const response = await fetch(href!);
      return { type: response.headers.get('content-type'), body: await response.json() };
    }, manifestHref);
    expect(manifest.body).toMatchObject({ name: 'Frontdesk workbench', display: 'standalone', start_url: './' });
    expect(manifest.body.icons[0]).toMatchObject({ src: 'icon.svg', type: 'image/svg+xml' });
    expect((await fetch(`${server.url}/workbench/icon.svg`)).headers.get('content-type')).toContain('image/svg+xml');

    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      await registration.showNotification('Frontdesk', { body: 'from the service worker', tag: 'sw-check' });
      const shown = await registration.getNotifications({ tag: 'sw-check' });
      return { scope: registration.scope, shown: shown.map((n) => n.body) };
    });
    expect(worker).toEqual({ scope: `${server.url}/workbench/`, shown: ['from the service worker'] });
  });
});

