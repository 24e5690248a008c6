import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProviders, metaHeaders, postWebhook, whatsappInbound, whatsappStatus } from './channel-fakes.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

interface DeliveryFrame {
  type: 'delivery';
  conversationId: string;
  deliveries: { messageId: string; status: string; reason: string | null; updatedAt: number }[];
}

/**
 * Delivery changes of a messaging channel's messages reach the workbench live: each send's
 * outcome and each provider status is pushed over the socket (`delivery` frames) to the
 * conversation's agent and to supervisors, never to another agent; no polling needed.
 */
describe.each(STORAGES)('messaging channels: live deliveries (%s)', (storage) => {
  let server: TestServer;
  let fake: FakeProviders;
  let seed: Awaited<ReturnType<typeof seedApp>>;
  let agent: TestClient;
  let other: TestClient;
  let supervisor: TestClient;
  let channelId: string;

  const asAdmin = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.admin.token, ...(body === undefined ? {} : { body }) });
  const waPost = (body: string) => postWebhook(server.url, `/channels/whatsapp/${channelId}/webhook`, body, metaHeaders('wa-secret', body));
  const deliveriesOf = (client: TestClient, messageId: string) =>
    (client.events.filter((e) => e.type === 'delivery') as unknown as DeliveryFrame[]).flatMap((f) => f.deliveries.filter((d) => d.messageId === messageId).map((d) => ({ conversationId: f.conversationId, ...d })));
  const waitDelivery = (client: TestClient, messageId: string, status: string) => client.waitFor(() => deliveriesOf(client, messageId).some((d) => d.status === status), 8000);

  beforeAll(async () => {
    fake = await FakeProviders.start();
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, 'live');
    const queueId = (await asAdmin('POST', '/v1/queues', { name: 'Messaging' })).body.id;
    await asAdmin('PUT', `/v1/agents/${seed.agent1.agent.id}/skills`, { skills: [{ queueId }] });
    const res = await asAdmin('POST', '/v1/channel-connections', { provider: 'whatsapp', name: 'wa', queueId, accountId: 'PN7', apiBaseUrl: fake.url, credentials: { accessToken: 'wa-token', appSecret: 'wa-secret' } });
    expect(res.status).toBe(201);
    channelId = res.body.channelId;
    agent = await TestClient.connect(server.wsUrl('live'));
    expect((await agent.request({ type: 'hello', token: seed.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    other = await TestClient.connect(server.wsUrl('live'));
    expect((await other.request({ type: 'hello', token: seed.agent2.token })).ok).toBe(true);
    supervisor = await TestClient.connect(server.wsUrl('live'));
    expect((await supervisor.request({ type: 'hello', token: seed.admin.token })).ok).toBe(true);
  });

  afterAll(async () => {
    await Promise.all([agent?.close(), other?.close(), supervisor?.close()]);
    await server?.close();
    await fake?.close();
  });

  it('sent, delivered, read and a refusal with its reason reach the agent and supervisors as frames; another agent gets none', async () => {
    expect((await waPost(whatsappInbound('PN7', '15550001111', 'wamid.live1', { type: 'text', text: { body: 'hello' } }))).status).toBe(200);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'offer'));
    const offer = agent.events.find((e) => e.type === 'offer') as unknown as { conversationId: string };
    expect((await agent.request({ type: 'offer.accept', conversationId: offer.conversationId })).ok).toBe(true);

    const reply = await agent.request({ type: 'message.send', conversationId: offer.conversationId, clientId: 'l1', text: 'Hi there' });
    expect(reply.ok).toBe(true);
    await waitDelivery(agent, reply.data.id, 'sent');
    const wamid = (await server.app.storage.db.selectFrom('channel_outbound').select('provider_message_id').where('message_id', '=', reply.data.id).executeTakeFirstOrThrow()).provider_message_id!;
    await waPost(whatsappStatus('PN7', wamid, 'delivered'));
    await waitDelivery(agent, reply.data.id, 'delivered');
    await waPost(whatsappStatus('PN7', wamid, 'read'));
    await waitDelivery(agent, reply.data.id, 'read');
    await waitDelivery(supervisor, reply.data.id, 'read');
    expect(deliveriesOf(agent, reply.data.id).map((d) => d.status)).toEqual(['sent', 'delivered', 'read']);
    expect(deliveriesOf(agent, reply.data.id).every((d) => d.conversationId === offer.conversationId)).toBe(true);

    fake.failNext({ status: 400, body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, error_data: { details: 'the recipient cannot receive this message' } } } });
    const refused = await agent.request({ type: 'message.send', conversationId: offer.conversationId, clientId: 'l2', text: 'still there?' });
    await waitDelivery(agent, refused.data.id, 'failed');
    const failed = deliveriesOf(agent, refused.data.id).find((d) => d.status === 'failed')!;
    expect(failed.reason).toContain('the recipient cannot receive this message');

    // Another agent of the app, not on the conversation, is told nothing.
    expect(other.events.some((e) => e.type === 'delivery')).toBe(false);
  });
});
