import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProviders, metaHeaders, postWebhook, telegramHeaders, viberHeaders, whatsappInbound, whatsappStatus } from './channel-fakes.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY_MS = 86_400_000;

/**
 * Messaging channels, outbound (SPEC M39): agents' replies reach the fake providers with each
 * documented body; statuses come back; refusals show as failed with the provider's reason; a rate
 * limit is retried; notes, whispers and the user's own messages never leave; outside the window a
 * free-form send is refused with the window's reason and the legal path (template, tag) works.
 */
describe.each(STORAGES)('messaging channels: outbound (%s)', (storage) => {
  let server: TestServer;
  let fake: FakeProviders;
  let seed: Awaited<ReturnType<typeof seedApp>>;
  let agent: TestClient;
  let queueId: string;
  const channels: Record<string, string> = {};

  const asAdmin = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.admin.token, ...(body === undefined ? {} : { body }) });
  const asAgent = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.agent1.token, ...(body === undefined ? {} : { body }) });
  const channelOf = async (conversationId: string) => (await asAgent('GET', `/v1/conversations/${conversationId}/channel`)).body.channel;
  /** Waits until the message's delivery satisfies `predicate` (sends and retries run on the job worker). */
  async function deliveryOf(conversationId: string, messageId: string, predicate: (d: any) => boolean, timeoutMs = 8000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const delivery = (await channelOf(conversationId)).deliveries.find((d: any) => d.messageId === messageId);
      if (delivery && predicate(delivery)) return delivery;
      if (Date.now() > until) throw new Error(`delivery of ${messageId}: ${JSON.stringify(delivery)}`);
      await sleep(50);
    }
  }

  /** A user writes on `provider`; the agent takes the conversation; answers its id. */
  async function userWrites(provider: string, post: () => Promise<{ status: number }>): Promise<string> {
    const before = agent.events.filter((e) => e.type === 'offer').length;
    expect((await post()).status).toBe(200);
    await agent.waitFor(() => agent.events.filter((e) => e.type === 'offer').length > before);
    const offer = agent.events.filter((e) => e.type === 'offer').at(-1) as { conversationId: string };
    expect((await agent.request({ type: 'offer.accept', conversationId: offer.conversationId })).ok).toBe(true);
    expect((await channelOf(offer.conversationId)).provider).toBe(provider);
    return offer.conversationId;
  }

  beforeAll(async () => {
    fake = await FakeProviders.start();
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, 'out');
    queueId = (await asAdmin('POST', '/v1/queues', { name: 'Messaging' })).body.id;
    await asAdmin('PUT', `/v1/agents/${seed.agent1.agent.id}/skills`, { skills: [{ queueId }] });
    const connect = async (provider: string, accountId: string, credentials: Record<string, string>) => {
      const res = await asAdmin('POST', '/v1/channel-connections', { provider, name: provider, queueId, accountId, apiBaseUrl: fake.url, credentials });
      expect(res.status).toBe(201);
      channels[provider] = res.body.channelId;
    };
    await connect('whatsapp', 'PN9', { accessToken: 'wa-token', appSecret: 'wa-secret', businessAccountId: 'WABA9' });
    await connect('messenger', 'page9', { pageAccessToken: 'fb-token', appSecret: 'fb-secret' });
    await connect('telegram', 'bot9', { botToken: '999:XYZ', secretToken: 'tg' });
    await connect('viber', 'Frontdesk', { authToken: 'vb-token' });
    agent = await TestClient.connect(server.wsUrl('out'));
    expect((await agent.request({ type: 'hello', token: seed.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
  });

  afterAll(async () => {
    await agent?.close();
    await server?.close();
    await fake?.close();
  });

  const waPost = (body: string) => postWebhook(server.url, `/channels/whatsapp/${channels.whatsapp}/webhook`, body, metaHeaders('wa-secret', body));

  it("WhatsApp: the agent's reply reaches POST /{phone-number-id}/messages with the documented body; sent → delivered → read; notes, whispers and the user's message never leave", async () => {
    const id = await userWrites('whatsapp', () => waPost(whatsappInbound('PN9', '15557770001', 'wamid.in1', { type: 'text', text: { body: 'Where is my order?' } })));
    expect(fake.sends()).toHaveLength(0);
    // An internal note and a supervisor's whisper: never messages, never sent.
    expect((await asAgent('POST', `/v1/conversations/${id}/notes`, { text: 'VIP customer' })).status).toBe(201);
    const supervisor = await TestClient.connect(server.wsUrl('out'));
    expect((await supervisor.request({ type: 'hello', token: seed.admin.token })).ok).toBe(true);
    expect((await supervisor.request({ type: 'supervision.set', conversationId: id, mode: 'whisper' })).ok).toBe(true);
    expect((await supervisor.request({ type: 'supervision.whisper', conversationId: id, clientId: 'w1', text: 'offer a refund' })).ok).toBe(true);
    await supervisor.close();

    const reply = await agent.request({ type: 'message.send', conversationId: id, clientId: 'r1', text: 'It ships today.' });
    expect(reply.ok).toBe(true);
    const sent = await deliveryOf(id, reply.data.id, (d) => d.status === 'sent');
    expect(sent.reason).toBeNull();
    const sends = fake.sends();
    expect(sends).toHaveLength(1);
    expect(sends[0]!.path).toBe('/PN9/messages');
    expect(sends[0]!.headers.authorization).toBe('Bearer wa-token');
    expect(sends[0]!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '15557770001', type: 'text', text: { body: 'It ships today.', preview_url: false } });

    const wamid = (await server.app.storage.db.selectFrom('channel_outbound').select('provider_message_id').where('message_id', '=', reply.data.id).executeTakeFirstOrThrow()).provider_message_id!;
    expect(wamid).toMatch(/^wamid\.fake/);
    expect((await waPost(whatsappStatus('PN9', wamid, 'delivered'))).body.statuses).toBe(1);
    expect((await waPost(whatsappStatus('PN9', wamid, 'read'))).body.statuses).toBe(1);
    // A late "sent" does not move it back.
    expect((await waPost(whatsappStatus('PN9', wamid, 'sent'))).body.statuses).toBe(0);
    expect((await deliveryOf(id, reply.data.id, () => true)).status).toBe('read');
    expect(fake.sends()).toHaveLength(1);
  });

  it("a refusal is shown as failed with the provider's reason; a rate limit (429, #130429) is retried with backoff and logged", async () => {
    const id = await userWrites('whatsapp', () => waPost(whatsappInbound('PN9', '15557770002', 'wamid.in2', { type: 'text', text: { body: 'hi' } })));
    fake.failNext({ status: 400, body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'the recipient cannot receive this message' }, fbtrace_id: 'x' } } });
    const refused = await agent.request({ type: 'message.send', conversationId: id, clientId: 'f1', text: 'hello?' });
    const failed = await deliveryOf(id, refused.data.id, (d) => d.status === 'failed');
    expect(failed.reason).toContain('the recipient cannot receive this message');
    expect(failed.reason).toContain('131026');

    fake.failNext({ status: 429, body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, error_data: { details: 'Cloud API message throughput has been reached.' } } } });
    const before = fake.sends().length;
    const limited = await agent.request({ type: 'message.send', conversationId: id, clientId: 'f2', text: 'second try' });
    const retried = await deliveryOf(id, limited.data.id, (d) => d.status === 'queued' && d.reason !== null);
    expect(retried.reason).toContain('130429');
    await deliveryOf(id, limited.data.id, (d) => d.status === 'sent');
    expect(fake.sends().length - before).toBe(2);
    const job = await server.app.storage.db.selectFrom('jobs').selectAll().where('kind', '=', 'channels.send').where('dedupe_key', '=', limited.data.id).executeTakeFirstOrThrow();
    // NOTE: the job records its attempt after the send it made is marked sent: read it once it is there.
    const attemptsOf = () => server.app.storage.db.selectFrom('job_attempts').selectAll().where('job_id', '=', job.id).orderBy('at').execute();
    await expect.poll(async () => (await attemptsOf()).map((a) => a.status_code)).toEqual([429, 200]);
    const attempts = await attemptsOf();
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    // The channel's send log shows both sends and every attempt.
    const log = (await asAdmin('GET', `/v1/channel-connections/${channels.whatsapp}/sends?limit=10`)).body.sends as any[];
    const entry = (messageId: string) => log.find((s) => s.messageId === messageId);
    expect(entry(refused.data.id)).toMatchObject({ conversationId: id, status: 'exhausted', attempts: [{ statusCode: 400 }] });
    expect(entry(refused.data.id).attempts[0].error).toContain('the recipient cannot receive this message');
    expect(entry(limited.data.id)).toMatchObject({ status: 'done', attempts: [{ statusCode: 429 }, { statusCode: 200, error: null }] });
    expect((await asAgent('GET', `/v1/channel-connections/${channels.whatsapp}/sends`)).status).toBe(403);
  });

  it('outside the 24 h window a free-form reply is refused with the window reason; a synced template with parameters goes', async () => {
    const id = await userWrites('whatsapp', () => waPost(whatsappInbound('PN9', '15557770003', 'wamid.in3', { type: 'text', text: { body: 'thanks' } })));
    expect((await channelOf(id)).window).toMatchObject({ policy: 'meta-24h', isOpen: true });
    expect((await channelOf(id)).window.msLeft).toBeGreaterThan(DAY_MS - 60_000);
    await server.app.storage.db.updateTable('channel_contacts').set({ last_inbound_at: Date.now() - DAY_MS - 60_000 }).where('external_id', '=', '15557770003').execute();
    const view = await channelOf(id);
    expect(view.window).toMatchObject({ isOpen: false, msLeft: 0 });

    const before = fake.sends().length;
    const refused = await agent.request({ type: 'message.send', conversationId: id, clientId: 'late', text: 'are you there?' });
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('FD_CHANNEL_WINDOW_CLOSED');
    expect(refused.error.message).toContain('24-hour');
    expect(refused.error.message).toContain('template');
    const messages = (await asAgent('GET', `/v1/conversations/${id}/messages`)).body.messages as any[];
    expect(messages.some((m) => m.text === 'are you there?')).toBe(false);

    fake.templates = [
      { name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', id: '1', components: [{ type: 'BODY', text: 'Hello {{1}}, your order {{2}} has shipped.' }] },
      { name: 'draft_one', language: 'en_US', status: 'PENDING', category: 'MARKETING', id: '2', components: [{ type: 'BODY', text: 'Soon' }] },
    ];
    const synced = await asAdmin('POST', `/v1/channel-connections/${channels.whatsapp}/templates/sync`);
    expect(synced.status).toBe(200);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/WABA9/message_templates' && r.headers.authorization === 'Bearer wa-token')).toBe(true);
    expect((await asAgent('GET', `/v1/channel-connections/${channels.whatsapp}/templates`)).body.templates).toContainEqual({ name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', body: 'Hello {{1}}, your order {{2}} has shipped.', parameterCount: 2 });
    expect((await asAgent('POST', `/v1/conversations/${id}/channel-send`, { kind: 'template', clientId: 't0', name: 'draft_one', language: 'en_US' })).body.error.code).toBe('FD_CHANNEL_TEMPLATE_NOT_FOUND');
    expect((await asAgent('POST', `/v1/conversations/${id}/channel-send`, { kind: 'template', clientId: 't0', name: 'order_update', language: 'en_US', parameters: ['Ada'] })).status).toBe(400);

    const sent = await asAgent('POST', `/v1/conversations/${id}/channel-send`, { kind: 'template', clientId: 't1', name: 'order_update', language: 'en_US', parameters: ['Ada', '#42'] });
    expect(sent.status).toBe(200);
    expect(sent.body.message).toMatchObject({ senderType: 'agent', text: 'Hello Ada, your order #42 has shipped.' });
    await deliveryOf(id, sent.body.message.id, (d) => d.status === 'sent');
    const send = fake.sends().slice(before);
    expect(send).toHaveLength(1);
    expect(send[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15557770003',
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: '#42' }] }] },
    });
  });

  it('Messenger: a reply goes to the Send API; after 24 h only a HUMAN_AGENT-tagged message goes, and not after 7 days; delivery and read watermarks', async () => {
    const fbBody = JSON.stringify({ object: 'page', entry: [{ id: 'page9', time: 1, messaging: [{ sender: { id: 'PSID-9' }, recipient: { id: 'page9' }, timestamp: Date.now(), message: { mid: 'm_in9', text: 'hello page' } }] }] });
    const id = await userWrites('messenger', () => postWebhook(server.url, `/channels/messenger/${channels.messenger}/webhook`, fbBody, metaHeaders('fb-secret', fbBody)));
    const reply = await agent.request({ type: 'message.send', conversationId: id, clientId: 'm1', text: 'Hi there' });
    await deliveryOf(id, reply.data.id, (d) => d.status === 'sent');
    const send = fake.sends().at(-1)!;
    expect(send.path).toBe('/page9/messages');
    expect(send.body).toEqual({ recipient: { id: 'PSID-9' }, messaging_type: 'RESPONSE', message: { text: 'Hi there' } });
    const read = JSON.stringify({ object: 'page', entry: [{ id: 'page9', time: 1, messaging: [{ sender: { id: 'PSID-9' }, recipient: { id: 'page9' }, timestamp: Date.now(), read: { watermark: Date.now() + 1000 } }] }] });
    expect((await postWebhook(server.url, `/channels/messenger/${channels.messenger}/webhook`, read, metaHeaders('fb-secret', read))).body.statuses).toBe(1);
    expect((await deliveryOf(id, reply.data.id, () => true)).status).toBe('read');

    await server.app.storage.db.updateTable('channel_contacts').set({ last_inbound_at: Date.now() - 2 * DAY_MS }).where('external_id', '=', 'PSID-9').execute();
    expect((await agent.request({ type: 'message.send', conversationId: id, clientId: 'm2', text: 'late' })).error.message).toContain('HUMAN_AGENT');
    const tagged = await asAgent('POST', `/v1/conversations/${id}/channel-send`, { kind: 'tagged', clientId: 'm3', text: 'Following up on your case', tag: 'HUMAN_AGENT' });
    expect(tagged.status).toBe(200);
    await deliveryOf(id, tagged.body.message.id, (d) => d.status === 'sent');
    expect(fake.sends().at(-1)!.body).toEqual({ recipient: { id: 'PSID-9' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Following up on your case' } });
    await server.app.storage.db.updateTable('channel_contacts').set({ last_inbound_at: Date.now() - 8 * DAY_MS }).where('external_id', '=', 'PSID-9').execute();
    const tooLate = await asAgent('POST', `/v1/conversations/${id}/channel-send`, { kind: 'tagged', clientId: 'm4', text: 'too late', tag: 'HUMAN_AGENT' });
    expect(tooLate.body.error.code).toBe('FD_CHANNEL_WINDOW_CLOSED');
  });

  it('Telegram sendMessage and Viber send_message carry the reply; Viber statuses find our message by its 64-bit token', async () => {
    const tg = JSON.stringify({ update_id: 90, message: { message_id: 1, date: 1, chat: { id: 5550001, type: 'private' }, from: { id: 5550001, first_name: 'T' }, text: 'hi bot' } });
    const tgId = await userWrites('telegram', () => postWebhook(server.url, `/channels/telegram/${channels.telegram}/webhook`, tg, telegramHeaders('tg')));
    expect((await channelOf(tgId)).window).toMatchObject({ policy: 'none', isOpen: true, endsAt: null });
    const tgReply = await agent.request({ type: 'message.send', conversationId: tgId, clientId: 't1', text: 'Hello from Frontdesk' });
    await deliveryOf(tgId, tgReply.data.id, (d) => d.status === 'sent');
    expect(fake.sends().at(-1)).toMatchObject({ path: '/bot999:XYZ/sendMessage', body: { chat_id: '5550001', text: 'Hello from Frontdesk' } });

    // The agent takes 5 chats at most: this one ends first.
    expect((await asAgent('POST', `/v1/conversations/${tgId}/close`)).status).toBe(200);
    const vb = `{"event":"message","timestamp":${Date.now()},"message_token":5491000000000000999,"sender":{"id":"vbUser1=","name":"V"},"message":{"type":"text","text":"hi"}}`;
    const vbId = await userWrites('viber', () => postWebhook(server.url, `/channels/viber/${channels.viber}/webhook`, vb, viberHeaders('vb-token', vb)));
    const vbReply = await agent.request({ type: 'message.send', conversationId: vbId, clientId: 'v1', text: 'Hello Viber' });
    await deliveryOf(vbId, vbReply.data.id, (d) => d.status === 'sent');
    const send = fake.sends().at(-1)!;
    expect(send.path).toBe('/send_message');
    expect(send.headers['x-viber-auth-token']).toBe('vb-token');
    expect(send.body).toEqual({ receiver: 'vbUser1=', min_api_version: 1, sender: { name: 'Frontdesk' }, type: 'text', text: 'Hello Viber' });
    const token = (await server.app.storage.db.selectFrom('channel_outbound').select('provider_message_id').where('message_id', '=', vbReply.data.id).executeTakeFirstOrThrow()).provider_message_id!;
    expect(token).toMatch(/^54910000000000\d{5}$/);
    const seen = `{"event":"seen","timestamp":${Date.now()},"message_token":${token},"user_id":"vbUser1="}`;
    expect((await postWebhook(server.url, `/channels/viber/${channels.viber}/webhook`, seen, viberHeaders('vb-token', seen))).body.statuses).toBe(1);
    expect((await deliveryOf(vbId, vbReply.data.id, () => true)).status).toBe('read');
  });

  it("the admin's test message goes through the channel and answers what the provider said", async () => {
    const ok = await asAdmin('POST', `/v1/channel-connections/${channels.whatsapp}/test-message`, { to: '15550009999', text: 'Test from Frontdesk' });
    expect(ok.body).toMatchObject({ ok: true, reason: null });
    expect(fake.sends().at(-1)!.body).toMatchObject({ to: '15550009999', text: { body: 'Test from Frontdesk' } });
    fake.failNext({ status: 401, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } });
    const refused = await asAdmin('POST', `/v1/channel-connections/${channels.whatsapp}/test-message`, { to: '15550009999' });
    expect(refused.body).toEqual({ ok: false, providerMessageId: null, reason: 'Invalid OAuth access token. (190)' });
  });
});
