import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/** Keyboard shortcuts of the workbench in Chromium, and their `?` list. Screenshot: e2e/screenshots/shortcuts-help.png. */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

describe('keyboard shortcuts of the workbench (Chromium)', () => {
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

  it('j and k step through the inbox, r goes to the reply box, letters typed in it stay text, ? lists the shortcuts', async () => {
    const ids: string[] = [];
    for (const name of ['Ada', 'Bo']) {
      const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', name } })).body as { token: string };
      const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
      await api(server.url, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: seeded.agent1.token });
      ids.push(conversation.id);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/workbench/?appId=acme`);
    await page.getByLabel('Email').fill('agent1@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
    await expect.poll(() => page.locator('[data-testid="inbox-row"]').count()).toBe(2);
    const order = await page.locator('[data-testid="inbox-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-id')));
    const selected = () => page.locator('.wb-inbox-row--selected').getAttribute('data-session-id');

    await page.locator('body').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('j');
    await expect.poll(selected).toBe(order[0]);
    await page.keyboard.press('j');
    await expect.poll(selected).toBe(order[1]);
    await page.keyboard.press('k');
    await expect.poll(selected).toBe(order[0]);
    await page.keyboard.press('r');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer');
    await page.keyboard.type('just kidding');
    expect(await page.getByTestId('composer').inputValue()).toBe('just kidding');
    await expect.poll(selected).toBe(order[0]);
    // Alt+↓ works from the reply box too.
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(selected).toBe(order[1]);

    await page.locator('.wb-inbox__header').click();
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts');
    await help.waitFor();
    expect(await help.locator('tr').allInnerTexts()).toEqual(['j / Alt+↓\tNext conversation', 'k / Alt+↑\tPrevious conversation', 'r\tWrite a reply', '?\tShow this list']);
    await page.screenshot({ path: path.join(SHOTS, 'shortcuts-help.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    expect(ids.sort()).toEqual([...order].sort());
  });
});
