import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

describe.each(STORAGES)("typing preview: agents see the visitor's draft when the channel opts in (%s)", (storage) => {
  let server: TestServer;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    server = await startTestServer(storage);
    acme = await seedApp(server, 'acme');
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => undefined);
    await server?.close();
  });

  async function socket(token: string): Promise<TestClient> {
    const client = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(client);
    expect((await client.request({ type: 'hello', token })).ok).toBe(true);
    return client;
  }

  const typingEvents = (client: TestClient) => client.events.filter((e: { type: string }) => e.type === 'typing') as { senderType: string; isTyping: boolean; draft?: string }[];

  it('off by default: the draft is dropped; on: the agent gets it, the visitor never gets an agent draft, and the public view says so', async () => {
    expect((await api(server.url, 'GET', '/v1/channels/default/public', { token: acme.agent1.token })).body).not.toHaveProperty('typingPreview');
    const v = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: acme.agent1.token });
    const agent = await socket(acme.agent1.token);
    const visitor = await socket(v.token);

    visitor.send({ type: 'typing', conversationId: v.conversationId, isTyping: true, draft: 'my card number is' });
    await agent.waitFor(() => typingEvents(agent).length === 1);
    expect(typingEvents(agent)[0]).toMatchObject({ senderType: 'visitor', isTyping: true });
    expect(typingEvents(agent)[0]).not.toHaveProperty('draft');

    const on = await api(server.url, 'PATCH', '/v1/channels/default', { token: acme.admin.token, body: { typingPreview: true } });
    expect(on.body.typingPreview).toBe(true);
    expect((await api(server.url, 'GET', '/v1/channels/default/public', { token: v.token })).body.typingPreview).toBe(true);
    visitor.send({ type: 'typing', conversationId: v.conversationId, isTyping: true, draft: '我想退货，订单号' });
    await agent.waitFor(() => typingEvents(agent).length === 2);
    expect(typingEvents(agent)[1]).toMatchObject({ senderType: 'visitor', isTyping: true, draft: '我想退货，订单号' });
    // Stopping carries no draft.
    visitor.send({ type: 'typing', conversationId: v.conversationId, isTyping: false, draft: 'left over' });
    await agent.waitFor(() => typingEvents(agent).length === 3);
    expect(typingEvents(agent)[2]).not.toHaveProperty('draft');

    // An agent's draft never reaches the visitor.
    agent.send({ type: 'typing', conversationId: v.conversationId, isTyping: true, draft: 'internal' });
    await visitor.waitFor(() => typingEvents(visitor).length === 1);
    expect(typingEvents(visitor)[0]).not.toHaveProperty('draft');

    // A draft longer than the limit is refused: nothing reaches the agent.
    visitor.send({ type: 'typing', conversationId: v.conversationId, isTyping: true, draft: 'x'.repeat(501) });
    visitor.send({ type: 'typing', conversationId: v.conversationId, isTyping: true, draft: 'after' });
    await agent.waitFor(() => typingEvents(agent).length === 4);
    expect(typingEvents(agent)[3]).toMatchObject({ draft: 'after' });
    await api(server.url, 'PATCH', '/v1/channels/default', { token: acme.admin.token, body: { typingPreview: false } });
  });
});
