import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, useWorkbenchHarness } from './workbench-harness.ts';

/**
 * Chat supervision (SPEC M28) in Chromium: a supervisor on the board monitors a live chat, whispers
 * to the agent (the agent's workbench shows it apart; the visitor's widget never does), barges in
 * (the widget shows the supervisor by name), switches back to read-only and takes the chat over,
 * all without a reload.
 */
const WHISPER = 'Offer the voucher TEA10, she is a regular';
const BARGE = 'Hello, I am Sue, the team lead: your tea ships today.';

describe('chat supervision in Chromium', () => {
  let supervisorId: string;
  const h = useWorkbenchHarness({
    shots: 'supervision',
    setUp: async ({ ok, seeded, server }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
      supervisorId = (await server.app.services.identity.createAgent('acme', { email: 'sue@acme.test', password: PASSWORD, role: 'supervisor', name: 'Sue Supervisor', mediaTypes: ['chat'], maxConcurrentChats: 5 })).id;
    },
  });
  const newPage = () => h.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (page: Page, name: string) => h.shot(page, name, { fullPage: true });
  const { ok, signIn } = h;
  /** Everything the widget shows, its shadow root included. */
  const widgetText = (page: Page) => page.locator('frontdesk-widget').evaluate((host) => (host.shadowRoot ?? host).textContent ?? '');

  it('a supervisor whispers to the agent and barges in from the board: the agent sees the whisper apart, the widget never does', async () => {
    const [visitor, ann, sue] = await Promise.all([newPage(), newPage(), newPage()]);
    try {
      // A visitor writes in the widget; Ann takes the chat.
      await visitor.goto(`${h.server.url}/demo?appId=acme`);
      await visitor.locator('button.launcher').click();
      const input = visitor.getByRole('textbox', { name: 'Message' });
      await input.fill('Hello, my tea order is late');
      await input.press('Enter');
      let conversationId = '';
      await expect
        .poll(async () => (conversationId = ((await ok('GET', '/v1/conversations?status=open')).conversations as { id: string }[])[0]?.id ?? ''), { timeout: 10_000 })
        .not.toBe('');
      // Claimed before Ann signs in: her browser login replaces the seeded one.
      await ok('POST', `/v1/conversations/${conversationId}/claim`, undefined, h.seeded.agent1.token);
      await signIn(ann, 'agent1@acme.test');
      await ann.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
      const pane = ann.getByTestId('conversation');
      await expect.poll(() => pane.getByTestId('messages').textContent(), { timeout: 10_000 }).toContain('my tea order is late');

      // Sue monitors it from the board: read-only, no composer.
      await signIn(sue, 'sue@acme.test');
      await sue.getByRole('link', { name: 'Supervisor', exact: true }).click();
      await sue.getByRole('button', { name: `Monitor conversation ${conversationId}` }).click();
      const monitor = sue.getByTestId('monitor');
      await monitor.getByText('Hello, my tea order is late').waitFor({ timeout: 10_000 });
      await expect.poll(() => monitor.getByTestId('mode-monitor').getAttribute('aria-pressed')).toBe('true');
      expect(await monitor.locator('textarea').count()).toBe(0);

      // Whisper: a composer of its own colour, labelled for the agent only.
      await monitor.getByTestId('mode-whisper').click();
      const whisperComposer = monitor.getByTestId('whisper-composer');
      await whisperComposer.getByText('Only the agent sees this').waitFor();
      await whisperComposer.locator('textarea').fill(WHISPER);
      await shot(sue, '1-whisper-composer');
      await whisperComposer.getByRole('button', { name: 'Send whisper' }).click();
      await monitor.getByTestId('whisper').getByText(WHISPER).waitFor({ timeout: 10_000 });

      // Ann sees it live, drawn apart from the messages, marked for her only.
      const annWhisper = pane.getByTestId('whisper');
      await annWhisper.getByText(WHISPER).waitFor({ timeout: 10_000 });
      expect(await annWhisper.textContent()).toContain('Whisper from Sue Supervisor');
      expect(await annWhisper.textContent()).toContain('only you see this');
      expect(await annWhisper.locator('.wb-msg__bubble').evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('dashed');
      await shot(ann, '2-agent-sees-whisper');

      // Barge in: the same panel, another mode; the visitor sees Sue join and write under her name.
      await monitor.getByTestId('mode-barge').click();
      const bargeComposer = monitor.getByTestId('barge-composer');
      await bargeComposer.getByText('The visitor sees this as written by you').waitFor();
      expect(await monitor.getByTestId('whisper-composer').count()).toBe(0);
      await bargeComposer.locator('textarea').fill(BARGE);
      await bargeComposer.getByRole('button', { name: 'Send to the visitor' }).click();
      const bargeItem = visitor.locator('frontdesk-widget li.msg.agent').filter({ hasText: BARGE });
      await bargeItem.waitFor({ timeout: 10_000 });
      await expect.poll(() => bargeItem.locator('.name').textContent(), { timeout: 10_000 }).toBe('Sue Supervisor');
      await expect.poll(() => widgetText(visitor), { timeout: 10_000 }).toContain('Sue Supervisor joined the conversation');
      await shot(visitor, '3-widget-barge');
      // The whisper went out before the barge-in and never reached the widget.
      expect(await widgetText(visitor)).not.toContain('TEA10');
      expect(await visitor.content()).not.toContain('TEA10');
      await expect.poll(() => pane.getByTestId('messages').textContent(), { timeout: 10_000 }).toContain(BARGE);

      // Back to read-only without a reload, then take the chat over: Ann is dropped, Sue holds it.
      await monitor.getByTestId('mode-monitor').click();
      await expect.poll(() => monitor.locator('textarea').count()).toBe(0);
      await monitor.getByTestId('take-over').click();
      await sue.getByTestId('take-over-confirm').click();
      await expect.poll(async () => (await ok('GET', `/v1/conversations/${conversationId}`)).agentId, { timeout: 10_000 }).toBe(supervisorId);
      await monitor.getByText('You hold this conversation now').waitFor({ timeout: 10_000 });
      await ann.getByText('This conversation is no longer in your inbox.').waitFor({ timeout: 10_000 });
      await shot(sue, '4-taken-over');
      const timeline = await ok('GET', `/v1/conversations/${conversationId}/supervision`);
      expect(timeline.steps.map((s: { mode: string }) => s.mode)).toEqual(['monitor', 'whisper', 'barge', 'monitor', 'intercept']);
      expect(await widgetText(visitor)).not.toContain('TEA10');
    } catch (err) {
      await Promise.all([shot(visitor, 'failure-visitor'), shot(ann, 'failure-agent'), shot(sue, 'failure-supervisor')]).catch(() => undefined);
      throw err;
    }
  });
});
