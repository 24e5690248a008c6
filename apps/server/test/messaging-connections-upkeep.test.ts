import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneChannelRecords } from '../src/modules/channels/channel-retention.ts';
import { FakeProviders, postWebhook, viberHeaders } from './channel-fakes.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The upkeep of a connection: its credentials rotated (the new set shown once, sealed at rest, the
 * old token refused at once), and the channels' records pruned past retention (finished sends,
 * received-message records, delivery states; an open send is kept).
 */
describe.each(STORAGES)('messaging channels: credentials rotation and retention (%s)', (storage) => {
  let server: TestServer;
  let fake: FakeProviders;
  let seed: Awaited<ReturnType<typeof seedApp>>;
  let agent: TestClient;
  let channelId: string;
  let conversationId: string;
  let n = 0;

  const asAdmin = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.admin.token, ...(body === undefined ? {} : { body }) });
  const viberMessage = (text: string) => `{"event":"message","timestamp":${Date.now()},"message_token":5491000000000001${String(++n).padStart(3, '0')},"sender":{"id":"vbKeep=","name":"V"},"message":{"type":"text","text":"${text}"}}`;
  const post = (body: string, token: string) => postWebhook(server.url, `/channels/viber/${channelId}/webhook`, body, viberHeaders(token, body));

  beforeAll(async () => {
    fake = await FakeProviders.start();
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, 'upkeep');
    const queueId = (await asAdmin('POST', '/v1/queues', { name: 'Messaging' })).body.id;
    await asAdmin('PUT', `/v1/agents/${seed.agent1.agent.id}/skills`, { skills: [{ queueId }] });
    const res = await asAdmin('POST', '/v1/channel-connections', { provider: 'viber', name: 'vb', queueId, accountId: 'Frontdesk', apiBaseUrl: fake.url, credentials: { authToken: 'vb-old-token' } });
    expect(res.status).toBe(201);
    channelId = res.body.channelId;
    agent = await TestClient.connect(server.wsUrl('upkeep'));
    expect((await agent.request({ type: 'hello', token: seed.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    expect((await post(viberMessage('hello'), 'vb-old-token')).status).toBe(200);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'offer'));
    conversationId = (agent.events.find((e) => e.type === 'offer') as unknown as { conversationId: string }).conversationId;
    expect((await agent.request({ type: 'offer.accept', conversationId })).ok).toBe(true);
  });

  afterAll(async () => {
    await agent?.close();
    await server?.close();
    await fake?.close();
  });

  it('rotating credentials answers the new set once, seals it, and the old token is refused at once', async () => {
    const rotated = await asAdmin('PUT', `/v1/channel-connections/${channelId}/credentials`, { credentials: { authToken: 'vb-new-token' } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.credentials).toEqual({ authToken: 'vb-new-token' });
    expect(rotated.body.credentialNames).toEqual(['authToken']);
    const read = await asAdmin('GET', `/v1/channel-connections/${channelId}`);
    expect(JSON.stringify(read.body)).not.toContain('vb-new-token');
    const row = await server.app.storage.db.selectFrom('channel_connections').select('credentials').where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(row.credentials).toMatch(/^fdsb1:/);
    expect(row.credentials).not.toContain('vb-new-token');

    expect((await post(viberMessage('old'), 'vb-old-token')).status).toBe(401);
    expect((await post(viberMessage('new'), 'vb-new-token')).status).toBe(200);
    // Sends use the new token too.
    const reply = await agent.request({ type: 'message.send', conversationId, clientId: 'k1', text: 'rotated' });
    expect(reply.ok).toBe(true);
    await agent.waitFor(() => fake.sends().some((s) => s.body?.text === 'rotated'), 8000);
    expect(fake.sends().find((s) => s.body?.text === 'rotated')!.headers['x-viber-auth-token']).toBe('vb-new-token');

    // Only admins; known names only; at least one; only the app's own connections.
    expect((await api(server.url, 'PUT', `/v1/channel-connections/${channelId}/credentials`, { token: seed.agent1.token, body: { credentials: { authToken: 'x' } } })).status).toBe(403);
    expect((await asAdmin('PUT', `/v1/channel-connections/${channelId}/credentials`, { credentials: { botToken: 'x' } })).status).toBe(400);
    expect((await asAdmin('PUT', `/v1/channel-connections/${channelId}/credentials`, { credentials: {} })).status).toBe(400);
    expect((await asAdmin('PUT', '/v1/channel-connections/ch_unknown/credentials', { credentials: { authToken: 'x' } })).status).toBe(404);
  });

  it('pruning deletes finished sends, received-message records and delivery states past retention; an open send stays', async () => {
    const { db } = server.app.storage;
    const reply = await agent.request({ type: 'message.send', conversationId, clientId: 'k2', text: 'to be pruned' });
    for (let i = 0; i < 100; i++) {
      const row = await db.selectFrom('channel_outbound').select('status').where('message_id', '=', reply.data.id).executeTakeFirst();
      if (row?.status === 'sent') break;
      await sleep(50);
    }
    // An open send (queued, its job pending) of the same age must survive.
    fake.failNext({ status: 500, body: { status: 99, status_message: 'down' } });
    const open = await agent.request({ type: 'message.send', conversationId, clientId: 'k3', text: 'still queued' });
    await agent.waitFor(() => fake.requests.some((r) => r.body?.text === 'still queued'), 8000);

    const old = Date.now() - 100 * DAY_MS;
    await db.updateTable('channel_inbound').set({ created_at: old }).where('channel_id', '=', channelId).execute();
    await db.updateTable('channel_outbound').set({ created_at: old }).where('channel_id', '=', channelId).execute();
    await db.updateTable('jobs').set({ updated_at: old }).where('kind', '=', 'channels.send').execute();
    const inboundBefore = (await db.selectFrom('channel_inbound').select('provider_message_id').where('channel_id', '=', channelId).execute()).length;
    expect(inboundBefore).toBeGreaterThanOrEqual(2);

    const counts = await pruneChannelRecords(server.app.storage, Date.now() - 90 * DAY_MS);
    expect(counts.inbound).toBe(inboundBefore);
    expect(counts.outbound).toBeGreaterThanOrEqual(2);
    expect(counts.sends).toBeGreaterThanOrEqual(2);
    expect(counts.attempts).toBeGreaterThanOrEqual(2);
    expect(await db.selectFrom('channel_inbound').select('provider_message_id').where('channel_id', '=', channelId).execute()).toEqual([]);
    const left = await db.selectFrom('channel_outbound').select(['message_id', 'status']).where('channel_id', '=', channelId).execute();
    expect(left).toEqual([{ message_id: open.data.id, status: 'queued' }]);
    const openJob = await db.selectFrom('jobs').select('status').where('kind', '=', 'channels.send').where('dedupe_key', '=', open.data.id).executeTakeFirstOrThrow();
    expect(['pending', 'retrying']).toContain(openJob.status);
    // The messages themselves stay with their conversation.
    expect((await api(server.url, 'GET', `/v1/conversations/${conversationId}/messages`, { token: seed.agent1.token })).body.messages.some((m: any) => m.text === 'to be pruned')).toBe(true);
  });
});
