import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';
import { instrumentAlerts, type Alerts } from './workbench-harness.ts';
import { XSS_AGENT_NAME, XSS_CHANNEL_NAME, XSS_TEXTS, XSS_VISITOR_NAME, xssFileName, xssTraces } from './xss.ts';

/**
 * The agent workbench in Chromium, against a real server serving the built workbench and widget
 * (`npm run build` first). One story: an agent signs in, goes free, gets an offer from a visitor
 * chatting in the widget, accepts, chats (canned response, note), transfers to a second agent,
 * who ends it. Screenshots of each screen go to e2e/screenshots/.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';
const XSS = XSS_TEXTS[0]!;


/** A 1×1 PNG, made here (the server checks a file's type from its bytes). */
const DOT_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('agent workbench (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, 'acme');
    const admin = seeded.admin.token;
    const ok = async (method: string, route: string, body?: unknown) => {
      const res = await api(server.url, method, route, { token: admin, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    // The pages come from the test server's own origin.
    await ok('PATCH', '/v1/app', { allowedOrigins: [server.url] });
    await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
    await ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { name: 'Ben Backup' });
    const queue = await ok('POST', '/v1/queues', { name: 'Support', ringTimeoutSeconds: 120, wrapUpSeconds: 30 });
    for (const who of [seeded.agent1, seeded.agent2]) await ok('PUT', `/v1/agents/${who.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3, isDefault: true }] });
    await ok('PATCH', '/v1/channels/default', { queueId: queue.id, bot: { enabled: true, name: 'Teabot', defaultReply: 'I am the tea bot. Type "human" for a person.', handOffText: 'Connecting you to a person…' } });
    await ok('POST', '/v1/canned-responses', { shortcut: 'thanks', title: 'Thank you', text: 'Thank you for contacting Acme Tea!' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `workbench-${name}.png`) });

  async function signIn(page: Page, email: string, screenshot?: string) {
    await page.goto(`${server.url}/workbench/?appId=acme`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    if (screenshot) await shot(page, screenshot);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
  }

  /** A visitor driven through the REST API (the second, concurrent chat). */
  async function restVisitor(name: string) {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', name } })).body as { token: string };
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
    let n = 0;
    return {
      conversationId: conversation.id,
      sendFile: async (name: string, bytes: Buffer, type: string) => {
        const res = await fetch(`${server.url}/v1/conversations/${conversation.id}/files?name=${encodeURIComponent(name)}&clientId=f${++n}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.token}`, 'content-type': type },
          body: new Uint8Array(bytes),
        });
        if (res.status >= 300) throw new Error(`upload → ${res.status} ${await res.text()}`);
      },
      say: async (text: string) => {
        const res = await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: session.token, body: { clientId: `c${++n}`, text } });
        if (res.status >= 300) throw new Error(`send → ${res.status} ${JSON.stringify(res.body)}`);
      },
    };
  }

  async function setStatus(page: Page, value: string, label: string) {
    await page.locator('#wb-status-select').selectOption(value);
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toContain(label);
  }

  it('an agent takes a widget chat, chats safely, transfers it, and the second agent ends it', async () => {
    const ann = await newPage();
    const ben = await newPage();
    const visitor = await newPage();
    try {
      await story(ann, ben, visitor);
    } catch (err) {
      // What each window showed when the story broke.
      await Promise.all([shot(ann, 'failure-ann'), shot(ben, 'failure-ben'), shot(visitor, 'failure-visitor')]).catch(() => undefined);
      throw err;
    }
  });

  async function story(ann: Page, ben: Page, visitor: Page) {

    // The root of the server leads to the workbench sign-in.
    await ann.goto(`${server.url}/`);
    await expect.poll(() => ann.url()).toContain('/workbench/');
    await signIn(ann, 'agent1@acme.test', '01-login');
    await expect.poll(() => ann.getByTestId('agent-status').textContent()).toContain('Offline');
    expect(await ann.getByRole('navigation', { name: 'Screens' }).getByText('Supervisor').count()).toBe(0);
    await setStatus(ann, 'rest:Lunch', 'Lunch');
    await setStatus(ann, 'free', 'Available');
    await shot(ann, '02-inbox-empty-available');
    await signIn(ben, 'agent2@acme.test');

    // The visitor chats in the widget: the bot answers, then a human is asked for.
    await visitor.goto(`${server.url}/demo?appId=acme`);
    await visitor.locator('button.launcher').click();
    const widgetText = visitor.getByRole('textbox', { name: 'Message' });
    await widgetText.fill('Hello, where is my order #1234?');
    await widgetText.press('Enter');
    await visitor.getByText('I am the tea bot').first().waitFor();
    await widgetText.fill('human');
    await widgetText.press('Enter');

    // The offer rings for Ann.
    const offer = ann.getByTestId('offer');
    await offer.waitFor({ timeout: 15_000 });
    await expect.poll(() => offer.textContent()).toContain('Incoming chat');
    await shot(ann, '03-offer-ringing');
    await offer.getByRole('button', { name: 'Accept' }).click();
    const pane = ann.getByTestId('conversation');
    await pane.waitFor();
    // History with the bot transcript.
    await pane.locator('[data-sender="bot"]').first().waitFor();
    await expect.poll(() => pane.getByTestId('messages').textContent()).toContain('where is my order #1234?');

    // A second, concurrent chat (a visitor over the REST API): Ann takes it too, then goes back to
    // the first; the second one's new messages count as unread in the inbox.
    const firstId = (await pane.getAttribute('data-session-id'))!;
    const row = (id: string) => ann.locator(`[data-testid="inbox-row"][data-session-id="${id}"]`);
    const second = await restVisitor('Grace');
    await second.say('human');
    await ann.getByTestId('offer').waitFor({ timeout: 15_000 });
    await ann.getByTestId('offer').getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => ann.getByTestId('inbox-row').count()).toBe(2);
    await row(firstId).click();
    await second.say('Do you ship to Lyon?');
    await second.say('And is the mint tea organic?');
    await expect.poll(() => row(second.conversationId).getByTestId('unread-count').textContent()).toBe('2');
    expect(await row(second.conversationId).textContent()).toContain('Grace');
    // Attachments both ways: Grace's image shows (fetched with the agent's token), Ann sends a file.
    await second.sendFile('dot.png', DOT_PNG, 'image/png');
    await expect.poll(() => row(second.conversationId).textContent()).toContain('Image: dot.png');
    await row(second.conversationId).click();
    const image = ann.getByTestId('conversation').getByRole('img', { name: 'dot.png' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await ann.getByTestId('conversation').locator('input[type="file"]').setInputFiles({ name: 'order-1234.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 1234: shipped on Monday.') });
    await ann.getByTestId('conversation').getByRole('button', { name: /order-1234\.txt/ }).waitFor();
    await shot(ann, '05a-attachments');
    await row(firstId).click();

    // Markup from the visitor is shown as text, never run.
    await widgetText.fill(XSS);
    await widgetText.press('Enter');
    await pane.getByTestId('message-text').filter({ hasText: 'onerror' }).waitFor();
    expect(await pane.getByTestId('message-text').filter({ hasText: 'onerror' }).textContent()).toBe(XSS);
    expect(await pane.getByTestId('messages').locator('img').count()).toBe(0);
    expect(await ann.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    // Typing shows; a canned response by its shortcut; the reply reaches the widget.
    await widgetText.pressSequentially('still there', { delay: 20 });
    await pane.getByTestId('visitor-typing').waitFor();
    await widgetText.fill('');
    const composer = pane.getByTestId('composer');
    await composer.pressSequentially('/than');
    await pane.getByTestId('canned-picker').waitFor();
    await shot(ann, '04-conversation-canned');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Thank you for contacting Acme Tea!');
    await composer.press('Enter');
    await visitor.getByText('Thank you for contacting Acme Tea!').waitFor();

    // An internal note, for the team only.
    await pane.getByTestId('note-draft').fill('VIP customer: order #1234 was delayed.');
    await pane.getByRole('button', { name: 'Add note' }).click();
    await pane.getByTestId('notes').getByText('VIP customer').waitFor();
    // The visitor rates the chat (CSAT), any time during it.
    await visitor.getByRole('button', { name: 'Rate this conversation' }).click();
    await visitor.getByRole('radio', { name: '5 of 5 stars' }).check({ force: true });
    await visitor.getByRole('button', { name: 'Submit' }).click();
    await shot(ann, '05-conversation');
    expect(await visitor.getByText('VIP customer').count()).toBe(0);

    // Transfer to Ben, who becomes available while the dialog is open: its list follows.
    await pane.getByTestId('transfer').click();
    const benOption = ann.getByTestId('transfer-agent').locator('option', { hasText: 'Ben Backup' });
    await expect.poll(() => benOption.textContent()).not.toBe('Ben Backup — Available');
    await setStatus(ben, 'free', 'Available');
    await expect.poll(() => benOption.textContent(), { timeout: 10_000 }).toBe('Ben Backup — Available');
    await ann.getByTestId('transfer-agent').selectOption({ label: 'Ben Backup — Available' });
    await ann.getByLabel('Note for the next agent').fill('Wants a refund, see the note.');
    await shot(ann, '06-transfer-dialog');
    await ann.getByTestId('transfer-submit').click();
    await expect.poll(() => ann.getByTestId('conversation').count()).toBe(0);

    // Ben sees the whole conversation, the note and the rating, and ends it.
    const benPane = ben.getByTestId('conversation');
    await benPane.waitFor({ timeout: 10_000 });
    await expect.poll(() => benPane.getByTestId('messages').textContent()).toContain('Thank you for contacting Acme Tea!');
    await benPane.getByTestId('notes').getByText('VIP customer').waitFor();
    await benPane.getByTestId('transfer-notes').getByText('Wants a refund').waitFor();
    await expect.poll(() => benPane.getByTestId('csat').textContent(), { timeout: 20_000 }).toContain('★★★★★');
    await shot(ben, '07-transferred');
    await benPane.getByTestId('end').click();
    await ben.getByTestId('end-confirm').click();
    await ben.getByTestId('wrap-up-countdown').waitFor();
    await expect.poll(() => ben.getByTestId('wrap-up-countdown').textContent()).toMatch(/0:[0-3]\d left/);
    await expect.poll(() => benPane.textContent()).toContain('Ended');
    await shot(ben, '08-ended-wrap-up');
    await shot(visitor, '09-visitor-widget');
    // A narrow window (a CRM side panel) shows one column: the conversation, its details on demand.
    await ben.setViewportSize({ width: 420, height: 760 });
    await shot(ben, '11-narrow-conversation');
    await benPane.getByRole('button', { name: 'Details' }).click();
    await benPane.getByTestId('csat').waitFor();
    await shot(ben, '12-narrow-details');
    await benPane.getByRole('button', { name: 'Back to the inbox' }).click();
    await ben.getByTestId('inbox').waitFor();
    // Closing the ended conversation takes it out of the inbox.
    await ben.getByTestId('inbox-row').click();
    await ben.getByTestId('dismiss').click();
    await expect.poll(() => ben.getByTestId('inbox-row').count()).toBe(0);
  }

  it('an offer rings (WebAudio tones) and shows a browser notification while the tab is hidden', async () => {
    // Ben, left free by the story, is set offline by the admin so the offer comes to Ann.
    await api(server.url, 'PUT', `/v1/agents/${seeded.agent2.agent.id}/status`, { token: seeded.admin.token, body: { status: 'offline' } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    // Counts the ringtone's oscillators and the notifications shown; the test says when the tab is hidden.
    await instrumentAlerts(context, server.url);
    const ann = await context.newPage();
    await signIn(ann, 'agent1@acme.test');
    await setStatus(ann, 'free', 'Available');
    await ann.evaluate(() => ((window as unknown as Alerts).__hidden = true));
    const visitor = await restVisitor('Hana');
    await visitor.say('human');
    await ann.getByTestId('offer').waitFor({ timeout: 15_000 });
    await expect.poll(() => ann.evaluate(() => (window as unknown as Alerts).__notifications)).toEqual(['Incoming chat: Hana is waiting']);
    await expect.poll(() => ann.evaluate(() => (window as unknown as Alerts).__oscillators)).toBeGreaterThanOrEqual(3);
    await ann.getByTestId('offer').getByRole('button', { name: 'Decline' }).click();
  });

  it('mounts into another page as a floating panel with a session token, with the tabs of its role', async () => {
    const page = await newPage();
    // A page of the server with header, nav and main rules of its own stands for a CRM page; the
    // token is what the SDK login hands over.
    await page.goto(`${server.url}/demo/agent`);
    // As /sdk/login.js does: the bundle's module script, then mount.
    await page.addScriptTag({ url: '/workbench/assets/workbench.js', type: 'module' });
    await page.waitForFunction(() => 'FrontdeskWorkbench' in window);
    await page.evaluate((token) => {
      const workbench = (window as unknown as { FrontdeskWorkbench: { mount(el: HTMLElement, options: { token: string; floating: boolean }): void } }).FrontdeskWorkbench;
      const panel = document.createElement('div');
      panel.style.cssText = 'position:fixed;right:16px;bottom:88px;width:420px;height:600px;box-shadow:0 8px 32px rgba(0,0,0,.25)';
      document.body.append(panel);
      workbench.mount(panel, { token, floating: true });
    }, seeded.admin.token);
    const tabs = page.getByRole('navigation', { name: 'Screens' });
    await tabs.waitFor();
    expect(await tabs.getByText('Supervisor').count()).toBe(1);
    expect(await tabs.getByText('Admin').count()).toBe(1);
    await shot(page, '10-floating-panel');
    // The floating button hides and shows the panel.
    await page.getByTestId('float-button').click();
    await expect.poll(() => tabs.isVisible()).toBe(false);
    await page.getByTestId('float-button').click();
    await expect.poll(() => tabs.isVisible()).toBe(true);
  });

  it('hostile visitor, agent and file names, texts and transfer notes render as text; the pages carry a CSP', async () => {
    for (const route of ['/workbench/', '/demo?appId=acme']) {
      const res = await fetch(`${server.url}${route}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy'), route).toMatch(/(^|;)\s*script-src [^;]+/);
    }
    // The workbench runs no inline script at all.
    const workbenchCsp = (await fetch(`${server.url}/workbench/`)).headers.get('content-security-policy')!;
    expect(workbenchCsp.match(/script-src [^;]+/)![0]).not.toContain('unsafe-inline');

    const call = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(server.url, method, route, { token, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    // Ben is in wrap-up after the story; Hana's declined chat still waits: it is ended first.
    const admin = seeded.admin.token;
    for (const c of (await call('GET', '/v1/conversations?status=open', admin)).conversations as { id: string; agentId: string | null }[]) {
      if (!c.agentId) await call('POST', `/v1/conversations/${c.id}/close`, admin);
    }
    await call('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, admin, { name: XSS_AGENT_NAME });
    await call('PATCH', '/v1/channels/default', admin, { name: XSS_CHANNEL_NAME });
    // The admin watches in the workbench (its login replaces the seed's admin token).
    const watcher = await newPage();
    await signIn(watcher, 'admin@acme.test');

    // A visitor named with markup sends the corpus and a file named with markup, then asks for a
    // person; Ann (renamed with markup) takes the chat, answers and hands it to the admin with the
    // corpus as her note.
    const annToken = (await api(server.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'agent1@acme.test', password: PASSWORD } })).body.token as string;
    const eve = await restVisitor(XSS_VISITOR_NAME);
    for (const text of XSS_TEXTS) await eve.say(text);
    await eve.sendFile(xssFileName('txt'), Buffer.from('just text'), 'text/plain');
    const annSocket = await TestClient.connect(server.wsUrl('acme'));
    try {
      expect((await annSocket.request({ type: 'hello', token: annToken })).ok).toBe(true);
      expect((await annSocket.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
      await eve.say('human');
      await annSocket.waitFor(() => annSocket.events.some((e) => e.type === 'offer' && e.conversationId === eve.conversationId), 10_000);
      expect((await annSocket.request({ type: 'offer.accept', conversationId: eve.conversationId })).ok).toBe(true);
      await call('POST', `/v1/conversations/${eve.conversationId}/messages`, annToken, { clientId: 'ann-1', text: 'Ann here, passing you on.' });
      await setStatus(watcher, 'free', 'Available');
      await call('POST', `/v1/conversations/${eve.conversationId}/transfer`, annToken, { agentId: seeded.admin.agent.id, note: XSS_TEXTS.join(' ') });
    } finally {
      await annSocket.close();
    }

    const row = watcher.locator(`[data-testid="inbox-row"][data-session-id="${eve.conversationId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.textContent()).toContain(XSS_VISITOR_NAME);
    await row.click();
    const pane = watcher.getByTestId('conversation');
    await expect.poll(() => pane.getAttribute('data-session-id')).toBe(eve.conversationId);
    await expect.poll(() => pane.locator('[data-sender="visitor"] [data-testid="message-text"]').allTextContents()).toEqual([...XSS_TEXTS, 'human']);
    expect(await pane.locator('[data-sender="agent"] .wb-msg__sender').allTextContents()).toEqual([XSS_AGENT_NAME]);
    expect(await pane.locator('.wb-attachment__name').allTextContents()).toEqual([xssFileName('txt')]);
    await expect.poll(() => pane.getByTestId('transfer-notes').textContent()).toContain(XSS_TEXTS.join(' '));
    expect(await pane.getByTestId('visitor-panel').textContent()).toContain(XSS_VISITOR_NAME);
    // The channel by the name its admin gave it (agents read it from the channel's public view).
    await expect.poll(() => pane.getByTestId('visitor-channel').textContent()).toBe(XSS_CHANNEL_NAME);
    expect(await pane.getByTestId('messages').locator('img, svg circle').count()).toBe(0);
    expect(await xssTraces(watcher)).toEqual([]);
    await shot(watcher, '13-hostile-text');
  });
});
