import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

/** Signs in through the workbench's login screen and opens a screen by its hash route. */
async function signIn(page: Page, baseUrl: string, appId: string, email: string, screen: 'supervisor' | 'admin') {
  await page.goto(`${baseUrl}/workbench/`);
  await page.getByLabel('App id').fill(appId);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  // The shell shows its navigation once signed in.
  await page.getByRole('link', { name: screen === 'supervisor' ? 'Supervisor' : 'Admin', exact: true }).click();
}

describe('supervisor board in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer('sqlite'), launchChromium()]);
  });

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await browser?.close();
    await server?.close();
  });

  it('a supervisor sees counts change live, monitors the chat read-only, ends it and forces a status', async () => {
    const appId = 'sup';
    const seeded = await seedApp(server, appId);
    const { tenancy, identity } = server.app.services;
    // The browser reaches the server at its test address: that is the app's page origin.
    await tenancy.updateApp(appId, { allowedOrigins: [server.url] });
    await identity.createAgent(appId, { email: 'boss@sup.test', password: PASSWORD, role: 'supervisor', name: 'Boss', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const admin = seeded.admin.token;
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(server.url, method, route, { token, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const queue = await ok('POST', '/v1/queues', admin, { name: 'Support', maxWaitSeconds: 600 });
    await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, admin, { skills: [{ queueId: queue.id, level: 3, isDefault: true }] });
    await ok('PATCH', '/v1/channels/default', admin, { queueId: queue.id });

    // agent1 is signed in but not ready: a visitor waits.
    const agentSocket = await TestClient.connect(server.wsUrl(appId));
    sockets.push(agentSocket);
    expect((await agentSocket.request({ type: 'hello', token: seeded.agent1.token })).ok).toBe(true);
    expect((await agentSocket.request({ type: 'agent.status.set', status: 'not_ready' })).ok).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, server.url, appId, 'boss@sup.test', 'supervisor');
    const waiting = page.getByTestId(`waiting-${queue.id}`);
    await expect.poll(() => waiting.textContent(), { timeout: 10_000 }).toBe('0');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-1-empty.png'), fullPage: true });

    const session = await ok('POST', '/v1/visitor/session', '', { appId });
    const conversation = await ok('POST', '/v1/conversations', session.token);
    await expect.poll(() => waiting.textContent(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('total-waiting').textContent()).toBe('1');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-2-waiting.png'), fullPage: true });

    // The agent goes free, is offered the conversation and takes it: waiting drops, load rises.
    expect((await agentSocket.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    await agentSocket.waitFor(() => agentSocket.events.some((e) => e.type === 'offer'));
    expect((await agentSocket.request({ type: 'offer.accept', conversationId: conversation.id })).ok).toBe(true);
    await expect.poll(() => waiting.textContent(), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => page.getByTestId(`load-${seeded.agent1.agent.id}`).textContent(), { timeout: 10_000 }).toMatch(/^1 \/ 5/);

    await ok('POST', `/v1/conversations/${conversation.id}/messages`, session.token, { clientId: 'v1', text: 'Hello, my order <b>42</b> is late' });
    await ok('POST', `/v1/conversations/${conversation.id}/messages`, seeded.agent1.token, { clientId: 'a1', text: 'Let me check that for you.' });

    await page.getByRole('button', { name: `Monitor conversation ${conversation.id}` }).click();
    const monitor = page.getByTestId('monitor');
    await monitor.getByText('Let me check that for you.').waitFor({ timeout: 10_000 });
    // The visitor by the name the inbox would show (this one has none: "Visitor" and its id's tail), on the board and the monitor.
    const visitorName = `Visitor ${(conversation.visitorId as string).slice(-4)}`;
    await expect.poll(() => page.getByRole('row').filter({ has: page.getByRole('button', { name: `Monitor conversation ${conversation.id}` }) }).getByRole('cell').nth(1).textContent()).toBe(visitorName);
    await expect.poll(() => monitor.locator('#monitor-title').textContent()).toBe(`Monitoring ${visitorName}`);
    // Chat content is text: the markup arrives as characters, not as an element.
    await monitor.getByText('Hello, my order <b>42</b> is late').waitFor();
    expect(await monitor.locator('b').count()).toBe(0);
    // Read-only: the monitor has no composer.
    expect(await monitor.locator('textarea, input').count()).toBe(0);
    // A message sent while monitoring shows up without any action.
    await ok('POST', `/v1/conversations/${conversation.id}/messages`, session.token, { clientId: 'v2', text: 'Thank you!' });
    await monitor.getByText('Thank you!').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-3-monitor.png'), fullPage: true });

    // End the session as a supervisor: closed by 'admin'.
    await monitor.getByRole('button', { name: 'End session' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End conversation' }).click();
    await expect.poll(async () => (await ok('GET', `/v1/conversations/${conversation.id}`, admin)).closeBy, { timeout: 10_000 }).toBe('admin');

    // Force agent1's status to rest with a reason.
    await page.getByRole('button', { name: /Force status of/ }).nth(await agentRow(page, seeded.agent1.agent.id)).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New status').selectOption('rest');
    await dialog.getByLabel('Reason').fill('Team meeting');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-4-force-status.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Set status' }).click();
    await expect.poll(async () => (await ok('GET', `/v1/agents/${seeded.agent1.agent.id}/state`, admin)).status, { timeout: 10_000 }).toBe('rest');
    await expect.poll(() => page.getByTestId(`status-${seeded.agent1.agent.id}`).textContent(), { timeout: 10_000 }).toContain('Team meeting');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-5-after.png'), fullPage: true });
    await page.close();
  });

  it('the server checks every supervisor and admin action against the role', async () => {
    const appId = 'sup2';
    const seeded = await seedApp(server, appId);
    const forced = await api(server.url, 'PUT', `/v1/agents/${seeded.agent2.agent.id}/status`, { token: seeded.agent1.token, body: { status: 'rest' } });
    expect(forced.status).toBe(403);
    const queue = await api(server.url, 'POST', '/v1/queues', { token: seeded.agent1.token, body: { name: 'Nope' } });
    expect(queue.status).toBe(403);
    // A supervisor watches and steers, but does not configure.
    await server.app.services.identity.createAgent(appId, { email: 'watch@sup2.test', password: PASSWORD, role: 'supervisor', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const supervisor = (await api(server.url, 'POST', '/v1/auth/login', { body: { appId, email: 'watch@sup2.test', password: PASSWORD } })).body.token;
    expect((await api(server.url, 'GET', '/v1/routing/overview', { token: supervisor })).status).toBe(200);
    expect((await api(server.url, 'PUT', `/v1/agents/${seeded.agent2.agent.id}/status`, { token: supervisor, body: { status: 'rest', reason: 'Lunch' } })).status).toBe(200);
    expect((await api(server.url, 'POST', '/v1/app/secrets/rotate', { token: supervisor, body: { kind: 'appToken' } })).status).toBe(403);
    expect((await api(server.url, 'PATCH', '/v1/channels/default', { token: supervisor, body: { queueId: null } })).status).toBe(403);
  });
});

/** The index of an agent's row among the "Force status" buttons. */
async function agentRow(page: Page, agentId: string): Promise<number> {
  const ids = await page.locator('[data-testid^="status-"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid')));
  return ids.indexOf(`status-${agentId}`);
}
