import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, apiOk, eventually, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/** Monday 2026-01-05 10:00 UTC. */
const MONDAY_10_UTC = Date.UTC(2026, 0, 5, 10, 0);

type Seeded = Awaited<ReturnType<typeof seedApp>>;

/**
 * No visitor left behind (SPEC M11): when nobody can answer, the visitor leaves a message that
 * becomes a conversation kept for agents until one answers it; pre-chat form, welcome message and
 * the availability the widget shows.
 */
describe.each(STORAGES)('messages left, pre-chat form and availability (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(MONDAY_10_UTC);
    server = await startTestServer(storage, {}, { clock });
    const s: Seeded = await seedApp(server, 'acme');
    const srv = server;
    const admin = s.admin.token;
    const call = (method: string, route: string, token: string, body?: unknown) => api(srv.url, method, route, { token, body });
    const ok = (method: string, route: string, token: string, body?: unknown) => apiOk(srv.url, method, route, token, body);
    const agent = async (who: { token: string }, status = 'free') => {
      const client = await TestClient.connect(srv.wsUrl('acme'));
      clients.push(client);
      expect((await client.request({ type: 'hello', token: who.token })).ok).toBe(true);
      expect((await client.request({ type: 'agent.status.set', status })).ok).toBe(true);
      return client;
    };
    const visitorToken = async () => (await ok('POST', '/v1/visitor/session', '', { appId: 'acme' })).token as string;
    const texts = async (id: string, token = admin) => ((await ok('GET', `/v1/conversations/${id}/messages`, token)).messages as { senderType: string; kind: string; text: string }[]).map((m) => `${m.senderType} ${m.kind} ${m.text}`);
    const conversation = (id: string) => ok('GET', `/v1/conversations/${id}`, admin);
    const advance = async (ms: number) => {
      clock.advance(ms);
      await new Promise((r) => setTimeout(r, 100));
    };
    const leave = (token: string, body: Record<string, unknown>) => call('POST', '/v1/conversations/messages-left', token, { clientId: 'form-1', name: 'Li Lei', email: 'li.lei@example.test', message: '你好，我的订单还没有到。My order has not arrived.', ...body });
    return { clock, s, admin, call, ok, agent, visitorToken, texts, conversation, eventually, advance, leave };
  }

  it('nobody signed in: the conversation is released with a notice, the visitor leaves a message, it waits for agents past any idle time, an agent answers it later and the returning visitor sees the answer', async () => {
    const t = await setup();
    const q = await t.ok('POST', '/v1/queues', t.admin, { name: 'support' });
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.admin, { skills: [{ queueId: q.id }] });
    await t.ok('PATCH', '/v1/channels/default', t.admin, { queueId: q.id, idleEnd: { enabled: true, minutes: 5 } });
    const visitor = await t.visitorToken();
    const first = await t.ok('POST', '/v1/conversations', visitor);
    const released = await t.eventually(() => t.conversation(first.id), (c) => c.status === 'closed');
    expect(released.routingState).toBe('released');

    const left = await t.leave(visitor, { phone: '+86 138 0000 0000' });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({
      status: 'open',
      routingState: 'none',
      agentId: null,
      visitorDetails: { name: 'Li Lei', email: 'li.lei@example.test', phone: '+86 138 0000 0000' },
      messageLeftAt: MONDAY_10_UTC,
    });
    expect(left.body.id).not.toBe(first.id);
    expect(await t.texts(left.body.id)).toEqual(['visitor text 你好，我的订单还没有到。My order has not arrived.']);
    // A retried submit stores nothing twice.
    expect((await t.leave(visitor, { phone: '+86 138 0000 0000' })).body.id).toBe(left.body.id);
    expect(await t.texts(left.body.id)).toHaveLength(1);

    // Hours later, past the idle end and any wait, it is still there for agents, waiting for a claim.
    await t.advance(3 * 3_600_000);
    await t.advance(60_000);
    expect(await t.conversation(left.body.id)).toMatchObject({ status: 'open', routingState: 'none' });
    const waiting = (await t.ok('GET', '/v1/conversations?status=open', t.s.agent1.token)).conversations as { id: string; messageLeftAt: number | null }[];
    expect(waiting.find((c) => c.id === left.body.id)?.messageLeftAt).toBe(MONDAY_10_UTC);

    // An agent signs in later, takes it and answers.
    await t.agent(t.s.agent1);
    await t.ok('POST', `/v1/conversations/${left.body.id}/claim`, t.s.agent1.token);
    await t.ok('POST', `/v1/conversations/${left.body.id}/messages`, t.s.agent1.token, { clientId: 'a-1', text: 'Sorry for the wait: it ships today.' });

    // The visitor comes back: their open conversation is that one, with the answer.
    const back = await t.ok('POST', '/v1/conversations', visitor);
    expect(back.id).toBe(left.body.id);
    expect((await t.texts(back.id, visitor)).filter((m) => !m.startsWith('system'))).toEqual([
      'visitor text 你好，我的订单还没有到。My order has not arrived.',
      'agent text Sorry for the wait: it ships today.',
    ]);
  });

  it('a visitor waiting in a queue (agents signed in, none free) leaves a message instead: it waits for a claim, and the wait never runs out', async () => {
    const t = await setup();
    const q = await t.ok('POST', '/v1/queues', t.admin, { name: 'support', maxWaitSeconds: 30 });
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.admin, { skills: [{ queueId: q.id }] });
    await t.ok('PATCH', '/v1/channels/default', t.admin, { queueId: q.id });
    await t.agent(t.s.agent1, 'not_ready');
    const view = await t.ok('GET', '/v1/channels/default/public?appId=acme', '');
    expect(view.availability).toEqual({ state: 'away', agentsOnline: 0, expectedWaitSeconds: null });
    const visitor = await t.visitorToken();
    const open = await t.ok('POST', '/v1/conversations', visitor);
    await t.eventually(() => t.conversation(open.id), (c) => c.routingState === 'queued');
    const left = await t.leave(visitor, {});
    expect(left.status).toBe(200);
    expect(left.body.id).toBe(open.id);
    await t.eventually(() => t.conversation(open.id), (c) => c.routingState === 'none');
    await t.advance(60_000);
    expect(await t.conversation(open.id)).toMatchObject({ status: 'open', routingState: 'none', messageLeftAt: MONDAY_10_UTC, visitorDetails: { name: 'Li Lei', email: 'li.lei@example.test', phone: null } });
  });

  it('off hours: the conversation waits for a claim with the off-hours message; the message left goes into it', async () => {
    const t = await setup();
    const q = await t.ok('POST', '/v1/queues', t.admin, { name: 'support' });
    const hours = { timeZone: 'UTC', workdays: [1, 2, 3, 4, 5], workdayPeriods: [{ start: '00:00', end: '01:00' }], offHoursMessage: 'We are closed.' };
    await t.ok('PATCH', '/v1/channels/default', t.admin, { queueId: q.id, hours });
    expect(await t.ok('GET', '/v1/channels/default/public?appId=acme', '')).toMatchObject({ isOpen: false, availability: { state: 'offline', agentsOnline: 0 } });
    const visitor = await t.visitorToken();
    const open = await t.ok('POST', '/v1/conversations', visitor);
    await t.eventually(() => t.texts(open.id), (m) => m.includes('system text We are closed.'));
    const left = await t.leave(visitor, { email: undefined, phone: '0123456789' });
    expect(left.body).toMatchObject({ id: open.id, status: 'open', routingState: 'none', visitorDetails: { name: 'Li Lei', email: null, phone: '0123456789' } });
    expect(await t.texts(open.id)).toEqual(['system text We are closed.', 'visitor text 你好，我的订单还没有到。My order has not arrived.']);
  });

  it('refuses a message left without a way to answer, with a malformed email or phone, or by staff', async () => {
    const t = await setup();
    const visitor = await t.visitorToken();
    const noReply = await t.leave(visitor, { email: undefined });
    expect(noReply.status).toBe(400);
    expect(noReply.body.error.code).toBe('FD_REQ_INVALID');
    expect((await t.leave(visitor, { email: 'not an email' })).status).toBe(400);
    expect((await t.leave(visitor, { email: undefined, phone: 'call me' })).status).toBe(400);
    expect((await t.leave(visitor, { message: '   ' })).status).toBe(400);
    expect((await t.leave(visitor, { name: '' })).status).toBe(400);
    expect((await t.leave(t.s.agent1.token, {})).status).toBe(403);
    expect((await t.leave('', {})).status).toBe(401);
  });

  it('pre-chat form and welcome message: admins set them, the public view shows them, an open without a required answer is refused, the answers are kept on the conversation', async () => {
    const t = await setup();
    const patched = await t.ok('PATCH', '/v1/channels/default', t.admin, {
      preChatForm: { enabled: true, fields: [{ key: 'name', required: true }, { key: 'phone', required: false }] },
      welcomeMessage: '欢迎！Welcome — how can we help?',
    });
    expect(patched).toMatchObject({ preChatForm: { enabled: true, fields: [{ key: 'name', required: true }, { key: 'phone', required: false }] }, welcomeMessage: '欢迎！Welcome — how can we help?' });
    expect((await t.call('PATCH', '/v1/channels/default', t.admin, { preChatForm: { fields: [{ key: 'name' }, { key: 'name' }] } })).status).toBe(400);
    expect((await t.call('PATCH', '/v1/channels/default', t.admin, { preChatForm: { fields: [{ key: 'age' }] } })).status).toBe(400);
    expect((await t.call('PATCH', '/v1/channels/default', t.s.agent1.token, { welcomeMessage: 'hi' })).status).toBe(403);
    const view = await t.ok('GET', '/v1/channels/default/public?appId=acme', '');
    expect(view).toMatchObject({ preChatForm: patched.preChatForm, welcomeMessage: '欢迎！Welcome — how can we help?', availability: { state: 'offline', agentsOnline: 0, expectedWaitSeconds: null } });

    const visitor = await t.visitorToken();
    const refused = await t.call('POST', '/v1/conversations', visitor, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'FD_REQ_INVALID', message: expect.stringContaining('name') });
    expect((await t.call('POST', '/v1/conversations', visitor, { details: { name: 'Ann', phone: 'x' } })).status).toBe(400);
    const opened = await t.ok('POST', '/v1/conversations', visitor, { details: { name: 'Ann', email: 'Ann@Example.test' } });
    expect(opened).toMatchObject({ visitorDetails: { name: 'Ann', email: 'ann@example.test', phone: null }, messageLeftAt: null });
    // Open already: no form asked again.
    expect((await t.ok('POST', '/v1/conversations', visitor, {})).id).toBe(opened.id);

    await t.ok('PATCH', '/v1/channels/default', t.admin, { preChatForm: { enabled: false }, welcomeMessage: null });
    expect(await t.ok('GET', '/v1/channels/default/public?appId=acme', '')).toMatchObject({ preChatForm: { enabled: false }, welcomeMessage: null });
  });

  it('availability: online while an agent serving the channel is free, with how many; no agent names', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    await t.agent(t.s.agent2, 'rest');
    const view = await t.ok('GET', '/v1/channels/default/public?appId=acme', '');
    expect(view).toMatchObject({ isStaffed: true, availability: { state: 'online', agentsOnline: 1, expectedWaitSeconds: null } });
    expect(JSON.stringify(view)).not.toContain('agent1');
    expect((await a1.request({ type: 'agent.status.set', status: 'rest' })).ok).toBe(true);
    expect((await t.ok('GET', '/v1/channels/default/public?appId=acme', '')).availability.state).toBe('away');
  });
});
