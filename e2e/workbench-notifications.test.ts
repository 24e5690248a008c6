import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api } from '../apps/server/test/helpers.ts';
import { instrumentAlerts, SCREENSHOTS, useWorkbenchHarness, type Alerts } from './workbench-harness.ts';

/**
 * Notifications of new messages in Chromium: a visitor writes in one of the agent's conversations
 * while the workbench tab is in the background; the agent gets a browser notification, a chime, the
 * count in the tab's title and on its icon; turned off in the settings, the notification stops.
 */
describe('message notifications in the workbench (Chromium)', () => {
  const h = useWorkbenchHarness({ shots: 'notifications' });

  it("a visitor's message in a background tab raises a notification, a chime, the title count and the icon's badge; the setting turns the notification off", async () => {
    const hana = await h.visitor('Hana');
    expect((await api(h.server.url, 'POST', `/v1/conversations/${hana.conversationId}/claim`, { token: h.seeded.agent1.token })).status).toBe(200);
    const say = async (text: string) => expect((await hana.say(text)).status).toBe(201);

    const context = await h.newContext();
    await instrumentAlerts(context, h.server.url);
    const ann = await context.newPage();
    await h.signIn(ann, 'agent1@acme.test');
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${hana.conversationId}"]`).waitFor();
    const instrumented = () => ann.evaluate(() => {
      const w = window as unknown as Alerts;
      return { notifications: [...w.__notifications], oscillators: w.__oscillators };
    });
    const icon = () => ann.evaluate(() => {
      const link = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
      return { count: link?.dataset.count ?? null, isDrawn: link?.href.startsWith('data:image/png') ?? false };
    });

    // Read once (the join notice counts as unread until then), then back to the list: nothing open.
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${hana.conversationId}"]`).click();
    await expect.poll(() => ann.title()).toBe('Frontdesk workbench');
    await ann.getByRole('link', { name: 'Inbox', exact: true }).click();
    await expect.poll(() => ann.evaluate(() => location.hash)).not.toContain(hana.conversationId);

    // The tab goes to the background; the visitor writes.
    await ann.evaluate(() => ((window as unknown as Alerts).__hidden = true));
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
    fs.writeFileSync(path.join(SCREENSHOTS, 'notifications-favicon.png'), Buffer.from(favicon.split(',')[1]!, 'base64'));

    // The agent turns message notifications off: the next message only counts.
    await ann.evaluate(() => ((window as unknown as Alerts).__hidden = false));
    await ann.locator('summary[aria-label="Settings"]').click();
    await ann.getByLabel('Browser notifications for new messages when this tab is hidden').uncheck();
    await ann.locator('summary[aria-label="Settings"]').click();
    await ann.evaluate(() => ((window as unknown as Alerts).__hidden = true));
    await say('Still there?');
    await expect.poll(() => ann.title()).toBe('(3) Frontdesk workbench');
    expect((await instrumented()).notifications).toHaveLength(2);

    // Opened, the conversation is read: the count and the badge go.
    await ann.evaluate(() => ((window as unknown as Alerts).__hidden = false));
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${hana.conversationId}"]`).click();
    await expect.poll(() => ann.title()).toBe('Frontdesk workbench');
    await expect.poll(async () => (await icon()).count).toBe('0');
  });

  it('the workbench is an installable app: a web manifest, and a service worker that shows notifications', async () => {
    const context = await h.newContext();
    await context.grantPermissions(['notifications'], { origin: h.server.url });
    const page = await context.newPage();
    await page.goto(`${h.server.url}/workbench/?appId=acme`);
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (href) => {
      const response = await fetch(href!);
      return { type: response.headers.get('content-type'), body: await response.json() };
    }, manifestHref);
    expect(manifest.body).toMatchObject({ name: 'Frontdesk workbench', display: 'standalone', start_url: './' });
    expect(manifest.body.icons[0]).toMatchObject({ src: 'icon.svg', type: 'image/svg+xml' });
    expect((await fetch(`${h.server.url}/workbench/icon.svg`)).headers.get('content-type')).toContain('image/svg+xml');

    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      await registration.showNotification('Frontdesk', { body: 'from the service worker', tag: 'sw-check' });
      const shown = await registration.getNotifications({ tag: 'sw-check' });
      return { scope: registration.scope, shown: shown.map((n) => n.body) };
    });
    expect(worker).toEqual({ scope: `${h.server.url}/workbench/`, shown: ['from the service worker'] });
  });
});

