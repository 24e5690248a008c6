import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { vtcSecretOf } from '../src/modules/compat/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 15, 8, 30);

describe.each(STORAGES)('VTC third-party user API (%s)', (storage) => {
  let server: TestServer | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(NOW);
    server = await startTestServer(storage, { FRONTDESK_VTC_MAX_USERS_PER_APP: '3' }, { clock });
    const srv = server;
    const acme = await seedApp(srv, 'acme');
    const other = await seedApp(srv, 'other');
    const tokens: Record<string, string> = { acme: acme.app.secrets.appToken, other: other.app.secrets.appToken };
    /** appId, timestamp and secret signed at `atMs` with the app's token (or `appToken`). */
    const auth = (appId = 'acme', atMs = clock.now(), appToken = tokens[appId] ?? 'unknown') => ({ appId, timestamp: String(atMs), secret: vtcSecretOf(appId, String(atMs), appToken) });
    /** GET with query parameters, or POST with a form-urlencoded body. */
    const vtc = async (route: string, params: Record<string, string>, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; base?: string } = {}) => {
      const query = new URLSearchParams(params);
      const base = options.base ?? srv.url;
      const res =
        options.method === 'GET'
          ? await fetch(`${base}/vtc/${route}?${query}`, { headers: options.headers ?? {}, redirect: 'manual' })
          : await fetch(`${base}/vtc/${route}`, { method: 'POST', body: query, headers: options.headers ?? {}, redirect: 'manual' });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    };
    const manage = (params: Record<string, string>, appId = 'acme', base?: string) => vtc('ajx/thirdPartyManage.do', { ...auth(appId), ...params }, { base });
    return { clock, srv, acme, other, auth, vtc, manage };
  }

  it('register: OK, Error for a taken id, NotAuthenticate for a wrong or foreign secret, Exceed past the limit', async () => {
    const { vtc, auth } = await setup();
    const register = (thirdPartyId: string, signed = auth(), method: 'GET' | 'POST' = 'POST') => vtc('ajx/thirdPartyRegister.do', { ...signed, thirdPartyId, password: 'md5-of-pw' }, { method });
    expect(await register('u-1')).toMatchObject({ status: 200, body: { result: 'OK' } });
    expect((await register('u-2', auth(), 'GET')).body).toEqual({ result: 'OK' });
    expect((await register('u-1')).body).toMatchObject({ result: 'Error' });
    expect((await register('u-3', { ...auth(), secret: '0'.repeat(32) })).body).toEqual({ result: 'NotAuthenticate' });
    expect((await register('u-3', auth('acme', NOW, 'other-token'))).body).toEqual({ result: 'NotAuthenticate' });
    expect((await register('u-3', { ...auth('other'), appId: 'acme' })).body).toEqual({ result: 'NotAuthenticate' });
    expect((await register('u-3', auth('nope'))).body).toEqual({ result: 'NotAuthenticate' });
    expect((await register('u-3')).body).toEqual({ result: 'OK' });
    expect((await register('u-4')).body).toEqual({ result: 'Exceed' });
    // The limit is per app.
    expect((await register('u-4', auth('other'))).body).toEqual({ result: 'OK' });
  });

  it('a secret 59 s old (or ahead) is accepted, 61 s old (or ahead) refused', async () => {
    const { vtc, auth, clock } = await setup();
    const register = (thirdPartyId: string, atMs: number) => vtc('ajx/thirdPartyRegister.do', { ...auth('acme', atMs), thirdPartyId, password: 'pw' });
    expect((await register('old-61', clock.now() - 61_000)).body).toEqual({ result: 'NotAuthenticate' });
    expect((await register('new-61', clock.now() + 61_000)).body).toEqual({ result: 'NotAuthenticate' });
    expect((await register('old-59', clock.now() - 59_000)).body).toEqual({ result: 'OK' });
    expect((await register('new-59', clock.now() + 59_000)).body).toEqual({ result: 'OK' });
  });

  it('login: OK with a session, IdNotFound, NotAuthenticate for a wrong password; ids are per app', async () => {
    const { vtc, manage } = await setup();
    expect((await manage({ action: 'add', thirdPartyId: 'u-1', password: 'pw-1' })).body.result).toBe('OK');
    const ok = await vtc('ajx/thirdPartyLogin.do', { appId: 'acme', thirdPartyId: 'u-1', password: 'pw-1' });
    expect(ok.body).toMatchObject({ result: 'OK', thirdPartyId: 'u-1', userId: expect.stringMatching(/^vis_/), token: expect.any(String) });
    expect(ok.headers.get('set-cookie')).toMatch(/^fd_vtc_session=.+; Path=\/vtc; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect((await vtc('ajx/thirdPartyLogin.do', { appId: 'acme', thirdPartyId: 'u-1', password: 'pw-2' })).body).toEqual({ result: 'NotAuthenticate' });
    expect((await vtc('ajx/thirdPartyLogin.do', { appId: 'acme', thirdPartyId: 'nobody', password: 'pw-1' }, { method: 'GET' })).body).toEqual({ result: 'IdNotFound' });
    expect((await vtc('ajx/thirdPartyLogin.do', { appId: 'other', thirdPartyId: 'u-1', password: 'pw-1' })).body).toEqual({ result: 'IdNotFound' });
    expect((await vtc('ajx/thirdPartyLogin.do', { appId: 'acme' })).body).toMatchObject({ result: 'Error' });
  });

  it('manage: add, mod password, mod id, del, opt, with NotFound, Error, Exceed and sysTimeStamp', async () => {
    const { vtc, manage, clock, auth } = await setup();
    const next = () => clock.advance(1000);
    const login = async (thirdPartyId: string, password: string) => (await vtc('ajx/thirdPartyLogin.do', { appId: 'acme', thirdPartyId, password })).body.result;

    // opt: server time, without authentication and outside the rate limit.
    expect((await vtc('ajx/thirdPartyManage.do', { action: 'opt' }, { method: 'GET' })).body).toEqual({ result: 'OK', sysTimeStamp: NOW });
    expect((await manage({ action: 'add', thirdPartyId: 'u-1', password: 'pw-1' })).body).toEqual({ result: 'OK', sysTimeStamp: NOW });
    expect((await manage({ action: 'opt' })).body).toEqual({ result: 'OK', sysTimeStamp: NOW });
    next();
    expect((await manage({ action: 'mod', thirdPartyId: 'u-1', password: 'pw-2' })).body).toEqual({ result: 'OK', sysTimeStamp: NOW + 1000 });
    expect([await login('u-1', 'pw-1'), await login('u-1', 'pw-2')]).toEqual(['NotAuthenticate', 'OK']);
    next();
    expect((await manage({ action: 'mod', thirdPartyId: 'u-1', newId: 'u-9' })).body.result).toBe('OK');
    expect([await login('u-1', 'pw-2'), await login('u-9', 'pw-2')]).toEqual(['IdNotFound', 'OK']);
    next();
    expect((await manage({ action: 'mod', thirdPartyId: 'u-1', password: 'x' })).body.result).toBe('NotFound');
    next();
    expect((await manage({ action: 'mod', thirdPartyId: 'u-9', password: 'x', newId: 'u-8' })).body).toMatchObject({ result: 'Error' });
    next();
    expect((await manage({ action: 'mod', thirdPartyId: 'u-9' })).body).toMatchObject({ result: 'Error' });
    next();
    expect((await manage({ action: 'add', thirdPartyId: 'u-9', password: 'x' })).body).toMatchObject({ result: 'Error' });
    next();
    expect((await manage({ action: 'explode', thirdPartyId: 'u-9' })).body).toMatchObject({ result: 'Error' });
    next();
    expect((await manage({ action: 'del', thirdPartyId: 'u-9' })).body).toEqual({ result: 'OK', sysTimeStamp: clock.now() });
    next();
    expect((await manage({ action: 'del', thirdPartyId: 'u-9' })).body.result).toBe('NotFound');
    expect(await login('u-9', 'pw-2')).toBe('IdNotFound');
    for (const id of ['a', 'b', 'c']) {
      next();
      expect((await manage({ action: 'add', thirdPartyId: id, password: 'x' })).body.result).toBe('OK');
    }
    next();
    expect((await manage({ action: 'add', thirdPartyId: 'd', password: 'x' })).body.result).toBe('Exceed');
    next();
    const forged = await vtc('ajx/thirdPartyManage.do', { ...auth('acme', clock.now() - 61_000), action: 'del', thirdPartyId: 'a' });
    expect(forged.body).toEqual({ result: 'NotAuthenticate', sysTimeStamp: clock.now() });
  });

  it('manage takes one call a second per app (Busy), in the database: across a restart and another node', async () => {
    const { manage, clock, srv } = await setup();
    expect((await manage({ action: 'add', thirdPartyId: 'u-1', password: 'x' })).body.result).toBe('OK');
    expect((await manage({ action: 'del', thirdPartyId: 'u-1' })).body).toEqual({ result: 'Busy', sysTimeStamp: NOW });
    // A wrong secret is refused before the rate limit, and does not count.
    expect((await manage({ action: 'del', thirdPartyId: 'u-1', secret: 'f'.repeat(32) })).body.result).toBe('NotAuthenticate');
    // Other apps have their own second.
    expect((await manage({ action: 'add', thirdPartyId: 'u-1', password: 'x' }, 'other')).body.result).toBe('OK');
    clock.advance(999);
    expect((await manage({ action: 'del', thirdPartyId: 'u-1' })).body.result).toBe('Busy');
    clock.advance(1);
    expect((await manage({ action: 'del', thirdPartyId: 'u-1' })).body.result).toBe('OK');
    // Busy calls did not move the window: 1 s after the last accepted call is free again.
    await srv.restart();
    expect((await manage({ action: 'add', thirdPartyId: 'u-2', password: 'x' })).body.result).toBe('Busy');
    clock.advance(1000);
    if (storage === 'postgres') {
      // A second node on the same database sees the same limit.
      const node2 = await buildApp(srv.app.config, { clock });
      const url2 = await node2.listen();
      cleanups.push(() => node2.close());
      expect((await manage({ action: 'add', thirdPartyId: 'u-2', password: 'x' }, 'acme', url2)).body.result).toBe('OK');
      expect((await manage({ action: 'add', thirdPartyId: 'u-3', password: 'x' })).body.result).toBe('Busy');
      const both = await Promise.all([1, 2, 3, 4].map((n) => manage({ action: 'add', thirdPartyId: `race-${n}`, password: 'x' }, 'acme', n % 2 ? url2 : srv.url)));
      expect(both.map((r) => r.body.result)).toEqual(['Busy', 'Busy', 'Busy', 'Busy']);
      clock.advance(1000);
      const race = await Promise.all([1, 2, 3, 4].map((n) => manage({ action: 'add', thirdPartyId: `race-${n}`, password: 'x' }, 'acme', n % 2 ? url2 : srv.url)));
      expect(race.map((r) => r.body.result).sort()).toEqual(['Busy', 'Busy', 'Busy', 'OK']);
    } else {
      expect((await manage({ action: 'add', thirdPartyId: 'u-2', password: 'x' })).body.result).toBe('OK');
    }
  });

  it('updateDeviceid sets and clears the device id of the signed-in user; logout clears it and the cookie', async () => {
    const { vtc, manage, srv } = await setup();
    const users = srv.app.services.identity.thirdPartyUsers;
    await manage({ action: 'add', thirdPartyId: 'u-1', password: 'pw' });
    expect((await vtc('ajx/updateDeviceid.do', { 'user.deviceId': 'apns-1' })).body).toEqual({ result: 'init' });
    const login = await vtc('ajx/thirdPartyLogin.do', { appId: 'acme', thirdPartyId: 'u-1', password: 'pw' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await vtc('ajx/updateDeviceid.do', { 'user.deviceId': 'apns-1' }, { headers: { cookie } })).body).toEqual({ result: 'good' });
    expect(await users.deviceIdOf('acme', 'u-1')).toBe('apns-1');
    expect((await vtc('ajx/updateDeviceid.do', {}, { method: 'GET', headers: { authorization: `Bearer ${login.body.token}` } })).body).toEqual({ result: 'good' });
    expect(await users.deviceIdOf('acme', 'u-1')).toBeNull();
    expect((await vtc('ajx/updateDeviceid.do', { 'user.deviceId': 'fcm-2', token: login.body.token })).body).toEqual({ result: 'good' });
    expect(await users.deviceIdOf('acme', 'u-1')).toBe('fcm-2');
    // An anonymous visitor's token is no VTC session.
    const anonymous = (await api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body.token;
    expect((await vtc('ajx/updateDeviceid.do', { 'user.deviceId': 'x', token: anonymous })).body).toEqual({ result: 'init' });

    const logout = await vtc('logout.do', {}, { method: 'GET', headers: { cookie } });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('/');
    expect(logout.headers.get('set-cookie')).toMatch(/^fd_vtc_session=; .*Max-Age=0/);
    expect(await users.deviceIdOf('acme', 'u-1')).toBeNull();
  });

  it('a VTC-registered user gets a visitor session with mode vtc: the same visitor as its VTC login', async () => {
    const { vtc, auth, srv, acme } = await setup();
    expect((await vtc('ajx/thirdPartyRegister.do', { ...auth(), thirdPartyId: 'vip-7', password: 'pw-7' })).body.result).toBe('OK');
    await api(srv.url, 'PATCH', '/v1/channels/default', { token: acme.admin.token, body: { identity: { mode: 'vtc' } } });
    const session = await api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', identity: { mode: 'vtc', userId: 'vip-7', password: 'pw-7' } } });
    expect(session.status).toBe(200);
    expect(session.body.visitor).toMatchObject({ externalId: 'vip-7', identityMode: 'vtc' });
    const login = await vtc('ajx/thirdPartyLogin.do', { appId: 'acme', thirdPartyId: 'vip-7', password: 'pw-7' });
    expect(login.body.userId).toBe(session.body.visitor.id);
    const refused = await api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', identity: { mode: 'vtc', userId: 'vip-7', password: 'nope' } } });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'FD_IDENTITY_INVALID']);
  });
});
