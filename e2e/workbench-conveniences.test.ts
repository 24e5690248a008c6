import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api } from '../apps/server/test/helpers.ts';
import { PASSWORD, solidPng, useWorkbenchHarness } from './workbench-harness.ts';

/**
 * The agent's own tools in the workbench, in Chromium: a reply saved as a personal canned response
 * from the composer, then used with its shortcut; the wrap-up of an ended conversation with the
 * outcomes and tags an admin keeps. Screenshots: e2e/screenshots/conveniences-*.png.
 */
describe("the agent's conveniences (Chromium)", () => {
  /** Reads and admin calls after the browser logins replaced the seeded sessions. */
  let apiKey: string;
  const h = useWorkbenchHarness({
    shots: 'conveniences',
    setUp: async ({ ok }) => {
      await ok('POST', '/v1/canned-responses', { shortcut: 'hello', title: 'Greeting', text: 'Hello! How can I help?' });
      apiKey = (await ok('POST', '/v1/app/api-keys', { name: 'tests' })).key;
    },
  });
  const { ok } = h;

  async function signIn(email: string): Promise<Page> {
    const page = await h.newPage();
    await h.signIn(page, email);
    return page;
  }

  it('an agent saves a reply as a personal canned response and uses it with its shortcut; another agent does not see it', async () => {
    const conversation = { id: (await h.visitor()).conversationId };
    await ok('POST', `/v1/conversations/${conversation.id}/claim`, undefined, h.seeded.agent1.token);

    const ann = await signIn('agent1@acme.test');
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    const composer = ann.getByTestId('composer');
    await composer.fill('Your parcel left our warehouse today; tracking follows by email.');
    await ann.getByRole('button', { name: 'My canned responses' }).click();
    const form = ann.getByTestId('my-canned-form');
    await form.getByLabel('Shortcut').fill('shipped');
    await form.getByLabel('Title').fill('Parcel shipped');
    expect(await form.getByLabel('Text').inputValue()).toBe('Your parcel left our warehouse today; tracking follows by email.');
    await form.getByRole('button', { name: 'Save as mine' }).click();
    await expect.poll(() => ann.getByTestId('my-canned').locator('li').allInnerTexts()).toEqual([expect.stringContaining('/shipped')]);
    await h.shot(ann, 'my-responses');
    await ann.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();

    // Typed after a slash, it is offered beside the team's, marked as the agent's own, and inserted.
    await composer.fill('/s');
    const picker = ann.getByTestId('canned-picker');
    await expect.poll(() => picker.locator('[role=option]').allInnerTexts()).toEqual([expect.stringMatching(/\/shipped[\s\S]*Parcel shipped · Mine/)]);
    await h.shot(ann, 'picker');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Your parcel left our warehouse today; tracking follows by email.');

    const mine = (await ok('GET', '/v1/canned-responses', undefined, h.seeded.agent2.token)).cannedResponses as { shortcut: string }[];
    expect(mine.map((c) => c.shortcut)).toEqual(['hello']);
  });

  it('an admin keeps outcomes and tags; the agent wraps up an ended conversation with them; archived ones are not offered', async () => {
    const visitor = await h.visitor();
    const conversation = { id: visitor.conversationId };
    await visitor.say('I was charged twice');
    const agent2 = (await api(h.server.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'agent2@acme.test', password: PASSWORD } })).body.token as string;
    await ok('POST', `/v1/conversations/${conversation.id}/claim`, undefined, agent2);
    await ok('POST', `/v1/conversations/${conversation.id}/close`, undefined, agent2);
    // The browser logins below replace the seeded sessions: the check at the end reads with an API key.
    const key = (await ok('POST', '/v1/app/api-keys', { name: 'check' })).key as string;

    const admin = await signIn('admin@acme.test');
    await admin.getByRole('link', { name: 'Admin', exact: true }).click();
    await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name: 'Wrap-up', exact: true }).click();
    const labels = admin.getByTestId('wrap-up-labels');
    for (const name of ['Resolved', 'Escalated', 'Refunded']) {
      await labels.getByLabel('New outcome').fill(name);
      await labels.locator('[data-kind="disposition"]').getByRole('button', { name: 'Add' }).click();
      await labels.locator('[data-kind="disposition"] li', { hasText: name }).waitFor();
    }
    for (const name of ['Billing', 'Shipping']) {
      await labels.getByLabel('New tag').fill(name);
      await labels.locator('[data-kind="tag"]').getByRole('button', { name: 'Add' }).click();
      await labels.locator('[data-kind="tag"] li', { hasText: name }).waitFor();
    }
    await labels.getByRole('button', { name: 'Archive Escalated' }).click();
    await labels.getByRole('button', { name: 'Restore Escalated' }).waitFor();
    await h.shot(admin, 'wrap-up-admin');

    // Bob opens his ended conversation: the wrap-up offers the outcomes in use and the tags.
    const bob = await signIn('agent2@acme.test');
    await bob.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    const panel = bob.getByTestId('wrap-up');
    await panel.waitFor();
    const outcome = panel.getByLabel('Outcome');
    expect(await outcome.locator('option').allTextContents()).toEqual(['Choose an outcome…', 'Refunded', 'Resolved']);
    await outcome.selectOption({ label: 'Refunded' });
    await panel.getByLabel('Billing').check();
    await panel.getByLabel('Wrap-up note').fill('Refunded the duplicate charge');
    await panel.getByRole('button', { name: 'Save wrap-up' }).click();
    await panel.getByText(/^Saved /).waitFor();
    await h.shot(bob, 'wrap-up-agent');
    const { wrapUp } = await ok('GET', `/v1/conversations/${conversation.id}/wrap-up`, undefined, key);
    expect(wrapUp).toMatchObject({ disposition: { name: 'Refunded' }, tags: [{ name: 'Billing' }], note: 'Refunded the duplicate charge' });
  });

  it("an agent sets its picture in the settings; the top bar shows it, and so does the visitor's widget beside the agent's messages", async () => {
    const page = await signIn('agent1@acme.test');
    await page.locator('summary[aria-label="Settings"]').click();
    await page.getByTestId('avatar-setting').locator('input[type=file]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: solidPng(48, 48, [37, 99, 235]) });
    const mine = page.getByTestId('my-avatar');
    await mine.waitFor();
    await expect.poll(() => mine.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
    await h.shot(page, 'avatar-settings');
    await page.locator('summary[aria-label="Settings"]').click();

    const shop = await h.newPage();
    await shop.goto(`${h.server.url}/demo?appId=acme&locale=en`);
    await shop.locator('button.launcher').click();
    const composer = shop.locator('frontdesk-widget textarea');
    await composer.fill('Hello, anyone there?');
    await composer.press('Enter');
    await shop.locator('frontdesk-widget .log li.msg.visitor').waitFor();
    let conversationId: string | undefined;
    await expect
      .poll(async () => {
        // The one nobody holds: the first test's conversation, Ann's, is open too.
        const open = (await ok('GET', '/v1/conversations?status=open&limit=100', undefined, apiKey)).conversations as { id: string; agentId: string | null }[];
        conversationId = open.find((c) => c.agentId === null)?.id;
        return conversationId !== undefined;
      })
      .toBe(true);

    // Ann takes the waiting chat and answers.
    await page.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
    await page.getByTestId('claim').click();
    await page.getByTestId('composer').fill('Hi, Ann here. How can I help?');
    await page.getByTestId('send').click();
    const agentMessage = shop.locator('frontdesk-widget .log li.msg.agent', { hasText: 'Ann here' });
    await agentMessage.waitFor();
    const avatar = agentMessage.locator('img.avatar');
    await expect.poll(() => avatar.getAttribute('src')).toMatch(new RegExp(`^${h.server.url}/v1/avatars/acme/`));
    await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
    await h.shot(shop, 'avatar-widget');
  });

  it("with typing preview on, the widget says so and the agent sees the visitor's draft before it is sent", async () => {
    await ok('PATCH', '/v1/channels/default', { typingPreview: true }, apiKey);
    const shop = await h.newPage();
    await shop.goto(`${h.server.url}/demo?appId=acme&locale=en`);
    await shop.locator('button.launcher').click();
    const composer = shop.locator('frontdesk-widget textarea');
    await composer.fill('Hi');
    await composer.press('Enter');
    await shop.locator('frontdesk-widget .log li.msg.visitor').waitFor();
    await expect.poll(() => shop.locator('frontdesk-widget .preview-notice').textContent()).toBe('Our team sees what you type before you send it.');
    let conversationId: string | undefined;
    await expect
      .poll(async () => {
        const { conversations } = await ok('GET', '/v1/conversations?status=open', undefined, apiKey);
        conversationId = (conversations as { id: string; agentId: string | null }[]).find((c) => c.agentId === null)?.id;
        return conversationId !== undefined;
      })
      .toBe(true);

    const page = await signIn('agent2@acme.test');
    await page.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
    await page.getByTestId('claim').click();
    await page.getByTestId('composer').waitFor();
    await composer.fill('My order 12345 has not arrived and');
    const draft = page.getByTestId('visitor-draft');
    await expect.poll(() => draft.textContent(), { timeout: 10_000 }).toBe('My order 12345 has not arrived and');
    await h.shot(page, 'typing-preview');
    // Sent, the draft is gone and the message is there.
    await composer.press('Enter');
    await expect.poll(() => draft.count()).toBe(0);
    await ok('PATCH', '/v1/channels/default', { typingPreview: false }, apiKey);
  });
});

