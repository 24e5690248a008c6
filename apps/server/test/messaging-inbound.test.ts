import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProviders, metaHeaders, PNG_1X1, postWebhook, telegramHeaders, viberHeaders, whatsappInbound } from './channel-fakes.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/**
 * Messaging channels, inbound (SPEC M39): the fixed webhook endpoints of WhatsApp, Messenger,
 * Telegram and Viber against local fake providers; signatures, one conversation per user and
 * channel routed to an agent like a web chat, media downloaded into our file store, and a
 * provider message stored once however often it is delivered.
 */
describe.each(STORAGES)('messaging channels: inbound (%s)', (storage) => {
  let server: TestServer;
  let fake: FakeProviders;
  let seed: Awaited<ReturnType<typeof seedApp>>;
  let agent: TestClient;
  let queueId: string;
  const channels: Record<string, { channelId: string; credentials: Record<string, string> }> = {};

  const asAdmin = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.admin.token, ...(body === undefined ? {} : { body }) });
  const countRows = async (table: 'messages' | 'conversations' | 'channel_inbound') => Number((await server.app.storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    fake = await FakeProviders.start();
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, 'omni');
    queueId = (await asAdmin('POST', '/v1/queues', { name: 'Messaging' })).body.id;
    expect((await asAdmin('PUT', `/v1/agents/${seed.agent1.agent.id}/skills`, { skills: [{ queueId }] })).status).toBe(200);
    const connect = async (provider: string, accountId: string, credentials: Record<string, string>) => {
      const res = await asAdmin('POST', '/v1/channel-connections', { provider, name: `${provider} support`, queueId, accountId, apiBaseUrl: fake.url, credentials });
      expect(res.status).toBe(201);
      channels[provider] = { channelId: res.body.channelId, credentials: res.body.credentials };
    };
    await connect('whatsapp', '1065550001', { accessToken: 'wa-token', appSecret: 'wa-secret', businessAccountId: 'waba1' });
    await connect('messenger', 'page1', { pageAccessToken: 'fb-token', appSecret: 'fb-secret' });
    await connect('telegram', 'frontdesk_bot', { botToken: '123:ABC', secretToken: 'tg-secret' });
    await connect('viber', 'Frontdesk', { authToken: 'vb-token' });
    agent = await TestClient.connect(server.wsUrl('omni'));
    expect((await agent.request({ type: 'hello', token: seed.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
  });

  afterAll(async () => {
    await agent?.close();
    await server?.close();
    await fake?.close();
  });

  const waPath = () => `/channels/whatsapp/${channels.whatsapp!.channelId}/webhook`;
  const postWhatsapp = (body: string, secret = 'wa-secret') => postWebhook(server.url, waPath(), body, metaHeaders(secret, body));

  it('connecting answers the credentials once (a verify token generated); later reads name them only, and they are sealed at rest', async () => {
    expect(channels.whatsapp!.credentials.verifyToken).toMatch(/^[\w-]{20,}$/);
    const read = await asAdmin('GET', `/v1/channel-connections/${channels.whatsapp!.channelId}`);
    expect(read.status).toBe(200);
    expect(read.body.credentialNames).toEqual(['accessToken', 'appSecret', 'businessAccountId', 'verifyToken']);
    expect(JSON.stringify(read.body)).not.toContain('wa-secret');
    expect(read.body.webhookUrl).toBe(`http://127.0.0.1:9/channels/whatsapp/${channels.whatsapp!.channelId}/webhook`);
    const row = await server.app.storage.db.selectFrom('channel_connections').select('credentials').where('channel_id', '=', channels.whatsapp!.channelId).executeTakeFirstOrThrow();
    expect(row.credentials).toMatch(/^fdsb1:/);
    expect(row.credentials).not.toContain('wa-token');
    // Agents may not connect channels.
    expect((await api(server.url, 'POST', '/v1/channel-connections', { token: seed.agent1.token, body: { provider: 'viber', name: 'x', accountId: 'x', credentials: { authToken: 'x' } } })).status).toBe(403);
  });

  it("Meta's handshake echoes the challenge for the channel's verify token only", async () => {
    const url = (token: string) => `${server.url}${waPath()}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const good = await fetch(url(channels.whatsapp!.credentials.verifyToken!));
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('1158201444');
    expect((await fetch(url('wrong'))).status).toBe(403);
  });

  it('a forged, missing or stale signature is refused with 401 and nothing is stored', async () => {
    const before = await countRows('messages');
    const body = whatsappInbound('1065550001', '15551230001', 'wamid.forged', { type: 'text', text: { body: 'forged' } });
    expect((await postWhatsapp(body, 'not-the-secret')).status).toBe(401);
    expect((await postWebhook(server.url, waPath(), body, { 'content-type': 'application/json' })).status).toBe(401);
    // A signature of another body (a replayed header on a changed body).
    const other = whatsappInbound('1065550001', '15551230001', 'wamid.forged', { type: 'text', text: { body: 'changed' } });
    expect((await postWebhook(server.url, waPath(), other, metaHeaders('wa-secret', body))).status).toBe(401);
    const tg = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 42, type: 'private' }, text: 'forged' } });
    expect((await postWebhook(server.url, `/channels/telegram/${channels.telegram!.channelId}/webhook`, tg, telegramHeaders('wrong'))).status).toBe(401);
    const vb = JSON.stringify({ event: 'message', timestamp: 1, message_token: 1, sender: { id: 'u1' }, message: { type: 'text', text: 'forged' } });
    expect((await postWebhook(server.url, `/channels/viber/${channels.viber!.channelId}/webhook`, vb, viberHeaders('wrong', vb))).status).toBe(401);
    const fb = JSON.stringify({ object: 'page', entry: [] });
    expect((await postWebhook(server.url, `/channels/messenger/${channels.messenger!.channelId}/webhook`, fb, metaHeaders('wa-secret', fb))).status).toBe(401);
    // A channel of another provider under this URL is not found.
    expect((await postWebhook(server.url, `/channels/viber/${channels.whatsapp!.channelId}/webhook`, vb, viberHeaders('vb-token', vb))).status).toBe(404);
    expect(await countRows('messages')).toBe(before);
  });

  it('an inbound WhatsApp text opens a conversation routed to the agent; the next one continues it; a replayed delivery stores one message', async () => {
    const first = whatsappInbound('1065550001', '15551230002', 'wamid.A1', { type: 'text', text: { body: 'Hello from WhatsApp' } }, 'Grace');
    const res = await postWhatsapp(first);
    expect(res).toEqual({ status: 200, body: { stored: 1, duplicates: 0, statuses: 0 } });
    await agent.waitFor(() => agent.events.some((e) => e.type === 'offer'));
    const offer = agent.events.find((e) => e.type === 'offer') as { conversationId: string };
    expect((await agent.request({ type: 'offer.accept', conversationId: offer.conversationId })).ok).toBe(true);

    const conversation = (await api(server.url, 'GET', `/v1/conversations/${offer.conversationId}`, { token: seed.agent1.token })).body;
    expect(conversation).toMatchObject({ channelId: channels.whatsapp!.channelId, agentId: seed.agent1.agent.id, status: 'open' });
    const visitor = await server.app.services.identity.getVisitor('omni', conversation.visitorId);
    expect(visitor.name).toBe('Grace');

    // Replayed: the same provider message id again, twice at once.
    const replays = await Promise.all([postWhatsapp(first), postWhatsapp(first)]);
    expect(replays.map((r) => r.status)).toEqual([200, 200]);
    expect(replays.map((r) => r.body.duplicates)).toEqual([1, 1]);

    await postWhatsapp(whatsappInbound('1065550001', '15551230002', 'wamid.A2', { type: 'location', location: { latitude: 48.8584, longitude: 2.2945, name: 'Tour Eiffel', address: 'Paris' } }));
    await agent.waitFor(() => agent.messages(offer.conversationId).some((m) => m.kind === 'location'));
    const messages = (await api(server.url, 'GET', `/v1/conversations/${offer.conversationId}/messages`, { token: seed.agent1.token })).body.messages as any[];
    const fromVisitor = messages.filter((m) => m.senderType === 'visitor');
    expect(fromVisitor.map((m) => [m.kind, m.text])).toEqual([
      ['text', 'Hello from WhatsApp'],
      ['location', 'Tour Eiffel'],
    ]);
    expect(fromVisitor[1].location).toEqual({ latitude: 48.8584, longitude: 2.2945, name: 'Tour Eiffel', address: 'Paris' });
    const stored = await server.app.storage.db.selectFrom('channel_inbound').selectAll().where('channel_id', '=', channels.whatsapp!.channelId).where('provider_message_id', '=', 'wamid.A1').execute();
    expect(stored).toHaveLength(1);
  });

  it('an inbound WhatsApp image is downloaded through GET /{media-id} and its URL into our file store', async () => {
    fake.media.set('media-777', { bytes: PNG_1X1, mimeType: 'image/png' });
    const res = await postWhatsapp(whatsappInbound('1065550001', '15551230003', 'wamid.IMG1', { type: 'image', image: { id: 'media-777', mime_type: 'image/png', sha256: 'x', caption: 'my receipt' } }));
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(1);
    const conversations = (await api(server.url, 'GET', '/v1/conversations?status=open&limit=50', { token: seed.admin.token })).body.conversations as any[];
    const contact = await server.app.storage.db.selectFrom('channel_contacts').selectAll().where('external_id', '=', '15551230003').executeTakeFirstOrThrow();
    const conversation = conversations.find((c) => c.visitorId === contact.visitor_id);
    const messages = (await api(server.url, 'GET', `/v1/conversations/${conversation.id}/messages`, { token: seed.admin.token })).body.messages as any[];
    const image = messages.find((m) => m.kind === 'image');
    expect(image.file).toMatchObject({ mimeType: 'image/png', sizeBytes: PNG_1X1.length });
    const download = await fetch(`${server.url}${image.file.url}`, { headers: { authorization: `Bearer ${seed.admin.token}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG_1X1)).toBe(true);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/media-777' && r.headers.authorization === 'Bearer wa-token')).toBe(true);
  });

  it('Telegram (secret token), Messenger (X-Hub-Signature-256) and Viber (X-Viber-Content-Signature) messages each open their own conversation', async () => {
    fake.media.set('tg-photo-1', { bytes: PNG_1X1, mimeType: 'image/png' });
    const tgText = JSON.stringify({ update_id: 10, message: { message_id: 5, date: 1733300000, chat: { id: 987654, type: 'private' }, from: { id: 987654, first_name: 'Linus' }, text: 'Hi from Telegram' } });
    const tgPhoto = JSON.stringify({ update_id: 11, message: { message_id: 6, date: 1733300001, chat: { id: 987654, type: 'private' }, photo: [{ file_id: 'tg-small', width: 90, height: 90 }, { file_id: 'tg-photo-1', width: 800, height: 800 }], caption: 'see' } });
    const tgPath = `/channels/telegram/${channels.telegram!.channelId}/webhook`;
    expect((await postWebhook(server.url, tgPath, tgText, telegramHeaders('tg-secret'))).body.stored).toBe(1);
    expect((await postWebhook(server.url, tgPath, tgPhoto, telegramHeaders('tg-secret'))).body.stored).toBe(1);
    expect(fake.requests.some((r) => r.path === '/bot123:ABC/getFile' && r.body.file_id === 'tg-photo-1')).toBe(true);

    const fb = JSON.stringify({
      object: 'page',
      entry: [{ id: 'page1', time: 1, messaging: [{ sender: { id: 'PSID-1' }, recipient: { id: 'page1' }, timestamp: 1733300000000, message: { mid: 'm_1', text: 'Hi from Messenger' } }, { sender: { id: 'page1' }, recipient: { id: 'PSID-1' }, timestamp: 1733300000001, message: { mid: 'm_echo', text: 'our own', is_echo: true } }] }],
    });
    const fbRes = await postWebhook(server.url, `/channels/messenger/${channels.messenger!.channelId}/webhook`, fb, metaHeaders('fb-secret', fb));
    expect(fbRes.body).toEqual({ stored: 1, duplicates: 0, statuses: 0 });

    // NOTE: a 64-bit message token, beyond a JS number's exact range: kept as written.
    const vb = '{"event":"message","timestamp":1733300000000,"message_token":5491000000000000123,"sender":{"id":"01234567890A=","name":"Viber User"},"message":{"type":"text","text":"Hi from Viber"}}';
    const vbPath = `/channels/viber/${channels.viber!.channelId}/webhook`;
    expect((await postWebhook(server.url, vbPath, vb, viberHeaders('vb-token', vb))).body.stored).toBe(1);
    expect((await postWebhook(server.url, vbPath, vb, viberHeaders('vb-token', vb))).body.duplicates).toBe(1);
    const token = await server.app.storage.db.selectFrom('channel_inbound').select('provider_message_id').where('channel_id', '=', channels.viber!.channelId).executeTakeFirstOrThrow();
    expect(token.provider_message_id).toBe('5491000000000000123');

    const db = server.app.storage.db;
    for (const [provider, externalId, text] of [
      ['telegram', '987654', 'Hi from Telegram'],
      ['messenger', 'PSID-1', 'Hi from Messenger'],
      ['viber', '01234567890A=', 'Hi from Viber'],
    ] as const) {
      const contact = await db.selectFrom('channel_contacts').selectAll().where('channel_id', '=', channels[provider]!.channelId).where('external_id', '=', externalId).executeTakeFirstOrThrow();
      const conversation = await db.selectFrom('conversations').selectAll().where('visitor_id', '=', contact.visitor_id).where('status', '=', 'open').executeTakeFirstOrThrow();
      expect(conversation.channel_id).toBe(channels[provider]!.channelId);
      const messages = await db.selectFrom('messages').select(['kind', 'text']).where('conversation_id', '=', conversation.id).where('sender_type', '=', 'visitor').orderBy('seq').execute();
      expect(messages[0]).toEqual({ kind: 'text', text });
      if (provider === 'telegram') expect(messages[1]!.kind).toBe('image');
      // Routed like a web chat: queued in the channel's queue (the agent is busy or offered).
      expect(['queued', 'offered', 'assigned']).toContain(conversation.routing_state);
    }
  });

  it('a message after the conversation ended opens a new one for the same user', async () => {
    const contact = await server.app.storage.db.selectFrom('channel_contacts').selectAll().where('external_id', '=', '15551230002').executeTakeFirstOrThrow();
    const open = await server.app.storage.db.selectFrom('conversations').selectAll().where('visitor_id', '=', contact.visitor_id).where('status', '=', 'open').executeTakeFirstOrThrow();
    expect((await api(server.url, 'POST', `/v1/conversations/${open.id}/close`, { token: seed.agent1.token })).status).toBe(200);
    await postWhatsapp(whatsappInbound('1065550001', '15551230002', 'wamid.A3', { type: 'text', text: { body: 'Me again' } }));
    const all = await server.app.storage.db.selectFrom('conversations').select(['id', 'status']).where('visitor_id', '=', contact.visitor_id).execute();
    expect(all.map((c) => c.status).sort()).toEqual(['closed', 'open']);
  });

  it('redeliveries of messages stored in ended conversations store nothing and open nothing, whether the user has an open conversation or not', async () => {
    const contact = await server.app.storage.db.selectFrom('channel_contacts').selectAll().where('external_id', '=', '15551230002').executeTakeFirstOrThrow();
    const conversationsOf = () => server.app.storage.db.selectFrom('conversations').select(['id', 'status']).where('visitor_id', '=', contact.visitor_id).orderBy('created_at').execute();
    const open = (await conversationsOf()).find((c) => c.status === 'open')!;
    expect((await asAdmin('POST', `/v1/conversations/${open.id}/close`)).status).toBe(200);
    const [messagesBefore, inboundBefore] = [await countRows('messages'), await countRows('channel_inbound')];
    // No open conversation: the last one (this node last stored in it) and an older one.
    for (const [id, text] of [['wamid.A3', 'Me again'], ['wamid.A1', 'Hello from WhatsApp']] as const) {
      expect((await postWhatsapp(whatsappInbound('1065550001', '15551230002', id, { type: 'text', text: { body: text } }))).body).toEqual({ stored: 0, duplicates: 1, statuses: 0 });
    }
    expect((await conversationsOf()).map((c) => c.status)).toEqual(['closed', 'closed']);
    expect([await countRows('messages'), await countRows('channel_inbound')]).toEqual([messagesBefore, inboundBefore]);
    // A new message opens a conversation; a redelivery of an old one then is not added to it.
    expect((await postWhatsapp(whatsappInbound('1065550001', '15551230002', 'wamid.A4', { type: 'text', text: { body: 'Third time' } }))).body.stored).toBe(1);
    const third = (await conversationsOf()).find((c) => c.status === 'open')!;
    for (const id of ['wamid.A1', 'wamid.A3', 'wamid.A4']) {
      expect((await postWhatsapp(whatsappInbound('1065550001', '15551230002', id, { type: 'text', text: { body: 'again' } }))).body).toEqual({ stored: 0, duplicates: 1, statuses: 0 });
    }
    const inThird = await server.app.storage.db.selectFrom('messages').select('text').where('conversation_id', '=', third.id).where('sender_type', '=', 'visitor').execute();
    expect(inThird.map((m) => m.text)).toEqual(['Third time']);
    expect((await conversationsOf()).map((c) => c.status)).toEqual(['closed', 'closed', 'open']);
  });
});
