import http from 'node:http';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** A POST from a chosen loopback address (127.0.0.x), to tell clients apart by address. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; body: any }> {
  const target = new URL(url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe.each(STORAGES)('identity hardening (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  const sign = (claims: Record<string, unknown>, subject: string, expires: boolean) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuer('frontdesk').setIssuedAt();
    if (expires) jwt = jwt.setExpirationTime('1h');
    return jwt.sign(new TextEncoder().encode(JWT_SECRET));
  };

  it('refuses a token without exp, and an agent token without a session id, though they are signed with the right secret', async () => {
    server = await startTestServer(storage, { FRONTDESK_JWT_SECRET: JWT_SECRET });
    const s = await seedApp(server, 'acme');
    const v = await newVisitor(server, 'acme');
    // The tokens the server issues work.
    expect((await api(server.url, 'GET', '/v1/me', { token: v.token })).status).toBe(200);
    expect((await api(server.url, 'GET', '/v1/me', { token: s.agent1.token })).status).toBe(200);

    const forever = await sign({ kind: 'visitor', app: 'acme' }, v.visitorId, false);
    const noSession = await sign({ kind: 'agent', app: 'acme' }, s.agent1.agent.id, true);
    for (const token of [forever, noSession]) {
      const me = await api(server.url, 'GET', '/v1/me', { token });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('FD_AUTH_TOKEN_INVALID');
    }
    const client = await TestClient.connect(server.wsUrl('acme'));
    clients.push(client);
    expect((await client.request({ type: 'hello', token: forever })).error.code).toBe('FD_AUTH_TOKEN_INVALID');
  });

  it('a kicked visitor’s token is revoked: REST and hello refuse it, and coming back with it starts a new visitor', async () => {
    server = await startTestServer(storage);
    const s = await seedApp(server, 'acme');
    const v = await newVisitor(server, 'acme');
    const client = await TestClient.connect(server.wsUrl('acme'));
    clients.push(client);
    expect((await client.request({ type: 'hello', token: v.token })).ok).toBe(true);
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    expect((await api(server.url, 'POST', `/v1/users/${v.visitorId}/kick`, { token: s.admin.token })).status).toBe(200);
    expect(await closed).toBe(4009);

    const me = await api(server.url, 'GET', '/v1/me', { token: v.token });
    expect(me.status).toBe(401);
    const again = await TestClient.connect(server.wsUrl('acme'));
    clients.push(again);
    expect((await again.request({ type: 'hello', token: v.token })).error.code).toBe('FD_AUTH_TOKEN_INVALID');
    const resumed = await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', token: v.token } });
    expect(resumed.status).toBe(200);
    expect(resumed.body.visitor.id).not.toBe(v.visitorId);
    expect((await api(server.url, 'GET', '/v1/me', { token: resumed.body.token })).status).toBe(200);
    // Other visitors keep their sessions.
    const other = await newVisitor(server, 'acme');
    expect((await api(server.url, 'GET', '/v1/me', { token: other.token })).status).toBe(200);
    // A kicked agent's login ends too; it signs in again.
    expect((await api(server.url, 'POST', `/v1/users/${s.agent2.agent.id}/kick`, { token: s.admin.token })).status).toBe(200);
    expect((await api(server.url, 'GET', '/v1/me', { token: s.agent2.token })).status).toBe(401);
    expect((await api(server.url, 'GET', '/v1/me', { token: s.agent1.token })).status).toBe(200);
  });

  it('throttles failed logins per address across accounts (password spraying), without locking the accounts out from another address', async () => {
    server = await startTestServer(storage, { FRONTDESK_LOGIN_MAX_FAILURES_PER_ADDRESS: '5' });
    await seedApp(server, 'acme');
    const login = (from: string, who: string, password: string) => postFrom(from, `${server!.url}/v1/auth/login`, { appId: 'acme', email: `${who}@acme.test`, password });
    // One wrong password for each of five accounts (each account's own limit is far away)…
    for (const who of ['admin', 'agent1', 'agent2', 'nobody1', 'nobody2']) expect((await login('127.0.0.2', who, 'Summer2026!')).status).toBe(401);
    // …and the sixth try from that address is refused, whatever the account and even with the right password.
    const sprayed = await login('127.0.0.2', 'nobody3', 'Summer2026!');
    expect(sprayed.status).toBe(429);
    expect(sprayed.body.error.code).toBe('FD_REQ_RATE_LIMITED');
    expect((await login('127.0.0.2', 'agent1', 'correct horse battery')).status).toBe(429);
    // The real users sign in from their own address.
    expect((await login('127.0.0.3', 'agent1', 'correct horse battery')).status).toBe(200);
    expect((await login('127.0.0.1', 'admin', 'correct horse battery')).status).toBe(200);
  });
});
