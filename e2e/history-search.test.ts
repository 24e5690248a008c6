import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * The workbench's history in Chromium: the agent searches a Chinese phrase and an English phrase,
 * finds the conversations (one ended, with its rating and a note), and opens them with their
 * transcripts. Screenshots: e2e/screenshots/history-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

describe('history and search in the workbench (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const contexts: BrowserContext[] = [];
  let zhId: string;
  let enId: string;

  const must = async (method: string, route: string, token: string, body?: unknown) => {
    const res = await api(server.url, method, route, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `history-${name}.png`) });

  /** A visitor's conversation with these messages, taken by agent1. */
  async function conversation(name: string, texts: string[]): Promise<{ id: string; token: string }> {
    const session = await must('POST', '/v1/visitor/session', '', { appId: 'acme', name });
    const { id } = await must('POST', '/v1/conversations', session.token);
    let n = 0;
    for (const text of texts) await must('POST', `/v1/conversations/${id}/messages`, session.token, { clientId: `v${++n}`, text });
    await must('POST', `/v1/conversations/${id}/claim`, seeded.agent1.token);
    return { id, token: session.token };
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, 'acme');
    await must('PATCH', '/v1/app', seeded.admin.token, { allowedOrigins: [server.url] });
    await must('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, seeded.admin.token, { name: 'Ann Agent' });
    // Noise around the two that are looked for.
    for (let i = 0; i < 3; i++) await conversation(`Guest ${i}`, [`Hello, question number ${i} about tea`, `你好，我想问一下第${i}个问题`]);
    const zh = await conversation('王芳', ['你好', '我的订单还没有到，能帮我查一下物流吗？']);
    await must('POST', `/v1/conversations/${zh.id}/messages`, seeded.agent1.token, { clientId: 'a1', text: '已经为您查询，包裹明天送达。' });
    await must('POST', `/v1/conversations/${zh.id}/notes`, seeded.agent1.token, { text: 'Courier delayed by the holiday' });
    await must('POST', `/v1/conversations/${zh.id}/close`, seeded.agent1.token);
    await must('PUT', `/v1/conversations/${zh.id}/rating`, zh.token, { stars: 4, comment: '很快，谢谢' });
    zhId = zh.id;
    const en = await conversation('Oliver Smith', ['Hi there', 'The parcel arrived damaged, can I get a replacement?']);
    enId = en.id;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  it('finds a Chinese and an English phrase and opens each conversation with its transcript, rating and notes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const ann = await context.newPage();
    ann.on('pageerror', (err) => console.error('[workbench page error]', err.message));
    await ann.goto(`${server.url}/workbench/?appId=acme`);
    await ann.getByLabel('Email').fill('agent1@acme.test');
    await ann.getByLabel('Password').fill(PASSWORD);
    await ann.getByRole('button', { name: 'Sign in' }).click();
    await ann.getByTestId('agent-status').waitFor();
    await ann.getByRole('link', { name: 'History' }).click();

    // Closed conversations are listed first; the Chinese phrase finds the ended one.
    const search = ann.getByTestId('history-search');
    await ann.getByRole('radio', { name: 'Everything' }).click();
    await search.fill('查一下物流');
    const rows = ann.getByTestId('history-row');
    // The match is shown with the row (until then the list is the filter's, without a match).
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('我的订单还没有到，能帮我查一下物流吗？')]);
    expect(await rows.first().getAttribute('data-conversation-id')).toBe(zhId);
    await rows.first().click();
    const pane = ann.getByTestId('history-conversation');
    await expect.poll(() => pane.getByTestId('transcript').textContent()).toContain('已经为您查询，包裹明天送达。');
    await expect.poll(() => pane.getByTestId('csat').textContent()).toContain('很快，谢谢');
    expect(await pane.getByTestId('csat').getByLabel('4 of 5 stars').count()).toBe(1);
    await expect.poll(() => pane.textContent()).toContain('Courier delayed by the holiday');
    expect(await pane.locator('#wb-history-title').textContent()).toBe('王芳');
    await shot(ann, 'zh');

    // An English phrase, words in any order, finds the open one.
    await search.fill('damaged parcel');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('The parcel arrived damaged')]);
    expect(await rows.first().getAttribute('data-conversation-id')).toBe(enId);
    await rows.first().click();
    await expect.poll(() => ann.getByTestId('history-conversation').getAttribute('data-conversation-id')).toBe(enId);
    await expect.poll(() => ann.getByTestId('transcript').textContent()).toContain('The parcel arrived damaged, can I get a replacement?');
    await shot(ann, 'en');

    // Filters: the ended one under Closed, the open one under Mine.
    await search.fill('');
    await ann.getByRole('radio', { name: 'Closed' }).click();
    await expect.poll(() => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-conversation-id')))).toEqual([zhId]);
    await ann.getByRole('radio', { name: 'Mine' }).click();
    await expect.poll(() => rows.count()).toBe(4);
  });
});
