import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatAuthV2Timestamp, signAuthV2, userHashOf } from '../src/modules/identity/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 15, 8, 30);
const MINUTE_MS = 60_000;

/** Imports a `<!-- example: name -->` code block of docs/identity.md, so the docs' examples are the tested ones. */
async function docExample(name: string): Promise<any> {
  const docs = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/identity.md'), 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(docs);
  if (!match) throw new Error(`docs/identity.md has no example ${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-docs-'));
  const file = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(file, match[1]!);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A business validate endpoint on loopback (token mode): answers by the token it is sent. */
function startValidateEndpoint() {
  const received: { contentType: string | undefined; body: any }[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text);
      received.push({ contentType: req.headers['content-type'], body });
      const reply = (status: number, payload: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload);
      };
      switch (body.Token) {
        case 'good':
          return reply(200, JSON.stringify({ retCode: 0, message: 'validate success' }));
        case 'refused':
          return reply(200, JSON.stringify({ retCode: 1, message: 'invalid token' }));
        case 'http-500':
          return reply(500, JSON.stringify({ retCode: 0 }));
        case 'not-json':
          return reply(200, 'ok');
        case 'string-zero':
          return reply(200, JSON.stringify({ retCode: '0' }));
        case 'silent':
          return; // never answers: the server's timeout refuses
        default:
          return reply(200, JSON.stringify({ retCode: 2, message: 'unknown' }));
      }
    });
  });
  return {
    received,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/validate`))),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe.each(STORAGES)('visitor identity modes (%s)', (storage) => {
  let server: TestServer | undefined;
  const endpoint = startValidateEndpoint();
  let validateUrl = '';
  beforeAll(async () => {
    validateUrl = await endpoint.listen();
  });
  afterAll(() => endpoint.close());
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(NOW);
    // Loopback receivers are allowed; a validate endpoint gets 500 ms (the cap is 5 s).
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', FRONTDESK_WEBHOOK_TIMEOUT_MS: '500' }, { clock });
    const srv = server;
    const acme = await seedApp(srv, 'acme');
    const other = await seedApp(srv, 'other');
    const admin = { acme: acme.admin.token, other: other.admin.token };
    const session = (body: Record<string, unknown>) => api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', ...body } });
    const configure = async (appId: 'acme' | 'other', identity: Record<string, unknown>, channel = 'default') => {
      const res = await api(srv.url, 'PATCH', `/v1/channels/${channel}`, { token: admin[appId], body: { identity } });
      expect(res.status).toBe(200);
      return res.body as { id: string; identity: { mode: string; validateUrl: string | null } };
    };
    const secretOf = async (appId: 'acme' | 'other', channel = 'default') => (await api(srv.url, 'GET', `/v1/channels/${channel}/identity-secret`, { token: admin[appId] })).body.secret as string;
    return { clock, srv, acme, other, admin, session, configure, secretOf };
  }

  it('anonymous is the default: guests come back with their token, other modes are refused', async () => {
    const { session, srv, admin } = await setup();
    const channel = (await api(srv.url, 'GET', '/v1/channels/default', { token: admin.acme })).body;
    expect(channel.identity).toEqual({ mode: 'anonymous', validateUrl: null });
    const first = await session({});
    expect(first.status).toBe(200);
    expect(first.body.visitor).toMatchObject({ externalId: null, identityMode: 'anonymous' });
    const again = await session({ token: first.body.token, identity: { mode: 'anonymous' } });
    expect(again.body.visitor.id).toBe(first.body.visitor.id);
    const hmac = await session({ identity: { mode: 'hmac', userId: 'u-1', userHash: 'a'.repeat(64) } });
    expect([hmac.status, hmac.body.error.code]).toEqual([400, 'FD_IDENTITY_MODE_MISMATCH']);
    const bad = await session({ identity: { mode: 'telepathy' } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'FD_REQ_INVALID']);
  });

  it('the identity secret is shown to admins only, rotates, and validate URLs pass the SSRF guard', async () => {
    const { srv, acme, admin, secretOf, configure } = await setup();
    const secret = await secretOf('acme');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await secretOf('acme')).toBe(secret);
    expect((await api(srv.url, 'GET', '/v1/channels/default/identity-secret', { token: acme.agent1.token })).status).toBe(403);
    expect((await api(srv.url, 'GET', '/v1/channels/default/identity-secret')).status).toBe(401);
    const channel = (await api(srv.url, 'GET', '/v1/channels/default', { token: admin.acme })).body;
    expect(JSON.stringify(channel)).not.toContain(secret);
    const rotated = await api(srv.url, 'POST', '/v1/channels/default/identity-secret/rotate', { token: admin.acme });
    expect(rotated.body.secret).not.toBe(secret);
    expect(await secretOf('acme')).toBe(rotated.body.secret);
    expect(await secretOf('other')).not.toBe(rotated.body.secret);

    const refused = await api(srv.url, 'PATCH', '/v1/channels/default', { token: admin.acme, body: { identity: { mode: 'token', validateUrl: 'http://0.0.0.0:9/validate' } } });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'FD_IDENTITY_VALIDATE_URL_NOT_ALLOWED']);
    const ftp = await api(srv.url, 'PATCH', '/v1/channels/default', { token: admin.acme, body: { identity: { validateUrl: 'ftp://example.com/x' } } });
    expect([ftp.status, ftp.body.error.code]).toEqual([400, 'FD_REQ_INVALID']);
    expect((await configure('acme', { mode: 'token', validateUrl })).identity).toEqual({ mode: 'token', validateUrl });
    expect((await configure('acme', { mode: 'hmac' })).identity).toEqual({ mode: 'hmac', validateUrl });
    expect((await api(srv.url, 'GET', '/v1/channels/default/public', { token: (await api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'other' } })).body.token })).body.identityMode).toBe('anonymous');
  });

  it('hmac: the right hash identifies one visitor per user id, from any browser; wrong hashes and missing identities are refused', async () => {
    const { session, configure, secretOf, srv, acme, admin } = await setup();
    await configure('acme', { mode: 'hmac' });
    const secret = await secretOf('acme');
    const { userHash } = await docExample('hmac-node');
    const alice = await session({ identity: { mode: 'hmac', userId: 'u-1', userHash: userHash(secret, 'u-1'), userName: 'Alice' } });
    expect(alice.status).toBe(200);
    expect(alice.body.visitor).toMatchObject({ externalId: 'u-1', identityMode: 'hmac', name: 'Alice' });
    // Another browser (no token), upper-case hex: the same visitor.
    const again = await session({ identity: { mode: 'hmac', userId: 'u-1', userHash: userHashOf(secret, 'u-1').toUpperCase() } });
    expect(again.body.visitor.id).toBe(alice.body.visitor.id);
    // What agents see.
    const seen = await api(srv.url, 'GET', `/v1/visitors/${alice.body.visitor.id}`, { token: acme.agent1.token });
    expect(seen.body).toMatchObject({ externalId: 'u-1', identityMode: 'hmac', name: 'Alice' });

    const wrong = await session({ identity: { mode: 'hmac', userId: 'u-2', userHash: userHashOf(secret, 'u-1') } });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'FD_IDENTITY_INVALID']);
    const none = await session({});
    expect([none.status, none.body.error.code]).toEqual([401, 'FD_IDENTITY_REQUIRED']);
    // Alice's token does not make an anonymous visitor, nor anyone else, Alice.
    expect((await session({ token: alice.body.token })).body.error.code).toBe('FD_IDENTITY_REQUIRED');
    const bob = await session({ token: alice.body.token, identity: { mode: 'hmac', userId: 'u-2', userHash: userHashOf(secret, 'u-2') } });
    expect(bob.body.visitor).toMatchObject({ externalId: 'u-2' });
    expect(bob.body.visitor.id).not.toBe(alice.body.visitor.id);
    expect((await session({ token: alice.body.token, identity: { mode: 'hmac', userId: 'u-2', userHash: 'f'.repeat(64) } })).status).toBe(401);
    // After a rotation the old secret's hashes stop working.
    await api(srv.url, 'POST', '/v1/channels/default/identity-secret/rotate', { token: admin.acme });
    expect((await session({ identity: { mode: 'hmac', userId: 'u-1', userHash: userHashOf(secret, 'u-1') } })).body.error.code).toBe('FD_IDENTITY_INVALID');
  });

  it('a guest of an anonymous channel cannot open a conversation in an identified channel; an identified visitor can', async () => {
    const { session, configure, secretOf, srv, admin } = await setup();
    const identified = (await api(srv.url, 'POST', '/v1/channels', { token: admin.acme, body: { name: 'members' } })).body as { id: string };
    await configure('acme', { mode: 'hmac' }, identified.id);
    const guest = await session({});
    expect(guest.status).toBe(200);
    const refused = await api(srv.url, 'POST', '/v1/conversations', { token: guest.body.token, body: { channelId: identified.id } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('FD_IDENTITY_REQUIRED');
    const secret = await secretOf('acme', identified.id);
    const member = await session({ channelId: identified.id, identity: { mode: 'hmac', userId: 'u-7', userHash: userHashOf(secret, 'u-7') } });
    expect(member.status).toBe(200);
    const opened = await api(srv.url, 'POST', '/v1/conversations', { token: member.body.token, body: { channelId: identified.id } });
    expect(opened.status).toBe(200);
    expect(opened.body.channelId).toBe(identified.id);
  });

  it('apps are isolated: same user id, separate visitors; a hash or channel of one app does not open another', async () => {
    const { session, configure, secretOf } = await setup();
    const acmeChannel = await configure('acme', { mode: 'hmac' });
    await configure('other', { mode: 'hmac' });
    const [acmeSecret, otherSecret] = [await secretOf('acme'), await secretOf('other')];
    const inAcme = await session({ identity: { mode: 'hmac', userId: 'u-1', userHash: userHashOf(acmeSecret, 'u-1') } });
    const inOther = await session({ appId: 'other', identity: { mode: 'hmac', userId: 'u-1', userHash: userHashOf(otherSecret, 'u-1') } });
    expect(inAcme.body.visitor.appId).toBe('acme');
    expect(inOther.body.visitor.appId).toBe('other');
    expect(inOther.body.visitor.id).not.toBe(inAcme.body.visitor.id);
    expect((await session({ appId: 'other', identity: { mode: 'hmac', userId: 'u-1', userHash: userHashOf(acmeSecret, 'u-1') } })).body.error.code).toBe('FD_IDENTITY_INVALID');
    const foreignChannel = await session({ appId: 'other', channelId: acmeChannel.id, identity: { mode: 'hmac', userId: 'u-1', userHash: userHashOf(acmeSecret, 'u-1') } });
    expect([foreignChannel.status, foreignChannel.body.error.code]).toEqual([404, 'FD_CHANNEL_NOT_FOUND']);
  });

  it('token: the validate endpoint gets {Token, userName, userId, tenantSpaceId}; only a 200 with retCode 0 accepts', async () => {
    const { session, configure } = await setup();
    const identity = (token: string, userId = `u-${token}`) => ({ mode: 'token', token, userId, userName: 'Tom' });
    const unconfigured = await session({ identity: identity('good') });
    expect(unconfigured.body.error.code).toBe('FD_IDENTITY_MODE_MISMATCH');
    await configure('acme', { mode: 'token' });
    expect((await session({ identity: identity('good') })).body.error.code).toBe('FD_IDENTITY_NOT_CONFIGURED');
    await configure('acme', { validateUrl });

    endpoint.received.length = 0;
    const ok = await session({ identity: identity('good', 'u-1') });
    expect(ok.status).toBe(200);
    expect(ok.body.visitor).toMatchObject({ externalId: 'u-1', identityMode: 'token', name: 'Tom' });
    expect(endpoint.received).toEqual([{ contentType: 'application/json;charset=UTF-8', body: { Token: 'good', userName: 'Tom', userId: 'u-1', tenantSpaceId: 'acme' } }]);

    const refused = await session({ identity: identity('refused') });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'FD_IDENTITY_INVALID']);
    for (const token of ['http-500', 'not-json', 'string-zero']) {
      const failed = await session({ identity: identity(token) });
      expect([token, failed.status, failed.body.error.code]).toEqual([token, 502, 'FD_IDENTITY_VALIDATE_FAILED']);
    }
  });

  it('token: an endpoint that does not answer in time, or cannot be reached, refuses', async () => {
    const { session, configure } = await setup();
    await configure('acme', { mode: 'token', validateUrl });
    const started = Date.now();
    const silent = await session({ identity: { mode: 'token', token: 'silent', userId: 'u-9', userName: 'Tom' } });
    expect([silent.status, silent.body.error.code]).toEqual([502, 'FD_IDENTITY_VALIDATE_FAILED']);
    expect(Date.now() - started).toBeLessThan(4000);
    await configure('acme', { validateUrl: 'http://127.0.0.1:9/closed-port' });
    expect((await session({ identity: { mode: 'token', token: 'good', userId: 'u-9', userName: 'Tom' } })).body.error.code).toBe('FD_IDENTITY_VALIDATE_FAILED');
  });

  it('auth-v2 secrets follow seed 002 §2.4.1 (43 of A–Z a–z 0–9); an admin may set the Huawei secretKey it has; they are stored encrypted', async () => {
    const { session, configure, secretOf, srv, admin, clock } = await setup();
    const channel = await configure('acme', { mode: 'auth-v2' });
    const generated = [await secretOf('acme')];
    for (let i = 0; i < 8; i++) generated.push((await api(srv.url, 'POST', '/v1/channels/default/identity-secret/rotate', { token: admin.acme })).body.secret);
    const created = (await api(srv.url, 'POST', '/v1/channels', { token: admin.acme, body: { name: 'members' } })).body as { id: string };
    generated.push(await secretOf('acme', created.id));
    for (const secret of generated) expect(secret).toMatch(/^[A-Za-z0-9]{43}$/);

    const own = 'Hw0123456789abcdefghijklmnopqrstuvwxyzABCDE';
    expect(own).toHaveLength(43);
    const set = await api(srv.url, 'PUT', '/v1/channels/default/identity-secret', { token: admin.acme, body: { secret: own } });
    expect(set).toEqual({ status: 200, body: { secret: own } });
    expect(await secretOf('acme')).toBe(own);
    for (const bad of ['short', `${own.slice(0, 42)}-`, `${own}x`]) {
      const refused = await api(srv.url, 'PUT', '/v1/channels/default/identity-secret', { token: admin.acme, body: { secret: bad } });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'FD_REQ_INVALID']);
    }
    expect((await api(srv.url, 'PUT', '/v1/channels/default/identity-secret', { token: (await seedApp(srv, 'third')).agent1.token, body: { secret: own } })).status).toBe(403);
    // A signature made with the secret the business already had is accepted.
    const body = JSON.stringify({ thirdUserId: 'u-9', thirdUserName: '王五', tenantSpaceId: 'acme', channelConfigId: channel.id, locale: 'zh' });
    const authorization = signAuthV2({ secret: own, channelId: channel.id, timestamp: formatAuthV2Timestamp(clock.now()), body });
    const ok = await session({ channelId: channel.id, identity: { mode: 'auth-v2', body, authorization } });
    expect(ok.status).toBe(200);
    expect(ok.body.visitor).toMatchObject({ externalId: 'u-9', identityMode: 'auth-v2' });
    // Encrypted at rest: no secret appears as such in the table.
    const stored = await srv.app.storage.db.selectFrom('channels').select('identity_secret').execute();
    expect(stored.length).toBeGreaterThan(0);
    for (const { identity_secret } of stored) {
      expect(identity_secret).not.toBeNull();
      for (const secret of [own, ...generated]) expect(identity_secret).not.toContain(secret);
    }
    // …and still itself after a restart (the key is derived from the server's token secret).
    await srv.restart();
    expect(await secretOf('acme')).toBe(own);
  });

  it('GET /v1/channels/:id/public answers the widget without a token (what it needs to start, no secret)', async () => {
    const { configure, srv } = await setup();
    await configure('acme', { mode: 'auth-v2' });
    const view = await api(srv.url, 'GET', '/v1/channels/default/public?appId=acme');
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ identityMode: 'auth-v2', isOpen: true, bot: { enabled: false }, limits: { uploadMaxBytes: expect.any(Number) } });
    expect(Object.keys(view.body).sort()).toEqual(['availability', 'bot', 'calls', 'cobrowse', 'id', 'identityMode', 'isOpen', 'isStaffed', 'limits', 'name', 'nextOpeningAt', 'offHoursMessage', 'preChatForm', 'welcomeMessage']);
    expect((await api(srv.url, 'GET', '/v1/channels/default/public?appId=nope')).status).toBe(404);
    expect((await api(srv.url, 'GET', '/v1/channels/chan_missing/public?appId=acme')).status).toBe(404);
    expect((await api(srv.url, 'GET', '/v1/channels/default/public')).status).toBe(400);
  });

  it('auth-v2: a fresh signature over the body is accepted once; stale, future, tampered, wrong-key and replayed ones are refused', async () => {
    const { session, configure, secretOf, clock, srv } = await setup();
    const channel = await configure('acme', { mode: 'auth-v2' });
    const secret = await secretOf('acme');
    const bodyOf = (userId: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ thirdUserId: userId, thirdUserName: '张三', tenantSpaceId: 'acme', channelConfigId: channel.id, locale: 'zh', ...extra });
    const signed = (body: string, atMs = clock.now(), key = secret) => ({ mode: 'auth-v2', body, authorization: signAuthV2({ secret: key, channelId: channel.id, timestamp: formatAuthV2Timestamp(atMs), body }) });

    // The docs' Node example signs what the server accepts.
    const { authV2Authorization } = await docExample('auth-v2-node');
    const docBody = bodyOf('u-1');
    const fromDocs = { mode: 'auth-v2', body: docBody, authorization: authV2Authorization({ secret, channelId: channel.id, body: docBody, now: new Date(clock.now()) }) };
    const ok = await session({ channelId: channel.id, identity: fromDocs });
    expect(ok.status).toBe(200);
    expect(ok.body.visitor).toMatchObject({ externalId: 'u-1', identityMode: 'auth-v2', name: '张三' });

    const replay = await session({ identity: fromDocs });
    expect([replay.status, replay.body.error.code]).toEqual([401, 'FD_IDENTITY_REPLAYED']);
    // Remembered in the database: a restarted server (or another node) refuses it too.
    await srv.restart();
    expect((await api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', identity: fromDocs } })).body.error.code).toBe('FD_IDENTITY_REPLAYED');

    const stale = await session({ identity: signed(bodyOf('u-2'), NOW - 5 * MINUTE_MS - 1) });
    expect([stale.status, stale.body.error.code]).toEqual([401, 'FD_IDENTITY_EXPIRED']);
    expect((await session({ identity: signed(bodyOf('u-2'), NOW + 5 * MINUTE_MS + 1) })).body.error.code).toBe('FD_IDENTITY_EXPIRED');
    expect((await session({ identity: signed(bodyOf('u-2'), NOW - 4 * MINUTE_MS) })).status).toBe(200);

    const genuine = signed(bodyOf('u-3'));
    const tampered = await session({ identity: { ...genuine, body: genuine.body.replace('u-3', 'u-4') } });
    expect([tampered.status, tampered.body.error.code]).toEqual([401, 'FD_IDENTITY_INVALID']);
    expect((await session({ identity: signed(bodyOf('u-3'), NOW, 'not-the-secret') })).body.error.code).toBe('FD_IDENTITY_INVALID');
    expect((await session({ identity: signed(bodyOf('u-3', { tenantSpaceId: 'other' })) })).body.error.code).toBe('FD_IDENTITY_INVALID');
    expect((await session({ identity: signed(bodyOf('u-3', { channelConfigId: 'chan_else' })) })).body.error.code).toBe('FD_IDENTITY_INVALID');
    expect((await session({ identity: signed(JSON.stringify({ thirdUserName: 'x', tenantSpaceId: 'acme', channelConfigId: channel.id })) })).body.error.code).toBe('FD_IDENTITY_INVALID');
    // The refused attempts did not use the genuine signature up.
    expect((await session({ identity: genuine })).status).toBe(200);

    // Once its window has passed, a replay is refused as expired.
    clock.advance(6 * MINUTE_MS);
    expect((await session({ identity: genuine })).body.error.code).toBe('FD_IDENTITY_EXPIRED');
  });

  it('vtc: a registered third-party user signs in with its id and password', async () => {
    const { session, configure, srv } = await setup();
    await configure('acme', { mode: 'vtc' });
    expect(await srv.app.services.identity.thirdPartyUsers.register('acme', 'vtc-1', 'pa55word')).toBe('ok');
    const ok = await session({ identity: { mode: 'vtc', userId: 'vtc-1', password: 'pa55word' } });
    expect(ok.status).toBe(200);
    expect(ok.body.visitor).toMatchObject({ externalId: 'vtc-1', identityMode: 'vtc', name: 'vtc-1' });
    expect((await session({ identity: { mode: 'vtc', userId: 'vtc-1', password: 'wrong' } })).body.error.code).toBe('FD_IDENTITY_INVALID');
    expect((await session({ identity: { mode: 'vtc', userId: 'nobody', password: 'pa55word' } })).body.error.code).toBe('FD_IDENTITY_INVALID');
    // Another app's user of the same id does not sign in here.
    await srv.app.services.identity.thirdPartyUsers.register('other', 'vtc-2', 'pa55word');
    expect((await session({ identity: { mode: 'vtc', userId: 'vtc-2', password: 'pa55word' } })).body.error.code).toBe('FD_IDENTITY_INVALID');
  });
});
