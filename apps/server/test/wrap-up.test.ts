import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

describe.each(STORAGES)('wrap-up: disposition codes and tags (%s)', (storage) => {
  let server: TestServer;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  let globex: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(storage);
    acme = await seedApp(server, 'acme');
    globex = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  const label = async (kind: 'disposition' | 'tag', name: string, token = acme.admin.token) => {
    const res = await api(server.url, 'POST', '/v1/wrap-up/labels', { token, body: { kind, name } });
    return res;
  };

  it('admins keep the labels: unique per kind, archived not deleted; agents read them, only supervisors change them', async () => {
    const resolved = await label('disposition', 'Resolved');
    expect(resolved.status).toBe(201);
    expect(resolved.body).toMatchObject({ kind: 'disposition', name: 'Resolved', isArchived: false });
    expect((await label('disposition', 'Resolved')).body.error.code).toBe('FD_WRAP_UP_LABEL_TAKEN');
    // The same name may be a tag too.
    expect((await label('tag', 'Resolved')).status).toBe(201);
    expect((await label('tag', 'Billing', acme.agent1.token)).status).toBe(403);
    expect((await label('tag', '   ')).status).toBe(400);

    const archived = await api(server.url, 'PATCH', `/v1/wrap-up/labels/${resolved.body.id}`, { token: acme.admin.token, body: { isArchived: true } });
    expect(archived.body.isArchived).toBe(true);
    const listed = await api(server.url, 'GET', '/v1/wrap-up/labels', { token: acme.agent1.token });
    expect(listed.body.labels.map((l: { kind: string; name: string; isArchived: boolean }) => `${l.kind}:${l.name}:${l.isArchived}`)).toEqual(['disposition:Resolved:true', 'tag:Resolved:false']);
    expect((await api(server.url, 'GET', '/v1/wrap-up/labels', { token: globex.agent1.token })).body.labels).toEqual([]);
    expect((await api(server.url, 'PATCH', `/v1/wrap-up/labels/${resolved.body.id}`, { token: globex.admin.token, body: { name: 'x' } })).status).toBe(404);
    await api(server.url, 'PATCH', `/v1/wrap-up/labels/${resolved.body.id}`, { token: acme.admin.token, body: { isArchived: false } });
  });

  it("the conversation's agent records its disposition, tags and note; others read it; wrong labels are refused", async () => {
    const v = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: acme.agent1.token });
    const sale = (await label('disposition', 'Sale')).body;
    const refund = (await label('tag', 'Refund')).body;
    const shipping = (await label('tag', 'Shipping')).body;
    const old = (await label('tag', 'Old')).body;
    await api(server.url, 'PATCH', `/v1/wrap-up/labels/${old.id}`, { token: acme.admin.token, body: { isArchived: true } });

    expect((await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/wrap-up`, { token: acme.agent1.token })).body).toEqual({ wrapUp: null });
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/close`, { token: acme.agent1.token });
    const set = await api(server.url, 'PUT', `/v1/conversations/${v.conversationId}/wrap-up`, {
      token: acme.agent1.token,
      body: { dispositionId: sale.id, tagIds: [shipping.id, refund.id, shipping.id], note: 'Upsold the premium plan' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ conversationId: v.conversationId, agentId: acme.agent1.agent.id, disposition: { name: 'Sale' }, note: 'Upsold the premium plan' });
    expect(set.body.tags.map((t: { name: string }) => t.name)).toEqual(['Shipping', 'Refund']);
    const read = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/wrap-up`, { token: acme.agent2.token });
    expect(read.body.wrapUp).toEqual(set.body);

    const refuse = async (body: unknown, token = acme.agent1.token) => (await api(server.url, 'PUT', `/v1/conversations/${v.conversationId}/wrap-up`, { token, body })).body.error?.code;
    expect(await refuse({ dispositionId: refund.id })).toBe('FD_WRAP_UP_LABEL_INVALID');
    expect(await refuse({ dispositionId: null, tagIds: [old.id] })).toBe('FD_WRAP_UP_LABEL_INVALID');
    expect(await refuse({ dispositionId: 'wul_nope' })).toBe('FD_WRAP_UP_LABEL_NOT_FOUND');
    // Another agent may not wrap up Ann's conversation; a supervisor (the admin) may; another app does not find it.
    expect(await refuse({ dispositionId: sale.id }, acme.agent2.token)).toBe('FD_AUTH_FORBIDDEN');
    expect(await refuse({ dispositionId: sale.id }, globex.admin.token)).toBe('FD_CONVERSATION_NOT_FOUND');
    expect(await refuse({ dispositionId: sale.id }, v.token)).toBe('FD_AUTH_FORBIDDEN');
    const bySupervisor = await api(server.url, 'PUT', `/v1/conversations/${v.conversationId}/wrap-up`, { token: acme.admin.token, body: { dispositionId: null } });
    expect(bySupervisor.body).toMatchObject({ disposition: null, tags: [], note: '', agentId: acme.admin.agent.id });
  });

  it("the CDR carries the wrap-up's outcome and tags: recorded before the CDR is written, and added when recorded after", async () => {
    const closed = await label('disposition', 'Callback');
    const vip = (await label('tag', 'VIP')).body;
    const cdrOf = async (id: string) => {
      await server.app.services.reports.runOnce();
      return (await api(server.url, 'GET', `/v1/cdrs/${id}`, { token: acme.admin.token })).body;
    };
    // Recorded during the chat: the CDR is written with it.
    const early = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${early.conversationId}/claim`, { token: acme.agent1.token });
    await api(server.url, 'PUT', `/v1/conversations/${early.conversationId}/wrap-up`, { token: acme.agent1.token, body: { dispositionId: closed.body.id, tagIds: [vip.id] } });
    await api(server.url, 'POST', `/v1/conversations/${early.conversationId}/close`, { token: acme.agent1.token });
    expect((await cdrOf(early.conversationId)).WrapUp).toEqual({ Disposition: 'Callback', Tags: ['VIP'] });

    // None yet when it ended: null; recorded during wrap-up time: the stored CDR (and the list export) get it.
    const late = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${late.conversationId}/claim`, { token: acme.agent1.token });
    await api(server.url, 'POST', `/v1/conversations/${late.conversationId}/close`, { token: acme.agent1.token });
    const before = await cdrOf(late.conversationId);
    expect(before.WrapUp).toBeNull();
    await api(server.url, 'PUT', `/v1/conversations/${late.conversationId}/wrap-up`, { token: acme.agent1.token, body: { dispositionId: null, tagIds: [vip.id] } });
    const after = await cdrOf(late.conversationId);
    expect(after.WrapUp).toEqual({ Disposition: null, Tags: ['VIP'] });
    expect({ ...after, WrapUp: null }).toEqual(before);
    const listed = (await api(server.url, 'GET', `/v1/cdrs?from=0&to=${Date.now() + 60_000}`, { token: acme.admin.token })).body.cdrs as { SessionId: string; WrapUp: unknown }[];
    expect(listed.find((c) => c.SessionId === late.conversationId)?.WrapUp).toEqual({ Disposition: null, Tags: ['VIP'] });
    // Another app's CDRs are untouched and unreadable.
    expect((await api(server.url, 'GET', `/v1/cdrs/${late.conversationId}`, { token: globex.admin.token })).status).toBe(404);
  });
});
