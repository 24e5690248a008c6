import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProviders, metaHeaders, postWebhook, whatsappInbound } from './channel-fakes.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/**
 * Sends to one WhatsApp user are paced (the pair rate: about one per 6 s after a short burst):
 * the ones beyond the burst are queued, not refused, and reach the provider in order.
 */
describe.each(STORAGES)('messaging channels: pacing per user (%s)', (storage) => {
  let server: TestServer;
  let fake: FakeProviders;
  let seed: Awaited<ReturnType<typeof seedApp>>;
  let agent: TestClient;
  let channelId: string;

  const asAdmin = (method: string, route: string, body?: unknown) => api(server.url, method, route, { token: seed.admin.token, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    fake = await FakeProviders.start();
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    seed = await seedApp(server, 'pace');
    const queueId = (await asAdmin('POST', '/v1/queues', { name: 'Messaging' })).body.id;
    await asAdmin('PUT', `/v1/agents/${seed.agent1.agent.id}/skills`, { skills: [{ queueId }] });
    const res = await asAdmin('POST', '/v1/channel-connections', { provider: 'whatsapp', name: 'wa', queueId, accountId: 'PN6', apiBaseUrl: fake.url, credentials: { accessToken: 'wa-token', appSecret: 'wa-secret' } });
    channelId = res.body.channelId;
    agent = await TestClient.connect(server.wsUrl('pace'));
    expect((await agent.request({ type: 'hello', token: seed.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
  });

  afterAll(async () => {
    await agent?.close();
    await server?.close();
    await fake?.close();
  });

  it('six quick replies: five go at once, the sixth is queued about 6 s, then sent; all in order', async () => {
    const body = whatsappInbound('PN6', '15556660001', 'wamid.pace1', { type: 'text', text: { body: 'hi' } });
    expect((await postWebhook(server.url, `/channels/whatsapp/${channelId}/webhook`, body, metaHeaders('wa-secret', body))).status).toBe(200);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'offer'));
    const { conversationId } = agent.events.find((e) => e.type === 'offer') as unknown as { conversationId: string };
    expect((await agent.request({ type: 'offer.accept', conversationId })).ok).toBe(true);

    const sentAt = Date.now();
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const reply = await agent.request({ type: 'message.send', conversationId, clientId: `p${i}`, text: `line ${i}` });
      expect(reply.ok).toBe(true);
      ids.push(reply.data.id);
    }
    const jobs = await server.app.storage.db.selectFrom('jobs').select(['dedupe_key', 'next_attempt_at', 'created_at']).where('kind', '=', 'channels.send').where('dedupe_key', 'in', ids).execute();
    const nextAt = (id: string) => jobs.find((j) => j.dedupe_key === id)!;
    const sixth = nextAt(ids[5]!);
    expect(Number(sixth.next_attempt_at) - Number(sixth.created_at)).toBeGreaterThanOrEqual(5000);
    expect(Number(sixth.next_attempt_at) - Number(sixth.created_at)).toBeLessThanOrEqual(6500);

    await agent.waitFor(() => fake.sends().length >= 6, 15_000);
    const sends = fake.sends();
    expect(sends.map((s) => s.body.text.body)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(sends[4]!.at - sentAt).toBeLessThan(4000);
    expect(sends[5]!.at - sends[0]!.at).toBeGreaterThanOrEqual(4500);
    const row = await server.app.storage.db.selectFrom('channel_outbound').select('status').where('message_id', '=', ids[5]!).executeTakeFirstOrThrow();
    expect(['sent', 'delivered', 'read']).toContain(row.status);
  });
});
