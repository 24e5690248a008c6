import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMediaServer } from '../apps/server/src/modules/calls/index.ts';
import { api, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';
import { instrumentAlerts, type Alerts } from './workbench-harness.ts';

/**
 * The call screens of the widget and the workbench in Chromium, through the real server with the
 * in-memory media server (calls ring, are answered, refused and fail as with Janus; no media flows:
 * e2e/media/ui-calls.test.ts proves the media). Screenshots: e2e/screenshots/calls-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';
const APP = 'acme';

describe('call screens in Chromium (in-memory media server)', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const media = new FakeMediaServer();
  const contexts: BrowserContext[] = [];
  let videoQueueId: string;

  const ok = async (method: string, route: string, body?: unknown, token = seeded.admin.token) => {
    const res = await api(server.url, method, route, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `calls-${name}.png`) });

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(import.meta.dirname, '../apps/widget/dist/loader.js'))) throw new Error('run npm run build first');
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite', {}, { media });
    seeded = await seedApp(server, APP);
    await ok('PATCH', '/v1/app', { allowedOrigins: [server.url] });
    await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent', mediaTypes: ['chat', 'audio', 'video'] });
    // Calls nobody takes are given up after 3 s in the queue (the visitor is told at once).
    const queue = await ok('POST', '/v1/queues', { name: 'Calls', type: 'video_click_to_call', ringTimeoutSeconds: 30, maxWaitSeconds: 3 });
    videoQueueId = queue.id;
    await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3 }] });
    // An admin of its own for the browser (a sign-in there replaces the test's admin login otherwise).
    await server.app.services.identity.createAgent(APP, { email: `boss@${APP}.test`, password: PASSWORD, role: 'admin', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  async function newContext(options: { mobile?: boolean } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: options.mobile ? { width: 390, height: 760 } : { width: 1280, height: 800 },
      isMobile: options.mobile ?? false,
      hasTouch: options.mobile ?? false,
      locale: 'en-US',
    });
    contexts.push(context);
    return context;
  }

  /** A visitor on the demo shop page with the chat open and its conversation started. */
  async function openWidget(context?: BrowserContext): Promise<Page> {
    const page = await (context ?? (await newContext())).newPage();
    page.on('pageerror', (err) => console.error('[widget page error]', err.message));
    await page.goto(`${server.url}/demo?appId=${APP}`);
    await page.locator('button.launcher').click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    // Connected ("Online" while Ann is free, else the panel says nobody is available).
    await expect.poll(() => page.locator('frontdesk-widget .status').textContent()).toMatch(/^(Online|No agent available right now)$/);
    return page;
  }

  const widgetCall = (page: Page): Locator => page.locator('frontdesk-widget section.call');
  const callButton = (page: Page, kind: 'audio' | 'video') => page.locator(`frontdesk-widget button[data-call="${kind}"]`);

  /** The visitor's open conversation (the newest), claimed by agent1 before the workbench signs in. */
  async function claimNewest(): Promise<string> {
    const { conversations } = await ok('GET', '/v1/conversations?status=open&limit=1');
    const id = conversations[0].id as string;
    await ok('POST', `/v1/conversations/${id}/claim`, undefined, seeded.agent1.token);
    return id;
  }

  /** Ann in the workbench, free, with ringing and notifications counted and the tab "hidden" on demand. */
  async function openWorkbench(email = `agent1@${APP}.test`): Promise<Page> {
    const context = await newContext();
    await instrumentAlerts(context, server.url);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[workbench page error]', err.message));
    await page.goto(`${server.url}/workbench/?appId=${APP}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
    await page.locator('#wb-status-select').selectOption('free');
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toContain('Available');
    return page;
  }
  const instrumented = <K extends keyof Alerts>(page: Page, key: K) => page.evaluate((k) => (window as unknown as Alerts)[k], key);

  /**
   * Ann accepts the ringing call in the workbench; its two publishers come up in the in-memory media
   * server as Janus would bring them up, and the call window shows it active. `bringUp` brings up any
   * publisher that joins later.
   */
  async function acceptCall() {
    await workbench.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    const window = workbench.getByTestId('call-window');
    await window.waitFor();
    const callId = (await window.getAttribute('data-call-id'))!;
    const room = () => [...media.rooms.values()].find((r) => r.request.callId === callId);
    const publishers = () => [...(room()?.legs.values() ?? [])].filter((l) => l.kind === 'publisher');
    const legsUp = new Set<string>();
    const bringUp = () => {
      for (const leg of publishers()) {
        if (legsUp.has(leg.legId)) continue;
        legsUp.add(leg.legId);
        media.emitLegEvent(room()!.ref, leg.legId, { type: 'leg.up' });
      }
    };
    await expect.poll(() => publishers().length).toBe(2);
    bringUp();
    await expect.poll(() => window.getAttribute('data-call-mode')).toBe('active');
    return { window, callId, publishers, bringUp };
  }

  it('the widget offers only the calls its channel offers', async () => {
    await ok('PATCH', '/v1/channels/default', { calls: { audio: false, video: false, queueId: null } });
    const page = await openWidget();
    await expect.poll(() => page.locator('frontdesk-widget button[data-call]').count()).toBe(0);
    await ok('PATCH', '/v1/channels/default', { calls: { audio: true } });
    await page.reload();
    await page.locator('button.launcher').click();
    await callButton(page, 'audio').waitFor();
    expect(await callButton(page, 'video').count()).toBe(0);
    expect(await callButton(page, 'audio').getAttribute('aria-label')).toBe('Start a voice call');
    await ok('PATCH', '/v1/channels/default', { calls: { video: true, queueId: videoQueueId } });
    await page.reload();
    await page.locator('button.launcher').click();
    await callButton(page, 'video').waitFor();
    expect(await callButton(page, 'audio').count()).toBe(1);
  });

  let widget: Page;
  let workbench: Page;
  let conversationId: string;

  it("a visitor's video call rings in the workbench (tone, and a notification while hidden); declined, the visitor is told nobody could take it", async () => {
    await ok('PATCH', '/v1/channels/default', { calls: { audio: true, video: true, queueId: videoQueueId } });
    widget = await openWidget();
    await widget.getByRole('textbox', { name: 'Message' }).fill('Can we talk on video?');
    await widget.getByRole('textbox', { name: 'Message' }).press('Enter');
    // Stored: its conversation is the newest open one (the first test's visitor has one too).
    await widget.locator('frontdesk-widget .msg.visitor .meta').filter({ hasText: 'Sent' }).waitFor();
    // Five header buttons (two calls, rating, co-browse, close) leave the panel's title whole.
    await expect.poll(() => widget.locator('frontdesk-widget header button').count()).toBe(5);
    expect(await widget.locator('frontdesk-widget header h2').evaluate((h) => [h.textContent, h.scrollWidth <= h.clientWidth])).toEqual(['Chat with us', true]);
    conversationId = await claimNewest();
    workbench = await openWorkbench();
    await workbench.getByTestId('inbox-row').first().waitFor();
    await workbench.evaluate(() => ((window as unknown as Alerts).__hidden = true));

    await callButton(widget, 'video').click();
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toBe('outgoing');
    await expect.poll(() => widgetCall(widget).textContent()).toContain('Calling…');
    const ringing = workbench.getByTestId('incoming-call');
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Incoming video call');
    await expect.poll(() => instrumented(workbench, '__notifications')).toEqual([expect.stringMatching(/^Incoming video call: .+ is calling$/)]);
    await expect.poll(() => instrumented(workbench, '__oscillators')).toBeGreaterThanOrEqual(3);
    await workbench.evaluate(() => ((window as unknown as Alerts).__hidden = false));
    await shot(widget, 'widget-calling');
    await shot(workbench, 'workbench-ringing');

    await ringing.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => ringing.count()).toBe(0);
    // Ann declined and nobody else serves the queue: the call is given up when its wait runs out.
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode'), { timeout: 15_000 }).toBe('ended');
    expect(await widgetCall(widget).textContent()).toContain('Video call not connected: nobody could take your call');
    await shot(widget, 'widget-nobody');
    await expect.poll(() => widget.locator('frontdesk-widget .log li.call-line').allTextContents()).toEqual(['Video call not connected: nobody could take your call']);
  });

  it('the agent calls the visitor from the conversation header: it rings in the widget, the visitor declines, and the agent reads that', async () => {
    // The visitor closed the chat: a call ringing opens it again.
    await widget.locator('frontdesk-widget').getByRole('button', { name: 'Close chat' }).click();
    await expect.poll(() => widget.locator('frontdesk-widget .panel').isVisible()).toBe(false);
    await workbench.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
    await workbench.getByTestId('call-visitor-video').click();
    const window = workbench.getByTestId('call-window');
    await expect.poll(() => window.getAttribute('data-call-mode')).toBe('calling');
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toBe('incoming');
    expect(await widget.locator('frontdesk-widget .panel').isVisible()).toBe(true);
    expect(await widgetCall(widget).textContent()).toContain('Ann Agent is calling you');
    await shot(widget, 'widget-incoming');
    await shot(workbench, 'workbench-calling');
    await widgetCall(widget).getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => window.getAttribute('data-call-mode')).toBe('ended');
    expect(await workbench.getByTestId('call-status').textContent()).toContain('The visitor declined');
    await expect.poll(() => widget.locator('frontdesk-widget .log li.call-line').allTextContents()).toContain('Video call not connected: you declined');
    await shot(workbench, 'workbench-declined');
    await workbench.getByTestId('call-close').click();
    await expect.poll(() => window.count()).toBe(0);
  });

  it('the visitor cancels a ringing call; the agent answers the next one, is on a call, and the widget rejoins it after a reload and hangs up', async () => {
    await callButton(widget, 'video').click();
    await workbench.getByTestId('incoming-call').waitFor();
    await widgetCall(widget).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => workbench.getByTestId('incoming-call').count()).toBe(0);
    await expect.poll(() => widget.locator('frontdesk-widget .log li.call-line').allTextContents()).toContain('Video call not connected: you cancelled');

    await callButton(widget, 'audio').click();
    const ringing = workbench.getByTestId('incoming-call');
    await ringing.getByRole('button', { name: 'Accept' }).click();
    const window = workbench.getByTestId('call-window');
    await window.waitFor();
    await expect.poll(() => workbench.getByTestId('agent-status').textContent()).toContain('On a call');
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toMatch(/connecting|active/);
    // The page reloads: the call is listed at hello, rejoined, and shown again.
    await widget.reload();
    await widget.locator('button.launcher').click();
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toMatch(/connecting|active/);
    await shot(widget, 'widget-rejoined');
    await widgetCall(widget).getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => window.getAttribute('data-call-mode')).toBe('ended');
    expect(await workbench.getByTestId('call-status').textContent()).toContain('The visitor hung up');
    await workbench.getByTestId('call-close').click();
    await expect.poll(() => workbench.getByTestId('agent-status').textContent()).not.toContain('On a call');
  });

  it('the agent transfers a call to a queue from the call window: the visitor sees a hold notice, the call rings again and is taken', async () => {
    await callButton(widget, 'audio').click();
    const { publishers, bringUp } = await acceptCall();

    await workbench.getByTestId('call-transfer').click();
    const dialog = workbench.getByRole('dialog', { name: 'Transfer call' });
    await dialog.getByLabel('A queue').check();
    await dialog.getByTestId('transfer-queue').selectOption(videoQueueId);
    await shot(workbench, 'workbench-transfer');
    await dialog.getByTestId('transfer-submit').click();
    // Ann left the call; the visitor waits on hold, told why.
    await expect.poll(() => widgetCall(widget).textContent()).toContain('Please hold: your call is being transferred…');
    await shot(widget, 'widget-transferring');
    // The queue offers it like a new call: Ann (its only agent, free again) rings and takes it back.
    await workbench.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => publishers().length).toBe(2);
    bringUp();
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toBe('active');
    await widgetCall(widget).getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => workbench.getByTestId('call-window').getAttribute('data-call-mode')).toBe('ended');
    await workbench.getByTestId('call-close').click();
  });

  it('the agent sees a supervisor who whispers or barges in, by name, and never one who only monitors', async () => {
    await server.app.services.identity.createAgent(APP, { email: `lee@${APP}.test`, password: PASSWORD, role: 'supervisor', name: 'Lee', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const login = (await api(server.url, 'POST', '/v1/auth/login', { body: { appId: APP, email: `lee@${APP}.test`, password: PASSWORD } })).body as { token: string };
    const lee = await TestClient.connect(server.wsUrl(APP));
    expect((await lee.request({ type: 'hello', token: login.token })).ok).toBe(true);

    await callButton(widget, 'audio').click();
    const { window, callId } = await acceptCall();
    const banner = window.getByTestId('call-supervisor');
    const supervise = async (mode: string) => expect((await lee.request({ type: 'call.supervise', callId, mode })).ok).toBe(true);

    // Monitoring: the agent is not told (the whisper after it is the first thing the banner shows).
    await supervise('monitor');
    await workbench.waitForTimeout(500);
    expect(await banner.count()).toBe(0);
    await supervise('whisper');
    await expect.poll(() => banner.textContent()).toContain('Supervisor Lee is whispering to you');
    expect(await banner.getAttribute('data-mode')).toBe('whisper');
    await shot(workbench, 'workbench-whisper');
    await supervise('barge');
    await expect.poll(() => banner.textContent()).toContain('Supervisor Lee has joined the call');
    await shot(workbench, 'workbench-barge');
    // Back to monitor: the agent no longer hears Lee, and the banner goes (not saying why).
    await supervise('monitor');
    await expect.poll(() => banner.count()).toBe(0);
    await supervise('stop');
    await lee.close();

    await widgetCall(widget).getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => window.getAttribute('data-call-mode')).toBe('ended');
    await workbench.getByTestId('call-close').click();
  });

  it('the agent consults a colleague from the call window (the visitor on hold), completes, hangs up: the colleague keeps the call', async () => {
    // Bob serves calls for this test only (the admin test below sets its media types itself).
    const before = await ok('GET', `/v1/agents/${seeded.agent2.agent.id}`);
    await ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { mediaTypes: ['chat', 'audio', 'video'] });
    const colleague = await openWorkbench(`agent2@${APP}.test`);
    await callButton(widget, 'audio').click();
    const { publishers, bringUp } = await acceptCall();

    await workbench.getByTestId('call-consult').click();
    const dialog = workbench.getByRole('dialog', { name: 'Consult an agent (the visitor waits on hold)' });
    await dialog.getByTestId('transfer-agent').selectOption(seeded.agent2.agent.id);
    await dialog.getByTestId('transfer-submit').click();
    await expect.poll(() => widgetCall(widget).textContent()).toContain('On hold. Please stay on the line.');
    await expect.poll(() => workbench.getByTestId('call-status').textContent()).toBe('Consulting: the visitor is on hold and hears nobody');
    await colleague.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => publishers().length).toBe(3);
    bringUp();
    await workbench.getByTestId('call-consult-complete').click();
    await expect.poll(() => workbench.getByTestId('call-status').textContent()).toBe('Three-way: hang up to leave the call to your colleague');
    await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toBe('active');
    await shot(workbench, 'workbench-three-way');
    await workbench.getByTestId('call-hang-up').click();
    // Ann is out of the call; Bob has it, the visitor talks on.
    await expect.poll(() => workbench.getByTestId('call-window').count()).toBe(0);
    await expect.poll(() => colleague.getByTestId('call-window').getAttribute('data-call-mode')).toBe('active');
    expect(await widgetCall(widget).getAttribute('data-call-mode')).toBe('active');
    await widgetCall(widget).getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => colleague.getByTestId('call-window').getAttribute('data-call-mode')).toBe('ended');
    await colleague.getByTestId('call-close').click();
    await colleague.context().close();
    await ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { mediaTypes: before.mediaTypes });
  });

  it('calls unavailable: the visitor and the agent are told clearly, and chat goes on', async () => {
    media.loseInstance('stopped for the test');
    try {
      await callButton(widget, 'video').click();
      await expect.poll(() => widgetCall(widget).getAttribute('data-call-mode')).toBe('error');
      expect(await widgetCall(widget).textContent()).toContain('Calls are unavailable right now. You can keep chatting with us here.');
      await shot(widget, 'widget-unavailable');
      await workbench.getByTestId('call-visitor-audio').click();
      await expect.poll(() => workbench.locator('.fd-toast').allTextContents()).toContainEqual(expect.stringContaining('Calls are unavailable right now'));
      await widgetCall(widget).getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => widgetCall(widget).count()).toBe(0);
    } finally {
      media.restore();
    }
  });

  it('admin sets calls in plain words (channel calls, a click-to-call queue, calls at once); the supervisor sees who is on a call', async () => {
    const page = await (await newContext()).newPage();
    page.on('pageerror', (err) => console.error('[admin page error]', err.message));
    await page.goto(`${server.url}/workbench/?appId=${APP}`);
    await page.getByLabel('Email').fill(`boss@${APP}.test`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    const section = (name: string) => page.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name, exact: true }).click();

    // A queue for video calls from the chat.
    await section('Queues');
    await page.getByRole('button', { name: 'New queue' }).click();
    const queueForm = page.getByRole('form', { name: 'New queue' });
    await queueForm.getByLabel('Name').fill('Video desk');
    expect(await queueForm.locator('select[name="type"] option').allTextContents()).toEqual(['Phone calls', 'Chats', 'Video', 'Voice calls from the chat', 'Video calls from the chat']);
    await queueForm.locator('select[name="type"]').selectOption({ label: 'Video calls from the chat' });
    await queueForm.getByRole('button', { name: 'Create queue' }).click();
    await page.getByRole('cell', { name: 'Video desk', exact: true }).waitFor();
    const desk = (await ok('GET', '/v1/queues')).queues.find((q: { name: string }) => q.name === 'Video desk');
    expect(desk.type).toBe('video_click_to_call');

    // agent2 takes video calls, two at once.
    await section('Agents');
    await page.getByRole('button', { name: `Edit agent2@${APP}.test` }).click();
    const agentForm = page.getByRole('form', { name: `Edit agent agent2@${APP}.test` });
    await agentForm.getByLabel('Video calls').check();
    await agentForm.getByLabel('Calls at once').fill('2');
    await shot(page, 'admin-agent');
    await agentForm.getByRole('button', { name: 'Save agent' }).click();
    await expect.poll(async () => (await ok('GET', '/v1/agents')).agents.find((a: { id: string }) => a.id === seeded.agent2.agent.id)).toMatchObject({ mediaTypes: ['chat', 'video'], maxConcurrentCalls: 2 });

    // The channel offers video calls only, through the new queue.
    await section('Channels');
    const calls = page.getByTestId('channel-calls');
    await calls.getByLabel('Visitors can make voice calls from the chat').uncheck();
    await calls.locator('select[name="callsQueueId"]').selectOption({ label: 'Video desk' });
    await calls.scrollIntoViewIfNeeded();
    await shot(page, 'admin-channel');
    await page.getByRole('form', { name: /Settings of channel/ }).getByRole('button', { name: 'Save channel' }).click();
    await expect.poll(async () => (await ok('GET', '/v1/channels/default')).calls).toEqual({ audio: false, video: true, queueId: desk.id });
    expect(await page.getByRole('form', { name: /Settings of channel/ }).getByText(/\(M\d+\)/).count()).toBe(0);

    // Ann answers a video call; the supervisor board shows her on a call, and the call beside the chats.
    await widget.reload();
    await widget.locator('button.launcher').click();
    await callButton(widget, 'video').click();
    await workbench.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('link', { name: 'Supervisor', exact: true }).click();
    await expect.poll(() => page.getByTestId(`status-${seeded.agent1.agent.id}`).textContent(), { timeout: 10_000 }).toContain('On a call');
    const liveCalls = page.getByRole('table', { name: 'Live calls' });
    await expect.poll(() => liveCalls.getByRole('row').filter({ hasText: 'Ann Agent' }).textContent()).toContain('Video call');
    // The visitor by the name the inbox shows (an anonymous one: "Visitor" and its id's tail).
    const { visitorId } = await ok('GET', `/v1/conversations/${conversationId}`);
    expect(await liveCalls.getByRole('row').filter({ hasText: 'Ann Agent' }).textContent()).toContain(`Visitor ${(visitorId as string).slice(-4)}`);
    await shot(page, 'supervisor');
    await workbench.getByTestId('call-hang-up').click();
    await expect.poll(() => liveCalls.getByRole('row').filter({ hasText: 'Ann Agent' }).count(), { timeout: 10_000 }).toBe(0);
    await workbench.getByTestId('call-close').click();
    await ok('PATCH', '/v1/channels/default', { calls: { audio: true, video: true, queueId: videoQueueId } });
  });

  it('on a phone the call fills the panel with the chat a tap away, right to left in Arabic; the workbench speaks Chinese to a Chinese browser', async () => {
    await ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { name: 'Ben', mediaTypes: ['chat', 'audio', 'video'] });
    // Ben's browser is Chinese.
    const benContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    contexts.push(benContext);
    const ben = await benContext.newPage();
    await ben.goto(`${server.url}/workbench/?appId=${APP}`);
    // A Chinese browser: the sign-in screen speaks Chinese too.
    await ben.getByLabel('邮箱').fill(`agent2@${APP}.test`);
    await ben.getByLabel('密码').fill(PASSWORD);
    await ben.getByRole('button', { name: '登录' }).click();
    await ben.locator('#wb-status-select').selectOption('free');

    // An Arabic visitor on a phone writes; Ben takes the chat and calls with video.
    const phone = await (await newContext({ mobile: true })).newPage();
    const openedAt = Date.now();
    await phone.goto(`${server.url}/demo?appId=${APP}&locale=ar`);
    await phone.locator('button.launcher').click();
    await phone.locator('frontdesk-widget textarea').fill('مرحبا');
    await phone.locator('frontdesk-widget textarea').press('Enter');
    const phoneConversation = async () =>
      ((await ok('GET', '/v1/conversations?status=open&limit=100')).conversations as { id: string; createdAt: number; lastSeq: number }[]).find((c) => c.createdAt >= openedAt && c.lastSeq > 0)?.id;
    await expect.poll(phoneConversation).toBeDefined();
    await ben.locator(`[data-testid="inbox-row"][data-session-id="${await phoneConversation()}"]`).click();
    await ben.getByTestId('claim').click();
    await ben.getByTestId('call-visitor-video').click();
    await expect.poll(() => ben.getByTestId('call-status').textContent()).toMatch(/^正在呼叫/);
    expect(await ben.getByTestId('agent-status').textContent()).toContain('通话中');
    await shot(ben, 'workbench-zh-calling');

    const call = widgetCall(phone);
    await expect.poll(() => call.getAttribute('data-call-mode')).toBe('incoming');
    expect(await phone.locator('frontdesk-widget .panel').getAttribute('dir')).toBe('rtl');
    expect(await call.textContent()).toContain('Ben يتصل بك');
    const fills = async () => {
      const [box, panel] = await Promise.all([call.boundingBox(), phone.locator('frontdesk-widget .panel').boundingBox()]);
      return box !== null && panel !== null && box.height >= panel.height - 1 && box.width >= panel.width - 1;
    };
    expect(await fills()).toBe(true);
    await shot(phone, 'widget-phone-incoming-ar');
    await call.getByRole('button', { name: 'قبول' }).click();
    await expect.poll(() => call.getAttribute('data-call-mode')).toMatch(/connecting|active/);
    expect(await fills()).toBe(true);
    await shot(phone, 'widget-phone-in-call-ar');
    await call.getByRole('button', { name: 'إظهار الدردشة' }).click();
    await expect.poll(fills).toBe(false);
    await phone.locator('frontdesk-widget textarea').waitFor();
    await shot(phone, 'widget-phone-chat-ar');
    await call.getByRole('button', { name: 'إنهاء المكالمة' }).click();
    await expect.poll(() => call.getAttribute('data-call-mode')).toBe('ended');
    await expect.poll(() => phone.locator('frontdesk-widget .log li.call-line').allTextContents()).toContainEqual(expect.stringContaining('أنهيت المكالمة'));
    await expect.poll(() => ben.getByTestId('call-status').textContent()).toContain('访客已挂断');
    await shot(ben, 'workbench-zh-ended');
  });

  it('nobody can take a call from a conversation without an agent, and a refused camera says how to allow it', async () => {
    await ok('PATCH', '/v1/channels/default', { calls: { queueId: null } });
    const context = await newContext();
    const page = await openWidget(context);
    await callButton(page, 'video').click();
    await expect.poll(() => widgetCall(page).getAttribute('data-call-mode')).toBe('error');
    expect(await widgetCall(page).textContent()).toContain('Nobody can take your call now.');
    await widgetCall(page).getByRole('button', { name: 'Close' }).click();

    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });
    await page.reload();
    await page.locator('button.launcher').click();
    await callButton(page, 'video').click();
    await expect.poll(() => widgetCall(page).getAttribute('data-call-mode')).toBe('error');
    expect(await widgetCall(page).textContent()).toContain('The camera and microphone were not allowed.');
    expect(await widgetCall(page).getByRole('button', { name: 'Try again' }).count()).toBe(1);
    await shot(page, 'widget-permission-denied');
    await ok('PATCH', '/v1/channels/default', { calls: { queueId: videoQueueId } });
  });
});
