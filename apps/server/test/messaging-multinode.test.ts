import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type FrontdeskApp } from '../src/app.ts';
import { FakeProviders, metaHeaders, postWebhook, whatsappInbound, whatsappStatus } from './channel-fakes.ts';
import { api, freshStorage, TestClient, testConfig } from './helpers.ts';

/**
 * Two server nodes on one PostgreSQL receive the same WhatsApp webhooks at the same moment (a
 * provider's retry landing on the other node behind a load balancer): each provider message is
 * stored once, and each user has one conversation.
 */
describe('messaging channels on two nodes sharing one PostgreSQL', () => {
  let storage: Awaited<ReturnType<typeof freshStorage>>;
  let fake: FakeProviders;
  const nodes: { app: FrontdeskApp; url: string }[] = [];
  let channelId = '';
  let admin = '';

  beforeAll(async () => {
    storage = await freshStorage('postgres');
    fake = await FakeProviders.start();
    const config = testConfig(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    for (let i = 0; i < 2; i++) {
      const app = await buildApp(config);
      nodes.push({ app, url: await app.listen() });
    }
    const { tenancy, identity } = nodes[0]!.app.services;
    await tenancy.createApp({ id: 'race', name: 'race' });
    await identity.createAgent('race', { email: 'admin@race.test', password: 'correct horse battery', role: 'admin', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    admin = (await api(nodes[1]!.url, 'POST', '/v1/auth/login', { body: { appId: 'race', email: 'admin@race.test', password: 'correct horse battery' } })).body.token;
    const connected = await api(nodes[0]!.url, 'POST', '/v1/channel-connections', { token: admin, body: { provider: 'whatsapp', name: 'WA', accountId: 'PN1', apiBaseUrl: fake.url, credentials: { accessToken: 'wa-token', appSecret: 's3cret' } } });
    expect(connected.status).toBe(201);
    channelId = connected.body.channelId;
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) await node.app.close();
    await fake?.close();
    await storage?.drop();
  });

  it('the same 40 deliveries posted to both nodes at once: 40 messages, one conversation per user', async () => {
    const users = ['15550100001', '15550100002', '15550100003', '15550100004'];
    const bodies = Array.from({ length: 40 }, (_, i) => whatsappInbound('PN1', users[i % users.length]!, `wamid.race${i}`, { type: 'text', text: { body: `message ${i}` } }));
    const results = await Promise.all(
      bodies.map(async (body) => Promise.all(nodes.map((node) => postWebhook(node.url, `/channels/whatsapp/${channelId}/webhook`, body, metaHeaders('s3cret', body))))),
    );
    for (const pair of results) {
      expect(pair.map((r) => r.status)).toEqual([200, 200]);
      // One node stored it, the other found it stored.
      expect(pair.map((r) => r.body.stored).sort()).toEqual([0, 1]);
    }
    const db = nodes[0]!.app.storage.db;
    const inbound = await db.selectFrom('channel_inbound').select('provider_message_id').where('channel_id', '=', channelId).execute();
    expect(inbound).toHaveLength(40);
    const contacts = await db.selectFrom('channel_contacts').selectAll().where('channel_id', '=', channelId).execute();
    expect(contacts.map((c) => c.external_id).sort()).toEqual(users);
    for (const contact of contacts) {
      const conversations = await db.selectFrom('conversations').select('id').where('visitor_id', '=', contact.visitor_id).execute();
      expect(conversations).toHaveLength(1);
      const messages = await db.selectFrom('messages').select(['text', 'client_id']).where('conversation_id', '=', conversations[0]!.id).where('sender_type', '=', 'visitor').execute();
      expect(messages).toHaveLength(10);
      expect(new Set(messages.map((m) => m.client_id)).size).toBe(10);
    }
  });

  it("a status webhook received by one node reaches a supervisor's socket on the other as a delivery frame", async () => {
    const supervisor = await TestClient.connect(`${nodes[0]!.url.replace('http', 'ws')}/v1/ws?appId=race`);
    try {
      expect((await supervisor.request({ type: 'hello', token: admin })).ok).toBe(true);
      const db = nodes[0]!.app.storage.db;
      const conversation = await db.selectFrom('conversations').select(['id']).where('app_id', '=', 'race').executeTakeFirstOrThrow();
      // One of our messages as the send job leaves it: sent, with the provider's id.
      const message = await db.selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).executeTakeFirstOrThrow();
      const now = Date.now();
      await db
        .insertInto('channel_outbound')
        .values({ message_id: message.id, app_id: 'race', channel_id: channelId, conversation_id: conversation.id, status: 'sent', reason: null, provider_message_id: 'wamid.out1', external_id: '15550100001', sent_at: now, created_at: now, updated_at: now })
        .execute();
      const body = whatsappStatus('PN1', 'wamid.out1', 'delivered');
      expect((await postWebhook(nodes[1]!.url, `/channels/whatsapp/${channelId}/webhook`, body, metaHeaders('s3cret', body))).body.statuses).toBe(1);
      await supervisor.waitFor(() => supervisor.events.some((e) => e.type === 'delivery'), 8000);
      expect(supervisor.events.find((e) => e.type === 'delivery')).toMatchObject({ conversationId: conversation.id, deliveries: [{ messageId: message.id, status: 'delivered', reason: null }] });
    } finally {
      await supervisor.close();
    }
  });
});
