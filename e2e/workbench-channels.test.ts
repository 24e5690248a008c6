import { afterAll, describe, expect, it } from 'vitest';
import { FakeProviders, metaHeaders, postWebhook, whatsappInbound } from '../apps/server/test/channel-fakes.ts';
import { useWorkbenchHarness } from './workbench-harness.ts';

/**
 * A WhatsApp conversation in the agent's workbench (Chromium): the channel's kind and the reply
 * window's time left above the composer, a refused message marked Not delivered with the provider's
 * reason, and, once the window has closed, the template picker that sends a template with its
 * parameters. Against a local fake WhatsApp Cloud API. Screenshots: e2e/screenshots/channels-*.png.
 */
describe('a WhatsApp conversation in the workbench (Chromium)', () => {
  let fake: FakeProviders;
  let channelId = '';
  const h = useWorkbenchHarness({
    shots: 'channels',
    env: { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    setUp: async ({ ok, seeded }) => {
      fake = await FakeProviders.start();
      const queue = await ok('POST', '/v1/queues', { name: 'WhatsApp', ringTimeoutSeconds: 120, wrapUpSeconds: 0 });
      await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3, isDefault: true }] });
      const connected = await ok('POST', '/v1/channel-connections', { provider: 'whatsapp', name: 'WhatsApp', queueId: queue.id, accountId: 'PN1', apiBaseUrl: fake.url, credentials: { accessToken: 'wa-token', appSecret: 'wa-secret', businessAccountId: 'WABA' } });
      channelId = connected.channelId;
      fake.templates = [{ name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello {{1}}, your order {{2}} has shipped.' }] }];
      await ok('POST', `/v1/channel-connections/${channelId}/templates/sync`);
    },
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('shows the provider, the window, a failed reason, and the template picker once the window has closed', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'agent1@acme.test');
    await page.locator('#wb-status-select').selectOption('free');

    const body = whatsappInbound('PN1', '15557654321', 'wamid.e2e1', { type: 'text', text: { body: 'Where is my parcel?' } }, 'Grace');
    expect((await postWebhook(h.server.url, `/channels/whatsapp/${channelId}/webhook`, body, metaHeaders('wa-secret', body))).status).toBe(200);
    await page.getByTestId('offer').getByRole('button', { name: 'Accept' }).click({ timeout: 15_000 });
    const pane = page.getByTestId('conversation');
    const strip = pane.getByTestId('channel-strip');
    await expect.poll(() => strip.getByTestId('channel-kind').textContent()).toBe('WhatsApp');
    await expect.poll(() => strip.getByTestId('channel-window').textContent()).toMatch(/^23 h 5\d min left to reply freely$/);

    // The provider refuses a reply: the message says so, with the provider's own reason.
    fake.failNext({ status: 400, body: { error: { message: '(#131026) Message undeliverable', code: 131026, error_data: { details: 'the recipient <b>cannot</b> receive this message' } } } });
    await pane.getByTestId('composer').fill('Let me check.');
    await pane.getByTestId('composer').press('Enter');
    const delivery = pane.locator('[data-testid="message-delivery"][data-status="failed"]');
    await expect.poll(() => delivery.textContent(), { timeout: 15_000 }).toBe('Not delivered: (#131026) Message undeliverable: the recipient <b>cannot</b> receive this message (131026)');
    await h.shot(page, 'failed');

    // A day later the window has closed: the composer's strip offers the templates.
    await h.server.app.storage.db.updateTable('channel_contacts').set({ last_inbound_at: Date.now() - 25 * 3_600_000 }).where('external_id', '=', '15557654321').execute();
    // NOTE: the window moved in the database behind the workbench's back (time does not pass a day here):
    // the workbench reads the channel when a conversation opens, so the page is loaded again.
    await page.reload();
    if (!(await pane.isVisible())) await page.getByText('Grace').first().click({ timeout: 15_000 });
    await expect.poll(() => strip.getByTestId('channel-window').textContent(), { timeout: 15_000 }).toContain('The reply window has closed');
    const picker = strip.getByTestId('template-picker');
    await picker.getByTestId('template-parameter').nth(0).fill('Grace');
    await picker.getByTestId('template-parameter').nth(1).fill('#42');
    await h.shot(page, 'template');
    await picker.getByTestId('template-send').click();
    await expect.poll(() => pane.getByTestId('message-text').last().textContent()).toBe('Hello Grace, your order #42 has shipped.');
    await expect.poll(() => fake.sends().at(-1)?.body?.template?.name).toBe('order_update');
    expect(fake.sends().at(-1)!.body.template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Grace' }, { type: 'text', text: '#42' }] }]);
  });

  it('an admin connects a Telegram bot (the credentials shown once, sealed at rest) and sends a test message', async () => {
    const page = await h.newPage({ viewport: { width: 1280, height: 1000 } });
    await h.signIn(page, 'admin@acme.test');
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name: 'Channels', exact: true }).click();

    const form = page.getByTestId('connect-channel');
    await form.getByLabel('Provider').selectOption('telegram');
    await form.getByLabel('Name', { exact: true }).fill('Telegram support');
    await form.getByLabel("Bot's name").fill('acme_bot');
    await form.getByLabel('Bot token').fill('777:SECRET');
    await form.getByLabel('API base URL (optional: a proxy)').fill(fake.url);
    await form.getByRole('button', { name: 'Connect' }).click();
    const once = form.getByTestId('connected-once');
    await expect.poll(() => once.textContent()).toContain('777:SECRET');
    expect(await once.textContent()).toMatch(/secretToken[\w-]{20,}/);
    const row = await h.server.app.storage.db.selectFrom('channel_connections').selectAll().where('provider', '=', 'telegram').executeTakeFirstOrThrow();
    expect(row.credentials).not.toContain('777:SECRET');

    const detail = page.getByTestId('connection-detail');
    await expect.poll(() => detail.textContent()).toContain(`/channels/telegram/${row.channel_id}/webhook`);
    expect(await detail.textContent()).not.toContain('777:SECRET');
    await detail.getByLabel(/Send a test message to/).fill('4242');
    await detail.getByRole('button', { name: 'Send test message' }).click();
    await expect.poll(() => page.getByTestId('test-message-result').textContent()).toMatch(/^Sent \(4242:\d+\)\.$/);
    expect(fake.sends().at(-1)).toMatchObject({ path: '/bot777:SECRET/sendMessage', body: { chat_id: '4242', text: 'Frontdesk test message' } });
    await h.shot(page, 'admin', { fullPage: true });

    // The bot token rotated: the new set shown once, sealed at rest, and the sends use it.
    const rotate = detail.getByTestId('rotate-credentials');
    await rotate.getByLabel('Credential to rotate').selectOption('botToken');
    await rotate.getByLabel('New value').fill('777:ROTATED');
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await expect.poll(() => rotate.getByTestId('rotated-once').textContent()).toContain('777:ROTATED');
    const rotatedRow = await h.server.app.storage.db.selectFrom('channel_connections').select('credentials').where('channel_id', '=', row.channel_id).executeTakeFirstOrThrow();
    expect(rotatedRow.credentials).not.toContain('777:ROTATED');
    await detail.getByRole('button', { name: 'Send test message' }).click();
    await expect.poll(() => fake.sends().at(-1)?.path).toBe('/bot777:ROTATED/sendMessage');
  });
});
