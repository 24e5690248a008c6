import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClient } from '../apps/server/test/helpers.ts';
import { useWorkbenchHarness } from './workbench-harness.ts';

/**
 * What the visitor reads in the widget's panel when nobody can answer, after reopening it, in
 * Arabic with Latin words, and for a tiny file: the demo shop page of the test server, the agent
 * side through the API and a socket. Screenshots: e2e/screenshots/panel-*.png.
 */
const APP = 'acme';

describe('the widget panel in Chromium', () => {
  let queueId: string;
  const sockets: TestClient[] = [];
  const h = useWorkbenchHarness({
    shots: 'panel',
    widget: true,
    setUp: async ({ ok, seeded }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann' });
      queueId = (await ok('POST', '/v1/queues', { name: 'Support' })).id;
      await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId, level: 3 }] });
    },
  });
  const { ok } = h;

  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => undefined);
  });

  /** A visitor on the demo shop page, the panel open. */
  async function openWidget(locale = 'en'): Promise<Page> {
    const page = await h.newPage();
    await page.goto(`${h.server.url}/demo?appId=${APP}&locale=${locale}`);
    await page.locator('button.launcher').click();
    await page.locator('frontdesk-widget textarea, frontdesk-widget .actions button').first().waitFor();
    return page;
  }
  const panel = (page: Page) => page.locator('frontdesk-widget .panel');
  const status = (page: Page) => page.locator('frontdesk-widget .status');
  const reopen = async (page: Page) => {
    await page.locator('frontdesk-widget header button.icon').last().click();
    await expect.poll(() => panel(page).isVisible()).toBe(false);
    await page.locator('button.launcher').click();
    await expect.poll(() => panel(page).isVisible()).toBe(true);
  };

  /** Ann's socket, with the status given. */
  async function ann(statusValue = 'free'): Promise<TestClient> {
    const client = await TestClient.connect(h.server.wsUrl(APP));
    sockets.push(client);
    expect((await client.request({ type: 'hello', token: h.seeded.agent1.token })).ok).toBe(true);
    expect((await client.request({ type: 'agent.status.set', status: statusValue })).ok).toBe(true);
    return client;
  }

  /**
   * The open conversation where the visitor just wrote `text`, claimed by Ann. Found by its text, not as
   * the newest: an earlier test's conversation may take a late notice and be updated after it.
   */
  async function claimWhereSaid(text: string): Promise<string> {
    // NOTE: SQLite indexes a message right after it is stored (docs/search.md): wait for it.
    let results: { conversation: { id: string } }[] = [];
    await expect.poll(async () => (results = (await ok('GET', `/v1/conversations/search?filter=all&q=${encodeURIComponent(text)}`)).results)).toHaveLength(1);
    const id = results[0]!.conversation.id;
    await ok('POST', `/v1/conversations/${id}/claim`, undefined, h.seeded.agent1.token);
    return id;
  }

  it('nobody to answer: the header says so instead of "Online", and a chat nobody can take ends saying why and what to do', async () => {
    await ok('PATCH', '/v1/channels/default', { queueId });
    const page = await openWidget();
    await expect.poll(() => status(page).textContent()).toBe('No agent available right now');
    // Routing gives the new chat up at once (nobody is signed in): never silently.
    const notices = page.locator('frontdesk-widget .log li.notice');
    await expect.poll(() => notices.allTextContents()).toEqual([
      'No agent is available right now, so this conversation has ended. Please start a new conversation later.',
      'The conversation has ended',
    ]);
    await page.locator('frontdesk-widget .actions button.primary').waitFor();
    expect(await page.locator('frontdesk-widget .actions button.primary').textContent()).toBe('Start a new conversation');
    await h.shot(page, 'nobody-available');

    // Ann is free now: reopened, the panel says so, and a new chat rings for her.
    const socket = await ann('free');
    await reopen(page);
    await expect.poll(() => status(page).textContent()).toBe('Online');
    await page.locator('frontdesk-widget .actions button.primary').click();
    await socket.waitFor(() => socket.events.some((e) => e.type === 'offer'));
    await expect.poll(() => notices.count()).toBe(0);
    await h.shot(page, 'online');
    await socket.request({ type: 'agent.status.set', status: 'offline' });
  });

  it('reopened, the panel shows the newest message; a 5-byte file says 5 B', async () => {
    await ok('PATCH', '/v1/channels/default', { queueId: null });
    const page = await openWidget();
    await page.locator('frontdesk-widget textarea').fill('Hello, one question about my order');
    await page.locator('frontdesk-widget textarea').press('Enter');
    await expect.poll(() => page.locator('frontdesk-widget .msg.visitor').count()).toBe(1);
    const conversationId = await claimWhereSaid('Hello, one question about my order');
    const socket = await ann('free');
    const say = async (text: string) => expect((await socket.request({ type: 'message.send', conversationId, clientId: text, text })).ok).toBe(true);
    for (let i = 1; i <= 20; i++) await say(`Answer line ${i}`);
    await page.locator('frontdesk-widget .msg.agent .bubble').filter({ hasText: 'Answer line 20' }).waitFor();

    // Closed while Ann goes on writing; reopened, the newest message is in view.
    await page.locator('frontdesk-widget header button.icon').last().click();
    await expect.poll(() => panel(page).isVisible()).toBe(false);
    for (let i = 1; i <= 20; i++) await say(`Written while closed ${i}`);
    await expect.poll(() => page.locator('button.launcher .badge').textContent()).toBe('20');
    await page.locator('button.launcher').click();
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    const distanceFromBottom = () =>
      page.evaluate(() => {
        const log = document.querySelector('frontdesk-widget')!.shadowRoot!.querySelector('.log')!;
        return log.scrollHeight - log.scrollTop - log.clientHeight;
      });
    await expect.poll(distanceFromBottom).toBeLessThan(4);
    const newest = page.locator('frontdesk-widget .msg.agent .bubble').filter({ hasText: 'Written while closed 20' });
    const logBox = (await page.locator('frontdesk-widget .log').boundingBox())!;
    const newestBox = (await newest.boundingBox())!;
    expect(newestBox.y + newestBox.height).toBeLessThanOrEqual(logBox.y + logBox.height + 1);
    await h.shot(page, 'reopened-newest');

    // A tiny file's size in bytes, not "1 KB".
    await page.locator('frontdesk-widget input[type=file]').setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const file = page.locator('frontdesk-widget .msg.visitor button.file');
    await file.waitFor();
    expect(await file.textContent()).toBe('note.txt (5 B)');
    await h.shot(page, 'tiny-file');
    await ok('POST', `/v1/conversations/${conversationId}/close`, undefined, h.seeded.agent1.token);
  });

  it('in Arabic, a bubble with English or mixed text keeps its own direction and order', async () => {
    const page = await openWidget('ar');
    await expect.poll(() => panel(page).getAttribute('dir')).toBe('rtl');
    await page.locator('frontdesk-widget textarea').fill('Order ABC-123 has not arrived, please help');
    await page.locator('frontdesk-widget textarea').press('Enter');
    const english = page.locator('frontdesk-widget .msg.visitor:not(.pending) .bubble').filter({ hasText: 'ABC-123' });
    await english.waitFor();
    const conversationId = await claimWhereSaid('Order ABC-123 has not arrived, please help');
    const socket = await ann('free');
    const mixed = 'طلبك رقم ABC-123 سيصل غدًا (Tuesday)';
    expect((await socket.request({ type: 'message.send', conversationId, clientId: 'ar-1', text: mixed })).ok).toBe(true);
    const arabic = page.locator('frontdesk-widget .msg.agent .bubble').filter({ hasText: 'ABC-123' });
    await arabic.waitFor();
    expect(await english.getAttribute('dir')).toBe('auto');
    expect(await english.evaluate((el) => el.matches(':dir(ltr)'))).toBe(true);
    expect(await arabic.evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
    expect(await english.textContent()).toBe('Order ABC-123 has not arrived, please help');
    await h.shot(page, 'arabic-mixed');
    await ok('POST', `/v1/conversations/${conversationId}/close`, undefined, h.seeded.agent1.token);
  });

  it("the channel's pre-chat form comes first: its fields in its order, required or not; the chat opens with the answers", async () => {
    await ok('PATCH', '/v1/channels/default', { queueId: null, preChatForm: { enabled: true, fields: [{ key: 'name', required: true }, { key: 'email' }] } });
    try {
      await ann('free'); // someone to answer: the pre-chat form, not the leave-a-message one
      const page = await h.newPage();
      await page.goto(`${h.server.url}/demo?appId=${APP}&locale=en`);
      await page.locator('button.launcher').click();
      const form = page.locator('frontdesk-widget [data-testid=pre-chat]');
      await form.waitFor();
      expect(await form.locator('h3').textContent()).toBe(await form.getAttribute('aria-labelledby').then((id) => page.locator(`frontdesk-widget #${id}`).textContent()));
      const inputs = await form.locator('input').evaluateAll((all) => (all as HTMLInputElement[]).map((i) => [i.name, i.type, i.required, i.autocomplete, i.maxLength]));
      expect(inputs).toEqual([['name', 'text', true, 'name', 100], ['email', 'email', false, 'email', 254]]);
      expect(await page.locator('frontdesk-widget textarea').count()).toBe(0);
      await h.shot(page, 'pre-chat');
      await form.locator('input[name=name]').fill('  Li Lei ');
      await form.locator('button[type=submit]').click();
      await page.locator('frontdesk-widget textarea').waitFor();
      expect(await form.count()).toBe(0);
      const { conversations } = await ok('GET', '/v1/conversations?status=open&limit=1');
      expect(conversations[0].visitorDetails).toEqual({ name: 'Li Lei', email: null, phone: null });
      await ok('POST', `/v1/conversations/${conversations[0].id}/close`);
    } finally {
      await ok('PATCH', '/v1/channels/default', { preChatForm: { enabled: false } });
    }
  });
});
