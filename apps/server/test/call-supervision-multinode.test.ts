import type { Call, ServerFrame } from '@frontdesk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { FakeMediaServer } from '../src/modules/calls/index.ts';
import { OFFER } from './call-bed.ts';
import { api, apiOk, freshStorage, seedApp, TestClient, testConfig, type TestServer } from './helpers.ts';

const PASSWORD = 'correct horse battery';
/** How soon another node must end a subscription a switch no longer allows (the bus is PostgreSQL NOTIFY). */
const CUT_BOUND_MS = 3000;

/**
 * Supervision of a call whose parties are on one node and whose supervisor is on another, both on one
 * PostgreSQL and one media server: a switch made on the supervisor's node ends the subscriptions the
 * other node holds that the new mode no longer allows, at once (not at their next subscribe).
 */
describe('call supervision across two nodes (postgres)', () => {
  let storage: Awaited<ReturnType<typeof freshStorage>>;
  const media = new FakeMediaServer();
  const nodes: TestServer[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    storage = await freshStorage('postgres');
    const config = testConfig(storage);
    for (let i = 0; i < 2; i++) {
      const app = await buildApp(config, { media });
      const node: TestServer = {
        app,
        url: await app.listen(),
        wsUrl: (appId) => `${node.url.replace('http', 'ws')}/v1/ws?appId=${encodeURIComponent(appId)}`,
        restart: async () => {
          throw new Error('not here');
        },
        close: () => app.close(),
      };
      nodes.push(node);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const node of nodes) await node.app.close();
    await storage?.drop();
  });

  it('the visitor on node A subscribed to a barging supervisor on node B: back to monitor ends that subscription in the media server', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const s = await seedApp(a, 'acme');
    await a.app.services.identity.createAgent('acme', { email: 'boss@acme.test', password: PASSWORD, role: 'supervisor', name: 'boss', mediaTypes: ['chat', 'video'], maxConcurrentChats: 5 });
    const boss = (await api(b.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'boss@acme.test', password: PASSWORD } })).body as { token: string; agent: { id: string } };
    await apiOk(a.url, 'PATCH', `/v1/agents/${s.agent1.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    await apiOk(a.url, 'PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true } });
    const connect = async (node: TestServer, token: string) => {
      const client = await TestClient.connect(node.wsUrl('acme'));
      clients.push(client);
      expect((await client.request({ type: 'hello', token })).ok).toBe(true);
      return client;
    };
    const lastCall = (client: TestClient, callId: string) => client.events.flatMap((e) => (e.type === 'call' && e.call.id === callId ? [e.call as Call] : [])).at(-1);
    const announced = (client: TestClient, publisherId: string) => client.events.filter((e): e is Extract<ServerFrame, { type: 'call.publisher' }> => e.type === 'call.publisher' && e.publisher.id === publisherId).map((e) => e.up);
    const roomOf = (callId: string) => [...media.rooms.values()].find((r) => r.request.callId === callId)!;
    const forwarding = (callId: string) => [...roomOf(callId).legs.values()].filter((l) => l.kind === 'subscriber').map((l) => `${l.participantId} <- ${l.publisherParticipantId}`);
    const publishUp = async (client: TestClient, callId: string) => {
      const published = await client.request({ type: 'call.publish', callId, offer: OFFER });
      expect(published.ok, JSON.stringify(published)).toBe(true);
      media.emitLegEvent(roomOf(callId).ref, published.data.legId, { type: 'leg.up' });
    };

    // The visitor and the agent on node A, in a live call.
    const a1 = await connect(a, s.agent1.token);
    expect((await a1.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const session = await apiOk(a.url, 'POST', '/v1/visitor/session', '', { appId: 'acme' });
    const conversation = await apiOk(a.url, 'POST', '/v1/conversations', session.token);
    await apiOk(a.url, 'POST', `/v1/conversations/${conversation.id}/claim`, s.agent1.token);
    const v = await connect(a, session.token);
    const started = await v.request({ type: 'call.start', conversationId: conversation.id, kind: 'audio' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const callId = started.data.call.id as string;
    await a1.waitFor(() => lastCall(a1, callId)?.participants.some((p) => p.role === 'agent' && p.leg === 'ringing') === true);
    expect((await a1.request({ type: 'call.accept', callId })).ok).toBe(true);
    await v.waitFor(() => lastCall(v, callId)?.mediaReady === true);
    await publishUp(v, callId);
    await publishUp(a1, callId);
    await v.waitFor(() => lastCall(v, callId)?.phase === 'active');

    // The supervisor on node B barges in; the visitor (node A) is told and subscribes to it there.
    const bossId = boss.agent.id;
    const sup = await connect(b, boss.token);
    expect((await sup.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    await publishUp(sup, callId);
    expect((await sup.request({ type: 'call.subscribe', callId, publisher: { role: 'visitor', id: session.visitor.id } })).ok).toBe(true);
    expect((await sup.request({ type: 'call.supervise', callId, mode: 'barge' })).ok).toBe(true);
    await v.waitFor(() => announced(v, bossId).includes(true));
    expect((await v.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).ok).toBe(true);
    expect(forwarding(callId)).toContain(`visitor:${session.visitor.id} <- agent:${bossId}`);

    // Back to monitor on node B: node A ends the visitor's subscription and tells the visitor, within the bound.
    const switchedAt = Date.now();
    expect((await sup.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    await expect.poll(() => forwarding(callId).filter((f) => f.endsWith(`<- agent:${bossId}`)), { timeout: CUT_BOUND_MS, interval: 10 }).toEqual([]);
    const cutMs = Date.now() - switchedAt;
    await v.waitFor(() => announced(v, bossId).at(-1) === false, CUT_BOUND_MS);
    // The supervisor still hears both parties: only the subscription the mode no longer allows went.
    expect(forwarding(callId)).toContain(`agent:${bossId} <- visitor:${session.visitor.id}`);
    console.info(`call supervision across nodes: subscription ended ${cutMs} ms after the switch`);
  }, 60_000);
});
