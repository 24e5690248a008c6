import { describe, expect, it } from 'vitest';
import { useWorkbenchHarness } from './workbench-harness.ts';

/**
 * A visitor's contact beside the conversation, in Chromium: the shop page identifies its visitor
 * through the widget (`Frontdesk('identify', …)`), the visitor talks three times, and the agent
 * sees the name, email, phone and attributes the page set, where and on what the visitor is, and
 * the two past conversations on the timeline; an edit by the agent is saved.
 * Screenshots: e2e/screenshots/contacts-*.png.
 */
describe('contacts in the workbench (Chromium)', () => {
  const h = useWorkbenchHarness({
    shots: 'contacts',
    widget: true,
    setUp: async ({ ok, seeded }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
    },
  });
  const { ok } = h;

  /** The newest open conversation once it is not one of `known`, claimed by Ann. */
  async function claimNew(known: string[]): Promise<string> {
    let id: string | undefined;
    await expect
      .poll(async () => {
        const { conversations } = await ok('GET', '/v1/conversations?status=open&limit=1');
        id = conversations[0]?.id;
        return id !== undefined && !known.includes(id);
      })
      .toBe(true);
    await ok('POST', `/v1/conversations/${id}/claim`, undefined, h.seeded.agent1.token);
    return id!;
  }

  it('a contact shows the attributes set through identify, the visit, and two past conversations; an agent edits it', async () => {
    // The visitor: a Chinese browser in Shanghai, on the shop page that identifies it.
    const shop = await h.newPage({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await shop.goto(`${h.server.url}/demo?appId=acme&locale=en`);
    await shop.waitForFunction(() => typeof (window as unknown as { Frontdesk?: unknown }).Frontdesk === 'function');
    await shop.evaluate(() => {
      const frontdesk = (window as unknown as { Frontdesk: (...args: unknown[]) => void }).Frontdesk;
      frontdesk('identify', { name: 'Li Lei', email: 'lilei@example.com', phone: '+86 138 0000 0000', attributes: { plan: 'gold', orders: 3, note: '<img src=x onerror="window.__hacked=1">' } });
    });
    await shop.locator('button.launcher').click();
    const composer = shop.locator('frontdesk-widget textarea');
    const say = async (text: string) => {
      await composer.fill(text);
      await composer.press('Enter');
      await shop.locator('frontdesk-widget .log li.msg.visitor', { hasText: text }).waitFor();
    };
    const startNew = async () => {
      const button = shop.locator('frontdesk-widget .actions button.primary');
      await button.waitFor();
      await button.click();
      await composer.waitFor();
    };

    await say('Where is my order?');
    const first = await claimNew([]);
    await ok('POST', `/v1/conversations/${first}/close`, undefined, h.seeded.agent1.token);
    await startNew();
    await say('我想开发票');
    const second = await claimNew([first]);
    await ok('POST', `/v1/conversations/${second}/close`, undefined, h.seeded.agent1.token);
    await startNew();
    await say('One more question about delivery');
    const third = await claimNew([first, second]);

    // The agent opens the third conversation: the contact is beside it.
    const ann = await h.newPage({ viewport: { width: 1440, height: 900 } });
    await h.signIn(ann, 'agent1@acme.test');
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${third}"]`).click();

    const panel = ann.getByTestId('contact-panel');
    await panel.waitFor();
    await expect.poll(() => ann.getByTestId('contact-name').textContent()).toBe('Li Lei');
    const profile = await ann.getByTestId('contact-profile').innerText();
    expect(profile).toContain('lilei@example.com');
    expect(profile).toContain('+86 138 0000 0000');
    const attributes = ann.getByTestId('contact-attributes');
    await expect.poll(() => attributes.locator('dt').allTextContents()).toEqual(['plan', 'orders', 'note']);
    // Markup the page set is text.
    expect(await attributes.locator('dd').allTextContents()).toEqual(['gold', '3', '<img src=x onerror="window.__hacked=1">']);
    expect(await attributes.locator('img').count()).toBe(0);
    expect(await ann.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).toBeUndefined();
    const visit = await ann.getByTestId('contact-visit').innerText();
    expect(visit).toContain(`${h.server.url}/demo?appId=acme&locale=en`);
    expect(visit).toMatch(/Chrom(e|ium) \d+/);
    expect(visit).toContain('Linux');
    expect(visit).toContain('zh-CN');
    expect(visit).toContain('CN · Shanghai');
    expect(visit).toContain('Asia/Shanghai');

    // The timeline: this conversation and the two before it, newest first, each with its last words.
    const timeline = ann.getByTestId('contact-timeline').locator('li');
    await expect.poll(() => timeline.count()).toBe(3);
    expect(await timeline.locator('.wb-timeline__preview').allTextContents()).toEqual(['One more question about delivery', '我想开发票', 'Where is my order?']);
    expect(await timeline.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await timeline.nth(1).innerText()).toContain('Ended');
    await ann.getByTestId('contact-panel').scrollIntoViewIfNeeded();
    await h.shot(ann, 'panel');

    // The agent corrects the phone number and adds an attribute.
    await panel.getByRole('button', { name: 'Edit' }).click();
    const form = ann.getByTestId('contact-form');
    await form.getByLabel('Phone').fill('020-1234-5678');
    await form.getByRole('button', { name: 'Add attribute' }).click();
    await form.getByLabel('Attribute name').last().fill('tier');
    await form.getByLabel('Value').last().fill('VIP');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => ann.getByTestId('contact-profile').innerText()).toContain('020-1234-5678');
    expect(await attributes.locator('dt').allTextContents()).toEqual(['plan', 'orders', 'note', 'tier']);
    const stored = await ok('GET', '/v1/contacts?query=lilei');
    expect(stored.contacts[0]).toMatchObject({ phone: '020-1234-5678', attributes: { plan: 'gold', orders: 3, note: '<img src=x onerror="window.__hacked=1">', tier: 'VIP' } });
    await h.shot(ann, 'edited');
  });
});
