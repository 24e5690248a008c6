import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../../apps/server/test/helpers.ts';
import { assertInsideMediaNamespace, launchMediaBrowser, TEST_ICE_ADDRESS, type Colour } from './media-harness.ts';

const APP = 'acme';
const PASSWORD = 'correct horse battery';

/** The product's two screens, ready for a video call between them. */
export interface CallScene {
  server: TestServer;
  /** The seeded app (admin, agent1 = Ann, agent2). */
  seeded: Awaited<ReturnType<typeof seedApp>>;
  /** REST as the seeded admin unless a token is given. */
  ok(method: string, route: string, body?: unknown, token?: string): Promise<any>;
  /** The visitor's page: the demo shop with the widget open, its chat written. */
  widget: Page;
  /** Ann's workbench: signed in, free, the visitor's conversation open. */
  workbench: Page;
  /**
   * The visitor calls with video from the widget, Ann accepts in the workbench: its call window is
   * active and shows the visitor's video. Answers the widget's call section.
   */
  answerVideoCall(): Promise<Locator>;
  close(): Promise<void>;
}

/**
 * A server with its supervised local Janus (SQLite); a visitor (red camera, 440 Hz) who wrote
 * `visitorText` in the widget; Ann (agent1, `agentColour`, 880 Hz) who took that chat and opened it in
 * her workbench. Video calls are on in the default channel, through a click-to-call queue of Ann's
 * when `callQueue` (else without one). `initScript` runs in both pages before theirs.
 */
export async function openCallScene(options: { agentColour: Colour; visitorText: string; workbenchHeight: number; callQueue?: boolean; initScript?: () => void }): Promise<CallScene> {
  assertInsideMediaNamespace();
  const server = await startTestServer('sqlite', { FRONTDESK_MEDIA: 'local', FRONTDESK_MEDIA_ICE_ADDRESS: TEST_ICE_ADDRESS });
  const browsers: Browser[] = [];
  const close = async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server.close();
  };
  try {
    const seeded = await seedApp(server, APP);
    const ok = async (method: string, route: string, body?: unknown, token = seeded.admin.token) => {
      const res = await api(server.url, method, route, { token, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await ok('PATCH', '/v1/app', { allowedOrigins: [server.url] });
    await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent', mediaTypes: ['chat', 'audio', 'video'] });
    const queue = options.callQueue ? await ok('POST', '/v1/queues', { name: 'Calls', type: 'video_click_to_call', ringTimeoutSeconds: 60, maxWaitSeconds: 120 }) : null;
    if (queue) await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3 }] });
    await ok('PATCH', '/v1/channels/default', { calls: { audio: true, video: true, ...(queue ? { queueId: queue.id } : {}) } });

    browsers.push(...(await Promise.all([launchMediaBrowser({ toneHz: 440, colour: 'red' }), launchMediaBrowser({ toneHz: 880, colour: options.agentColour })])));
    const widget = await browsers[0]!.newPage({ viewport: { width: 1100, height: 760 } });
    const workbench = await browsers[1]!.newPage({ viewport: { width: 1280, height: options.workbenchHeight } });
    if (options.initScript) await Promise.all([widget.addInitScript(options.initScript), workbench.addInitScript(options.initScript)]);
    widget.on('pageerror', (err) => console.error('[widget page error]', err.message));
    workbench.on('pageerror', (err) => console.error('[workbench page error]', err.message));

    // The visitor writes; Ann takes the chat, signs in and opens it.
    await widget.goto(`${server.url}/demo?appId=${APP}`);
    await widget.locator('button.launcher').click();
    await widget.getByRole('textbox', { name: 'Message' }).fill(options.visitorText);
    await widget.getByRole('textbox', { name: 'Message' }).press('Enter');
    await widget.locator('frontdesk-widget .msg.visitor .meta').filter({ hasText: 'Sent' }).waitFor();
    const conversationId = (await ok('GET', '/v1/conversations?status=open&limit=1')).conversations[0].id;
    await ok('POST', `/v1/conversations/${conversationId}/claim`, undefined, seeded.agent1.token);
    await workbench.goto(`${server.url}/workbench/?appId=${APP}`);
    await workbench.getByLabel('Email').fill(`agent1@${APP}.test`);
    await workbench.getByLabel('Password').fill(PASSWORD);
    await workbench.getByRole('button', { name: 'Sign in' }).click();
    await workbench.locator('#wb-status-select').selectOption('free');
    await workbench.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
    const answerVideoCall = async () => {
      await widget.locator('frontdesk-widget button[data-call="video"]').click();
      await workbench.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => workbench.getByTestId('call-window').getAttribute('data-call-mode'), { timeout: 30_000 }).toBe('active');
      await workbench.getByTestId('call-remote-video').waitFor({ timeout: 20_000 });
      return widget.locator('frontdesk-widget section.call');
    };
    return { server, seeded, ok, widget, workbench, answerVideoCall, close };
  } catch (err) {
    await close();
    throw err;
  }
}
