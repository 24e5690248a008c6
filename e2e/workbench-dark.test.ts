import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, useWorkbenchHarness } from './workbench-harness.ts';

/**
 * Dark mode in Chromium: with the system in dark mode the workbench is dark, and its text stays
 * readable (WCAG contrast measured on the page: at least 4.5:1 for text). Screenshot:
 * e2e/screenshots/dark-*.png.
 */
describe('dark mode of the workbench (Chromium)', () => {
  const h = useWorkbenchHarness({ shots: 'dark' });

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
    const mei = await h.visitor('Mei');
    await mei.say('Hello, is the green tea in stock? 绿茶有货吗？');
    await h.ok('POST', `/v1/conversations/${mei.conversationId}/claim`, undefined, h.seeded.agent1.token);
    await h.ok('POST', `/v1/conversations/${mei.conversationId}/messages`, { clientId: 'a1', text: 'Yes, we have it. 有货。' }, h.seeded.agent1.token);

    const page = await h.newPage({ colorScheme: 'dark' });
    await page.goto(`${h.server.url}/workbench/?appId=acme`);
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    await h.shot(page, 'sign-in');
    expect(await contrastOf(page, '.fd-field__label')).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page, 'button[type=submit]')).toBeGreaterThanOrEqual(4.5);
    await page.getByLabel('Email').fill('agent1@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
    await page.locator(`[data-testid="inbox-row"][data-session-id="${mei.conversationId}"]`).click();
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('contact-panel').waitFor();

    const background = await page.evaluate(() => getComputedStyle(document.querySelector('.wb-pane') ?? document.body).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r! + g! + b!).toBeLessThan(3 * 80);
    for (const selector of ['.wb-inbox-row__preview', '.wb-msg--in .wb-msg__bubble', '.wb-msg--out .wb-msg__bubble', '.wb-panel h3', '.wb-facts dt', '.wb-facts dd', '[data-testid="send"]', '.wb-composer__hint']) {
      const ratio = await contrastOf(page, selector);
      expect(ratio, selector).toBeGreaterThanOrEqual(4.5);
    }
    await h.shot(page, 'conversation');
  });
});
