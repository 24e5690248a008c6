import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

describe.each(STORAGES)('satisfaction ratings (%s)', (storage) => {
  let server: TestServer;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  let globex: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(storage);
    acme = await seedApp(server, 'acme');
    globex = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  const rate = (token: string, conversationId: string, body: unknown) => api(server.url, 'PUT', `/v1/conversations/${conversationId}/rating`, { token, body });
  const rating = (token: string, conversationId: string) => api(server.url, 'GET', `/v1/conversations/${conversationId}/rating`, { token });

  it('the last rating of the visitor wins, comment included', async () => {
    const v = await newVisitor(server, 'acme');
    const none = await rating(v.token, v.conversationId);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('FD_RATING_NOT_FOUND');

    const first = await rate(v.token, v.conversationId, { stars: 2, comment: 'slow answers' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ conversationId: v.conversationId, visitorId: v.visitorId, stars: 2, comment: 'slow answers' });
    const second = await rate(v.token, v.conversationId, { stars: 5, comment: 'solved in the end, thanks' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ stars: 5, comment: 'solved in the end, thanks', createdAt: first.body.createdAt });

    for (const token of [v.token, acme.agent1.token, acme.admin.token]) {
      const read = await rating(token, v.conversationId);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(second.body);
    }
    // A rating without a comment replaces the comment too.
    expect((await rate(v.token, v.conversationId, { stars: 4 })).body).toMatchObject({ stars: 4, comment: null });
  });

  it("a rating reaches the conversation's agent at once, also after the end; the list form answers 200 while there is none", async () => {
    const v = await newVisitor(server, 'acme');
    const listed = (token: string) => api(server.url, 'GET', `/v1/ratings?conversationId=${v.conversationId}`, { token });
    expect(await listed(acme.agent1.token)).toMatchObject({ status: 200, body: { ratings: [] } });
    expect((await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: acme.agent1.token })).status).toBe(200);
    const agent = await TestClient.connect(server.wsUrl('acme'));
    try {
      expect((await agent.request({ type: 'hello', token: acme.agent1.token })).ok).toBe(true);
      const ratingFrames = () => agent.events.filter((e) => e.type === 'rating');
      await rate(v.token, v.conversationId, { stars: 4, comment: 'quick' });
      await agent.waitFor(() => ratingFrames().length === 1);
      expect(ratingFrames()[0]).toMatchObject({ rating: { conversationId: v.conversationId, stars: 4, comment: 'quick' } });
      expect((await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/close`, { token: acme.agent1.token })).body.status).toBe('closed');
      await rate(v.token, v.conversationId, { stars: 5, comment: 'solved after all' });
      await agent.waitFor(() => ratingFrames().length === 2);
      expect(ratingFrames()[1]).toMatchObject({ rating: { stars: 5, comment: 'solved after all' } });
    } finally {
      await agent.close();
    }
    expect((await listed(acme.agent2.token)).body.ratings).toMatchObject([{ conversationId: v.conversationId, stars: 5 }]);
    expect((await listed(v.token)).body.ratings).toHaveLength(1);
    expect((await listed(globex.agent1.token)).status).toBe(404);
  });

  it('the visitor may rate after the conversation is closed', async () => {
    const v = await newVisitor(server, 'acme');
    const closed = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/close`, { token: v.token });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const rated = await rate(v.token, v.conversationId, { stars: 3, comment: '还行' });
    expect(rated.status).toBe(200);
    expect((await rating(acme.agent2.token, v.conversationId)).body).toMatchObject({ stars: 3, comment: '还行' });
  });

  it("only the conversation's own visitor rates it; others get 404 or 403", async () => {
    const v = await newVisitor(server, 'acme');
    await rate(v.token, v.conversationId, { stars: 5 });
    const otherVisitor = await newVisitor(server, 'acme');
    const globexVisitor = await newVisitor(server, 'globex');
    for (const token of [otherVisitor.token, globexVisitor.token, globex.admin.token, globex.agent1.token]) {
      for (const res of [await rate(token, v.conversationId, { stars: 1 }), await rating(token, v.conversationId)]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('FD_CONVERSATION_NOT_FOUND');
      }
    }
    for (const token of [acme.agent1.token, acme.admin.token]) {
      const res = await rate(token, v.conversationId, { stars: 1 });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FD_AUTH_FORBIDDEN');
    }
    expect((await rating(v.token, v.conversationId)).body.stars).toBe(5);
  });

  it('refuses stars outside 1–5 and comments over 1000 characters with 400', async () => {
    const v = await newVisitor(server, 'acme');
    for (const [body, field] of [
      [{ stars: 0 }, 'stars'],
      [{ stars: 6 }, 'stars'],
      [{ stars: 2.5 }, 'stars'],
      [{}, 'stars'],
      [{ stars: 3, comment: 'x'.repeat(1001) }, 'comment'],
    ] as const) {
      const res = await rate(v.token, v.conversationId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('FD_REQ_INVALID');
      expect(res.body.error.message).toContain(field);
    }
    expect((await rating(v.token, v.conversationId)).status).toBe(404);
    expect((await rate(v.token, v.conversationId, { stars: 3, comment: 'x'.repeat(1000) })).status).toBe(200);
  });
});
