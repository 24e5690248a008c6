import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, routeThroughQueue, useWorkbenchHarness } from './workbench-harness.ts';

/**
 * The workbench in Chinese (Chromium with locale zh-CN): sign-in, top bar, status, offer, inbox,
 * conversation, composer, details; then English chosen in the settings menu and remembered.
 * Screenshots: e2e/screenshots/zh-*.png.
 */
// The workbench's own English words an agent sees all day; none may show in the Chinese screens.
const ENGLISH_UI = /\b(Inbox|Conversations|Sign out|Available|Not ready|Incoming chat|Accept|Decline|Ringing|Transfer|End|Send|Canned|Attach|Mine|Visitor|Satisfaction|Not rated|Internal notes|Add note|Contact|Wrap-up|Settings|Language)\b/;

describe('the workbench in Chinese (Chromium)', () => {
  const h = useWorkbenchHarness({
    shots: 'zh',
    setUp: async ({ ok, seeded }) => {
      await routeThroughQueue(ok, { name: 'Support', ringTimeoutSeconds: 120, wrapUpSeconds: 0 }, [seeded.agent1.agent.id]);
    },
  });

  const textOf = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText).join('\n'));

  it('speaks Chinese to an agent whose browser does, and switches to English from the settings menu (remembered)', async () => {
    const page = await h.newPage({ locale: 'zh-CN' });
    await page.goto(`${h.server.url}/workbench/?appId=acme`);

    // Sign-in.
    await page.getByRole('heading', { name: '登录工作台' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await h.shot(page, 'sign-in');
    await page.getByLabel('邮箱').fill('agent1@acme.test');
    await page.getByLabel('密码').fill('wrong password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('应用 ID、邮箱或密码错误。').waitFor();
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('agent-status').waitFor();

    // Top bar, status, empty inbox.
    expect(await textOf(page, '.wb-topbar')).toContain('收件箱');
    expect(await textOf(page, '.wb-topbar')).toContain('退出登录');
    await page.locator('#wb-status-select').selectOption('free');
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toContain('空闲');
    expect(await textOf(page, '.wb-inbox')).toContain('暂无会话。新的咨询会在这里响铃。');
    expect(await textOf(page, '.wb-pane--empty')).toContain('请在左侧选择一个会话。');

    // An offer rings; what the visitor wrote shows in the inbox.
    const grace = await h.visitor('Grace');
    const offer = page.getByTestId('offer');
    await offer.waitFor({ timeout: 15_000 });
    await expect.poll(() => offer.textContent()).toContain('新咨询');
    const row = page.locator(`[data-testid="inbox-row"][data-session-id="${grace.conversationId}"]`);
    await grace.say('我的包裹到哪里了？');
    await expect.poll(() => row.locator('.wb-inbox-row__preview').textContent()).toBe('我的包裹到哪里了？');
    expect(await row.textContent()).toContain('振铃中');
    expect(await offer.getByRole('button', { name: '拒绝' }).count()).toBe(1);
    await h.shot(page, 'offer');
    for (const selector of ['.wb-topbar', '.wb-offers', '.wb-inbox']) expect(await textOf(page, selector)).not.toMatch(ENGLISH_UI);

    // The conversation: header, messages, composer, details.
    await offer.getByRole('button', { name: '接入' }).click();
    const pane = page.getByTestId('conversation');
    await expect.poll(() => pane.getAttribute('data-session-id')).toBe(grace.conversationId);
    await page.getByTestId('composer').fill('您好，我来帮您查一下。');
    expect(await page.getByTestId('composer').getAttribute('placeholder')).toContain('输入回复');
    await page.getByTestId('send').click();
    await expect.poll(() => pane.locator('[data-testid="message"][data-sender="agent"]').count()).toBe(1);
    expect(await pane.locator('[data-testid="message"][data-sender="agent"] .wb-msg__sender').textContent()).toBe('我');
    await pane.getByText('满意度').waitFor();
    await pane.getByText('内部备注').waitFor();
    await pane.locator('.wb-side [data-testid="contact-panel"], .wb-side').first().waitFor();
    expect(await textOf(page, '.wb-pane__header')).toContain('转接');
    expect(await textOf(page, '.wb-composer')).toContain('发送');
    expect(await textOf(page, '[data-testid="visitor-panel"]')).toContain('访客');
    await h.shot(page, 'conversation');
    for (const selector of ['.wb-topbar', '.wb-inbox', '.wb-pane__header', '.wb-messages', '.wb-composer', '.wb-side']) {
      expect(await textOf(page, selector), selector).not.toMatch(ENGLISH_UI);
    }

    // The end dialog.
    await page.getByTestId('end').click();
    await page.getByRole('dialog', { name: '结束此会话？' }).waitFor();
    await h.shot(page, 'end-dialog');
    await page.getByRole('button', { name: '取消' }).click();

    // The settings menu: the language, chosen and remembered across a reload.
    await page.getByLabel('设置', { exact: true }).click();
    const language = page.getByTestId('language');
    expect(await language.inputValue()).toBe('zh');
    await h.shot(page, 'settings');
    await Promise.all([page.waitForEvent('load'), language.selectOption('en')]);
    await page.getByTestId('agent-status').waitFor();
    await expect.poll(() => textOf(page, '.wb-topbar')).toContain('Inbox');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByTestId('agent-status').waitFor();
    await expect.poll(() => textOf(page, '.wb-topbar')).toContain('Sign out');
    expect(await textOf(page, '.wb-inbox')).toContain('Conversations');
  });
});
