import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FakeMediaServer } from '../apps/server/src/modules/calls/index.ts';
import { useWorkbenchHarness } from './workbench-harness.ts';

/**
 * Internal calls in the workbench (SPEC M29): an agent calls a colleague from "Call a colleague" in
 * the top bar; it rings in the colleague's workbench with the same card as a visitor's call, marked
 * internal; declined, the caller reads why; answered, both are on a call until one hangs up. Through
 * the real server with the in-memory media server (no media flows: tests with Janus prove the media).
 * Screenshots: e2e/screenshots/internal-calls-*.png.
 */
describe('internal calls in the workbench (Chromium)', () => {
  const h = useWorkbenchHarness({
    shots: 'internal-calls',
    overrides: { media: new FakeMediaServer() },
    setUp: async ({ ok, seeded }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
      await ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { name: 'Bob Agent' });
    },
  });

  async function signedInFree(email: string): Promise<Page> {
    const page = await h.newPage();
    await h.signIn(page, email);
    await page.locator('#wb-status-select').selectOption('free');
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toContain('Available');
    return page;
  }

  async function callBob(ann: Page): Promise<void> {
    await ann.getByTestId('call-colleague').click();
    const row = ann.locator(`[data-testid="colleagues"] li[data-agent-id="${h.seeded.agent2.agent.id}"]`);
    await expect.poll(() => row.textContent()).toMatch(/Bob Agent.*Available/);
    await row.getByTestId('colleague-voice').click();
  }

  it('Ann calls Bob: it rings in his workbench as internal; he declines and Ann reads it; then he answers, both are on a call, Ann hangs up and both are free', async () => {
    const bob = await signedInFree('agent2@acme.test');
    const ann = await signedInFree('agent1@acme.test');

    await callBob(ann);
    const annWindow = ann.getByTestId('call-window');
    await expect.poll(() => annWindow.getAttribute('data-call-mode')).toBe('calling');
    expect(await annWindow.textContent()).toContain('Bob Agent');
    const ringing = bob.getByTestId('incoming-call');
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Incoming voice call');
    expect(await ringing.getByTestId('incoming-internal').textContent()).toBe('Ann Agent is calling you · Internal call');
    await h.shot(bob, 'ringing');
    await ringing.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => annWindow.getAttribute('data-call-mode')).toBe('ended');
    expect(await ann.getByTestId('call-status').textContent()).toContain('Your colleague declined');
    await h.shot(ann, 'declined');
    await ann.getByTestId('call-close').click();
    await expect.poll(() => annWindow.count()).toBe(0);

    await callBob(ann);
    await bob.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    const bobWindow = bob.getByTestId('call-window');
    await bobWindow.waitFor();
    expect(await bobWindow.textContent()).toContain('Ann Agent');
    await expect.poll(() => bob.getByTestId('agent-status').textContent()).toContain('On a call');
    await expect.poll(() => ann.getByTestId('agent-status').textContent()).toContain('On a call');
    // No conversation opens for it (the inbox stays as it was).
    expect(await bob.getByText('This conversation is no longer in your inbox.').count()).toBe(0);
    // Nothing of a visitor's call: no transfer, consult, snapshot or screen request.
    expect(await annWindow.getByTestId('call-transfer').count()).toBe(0);
    expect(await annWindow.getByTestId('call-consult').count()).toBe(0);
    await h.shot(bob, 'answered');
    await annWindow.getByTestId('call-hang-up').click();
    await expect.poll(() => bobWindow.getAttribute('data-call-mode')).toBe('ended');
    expect(await bob.getByTestId('call-status').textContent()).toContain('Your colleague hung up');
    await expect.poll(() => bob.getByTestId('agent-status').textContent()).toContain('Available');
    await expect.poll(() => ann.getByTestId('agent-status').textContent()).toContain('Available');
  });
});
