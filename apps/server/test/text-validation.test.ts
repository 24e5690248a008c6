import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnyChatTimestamp, md5Signature, vtcSecretOf } from '../src/modules/compat/index.ts';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/** NUL characters and lone surrogates in any text field: a clear 400 at the edge, on both storages. */
describe.each(STORAGES)('ill-formed text is refused at the edge (%s)', (storage) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  beforeAll(async () => {
    server = await startTestServer(storage);
    seeded = await seedApp(server, 'acme');
  });
  afterAll(() => server.close());

  it('REST: a message text with NUL, or a clientId with a lone surrogate, answers 400 FD_REQ_INVALID and stores nothing', async () => {
    const v = await newVisitor(server, 'acme');
    const route = `/v1/conversations/${v.conversationId}/messages`;
    const nul = await api(server.url, 'POST', route, { token: v.token, body: { clientId: 'c1', text: 'a\u0000b' } });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: 'FD_REQ_INVALID', message: expect.stringMatching(/text.*NUL|NUL.*text/) });
    for (const clientId of ['\ud800', '\udc00x', 'a\ud83d']) {
      const lone = await api(server.url, 'POST', route, { token: v.token, body: { clientId, text: 'hello' } });
      expect(lone.status).toBe(400);
      expect(lone.body.error.code).toBe('FD_REQ_INVALID');
    }
    // A well-formed pair (an emoji) is fine, in the text and the clientId.
    const emoji = await api(server.url, 'POST', route, { token: v.token, body: { clientId: 'c\ud83d\ude00', text: 'hi \ud83d\ude00' } });
    expect(emoji.status).toBe(201);
    expect(emoji.body.text).toBe('hi 😀');
    const list = await api(server.url, 'GET', route, { token: v.token });
    expect(list.body.messages.map((m: { text: string }) => m.text)).toEqual(['hi 😀']);
  });

  it('REST: other text fields (a visitor name, an agent name, a query string) are refused the same way', async () => {
    const session = await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', name: 'Eve\u0000' } });
    expect(session.status).toBe(400);
    const agent = await api(server.url, 'PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { token: seeded.admin.token, body: { name: 'x\udfffy' } });
    expect(agent.status).toBe(400);
    const query = await api(server.url, 'GET', `/v1/cdrs?from=0&to=1&after=%00`, { token: seeded.admin.token });
    expect(query.status).toBe(400);
    expect(query.body.error.code).toBe('FD_REQ_INVALID');
  });

  it('frames: message.send with NUL in its text, or two lone surrogates as clientIds, are refused; nothing is stored', async () => {
    const v = await newVisitor(server, 'acme');
    const client = await TestClient.connect(server.wsUrl('acme'));
    expect((await client.request({ type: 'hello', token: v.token })).ok).toBe(true);
    const nul = await client.request({ type: 'message.send', conversationId: v.conversationId, clientId: 'k1', text: 'x\u0000' });
    expect(nul).toMatchObject({ ok: false, error: { code: 'FD_REQ_INVALID' } });
    // On PostgreSQL both became U+FFFD and collided as one clientId.
    const first = await client.request({ type: 'message.send', conversationId: v.conversationId, clientId: '\ud800', text: 'first' });
    const second = await client.request({ type: 'message.send', conversationId: v.conversationId, clientId: '\ud801', text: 'second' });
    expect([first.ok, second.ok]).toEqual([false, false]);
    expect(first.error.code).toBe('FD_REQ_INVALID');
    const list = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/messages`, { token: v.token });
    expect(list.body.messages).toEqual([]);
    await client.close();
  });

  it('the compat surfaces refuse it too: an AnyChat object name with NUL (100703) and a VTC user id with NUL (Error)', async () => {
    const ts = formatAnyChatTimestamp(Date.now());
    const q = new URLSearchParams({ method: 'object_info_set', appid: 'acme', timestamp: ts, signtype: 'MD5', signstr: md5Signature('object_info_set', 'acme', ts, seeded.app.secrets.gatewaySecret) });
    const res = await fetch(`${server.url}/gateway?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 1, objecttype: 4, name: 'hall\u0000' }) });
    expect(await res.json()).toMatchObject({ return_code: 'FAIL', error_code: 100703 });
    expect(await server.app.services.routing.listAreas('acme')).toEqual([]);

    const at = String(Date.now());
    const body = new URLSearchParams({ appId: 'acme', timestamp: at, secret: vtcSecretOf('acme', at, seeded.app.secrets.appToken), thirdPartyId: 'u\u0000', password: 'pw' });
    const vtc = await fetch(`${server.url}/vtc/ajx/thirdPartyRegister.do`, { method: 'POST', body });
    expect(await vtc.json()).toEqual({ result: 'Error' });
  });
});
