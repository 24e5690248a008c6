import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TEST_PUBLIC_URL, TestClient, type TestServer } from './helpers.ts';

const XSS = '<img src=x onerror=alert(1)>';

describe.each(STORAGES)('messaging over HTTP and WebSocket (%s)', (storage) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  let other: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(storage);
    seeded = await seedApp(server, 'acme');
    other = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  async function hello(token: string, appId = 'acme', resume?: Record<string, number>) {
    const client = await TestClient.connect(server.wsUrl(appId));
    const reply = await client.request({ type: 'hello', token, ...(resume ? { resume } : {}) });
    expect(reply.ok).toBe(true);
    return client;
  }

  it('two visitors and two agents exchange messages, each seeing only their own conversation', async () => {
    const v1 = await newVisitor(server, 'acme');
    const v2 = await newVisitor(server, 'acme');
    for (const [agent, visitor] of [[seeded.agent1, v1], [seeded.agent2, v2]] as const) {
      const claim = await api(server.url, 'POST', `/v1/conversations/${visitor.conversationId}/claim`, { token: agent.token });
      expect(claim.status).toBe(200);
      expect(claim.body.agentId).toBe(agent.agent.id);
    }
    const clients = {
      v1: await hello(v1.token, 'acme', { [v1.conversationId]: 0 }),
      v2: await hello(v2.token, 'acme', { [v2.conversationId]: 0 }),
      a1: await hello(seeded.agent1.token),
      a2: await hello(seeded.agent2.token),
    };
    const sends = [
      [clients.v1, v1.conversationId, 'hello from visitor 1'],
      [clients.a1, v1.conversationId, 'hi visitor 1, agent 1 here'],
      [clients.v2, v2.conversationId, 'hello from visitor 2'],
      [clients.a2, v2.conversationId, 'hi visitor 2, agent 2 here'],
    ] as const;
    for (const [client, conversationId, text] of sends) {
      const reply = await client.request({ type: 'message.send', conversationId, clientId: `c-${text}`, text });
      expect(reply.ok).toBe(true);
      expect(reply.data.text).toBe(text);
    }
    const texts = (c: TestClient, conversationId: string) => c.messages(conversationId).filter((m) => m.kind === 'text').map((m) => m.text);
    await clients.v1.waitFor(() => texts(clients.v1, v1.conversationId).length === 2);
    await clients.a1.waitFor(() => texts(clients.a1, v1.conversationId).length === 2);
    await clients.v2.waitFor(() => texts(clients.v2, v2.conversationId).length === 2);
    await clients.a2.waitFor(() => texts(clients.a2, v2.conversationId).length === 2);
    expect(texts(clients.v1, v1.conversationId)).toEqual(['hello from visitor 1', 'hi visitor 1, agent 1 here']);
    expect(texts(clients.a2, v2.conversationId)).toEqual(['hello from visitor 2', 'hi visitor 2, agent 2 here']);
    expect(clients.v1.messages(v2.conversationId)).toEqual([]);
    expect(clients.a1.messages(v2.conversationId)).toEqual([]);
    expect(clients.v2.messages(v1.conversationId)).toEqual([]);
    // seqs are 1..n within each conversation (claim's system message is seq 1)
    expect(clients.v1.messages(v1.conversationId).map((m) => m.seq)).toEqual([1, 2, 3]);
    await Promise.all(Object.values(clients).map((c) => c.close()));
  });

  it('a client that reconnects receives exactly what it missed, once, in order', async () => {
    const v = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: seeded.agent1.token });
    const agent = await hello(seeded.agent1.token);
    let visitor = await hello(v.token, 'acme', { [v.conversationId]: 0 });
    await visitor.request({ type: 'message.send', conversationId: v.conversationId, clientId: 'before', text: 'before the cut' });
    await visitor.waitFor(() => visitor.messages().length === 2);
    const lastSeen = visitor.messages().at(-1)!.seq;
    await visitor.close();

    for (let i = 0; i < 30; i++) {
      const reply = await agent.request({ type: 'message.send', conversationId: v.conversationId, clientId: `missed-${i}`, text: `missed ${i}` });
      expect(reply.ok).toBe(true);
    }
    visitor = await hello(v.token, 'acme', { [v.conversationId]: lastSeen });
    await visitor.waitFor(() => visitor.messages().length >= 30);
    // a live message after the resume arrives after the backlog, still once
    await agent.request({ type: 'message.send', conversationId: v.conversationId, clientId: 'live', text: 'live after resume' });
    await visitor.waitFor(() => visitor.messages().length >= 31);
    await new Promise((r) => setTimeout(r, 100));
    const got = visitor.messages();
    expect(got.map((m) => m.text)).toEqual([...Array.from({ length: 30 }, (_, i) => `missed ${i}`), 'live after resume']);
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 31 }, (_, i) => lastSeen + 1 + i));
    await Promise.all([visitor.close(), agent.close()]);
  });

  it('a resend with the same client id stores one message', async () => {
    const v = await newVisitor(server, 'acme');
    const client = await hello(v.token);
    const frame = { type: 'message.send', conversationId: v.conversationId, clientId: 'same-id', text: 'only once' };
    const [a, b] = await Promise.all([client.request(frame), client.request(frame)]);
    const c = await client.request(frame);
    const rest = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/messages`, { token: v.token, body: { clientId: 'same-id', text: 'only once' } });
    expect(rest.status).toBe(200);
    expect(new Set([a.data.id, b.data.id, c.data.id, rest.body.id]).size).toBe(1);
    const conflict = await client.request({ ...frame, text: 'something else' });
    expect(conflict.error.code).toBe('FD_MESSAGE_CLIENT_ID_CONFLICT');
    const list = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/messages`, { token: v.token });
    expect(list.body.messages.filter((m: { clientId: string }) => m.clientId === 'same-id')).toHaveLength(1);
    await client.close();
  });

  it("an agent of app A gets 404 for app B's conversation, over REST and WebSocket", async () => {
    const b = await newVisitor(server, 'globex');
    const routes = [
      ['GET', `/v1/conversations/${b.conversationId}`],
      ['GET', `/v1/conversations/${b.conversationId}/messages`],
      ['POST', `/v1/conversations/${b.conversationId}/claim`],
      ['POST', `/v1/conversations/${b.conversationId}/close`],
    ] as const;
    for (const [method, route] of routes) {
      const res = await api(server.url, method, route, { token: seeded.agent1.token });
      expect(res.status, `${method} ${route}`).toBe(404);
      expect(res.body.error.code).toBe('FD_CONVERSATION_NOT_FOUND');
    }
    const send = await api(server.url, 'POST', `/v1/conversations/${b.conversationId}/messages`, { token: seeded.admin.token, body: { clientId: 'x', text: 'x' } });
    expect(send.status).toBe(404);
    const ws = await hello(seeded.agent1.token);
    const reply = await ws.request({ type: 'message.send', conversationId: b.conversationId, clientId: 'x', text: 'x' });
    expect(reply.error.code).toBe('FD_CONVERSATION_NOT_FOUND');
    const resume = await ws.request({ type: 'resume', positions: { [b.conversationId]: 0 } });
    expect(resume.error.code).toBe('FD_CONVERSATION_NOT_FOUND');
    // a token of app A is refused on a socket of app B
    const cross = await TestClient.connect(server.wsUrl('globex'));
    expect((await cross.request({ type: 'hello', token: seeded.agent1.token })).ok).toBe(false);
    expect(other.agent1.agent.id).not.toBe(seeded.agent1.agent.id);
    const list = await api(server.url, 'GET', '/v1/conversations', { token: seeded.agent1.token });
    expect(list.body.conversations.some((c: { id: string }) => c.id === b.conversationId)).toBe(false);
    await ws.close();
  });

  it("a visitor sees the name of its conversation's agent, and of no other agent", async () => {
    const v = await newVisitor(server, 'acme');
    const agentPath = (agentId: string) => `/v1/conversations/${v.conversationId}/agents/${agentId}`;
    // Not in the conversation yet: not found, as any agent of the app.
    expect((await api(server.url, 'GET', agentPath(seeded.agent1.agent.id), { token: v.token })).status).toBe(404);
    expect((await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: seeded.agent1.token })).status).toBe(200);
    const seen = await api(server.url, 'GET', agentPath(seeded.agent1.agent.id), { token: v.token });
    expect(seen.body).toEqual({ id: seeded.agent1.agent.id, name: 'agent1' });
    expect((await api(server.url, 'GET', agentPath(seeded.agent2.agent.id), { token: v.token })).status).toBe(404);
    // Another visitor may not ask about this conversation at all.
    const stranger = await newVisitor(server, 'acme');
    expect((await api(server.url, 'GET', agentPath(seeded.agent1.agent.id), { token: stranger.token })).status).toBe(404);
  });

  it('a visitor cannot read another visitor\'s conversation', async () => {
    const a = await newVisitor(server, 'acme');
    const b = await newVisitor(server, 'acme');
    const res = await api(server.url, 'GET', `/v1/conversations/${b.conversationId}/messages`, { token: a.token });
    expect(res.status).toBe(404);
  });

  it('a message body with HTML is stored and returned verbatim', async () => {
    const v = await newVisitor(server, 'acme');
    const sent = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/messages`, { token: v.token, body: { clientId: 'xss', text: XSS } });
    expect(sent.status).toBe(201);
    expect(sent.body.text).toBe(XSS);
    const list = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/messages`, { token: v.token });
    expect(list.body.messages.at(-1).text).toBe(XSS);
  });

  it('uploads: a PNG is stored and served only to participants; oversize and disallowed types are refused', async () => {
    const v = await newVisitor(server, 'acme');
    const stranger = await newVisitor(server, 'acme');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const upload = (content: Buffer | string, type: string, name: string, clientId: string) =>
      fetch(`${server.url}/v1/conversations/${v.conversationId}/files?name=${encodeURIComponent(name)}&clientId=${clientId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${v.token}`, 'content-type': type },
        body: typeof content === 'string' ? content : new Uint8Array(content),
      });
    const ok = await upload(png, 'image/png', 'dot.png', 'f1');
    expect(ok.status).toBe(201);
    const message = await ok.json();
    expect(message.kind).toBe('image');
    expect(message.file.mimeType).toBe('image/png');
    const download = await fetch(server.url + message.file.url, { headers: { authorization: `Bearer ${v.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(server.url + message.file.url, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
    expect((await fetch(server.url + message.file.url)).status).toBe(401);

    const svg = await upload('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'image/svg+xml', 'x.svg', 'f2');
    expect(svg.status).toBe(415);
    expect((await svg.json()).error.code).toBe('FD_FILE_TYPE_NOT_ALLOWED');
    const html = await upload('<html><script>alert(1)</script></html>', 'text/plain', 'x.txt', 'f3');
    expect(html.status).toBe(415);
    const exe = await upload(Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), 'image/png', 'x.png', 'f4');
    expect(exe.status).toBe(415);
    const big = await upload(Buffer.alloc(11 * 1024 * 1024, 1), 'image/png', 'big.png', 'f5');
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('FD_FILE_TOO_LARGE');
  });

  it('a WebSocket from an Origin the app does not allow is refused; an allowed one connects', async () => {
    await expect(TestClient.connect(server.wsUrl('acme'), { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await api(server.url, 'PATCH', '/v1/app', { token: seeded.admin.token, body: { allowedOrigins: ['https://shop.example'] } });
    const ok = await TestClient.connect(server.wsUrl('acme'), { origin: 'https://shop.example' });
    await ok.close();
    const own = await TestClient.connect(server.wsUrl('acme'), { origin: TEST_PUBLIC_URL });
    await own.close();
    // The public URL is a loopback one (http://127.0.0.1:9): its other loopback names, same port, are the server's own pages; another port, scheme or loopback address is not.
    for (const alias of ['http://localhost:9', 'http://[::1]:9']) await (await TestClient.connect(server.wsUrl('acme'), { origin: alias })).close();
    for (const other of ['http://localhost:10', 'https://localhost:9', 'http://127.0.0.2:9']) await expect(TestClient.connect(server.wsUrl('acme'), { origin: other }), other).rejects.toThrow(/403/);
    const session = await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' }, headers: { origin: 'https://evil.example' } });
    expect(session.status).toBe(403);
    expect(session.body.error.code).toBe('FD_AUTH_ORIGIN_NOT_ALLOWED');
  });

  it('only one agent wins a claim under concurrency', async () => {
    const v = await newVisitor(server, 'acme');
    const results = await Promise.all(
      [seeded.agent1, seeded.agent2, seeded.admin].map((a) => api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: a.token })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'FD_CONVERSATION_ALREADY_CLAIMED')).toBe(true);
  });

  it('one open conversation per visitor even under 20 concurrent opens', async () => {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body;
    const opened = await Promise.all(Array.from({ length: 20 }, () => api(server.url, 'POST', '/v1/conversations', { token: session.token })));
    expect(new Set(opened.map((r) => r.body.id)).size).toBe(1);
  });

  it('typing and read state reach the other side', async () => {
    const v = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: seeded.agent2.token });
    const agent = await hello(seeded.agent2.token);
    const visitor = await hello(v.token);
    visitor.send({ type: 'typing', conversationId: v.conversationId, isTyping: true });
    await agent.waitFor(() => agent.events.some((e) => e.type === 'typing' && e.isTyping));
    const sent = await visitor.request({ type: 'message.send', conversationId: v.conversationId, clientId: 'r1', text: 'read me' });
    const read = await agent.request({ type: 'read', conversationId: v.conversationId, seq: sent.data.seq });
    expect(read.data.agentReadSeq).toBe(sent.data.seq);
    await visitor.waitFor(() => visitor.events.some((e) => e.type === 'read' && e.seq === sent.data.seq));
    await Promise.all([agent.close(), visitor.close()]);
  });

  it('closing ends the conversation for both sides and refuses new messages', async () => {
    const v = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: seeded.agent1.token });
    const visitor = await hello(v.token);
    const closed = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/close`, { token: seeded.agent1.token });
    expect(closed.body.status).toBe('closed');
    await visitor.waitFor(() => visitor.events.some((e) => e.type === 'conversation' && e.conversation.status === 'closed'));
    const late = await visitor.request({ type: 'message.send', conversationId: v.conversationId, clientId: 'late', text: 'too late' });
    expect(late.error.code).toBe('FD_CONVERSATION_CLOSED');
    await visitor.close();
  });

  it('a socket must say hello first and answers unknown frames with a clear error', async () => {
    const v = await newVisitor(server, 'acme');
    const client = await TestClient.connect(server.wsUrl('acme'));
    const bad = await client.request({ type: 'hello', token: 'not-a-token' });
    expect(bad.error.code).toBe('FD_AUTH_TOKEN_INVALID');
    const again = await hello(v.token);
    const unknown = await again.request({ type: 'no.such.frame' });
    expect(unknown.error.code).toBe('FD_WS_UNKNOWN_FRAME');
    const pong = again.waitFor(() => again.events.some((e) => e.type === 'pong'));
    again.send({ type: 'ping' });
    await pong;
    await again.close();
  });

  it('health is ok and the OpenAPI document lists the routes', async () => {
    expect(await api(server.url, 'GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const doc = (await api(server.url, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/auth/login', '/v1/conversations/{id}/messages', '/v1/agents']));
  });
});

