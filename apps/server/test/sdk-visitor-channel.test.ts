import type { Message } from '@frontdesk/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';
import { until, visitorClient, type TestVisitor } from './sdk-visitor-support.ts';

describe.each(STORAGES)('location messages (%s)', (storage) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const visitors: TestVisitor[] = [];
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    server = await startTestServer(storage);
    seeded = await seedApp(server, 'acme');
  });
  afterEach(async () => {
    for (const v of visitors.splice(0)) v.client.disconnect();
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => server?.close());

  async function claimedConversation() {
    const v = visitorClient(server.url);
    visitors.push(v);
    await v.client.connect();
    const conversation = await v.client.startConversation();
    await api(server.url, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: seeded.agent1.token });
    const agent = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(agent);
    expect((await agent.request({ type: 'hello', token: seeded.agent1.token })).ok).toBe(true);
    return { v, conversation, agent };
  }

  it('a location goes from the visitor to the agent and back, stored and listed with its place', async () => {
    const { v, conversation, agent } = await claimedConversation();
    const sent = await v.client.sendLocation({ latitude: 31.2304, longitude: 121.4737, name: 'People’s Square', address: 'Huangpu, Shanghai' });
    expect(sent).toMatchObject({ kind: 'location', text: 'People’s Square', location: { latitude: 31.2304, longitude: 121.4737, name: 'People’s Square', address: 'Huangpu, Shanghai' }, file: null });
    await agent.waitFor(() => agent.messages(conversation.id).some((m) => m.kind === 'location'));
    expect(agent.messages(conversation.id).find((m) => m.kind === 'location')).toEqual(sent);

    const fromAgent = await api(server.url, 'POST', `/v1/conversations/${conversation.id}/locations`, {
      token: seeded.agent1.token,
      body: { clientId: 'loc-1', latitude: -33.8568, longitude: 151.2153 },
    });
    expect(fromAgent.status).toBe(201);
    expect(fromAgent.body).toMatchObject({ kind: 'location', text: '-33.8568, 151.2153', location: { latitude: -33.8568, longitude: 151.2153, name: null, address: null } });
    await until(() => v.seen.message.some((m) => m.id === fromAgent.body.id), 'the agent’s location');
    expect(v.seen.message.find((m) => m.id === fromAgent.body.id)).toEqual(fromAgent.body);

    const again = await api(server.url, 'POST', `/v1/conversations/${conversation.id}/locations`, {
      token: seeded.agent1.token,
      body: { clientId: 'loc-1', latitude: -33.8568, longitude: 151.2153 },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(fromAgent.body.id);
    const moved = await api(server.url, 'POST', `/v1/conversations/${conversation.id}/locations`, {
      token: seeded.agent1.token,
      body: { clientId: 'loc-1', latitude: 0, longitude: 151.2153 },
    });
    expect(moved.body.error.code).toBe('FD_MESSAGE_CLIENT_ID_CONFLICT');

    const history = (await v.client.history()).messages.filter((m) => m.kind === 'location');
    expect(history).toEqual([sent, fromAgent.body]);
    const texts = (await v.client.history()).messages.filter((m: Message) => m.kind === 'text');
    expect(texts.every((m) => m.location === null)).toBe(true);
  });

  it('refuses coordinates out of range with a message naming the field, on REST, WebSocket and in the SDK', async () => {
    const { v, conversation, agent } = await claimedConversation();
    const cases: [Record<string, unknown>, string][] = [
      [{ latitude: 90.5, longitude: 0 }, 'latitude'],
      [{ latitude: -91, longitude: 0 }, 'latitude'],
      [{ latitude: 0, longitude: 180.01 }, 'longitude'],
      [{ latitude: 0, longitude: -200 }, 'longitude'],
      [{ latitude: '12', longitude: 0 }, 'latitude'],
    ];
    for (const [place, field] of cases) {
      const rest = await api(server.url, 'POST', `/v1/conversations/${conversation.id}/locations`, { token: seeded.agent1.token, body: { clientId: 'bad', ...place } });
      expect(rest.status, JSON.stringify(place)).toBe(400);
      expect(rest.body.error.code).toBe('FD_REQ_INVALID');
      expect(rest.body.error.message).toContain(field);
      const ws = await agent.request({ type: 'location.send', conversationId: conversation.id, clientId: 'bad', location: place });
      expect(ws.error.code).toBe('FD_REQ_INVALID');
      expect(ws.error.message).toContain(field);
    }
    await expect(v.client.sendLocation({ latitude: 95, longitude: 0 })).rejects.toMatchObject({ code: 'FD_SDK_INVALID_INPUT', message: expect.stringContaining('latitude') });
    await expect(v.client.sendLocation({ latitude: 0, longitude: Number.NaN })).rejects.toMatchObject({ code: 'FD_SDK_INVALID_INPUT', message: expect.stringContaining('longitude') });
    const stored = await api(server.url, 'GET', `/v1/conversations/${conversation.id}/messages`, { token: seeded.agent1.token });
    expect(stored.body.messages.filter((m: Message) => m.kind === 'location')).toEqual([]);
  });
});

