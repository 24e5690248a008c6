import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, TestClient, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

async function signIn(page: Page, baseUrl: string, appId: string, email: string) {
  await page.goto(`${baseUrl}/workbench/`);
  await page.getByLabel('App id').fill(appId);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('link', { name: 'Wallboard', exact: true }).waitFor();
}

/** RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

/** Clicks the middle of bar `index` of `count` in a chart (its x scale spans −0.5 … count − 0.5). */
async function clickBar(page: Page, testId: string, index: number, count: number) {
  const over = page.getByTestId(testId).locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + ((index + 0.5) / count) * box.width, box.y + box.height - 4);
  await page.mouse.click(box.x + ((index + 0.5) / count) * box.width, box.y + box.height - 4);
}

describe('wallboard and reports in Chromium', () => {
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

  it('the wallboard moves live as a visitor queues and an agent answers; a bar drills down to its conversations; an export downloads the same rows', async () => {
    const appId = 'rep';
    const seeded = await seedApp(server, appId);
    const { tenancy, identity } = server.app.services;
    await tenancy.updateApp(appId, { allowedOrigins: [server.url] });
    await identity.createAgent(appId, { email: 'boss@rep.test', password: PASSWORD, role: 'supervisor', name: 'Boss', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const admin = seeded.admin.token;
    const agent = seeded.agent1;
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(server.url, method, route, { token, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const queue = await ok('POST', '/v1/queues', admin, { name: 'Support', maxWaitSeconds: 600 });
    await ok('PUT', `/v1/agents/${agent.agent.id}/skills`, admin, { skills: [{ queueId: queue.id, level: 3, isDefault: true }] });
    await ok('PATCH', '/v1/channels/default', admin, { queueId: queue.id });
    const agentSocket = await TestClient.connect(server.wsUrl(appId));
    sockets.push(agentSocket);
    expect((await agentSocket.request({ type: 'hello', token: agent.token })).ok).toBe(true);
    expect((await agentSocket.request({ type: 'agent.status.set', status: 'not_ready' })).ok).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const wallboardReads: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/reports/wallboard') wallboardReads.push(request.url());
    });
    await signIn(page, server.url, appId, 'boss@rep.test');
    await page.getByRole('link', { name: 'Wallboard', exact: true }).click();
    const text = (testId: string) => page.getByTestId(testId).textContent();
    await expect.poll(() => text(`wall-queue-waiting-${queue.id}`), { timeout: 10_000 }).toBe('0');
    expect(await text('wall-waiting')).toBe('0');
    expect(await text('wall-service-level')).toBe('—');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallboard-1-empty.png'), fullPage: true });

    // A visitor queues (nobody is ready): waiting and the oldest wait show it, pushed.
    const v1 = await ok('POST', '/v1/visitor/session', '', { appId });
    const c1 = await ok('POST', '/v1/conversations', v1.token);
    await expect.poll(() => text('wall-waiting'), { timeout: 10_000 }).toBe('1');
    expect(await text(`wall-queue-waiting-${queue.id}`)).toBe('1');
    await expect.poll(() => text('wall-oldest'), { timeout: 5_000 }).toMatch(/^0:0[1-9]$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallboard-2-waiting.png'), fullPage: true });

    // The agent goes free and accepts: nobody waits, one conversation in hand, one agent free.
    expect((await agentSocket.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    await agentSocket.waitFor(() => agentSocket.events.some((e) => e.type === 'offer'));
    expect((await agentSocket.request({ type: 'offer.accept', conversationId: c1.id })).ok).toBe(true);
    await expect.poll(() => text('wall-waiting'), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => text('wall-handling'), { timeout: 10_000 }).toBe('1');
    expect(await text('wall-oldest')).toBe('—');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallboard-3-answered.png'), fullPage: true });

    // It ends and is rated; a second visitor gives up waiting (the agent is on a break).
    await ok('POST', `/v1/conversations/${c1.id}/messages`, v1.token, { clientId: 'v1', text: 'Where is my parcel?' });
    await ok('POST', `/v1/conversations/${c1.id}/messages`, agent.token, { clientId: 'a1', text: 'It leaves today.' });
    await ok('POST', `/v1/conversations/${c1.id}/close`, agent.token);
    await ok('PUT', `/v1/conversations/${c1.id}/rating`, v1.token, { stars: 4 });
    expect((await agentSocket.request({ type: 'agent.status.set', status: 'rest' })).ok).toBe(true);
    const v2 = await ok('POST', '/v1/visitor/session', '', { appId });
    const c2 = await ok('POST', '/v1/conversations', v2.token);
    await expect.poll(() => text('wall-waiting'), { timeout: 10_000 }).toBe('1');
    await ok('POST', `/v1/conversations/${c2.id}/close`, v2.token);
    // Today's figures follow once the ended conversations' facts are written (a job): pushed too.
    await expect.poll(() => text('wall-answered'), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => text('wall-abandoned'), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => text('wall-waiting'), { timeout: 10_000 }).toBe('0');
    expect(await text('wall-agents-rest')).toBe('1');
    // Answered in time, abandoned: 1 ÷ (1 + 1).
    expect(await text('wall-service-level')).toBe('50 %');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallboard-4-today.png'), fullPage: true });
    // Pushed, never polled: the screen read the wallboard once.
    expect(wallboardReads).toHaveLength(1);

    // ── the dashboard: the last 7 days by day, today is the last bar ──
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByTestId('chart-volumes').locator('canvas').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByText(/ratings: 1 ·/).count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-1-dashboard.png'), fullPage: true });

    // An empty day's bar: nothing behind it.
    await clickBar(page, 'chart-volumes', 0, 7);
    const drill = page.getByTestId('drill-down');
    await drill.getByText('No ended conversation here.').waitFor({ timeout: 10_000 });
    // Today's bar: exactly the two conversations of the day.
    await clickBar(page, 'chart-volumes', 6, 7);
    await expect.poll(async () => (await drill.getByTestId('drill-conversation').allTextContents()).sort(), { timeout: 10_000 }).toEqual([c1.id, c2.id].sort());
    await drill.getByText('abandoned').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-2-drill-down.png'), fullPage: true });
    // The CSAT bar of today: the rated one only; it opens on its transcript.
    await clickBar(page, 'chart-csat', 6, 7);
    await expect.poll(() => drill.getByTestId('drill-conversation').allTextContents(), { timeout: 10_000 }).toEqual([c1.id]);
    await drill.getByRole('button', { name: `Open conversation ${c1.id}` }).click();
    await page.getByTestId('transcript').getByText('It leaves today.').waitFor({ timeout: 10_000 });
    await page.getByTestId('transcript').getByText('Where is my parcel?').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-3-transcript.png'), fullPage: true });

    // Export: the file the browser downloads re-parses to one row per conversation of the range.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^conversations-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = fs.readFileSync((await download.path())!, 'utf8');
    expect(file.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(file.replace(/^\uFEFF/, '').replace(/\r\n$/, ''));
    const col = (name: string) => header!.indexOf(name);
    const byId = new Map(rows.map((r) => [r[col('conversation_id')], r]));
    expect([...byId.keys()].sort()).toEqual([c1.id, c2.id].sort());
    const r1 = byId.get(c1.id)!;
    const r2 = byId.get(c2.id)!;
    expect([r1[col('queue')], r1[col('outcome')], r1[col('csat')], r1[col('visitor_messages')], r1[col('agent_messages')], r1[col('closed_by')]]).toEqual(['Support', 'answered', '4', '1', '1', 'seat']);
    expect(r1[col('first_agent')]).not.toBe('');
    expect([r2[col('queue')], r2[col('outcome')], r2[col('csat')], r2[col('agents')], r2[col('closed_by')]]).toEqual(['Support', 'abandoned', '', '', 'client']);
    await page.close();
  });
});
