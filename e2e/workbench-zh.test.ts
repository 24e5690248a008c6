import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../apps/server/test/helpers.ts';
import { PASSWORD, routeThroughQueue, useWorkbenchHarness } from './workbench-harness.ts';

/**
 * The workbench in Chinese (Chromium with locale zh-CN): sign-in, top bar, status, offer, inbox,
 * conversation, composer, details; then English chosen in the settings menu and remembered; the
 * admin console; a supervisor's wallboard and reports. Screenshots: e2e/screenshots/zh-*.png.
 */
// The workbench's own English words an agent sees all day; none may show in the Chinese screens.
const ENGLISH_UI = /\b(Inbox|Conversations|Sign out|Available|Not ready|Incoming chat|Accept|Decline|Ringing|Transfer|End|Send|Canned|Attach|Mine|Visitor|Satisfaction|Not rated|Internal notes|Add note|Contact|Wrap-up|Settings|Language)\b/;

describe('the workbench in Chinese (Chromium)', () => {
  const h = useWorkbenchHarness({
    shots: 'zh',
    setUp: async ({ ok, seeded }) => {
      await routeThroughQueue(ok, { name: 'Support', ringTimeoutSeconds: 120, wrapUpSeconds: 0 }, [seeded.agent1.agent.id, seeded.agent2.agent.id]);
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
  // The admin console's own English words (its tabs, headings, columns, buttons); none may show in Chinese.
  const ENGLISH_ADMIN = /\b(Skill queues|New queue|Name|Type|Area|Priority|Max wait|Overflow|Edit|Delete|Channels|Channel name|Queue for a human|Bot|Welcome message|Working hours|Queue position reminders|Idle end|Save channel|Agents|Webhooks|Try it|Canned responses|Areas & groups|Actions)\b/;

  it('shows the admin console in Chinese: queues, a queue form and a channel; advanced parts folded, hours in the browser time zone', async () => {
    const page = await h.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/Paris' });
    await page.goto(`${h.server.url}/workbench/?appId=acme`);
    await page.getByLabel('邮箱').fill('admin@acme.test');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '管理', exact: true }).click();
    const tabs = page.getByRole('navigation', { name: '管理分区' });
    await tabs.waitFor();
    expect(await tabs.innerText()).toMatch(/应用[\s\S]*座席[\s\S]*队列[\s\S]*渠道[\s\S]*快捷回复[\s\S]*Webhook 回调/);

    // Queues: the list, then the form of a new queue with its advanced part open.
    await page.getByRole('heading', { name: '技能队列' }).waitFor();
    await page.getByRole('table', { name: '队列' }).getByText('Support').waitFor();
    expect(await textOf(page, '.fd-admin-page')).toContain('最长等待');
    await h.shot(page, 'admin-queues');
    expect(await textOf(page, '.fd-admin')).not.toMatch(ENGLISH_ADMIN);
    await page.getByRole('button', { name: '新建队列' }).click();
    // Admin in plain words: what few queues need is folded; working hours start in the browser's time zone.
    const advanced = page.locator('details', { has: page.getByText('高级：溢出与升级') });
    expect(await advanced.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    await page.getByLabel('此队列有工作时间').check();
    expect(await page.getByLabel('时区（IANA）').inputValue()).toBe('Europe/Paris');
    await page.getByText('高级：溢出与升级').click();
    await page.getByRole('button', { name: '创建队列' }).click();
    await page.getByText('请填写名称').or(page.locator('.fd-field__error').first()).waitFor();
    await h.shot(page, 'admin-queue-form');
    expect(await textOf(page, '.fd-admin')).not.toMatch(ENGLISH_ADMIN);
    await page.getByRole('button', { name: '取消' }).click();

    // Channels: the default channel's settings.
    await tabs.getByRole('button', { name: '渠道', exact: true }).click();
    await page.getByLabel('渠道名称').waitFor();
    expect(await textOf(page, '.fd-admin-page')).toContain('转人工的队列');
    await h.shot(page, 'admin-channel');
    expect(await textOf(page, '.fd-admin')).not.toMatch(ENGLISH_ADMIN);

    // The app page: the VTC and AnyChat secrets are under a folded "Integrations".
    await tabs.getByRole('button', { name: '应用', exact: true }).click();
    const integrations = page.locator('details', { has: page.getByText('集成：VTC 与 AnyChat 密钥') });
    expect(await integrations.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect(await textOf(page, '.fd-admin')).not.toMatch(ENGLISH_ADMIN);
  });

  // The reports' and wallboard's own English words (headings, tiles, columns, charts, series, controls).
  const ENGLISH_REPORTS = /\b(Reports|Wallboard|Service level|Waiting|Oldest|In conversation|Answered|Abandoned|Queues?|Agents by status|not ready|wrap-up|Free|SL today|Volumes|Waits|Handle time|Offered|Average|Longest wait|Ratings|ratings|stars|From|To|Time zone|Interval|Hour|Day|Week|By|Show|All|Export|Loading|Transcript|Close|Conversation|Agent|Opened|Outcome|Wait|Visitor|abandoned|No ended|Bucket|click a bar)\b/;

  it('shows a supervisor the wallboard and the reports in Chinese: tiles, queues, charts, the drill-down and a transcript', async () => {
    await h.server.app.services.identity.createAgent('acme', { email: 'boss@acme.test', password: PASSWORD, role: 'supervisor', name: 'Boss', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const page = await h.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await page.goto(`${h.server.url}/workbench/?appId=acme`);
    await page.getByLabel('邮箱').fill('boss@acme.test');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();

    // A visitor writes and gives up waiting (agent2 is free, nobody answers): an abandoned conversation of today.
    const agent2 = await TestClient.connect(h.server.wsUrl('acme'));
    expect((await agent2.request({ type: 'hello', token: h.seeded.agent2.token })).ok).toBe(true);
    expect((await agent2.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const lin = await h.visitor('Lin');
    await lin.say('请问还有人在吗？');
    await h.ok('POST', `/v1/conversations/${lin.conversationId}/close`, undefined, lin.token);

    // The wallboard: headings, tiles, agents by status and the queues table, in Chinese.
    await page.getByRole('link', { name: '大屏', exact: true }).click();
    const wall = page.getByTestId('wallboard');
    await wall.getByRole('heading', { name: '大屏' }).waitFor();
    // The tile shows today's count at once (0 or more) and the abandon is pushed to it.
    await expect.poll(async () => Number(await page.getByTestId('wall-abandoned').textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const wallText = await textOf(page, '[data-testid="wallboard"]');
    for (const word of ['今日服务水平', '当前排队', '最长排队', '今日接待', '今日放弃', '空闲', '话后整理', '未就绪', '队列', '服务水平 =']) expect(wallText).toContain(word);
    expect(await page.getByTestId('wall-service-level').textContent()).toMatch(/^(—|\d+%)$/);
    await h.shot(page, 'wallboard', { fullPage: true });
    expect(wallText).not.toMatch(ENGLISH_REPORTS);

    // The reports: controls, charts (their titles and legends), the CSAT line (no rating in this range).
    await page.getByRole('link', { name: '报表', exact: true }).click();
    await page.getByRole('heading', { name: '报表' }).waitFor();
    await page.getByTestId('chart-volumes').locator('canvas').waitFor({ timeout: 10_000 });
    await page.getByTestId('chart-csat').locator('canvas').waitFor();
    await expect.poll(() => textOf(page, '.fd-rep'), { timeout: 10_000 }).toContain('此时间范围内没有满意度评价。');
    const reportText = await textOf(page, '.fd-rep');
    for (const word of ['开始日期', '结束日期（不含）', '时区', '粒度', '维度', '导出 CSV', '会话量', '等待时长', '处理时长', '满意度', '进线', '已接待', '已放弃', '平均应答时长']) expect(reportText).toContain(word);
    expect(await page.getByTestId('chart-volumes').getAttribute('aria-label')).toBe('各时段会话量：点击柱形查看对应会话');

    // Today's bar (the last of seven days): the abandoned conversation, then its transcript.
    const over = page.getByTestId('chart-volumes').locator('.u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + (6.5 / 7) * box.width, box.y + box.height - 4);
    await page.mouse.click(box.x + (6.5 / 7) * box.width, box.y + box.height - 4);
    const drill = page.getByTestId('drill-down');
    await drill.getByRole('button', { name: `打开会话 ${lin.conversationId}` }).waitFor({ timeout: 10_000 });
    await drill.getByText('已放弃', { exact: true }).first().waitFor();
    expect(await textOf(page, '[data-testid="drill-down"]')).toMatch(/会话[\s\S]*队列[\s\S]*座席[\s\S]*开始时间[\s\S]*结果[\s\S]*等待/);
    await drill.getByRole('button', { name: `打开会话 ${lin.conversationId}` }).click();
    const transcript = page.getByTestId('transcript');
    await transcript.getByText('请问还有人在吗？').waitFor({ timeout: 10_000 });
    expect(await textOf(page, '[data-testid="transcript"]')).toContain('会话记录');
    expect(await textOf(page, '[data-testid="transcript"]')).toContain('访客 · ');
    await h.shot(page, 'reports', { fullPage: true });
    // NOTE: the queue is named "Support" by the business: data, not the workbench's words.
    expect((await textOf(page, '.fd-rep')).replace(/\bSupport\b/g, '')).not.toMatch(ENGLISH_REPORTS);
    await agent2.close();
  });
  // The supervisor board's own English words (headings, tiles, column names, states, buttons).
  const ENGLISH_BOARD = /\b(Supervisor|Totals|Waiting|Active conversations|Agents? online|Refresh|Queues?|Longest wait|Signed in|Free|free|Occupancy|Max queued|Service areas|Area|Guests|Queued|Agents?|Status|Load|Sessions|ringing|Force status|busy|offline|not ready|Live conversations|Conversation|State|Open for|Messages|Monitor(ing)?|End|queued|offered|assigned|unrouted|Loading|Live calls|Visitor|Type|Duration|Supervised by|Close|No message)\b/;

  it("shows a supervisor the live board in Chinese: tiles, every table's column names, states, the monitor and the force-status dialog", async () => {
    await h.server.app.services.identity.createAgent('acme', { email: 'lead@acme.test', password: PASSWORD, role: 'supervisor', name: '组长', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    // NOTE: a fresh token: the first test signed agent1 out of the workbench (which revokes its token).
    const { token } = (await h.ok('POST', '/v1/auth/login', { appId: 'acme', email: 'agent1@acme.test', password: PASSWORD })) as { token: string };
    const agent1 = await TestClient.connect(h.server.wsUrl('acme'));
    expect((await agent1.request({ type: 'hello', token })).ok).toBe(true);
    expect((await agent1.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const mei = await h.visitor('Mei');
    await mei.say('我想改一下收货地址。');

    const page = await h.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${h.server.url}/workbench/?appId=acme`);
    await page.getByLabel('邮箱').fill('lead@acme.test');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '班长席', exact: true }).click();
    await page.getByRole('heading', { name: '班长席' }).waitFor();
    const monitorButton = page.getByRole('button', { name: `监控会话 ${mei.conversationId}` });
    await monitorButton.waitFor({ timeout: 15_000 });
    await expect.poll(() => textOf(page, '.fd-sup'), { timeout: 10_000 }).toContain('agent1');
    const board = await textOf(page, '.fd-sup');
    expect(await page.locator('.fd-sup-tiles').getAttribute('aria-label')).toBe('总览');
    for (const word of ['排队中', '在线客服', '最长等待', '已签入', '占用率', '排队上限', '负载', '强制状态', '进行中的会话', '已持续', '消息数', '进行中的通话', '监督人']) expect(board).toContain(word);
    // Column names are read as the table says them (a header hidden from sight counts too).
    const headers = await page.locator('.fd-sup th').evaluateAll((els) => els.map((el) => el.textContent ?? ''));
    expect(headers.length).toBeGreaterThan(10);
    for (const header of headers) expect(header, header).not.toMatch(ENGLISH_BOARD);
    await h.shot(page, 'supervisor', { fullPage: true });
    // NOTE: the queue is named "Support" by the business: data, not the workbench's words.
    expect(board.replace(/\bSupport\b/g, '')).not.toMatch(ENGLISH_BOARD);

    // The monitor of the conversation, then the force-status dialog.
    await monitorButton.click();
    const monitor = page.getByTestId('monitor');
    await monitor.getByText('我想改一下收货地址。').waitFor({ timeout: 10_000 });
    expect(await textOf(page, '[data-testid="monitor"]')).toContain('正在监控');
    expect(await textOf(page, '[data-testid="monitor"]')).toContain('访客 · ');
    expect(await textOf(page, '[data-testid="monitor"]')).not.toMatch(ENGLISH_BOARD);
    await h.shot(page, 'supervisor-monitor', { fullPage: true });
    await page.getByRole('button', { name: '强制设置agent1的状态' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('新状态').waitFor();
    expect(await dialog.innerText()).toContain('客服可以看到；选填');
    expect(await dialog.innerText()).not.toMatch(ENGLISH_BOARD);
    await h.shot(page, 'supervisor-force-status');
    await agent1.close();
  });
});