describe('visitor SDK and routing (sqlite)', () => {
  let server: TestServer;
  let clock: ManualClock;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const visitors: TestVisitor[] = [];
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    // Near real time: the SDK renews tokens by the wall clock.
    clock = new ManualClock(Date.now());
    server = await startTestServer('sqlite', {}, { clock });
    seeded = await seedApp(server, 'acme');
  });
  afterEach(async () => {
    for (const v of visitors.splice(0)) v.client.disconnect();
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => server?.close());

  const admin = async (method: string, route: string, body?: unknown) => {
    const res = await api(server.url, method, route, { token: seeded.admin.token, body });
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const agentWithStatus = async (status: string) => {
    const agent = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(agent);
    expect((await agent.request({ type: 'hello', token: seeded.agent1.token })).ok).toBe(true);
    expect((await agent.request({ type: 'agent.status.set', status })).ok).toBe(true);
    return agent;
  };
  const advance = async (ms: number) => {
    clock.advance(ms);
    await new Promise((r) => setTimeout(r, 50));
  };

  it('a waiting visitor hears its queue position; an assignment arrives as a conversation event', async () => {
    const queue = await admin('POST', '/v1/queues', { name: 'sdk-wait', maxWaitSeconds: 600 });
    await admin('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id }] });
    await admin('PATCH', '/v1/channels/default', { queueId: queue.id, bot: { enabled: false }, queueReminder: { enabled: true, intervalSeconds: 10, text: 'You are number {position}' } });
    const agent = await agentWithStatus('not_ready');
    const v = visitorClient(server.url);
    visitors.push(v);
    await v.client.connect();
    const conversation = await v.client.startConversation();
    expect(conversation.routingState).toBe('queued');
    await advance(10_000);
    await until(() => v.seen.queuePosition.length >= 1, 'a queue position');
    expect(v.seen.queuePosition[0]).toMatchObject({ conversationId: conversation.id, position: 1, text: 'You are number 1' });

    expect((await agent.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'offer' && e.conversationId === conversation.id));
    expect((await agent.request({ type: 'offer.accept', conversationId: conversation.id })).ok).toBe(true);
    await until(() => v.seen.conversation.some((c) => c.agentId === seeded.agent1.agent.id), 'the assignment');
    expect(v.client.conversation).toMatchObject({ id: conversation.id, agentId: seeded.agent1.agent.id, routingState: 'assigned' });
    await v.client.endConversation();
    await until(() => v.seen.conversation.some((c) => c.status === 'closed' && c.closeBy === 'client'), 'the end');
  });

  it('the hand-off button takes the conversation from the bot to the queue', async () => {
    const queue = await admin('POST', '/v1/queues', { name: 'sdk-handoff', maxWaitSeconds: 600 });
    await admin('PATCH', '/v1/channels/default', { queueId: queue.id, bot: { enabled: true, name: 'Robo', handOffText: 'Connecting you to a person' } });
    const v = visitorClient(server.url);
    visitors.push(v);
    await v.client.connect();
    const info = await v.client.channelInfo();
    expect(info.bot).toMatchObject({ enabled: true, name: 'Robo' });
    const conversation = await v.client.startConversation();
    expect(conversation.routingState).toBe('bot');
    const handedOff = await v.client.requestHuman();
    expect(handedOff.id).toBe(conversation.id);
    expect(['queued', 'offered', 'released']).toContain(handedOff.routingState);
    await until(() => v.seen.message.some((m) => m.senderType === 'bot' && m.text === 'Connecting you to a person'), 'the hand-off text');
    await v.client.endConversation();
  });
});
