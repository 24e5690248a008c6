import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

describe.each(STORAGES)('canned responses and internal notes (%s)', (storage) => {
  let server: TestServer;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  let globex: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(storage);
    acme = await seedApp(server, 'acme');
    globex = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  it('an admin manages canned responses; every agent of the app reads them, sorted by shortcut', async () => {
    const created = await api(server.url, 'POST', '/v1/canned-responses', { token: acme.admin.token, body: { shortcut: 'Hello', title: 'Greeting', text: 'Hello! How can I help?' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ appId: 'acme', shortcut: 'hello', title: 'Greeting', text: 'Hello! How can I help?' });
    await api(server.url, 'POST', '/v1/canned-responses', { token: acme.admin.token, body: { shortcut: 'bye', title: 'Goodbye', text: 'Thanks, bye!' } });

    const listed = await api(server.url, 'GET', '/v1/canned-responses', { token: acme.agent1.token });
    expect(listed.status).toBe(200);
    expect(listed.body.cannedResponses.map((c: { shortcut: string }) => c.shortcut)).toEqual(['bye', 'hello']);

    const taken = await api(server.url, 'POST', '/v1/canned-responses', { token: acme.admin.token, body: { shortcut: 'HELLO', title: 'Again', text: 'x' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('FD_CANNED_RESPONSE_SHORTCUT_TAKEN');

    const updated = await api(server.url, 'PATCH', `/v1/canned-responses/${created.body.id}`, { token: acme.admin.token, body: { text: '您好！' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ shortcut: 'hello', title: 'Greeting', text: '您好！' });

    const deleted = await api(server.url, 'DELETE', `/v1/canned-responses/${created.body.id}`, { token: acme.admin.token });
    expect(deleted.status).toBe(200);
    const gone = await api(server.url, 'PATCH', `/v1/canned-responses/${created.body.id}`, { token: acme.admin.token, body: { text: 'x' } });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('FD_CANNED_RESPONSE_NOT_FOUND');
  });

  it('agents may not manage canned responses, other apps do not see them, bad shortcuts are refused', async () => {
    const byAgent = await api(server.url, 'POST', '/v1/canned-responses', { token: acme.agent1.token, body: { shortcut: 'mine', title: 'Mine', text: 'x' } });
    expect(byAgent.status).toBe(403);
    const visitor = await newVisitor(server, 'acme');
    expect((await api(server.url, 'GET', '/v1/canned-responses', { token: visitor.token })).status).toBe(403);
    expect((await api(server.url, 'GET', '/v1/canned-responses', { token: globex.agent1.token })).body.cannedResponses).toEqual([]);
    const { body: acmeOne } = await api(server.url, 'POST', '/v1/canned-responses', { token: acme.admin.token, body: { shortcut: 'only-acme', title: 'A', text: 'a' } });
    const crossApp = await api(server.url, 'DELETE', `/v1/canned-responses/${acmeOne.id}`, { token: globex.admin.token });
    expect(crossApp.status).toBe(404);
    const invalid = await api(server.url, 'POST', '/v1/canned-responses', { token: acme.admin.token, body: { shortcut: 'has space', title: 'A', text: 'a' } });
    expect(invalid.status).toBe(400);
  });

  it("an agent keeps personal canned responses: listed with the app's only for that agent, changed and deleted only by that agent", async () => {
    await api(server.url, 'POST', '/v1/canned-responses', { token: acme.admin.token, body: { shortcut: 'thanks', title: 'Thanks (team)', text: 'Thank you for contacting us.' } });
    const mine = await api(server.url, 'POST', '/v1/canned-responses/personal', { token: acme.agent1.token, body: { shortcut: 'Thanks', title: 'My thanks', text: 'Thanks! — Ann' } });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ shortcut: 'thanks', ownerAgentId: acme.agent1.agent.id, text: 'Thanks! — Ann' });
    const again = await api(server.url, 'POST', '/v1/canned-responses/personal', { token: acme.agent1.token, body: { shortcut: 'thanks', title: 'x', text: 'x' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FD_CANNED_RESPONSE_SHORTCUT_TAKEN');

    // Ann sees hers first, then the team's; Bob and the admin see only the team's.
    const annList = (await api(server.url, 'GET', '/v1/canned-responses', { token: acme.agent1.token })).body.cannedResponses as { id: string; shortcut: string; ownerAgentId: string | null }[];
    const thanks = annList.filter((c) => c.shortcut === 'thanks');
    expect(thanks.map((c) => c.ownerAgentId)).toEqual([acme.agent1.agent.id, null]);
    for (const token of [acme.agent2.token, acme.admin.token]) {
      const list = (await api(server.url, 'GET', '/v1/canned-responses', { token })).body.cannedResponses as { id: string }[];
      expect(list.map((c) => c.id)).not.toContain(mine.body.id);
    }
    // Nobody else changes or deletes it, not even an admin; the shared routes do not reach it.
    for (const [method, route, token] of [
      ['PATCH', `/v1/canned-responses/personal/${mine.body.id}`, acme.agent2.token],
      ['DELETE', `/v1/canned-responses/personal/${mine.body.id}`, acme.admin.token],
      ['DELETE', `/v1/canned-responses/${mine.body.id}`, acme.admin.token],
      ['DELETE', `/v1/canned-responses/personal/${mine.body.id}`, globex.agent1.token],
    ] as const) {
      const res = await api(server.url, method, route, { token, body: method === 'PATCH' ? { text: 'hijacked' } : undefined });
      expect(res.status, `${method} ${route}`).toBe(404);
    }
    // An API key is no agent: it has no personal responses.
    const key = (await api(server.url, 'POST', '/v1/app/api-keys', { token: acme.admin.token, body: { name: 'k' } })).body.key as string;
    expect((await api(server.url, 'POST', '/v1/canned-responses/personal', { token: key, body: { shortcut: 'k', title: 'k', text: 'k' } })).status).toBe(403);

    const changed = await api(server.url, 'PATCH', `/v1/canned-responses/personal/${mine.body.id}`, { token: acme.agent1.token, body: { text: 'Many thanks! — Ann' } });
    expect(changed.body).toMatchObject({ shortcut: 'thanks', text: 'Many thanks! — Ann' });
    expect((await api(server.url, 'DELETE', `/v1/canned-responses/personal/${mine.body.id}`, { token: acme.agent1.token })).status).toBe(200);
    const after = (await api(server.url, 'GET', '/v1/canned-responses', { token: acme.agent1.token })).body.cannedResponses as { id: string }[];
    expect(after.map((c) => c.id)).not.toContain(mine.body.id);
  });

  it('internal notes are read and written by staff only and never reach the visitor', async () => {
    const v = await newVisitor(server, 'acme');
    const visitorSocket = await TestClient.connect(server.wsUrl('acme'));
    await visitorSocket.request({ type: 'hello', token: v.token });

    const note = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/notes`, { token: acme.agent1.token, body: { text: 'VIP <b>customer</b>, refund approved' } });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ conversationId: v.conversationId, authorId: acme.agent1.agent.id, text: 'VIP <b>customer</b>, refund approved' });
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/notes`, { token: acme.agent2.token, body: { text: 'second' } });

    const listed = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/notes`, { token: acme.admin.token });
    expect(listed.body.notes.map((n: { text: string }) => n.text)).toEqual(['VIP <b>customer</b>, refund approved', 'second']);

    for (const res of [
      await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/notes`, { token: v.token }),
      await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/notes`, { token: v.token, body: { text: 'hi' } }),
    ]) expect(res.status).toBe(403);
    for (const token of [globex.agent1.token, globex.admin.token]) {
      const res = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/notes`, { token });
      expect(res.status).toBe(404);
    }
    expect((await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/notes`, { token: acme.agent1.token, body: { text: '   ' } })).status).toBe(400);

    // Notes are not messages: the visitor's transcript and socket never carry them.
    const messages = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/messages`, { token: v.token });
    expect(JSON.stringify(messages.body)).not.toContain('refund approved');
    expect(JSON.stringify(visitorSocket.events)).not.toContain('refund approved');
    await visitorSocket.close();
  });
});
