import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * No visitor left behind, in Chromium: with nobody signed in, the widget's chat is released and
 * the visitor leaves a message in the panel's form; an agent who signs in later finds it marked in
 * the inbox with the reply channel, takes it and answers; the visitor, back on the page, reads the
 * answer. Screenshots: e2e/screenshots/left-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';
const APP = 'acme';

describe('a message left when nobody can answer (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const contexts: BrowserContext[] = [];

  const ok = async (method: string, route: string, body?: unknown) => {
    const res = await api(server.url, method, route, { token: seeded.admin.token, body });
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `left-${name}.png`) });

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(import.meta.dirname, '../apps/widget/dist/loader.js'))) throw new Error('run npm run build first');
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, APP);
    await ok('PATCH', '/v1/app', { allowedOrigins: [server.url] });
    await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
    const queue = await ok('POST', '/v1/queues', { name: 'Support', wrapUpSeconds: 0 });
    await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3 }] });
    await ok('PATCH', '/v1/channels/default', { queueId: queue.id, welcomeMessage: 'Welcome to the Acme shop! 欢迎光临' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  it('the visitor leaves a message with nobody online; an agent signs in later, answers it, and the returning visitor reads the answer', async () => {
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(visitorContext);
    const visitor = await visitorContext.newPage();
    visitor.on('pageerror', (err) => console.error('[widget page error]', err.message));
    await visitor.goto(`${server.url}/demo?appId=${APP}&locale=en`);
    await visitor.locator('button.launcher').click();
    const widget = visitor.locator('frontdesk-widget');
    await expect.poll(() => widget.locator('.status').textContent()).toBe('No agent available right now');
    await expect.poll(() => widget.locator('li.welcome').textContent()).toBe('Welcome to the Acme shop! 欢迎光临');
    // Routing gives the chat up at once: the notice, then the form instead of a silent end.
    const form = widget.getByTestId('leave-message');
    await form.waitFor();
    await shot(visitor, 'form');
    // Without an email or a phone the form says why it cannot be answered.
    await form.getByLabel('Your name').fill('Li Lei 李雷');
    await form.getByLabel('Your message').fill('我的订单 #1234 还没有到。Where is my order #1234?');
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Give an email or a phone number so we can answer you.');
    await form.getByLabel('Email').fill('li.lei@example.test');
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => widget.getByTestId('message-left').textContent()).toBe('Thanks, we have your message. We will answer here and by email.');
    await expect.poll(() => widget.locator('.msg.visitor .bubble').allTextContents()).toEqual(['我的订单 #1234 还没有到。Where is my order #1234?']);
    await shot(visitor, 'sent');
    await visitor.close();

    // Later: Ann signs in; the message waits in her inbox, marked, with the way to answer.
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(agentContext);
    const ann = await agentContext.newPage();
    ann.on('pageerror', (err) => console.error('[workbench page error]', err.message));
    await ann.goto(`${server.url}/workbench/?appId=${APP}`);
    await ann.getByLabel('Email').fill('agent1@acme.test');
    await ann.getByLabel('Password').fill(PASSWORD);
    await ann.getByRole('button', { name: 'Sign in' }).click();
    await ann.getByTestId('agent-status').waitFor();
    const row = ann.getByTestId('inbox-row').filter({ hasText: 'Li Lei 李雷' });
    await row.getByTestId('message-left-badge').waitFor();
    await expect.poll(() => row.textContent()).toContain('Where is my order #1234?');
    await row.click();
    const details = ann.getByTestId('visitor-details');
    await expect.poll(() => details.textContent()).toContain('li.lei@example.test');
    expect(await details.getByRole('link', { name: 'li.lei@example.test' }).getAttribute('href')).toBe('mailto:li.lei@example.test');
    await shot(ann, 'inbox');
    await ann.getByTestId('claim').click();
    const composer = ann.getByTestId('conversation').getByTestId('composer');
    await composer.waitFor();
    await expect.poll(() => composer.isEnabled()).toBe(true);
    await composer.fill('Sorry for the wait, Li Lei: order #1234 ships today.');
    await composer.press('Enter');
    await expect.poll(() => ann.getByTestId('conversation').textContent()).toContain('order #1234 ships today');
    await shot(ann, 'answered');
    // Ann ends it before the visitor is back.
    await ann.getByTestId('end').click();
    await ann.getByTestId('end-confirm').click();
    await expect.poll(() => ann.locator('.wb-pane__closed').isVisible()).toBe(true);

    // The visitor comes back (same browser storage): the panel shows the answer, though the conversation ended.
    const back = await visitorContext.newPage();
    await back.goto(`${server.url}/demo?appId=${APP}&locale=en`);
    await back.locator('button.launcher').click();
    const backWidget = back.locator('frontdesk-widget');
    await expect.poll(() => backWidget.locator('.msg.agent .bubble').allTextContents()).toEqual(['Sorry for the wait, Li Lei: order #1234 ships today.']);
    await expect.poll(() => backWidget.locator('.actions button.primary').textContent()).toBe('Start a new conversation');
    await shot(back, 'answer-seen');
    // Seen once, the next visit starts afresh.
    await back.close();
    const later = await visitorContext.newPage();
    await later.goto(`${server.url}/demo?appId=${APP}&locale=en`);
    await later.locator('button.launcher').click();
    // A new chat, given up again (Ann is offline): the form again, no old answer.
    await later.locator('frontdesk-widget').getByTestId('leave-message').waitFor();
    expect(await later.locator('frontdesk-widget .msg').count()).toBe(0);
  });
});