describe('accounts and limits (sqlite)', () => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, 'acme');
  });
  afterAll(() => server?.close());

  it('password guessing is throttled per account: the 11th try in a minute gets 429', async () => {
    const tries = [];
    for (let i = 0; i < 11; i++) tries.push((await api(server.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'nobody@acme.test', password: `guess-${i}` } })).status);
    expect(tries.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(tries[10]).toBe(429);
    // another account is not locked by it
    const other = await api(server.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'admin@acme.test', password: 'correct horse battery' } });
    expect(other.status).toBe(200);
    // A new login replaces the admin's earlier session (SPEC M6): the tests below use this one.
    seeded.admin.token = other.body.token;
  });

  it('an agent at capacity cannot claim another conversation', async () => {
    await api(server.url, 'PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { token: seeded.admin.token, body: { maxConcurrentChats: 2 } });
    const claims = [];
    for (let i = 0; i < 3; i++) {
      const v = await newVisitor(server, 'acme');
      claims.push(await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: seeded.agent1.token }));
    }
    expect(claims.map((c) => c.status)).toEqual([200, 200, 409]);
    expect(claims[2]!.body.error.code).toBe('FD_AGENT_AT_CAPACITY');
  });

  it('roles are enforced: an agent cannot create agents or API keys; an API key acts for its app', async () => {
    const denied = await api(server.url, 'POST', '/v1/agents', { token: seeded.agent1.token, body: { email: 'x@acme.test', password: 'long enough pw' } });
    expect(denied.status).toBe(403);
    const key = await api(server.url, 'POST', '/v1/app/api-keys', { token: seeded.admin.token, body: { name: 'backend' } });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^fdk_/);
    const created = await api(server.url, 'POST', '/v1/agents', { token: key.body.key, body: { email: 'new@acme.test', password: 'long enough pw', role: 'supervisor' } });
    expect(created.status).toBe(201);
    expect(created.body.role).toBe('supervisor');
    expect(JSON.stringify(created.body)).not.toMatch(/scrypt|password/i);
    const tampered = await api(server.url, 'GET', '/v1/agents', { token: key.body.key.slice(0, -2) + 'xx' });
    expect(tampered.status).toBe(401);
    await api(server.url, 'DELETE', `/v1/app/api-keys/${key.body.id}`, { token: seeded.admin.token });
    expect((await api(server.url, 'GET', '/v1/agents', { token: key.body.key })).status).toBe(401);
  });

  it('bad input gets a clear 400 naming the field', async () => {
    const res = await api(server.url, 'POST', '/v1/agents', { token: seeded.admin.token, body: { email: 'not-an-email', password: 'short' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('FD_REQ_INVALID');
    expect(res.body.error.message).toMatch(/email/);
    expect(res.body.error.message).toMatch(/password/);
  });

  it('a disabled agent can no longer use its token', async () => {
    const login = await api(server.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'agent1@acme.test', password: 'correct horse battery' } });
    await api(server.url, 'PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { token: seeded.admin.token, body: { disabled: true } });
    const me = await api(server.url, 'GET', '/v1/me', { token: login.body.token });
    expect(me.status).toBe(403);
    expect(me.body.error.code).toBe('FD_AGENT_DISABLED');
  });
});
