import { describe, expect, it } from 'vitest';
import { useWorkbenchHarness } from './workbench-harness.ts';

/** Keyboard shortcuts of the workbench in Chromium, and their `?` list. Screenshot: e2e/screenshots/shortcuts-help.png. */
describe('keyboard shortcuts of the workbench (Chromium)', () => {
  const h = useWorkbenchHarness({ shots: 'shortcuts' });

  it('j and k step through the inbox, r goes to the reply box, letters typed in it stay text, ? lists the shortcuts', async () => {
    const ids: string[] = [];
    for (const name of ['Ada', 'Bo']) {
      const { conversationId } = await h.visitor(name);
      await h.ok('POST', `/v1/conversations/${conversationId}/claim`, undefined, h.seeded.agent1.token);
      ids.push(conversationId);
    }
    const page = await h.newPage();
    await h.signIn(page, 'agent1@acme.test');
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
    await h.shot(page, 'help');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    expect(ids.sort()).toEqual([...order].sort());
  });
});
