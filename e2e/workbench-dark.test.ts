import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * Dark mode in Chromium: with the system in dark mode the workbench is dark, and its text stays
 * readable (WCAG contrast measured on the page: at least 4.5:1 for text). Screenshot:
 * e2e/screenshots/dark-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

describe('dark mode of the workbench (Chromium)', () => {
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

  /** The WCAG contrast of an element's text against the first opaque background behind it. */
  const contrastOf = (page: Page, selector: string) =>
    page.locator(selector).first().evaluate((element) => {
      const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const f = (c: number) => {
          const s = c / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      let node: Element | null = element;
      let background = [255, 255, 255];
      while (node) {
        const parts = rgb(getComputedStyle(node).backgroundColor);
        if (parts.length >= 3 && (parts.length === 3 || parts[3]! > 0.9)) {
          background = parts.slice(0, 3);
          break;
        }
        node = node.parentElement;
      }
      const text = luminance(rgb(getComputedStyle(element).color).slice(0, 3));
      const back = luminance(background);
      return Math.round(((Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05)) * 10) / 10;
    });

  it('follows the system: a dark page whose text, muted text, primary buttons and bubbles read at 4.5:1 or more', async () => {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', name: 'Mei' } })).body as { token: string };
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
    await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: session.token, body: { clientId: 'c1', text: 'Hello, is the green tea in stock? 绿茶有货吗？' } });
    await api(server.url, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: seeded.agent1.token });
    await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: seeded.agent1.token, body: { clientId: 'a1', text: 'Yes, we have it. 有货。' } });

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'dark' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/workbench/?appId=acme`);
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(SHOTS, 'dark-sign-in.png') });
    expect(await contrastOf(page, '.fd-field__label')).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page, 'button[type=submit]')).toBeGreaterThanOrEqual(4.5);
    await page.getByLabel('Email').fill('agent1@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
    await page.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('contact-panel').waitFor();

    const background = await page.evaluate(() => getComputedStyle(document.querySelector('.wb-pane') ?? document.body).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r! + g! + b!).toBeLessThan(3 * 80);
    for (const selector of ['.wb-inbox-row__preview', '.wb-msg--in .wb-msg__bubble', '.wb-msg--out .wb-msg__bubble', '.wb-panel h3', '.wb-facts dt', '.wb-facts dd', '[data-testid="send"]', '.wb-composer__hint']) {
      const ratio = await contrastOf(page, selector);
      expect(ratio, selector).toBeGreaterThanOrEqual(4.5);
    }
    await page.screenshot({ path: path.join(SHOTS, 'dark-conversation.png') });
  });
});
