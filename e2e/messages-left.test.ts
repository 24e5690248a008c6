import { describe, expect, it } from 'vitest';
import { useWorkbenchHarness } from './workbench-harness.ts';

/**
 * No visitor left behind, in Chromium: with nobody signed in, the widget's chat is released and
 * the visitor leaves a message in the panel's form; an agent who signs in later finds it marked in
 * the inbox with the reply channel, takes it and answers; the visitor, back on the page, reads the
 * answer. Screenshots: e2e/screenshots/left-*.png.
 */
const APP = 'acme';

describe('a message left when nobody can answer (Chromium)', () => {
  const h = useWorkbenchHarness({
    shots: 'left',
    widget: true,
    setUp: async ({ ok, seeded }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
      const queue = await ok('POST', '/v1/queues', { name: 'Support', wrapUpSeconds: 0 });
      await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3 }] });
      await ok('PATCH', '/v1/channels/default', { queueId: queue.id, welcomeMessage: 'Welcome to the Acme shop! 欢迎光临' });
    },
  });

  it('the visitor leaves a message with nobody online; an agent signs in later, answers it, and the returning visitor reads the answer', async () => {
    const visitorContext = await h.newContext();
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${h.server.url}/demo?appId=${APP}&locale=en`);
    await visitor.locator('button.launcher').click();
    const widget = visitor.locator('frontdesk-widget');
    await expect.poll(() => widget.locator('.status').textContent()).toBe('No agent available right now');
    await expect.poll(() => widget.locator('li.welcome').textContent()).toBe('Welcome to the Acme shop! 欢迎光临');
    // Routing gives the chat up at once: the notice, then the form instead of a silent end.
    const form = widget.getByTestId('leave-message');
    await form.waitFor();
    await h.shot(visitor, 'form');
    // Without an email or a phone the form says why it cannot be answered.
    await form.getByLabel('Your name').fill('Li Lei 李雷');
    await form.getByLabel('Your message').fill('我的订单 #1234 还没有到。Where is my order #1234?');
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Give an email or a phone number so we can answer you.');
    await form.getByLabel('Email').fill('li.lei@example.test');
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => widget.getByTestId('message-left').textContent()).toBe('Thanks, we have your message. We will answer here and by email.');
    await expect.poll(() => widget.locator('.msg.visitor .bubble').allTextContents()).toEqual(['我的订单 #1234 还没有到。Where is my order #1234?']);
    await h.shot(visitor, 'sent');
    await visitor.close();

    // Later: Ann signs in; the message waits in her inbox, marked, with the way to answer.
    const ann = await h.newPage();
    await h.signIn(ann, 'agent1@acme.test');
    const row = ann.getByTestId('inbox-row').filter({ hasText: 'Li Lei 李雷' });
    await row.getByTestId('message-left-badge').waitFor();
    await expect.poll(() => row.textContent()).toContain('Where is my order #1234?');
    await row.click();
    const details = ann.getByTestId('visitor-details');
    await expect.poll(() => details.textContent()).toContain('li.lei@example.test');
    expect(await details.getByRole('link', { name: 'li.lei@example.test' }).getAttribute('href')).toBe('mailto:li.lei@example.test');
    await h.shot(ann, 'inbox');
    await ann.getByTestId('claim').click();
    const composer = ann.getByTestId('conversation').getByTestId('composer');
    await composer.waitFor();
    await expect.poll(() => composer.isEnabled()).toBe(true);
    await composer.fill('Sorry for the wait, Li Lei: order #1234 ships today.');
    await composer.press('Enter');
    await expect.poll(() => ann.getByTestId('conversation').textContent()).toContain('order #1234 ships today');
    await h.shot(ann, 'answered');
    // Ann ends it before the visitor is back.
    await ann.getByTestId('end').click();
    await ann.getByTestId('end-confirm').click();
    await expect.poll(() => ann.locator('.wb-pane__closed').isVisible()).toBe(true);

    // The visitor comes back (same browser storage): the panel shows the answer, though the conversation ended.
    const back = await visitorContext.newPage();
    await back.goto(`${h.server.url}/demo?appId=${APP}&locale=en`);
    await back.locator('button.launcher').click();
    const backWidget = back.locator('frontdesk-widget');
    await expect.poll(() => backWidget.locator('.msg.agent .bubble').allTextContents()).toEqual(['Sorry for the wait, Li Lei: order #1234 ships today.']);
    await expect.poll(() => backWidget.locator('.actions button.primary').textContent()).toBe('Start a new conversation');
    await h.shot(back, 'answer-seen');
    // Seen once, the next visit starts afresh.
    await back.close();
    const later = await visitorContext.newPage();
    await later.goto(`${h.server.url}/demo?appId=${APP}&locale=en`);
    await later.locator('button.launcher').click();
    // A new chat, given up again (Ann is offline): the form again, no old answer.
    await later.locator('frontdesk-widget').getByTestId('leave-message').waitFor();
    expect(await later.locator('frontdesk-widget .msg').count()).toBe(0);
  });
});
