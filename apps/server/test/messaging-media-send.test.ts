import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProviders, metaHeaders, PNG_1X1, postWebhook, telegramHeaders, viberHeaders, whatsappInbound } from './channel-fakes.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An agent's image reaches each provider the way its API documents: WhatsApp uploads to
 * `POST /{phone-number-id}/media` then sends by the id; Messenger uploads through the attachment
 * upload API then sends the attachment id; Telegram sends the photo itself (sendPhoto,
 * multipart/form-data); Viber gets a link it fetches.
 */
describe.each(STORAGES)('messaging channels: media on send (%s)', (storage) => {
  let server: TestServer;
  let fake: FakeProviders;
  let seed: Awaited<ReturnType<typeof seedApp>>;
  let agent: TestClient;
  const channels: Record<string, string> = {};

  const asAdmin = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.admin.token, ...(body === undefined ? {} : { body }) });
  const channelOf = async (id: string) => (await api(server.url, 'GET', `/v1/conversations/${id}/channel`, { token: seed.agent1.token })).body.channel;

  async function userWrites(post: () => Promise<{ status: number }>): Promise<string> {
    const before = agent.events.filter((e) => e.type === 'offer').length;
    expect((await post()).status).toBe(200);
    await agent.waitFor(() => agent.events.filter((e) => e.type === 'offer').length > before);
    const offer = agent.events.filter((e) => e.type === 'offer').at(-1) as unknown as { conversationId: string };
    expect((await agent.request({ type: 'offer.accept', conversationId: offer.conversationId })).ok).toBe(true);
    return offer.conversationId;
  }

  /** The agent uploads a PNG into the conversation; answers its message once the provider accepted it. */
  async function agentSendsImage(conversationId: string, clientId: string) {
    const res = await fetch(`${server.url}/v1/conversations/${conversationId}/files?name=photo.png&clientId=${clientId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seed.agent1.token}`, 'content-type': 'image/png' },
      body: PNG_1X1,
    });
    expect(res.status).toBe(201);
    const message = (await res.json()) as { id: string };
    const until = Date.now() + 8000;
    for (;;) {
      const delivery = (await channelOf(conversationId)).deliveries.find((d: any) => d.messageId === message.id);
      if (delivery?.status === 'sent') return message;
      if (Date.now() > until) throw new Error(`delivery: ${JSON.stringify(delivery)}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    fake = await FakeProviders.start();
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, 'media');
    const queueId = (await asAdmin('POST', '/v1/queues', { name: 'Messaging' })).body.id;
    await asAdmin('PUT', `/v1/agents/${seed.agent1.agent.id}/skills`, { skills: [{ queueId }] });
    const connect = async (provider: string, accountId: string, credentials: Record<string, string>) => {
      const res = await asAdmin('POST', '/v1/channel-connections', { provider, name: provider, queueId, accountId, apiBaseUrl: fake.url, credentials });
      expect(res.status).toBe(201);
      channels[provider] = res.body.channelId;
    };
    await connect('whatsapp', 'PN8', { accessToken: 'wa-token', appSecret: 'wa-secret' });
    await connect('messenger', 'page8', { pageAccessToken: 'fb-token', appSecret: 'fb-secret' });
    await connect('telegram', 'bot8', { botToken: '888:XYZ', secretToken: 'tg' });
    await connect('viber', 'Frontdesk', { authToken: 'vb-token' });
    agent = await TestClient.connect(server.wsUrl('media'));
    expect((await agent.request({ type: 'hello', token: seed.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
  });

  afterAll(async () => {
    await agent?.close();
    await server?.close();
    await fake?.close();
  });

  it('WhatsApp: POST /{phone-number-id}/media (multipart: messaging_product, type, file), then the image message by id', async () => {
    const body = whatsappInbound('PN8', '15558880001', 'wamid.media1', { type: 'text', text: { body: 'send me the label' } });
    const id = await userWrites(() => postWebhook(server.url, `/channels/whatsapp/${channels.whatsapp}/webhook`, body, metaHeaders('wa-secret', body)));
    await agentSendsImage(id, 'img1');
    const upload = fake.uploads().at(-1)!;
    expect(upload.path).toBe('/PN8/media');
    expect(upload.headers.authorization).toBe('Bearer wa-token');
    expect(upload.body.messaging_product).toBe('whatsapp');
    expect(upload.body.type).toBe('image/png');
    expect(upload.body.file.mimeType).toBe('image/png');
    expect(Buffer.compare(upload.body.file.bytes, PNG_1X1)).toBe(0);
    const send = fake.sends().at(-1)!;
    expect(send.path).toBe('/PN8/messages');
    expect(send.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '15558880001', type: 'image', image: { id: expect.stringMatching(/^media\.up\d+$/) } });
  });

  it('Messenger: the attachment upload API (message + filedata), then the attachment id', async () => {
    const fb = JSON.stringify({ object: 'page', entry: [{ id: 'page8', time: 1, messaging: [{ sender: { id: 'PSID-8' }, recipient: { id: 'page8' }, timestamp: Date.now(), message: { mid: 'm_media8', text: 'photo?' } }] }] });
    const id = await userWrites(() => postWebhook(server.url, `/channels/messenger/${channels.messenger}/webhook`, fb, metaHeaders('fb-secret', fb)));
    await agentSendsImage(id, 'img2');
    const upload = fake.uploads().at(-1)!;
    expect(upload.path).toBe('/me/message_attachments');
    expect(upload.headers.authorization).toBe('Bearer fb-token');
    expect(JSON.parse(upload.body.message)).toEqual({ attachment: { type: 'image', payload: { is_reusable: true } } });
    expect(Buffer.compare(upload.body.filedata.bytes, PNG_1X1)).toBe(0);
    const send = fake.sends().at(-1)!;
    expect(send.path).toBe('/page8/messages');
    expect(send.body).toMatchObject({ recipient: { id: 'PSID-8' }, message: { attachment: { type: 'image', payload: { attachment_id: expect.stringMatching(/^att\.up\d+$/) } } } });
  });

  it('Telegram: sendPhoto with the photo itself (multipart/form-data)', async () => {
    const tg = JSON.stringify({ update_id: 80, message: { message_id: 1, date: 1, chat: { id: 5558001, type: 'private' }, from: { id: 5558001, first_name: 'T' }, text: 'pic?' } });
    const id = await userWrites(() => postWebhook(server.url, `/channels/telegram/${channels.telegram}/webhook`, tg, telegramHeaders('tg')));
    await agentSendsImage(id, 'img3');
    const send = fake.sends().at(-1)!;
    expect(send.path).toBe('/bot888:XYZ/sendPhoto');
    expect(String(send.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(send.body.chat_id).toBe('5558001');
    expect(send.body.photo.fileName).toBe('photo.png');
    expect(Buffer.compare(send.body.photo.bytes, PNG_1X1)).toBe(0);
  });

  it('Viber: a picture message with a signed link that serves the image', async () => {
    const uploadsBefore = fake.uploads().length;
    const vb = `{"event":"message","timestamp":${Date.now()},"message_token":5491000000000000888,"sender":{"id":"vbMedia=","name":"V"},"message":{"type":"text","text":"hi"}}`;
    const id = await userWrites(() => postWebhook(server.url, `/channels/viber/${channels.viber}/webhook`, vb, viberHeaders('vb-token', vb)));
    await agentSendsImage(id, 'img4');
    const send = fake.sends().at(-1)!;
    expect(send.path).toBe('/send_message');
    expect(send.body).toMatchObject({ receiver: 'vbMedia=', type: 'picture' });
    const link = new URL(send.body.media);
    const fetched = await fetch(`${server.url}${link.pathname}${link.search}`);
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await fetched.arrayBuffer()), PNG_1X1)).toBe(0);
    expect(fake.uploads().length).toBe(uploadsBefore);
  });
});
