import type { Message } from '@frontdesk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/modules/webhooks/webhooks.testing.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, apiOk, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';
import { memoryStorage, TestSocket, until, visitorClient, type TestVisitor } from './sdk-visitor-support.ts';

/**
 * Chat supervision (SPEC M28) through the real server: monitor, whisper, barge-in and intercept,
 * by a supervisor, over REST and the socket; what the visitor's wire, SDK and webhooks carry; who
 * may; the timeline and the CDR.
 */
const MONDAY_10_UTC = Date.UTC(2026, 0, 5, 10, 0);
const PASSWORD = 'correct horse battery';
const WHISPER = 'Psst: offer the 10% voucher, code TEA10';

describe.each(STORAGES)('chat supervision (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  const visitors: TestVisitor[] = [];
  const receivers: Receiver[] = [];

  afterEach(async () => {
    for (const v of visitors.splice(0)) v.client.disconnect();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(MONDAY_10_UTC);
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, { clock });
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const { identity } = srv.app.services;
    await identity.createAgent('acme', { email: 'boss@acme.test', password: PASSWORD, role: 'supervisor', name: 'Boss', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const login = async (appId: string, email: string) => (await api(srv.url, 'POST', '/v1/auth/login', { body: { appId, email, password: PASSWORD } })).body as { token: string; agent: { id: string; email: string } };
    const boss = await login('acme', 'boss@acme.test');
    const call = (method: string, route: string, token: string, body?: unknown) => api(srv.url, method, route, { token, body });
    const ok = (method: string, route: string, token: string, body?: unknown) => apiOk(srv.url, method, route, token, body);
    const socket = async (token: string, appId = 'acme') => {
      const client = await TestClient.connect(srv.wsUrl(appId));
      clients.push(client);
      const reply = await client.request({ type: 'hello', token });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return client;
    };
    /** A visitor in the visitor SDK, every raw frame its socket receives recorded, in a conversation agent1 claimed. */
    const servedVisitor = async () => {
      const stored = memoryStorage();
      const v = visitorClient(srv.url, { storage: stored });
      visitors.push(v);
      await v.client.connect();
      const raw: string[] = [];
      TestSocket.latest().on('message', (data) => raw.push(String(data)));
      const conversation = await v.client.startConversation();
      await ok('POST', `/v1/conversations/${conversation.id}/claim`, s.agent1.token);
      await v.client.send('Hello, my tea has not arrived');
      /** The visitor's own token, as the SDK stored it. */
      const token = () => {
        for (const value of stored.map.values()) {
          const parsed = parseJson(value);
          if (typeof parsed?.token === 'string') return parsed.token;
        }
        throw new Error('no visitor token stored');
      };
      return { v, raw, id: conversation.id, token };
    };
    return { clock, s, srv, boss, login, call, ok, socket, servedVisitor };
  }

  it('a whisper reaches the agent and the supervisor only: never the visitor\'s socket, the visitor SDK, its REST reads or a webhook', async () => {
    const t = await setup();
    const receiver = await startReceiver();
    receivers.push(receiver);
    await t.ok('POST', '/v1/webhooks/subscriptions', t.s.admin.token, { url: receiver.url });
    const agent1 = await t.socket(t.s.agent1.token);
    const bossSocket = await t.socket(t.boss.token);
    const { v, raw, id, token } = await t.servedVisitor();

    expect(await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'monitor' })).toMatchObject({ conversationId: id, supervisorId: t.boss.agent.id, mode: 'monitor' });
    const whisper = await t.call('POST', `/v1/conversations/${id}/whispers`, t.boss.token, { text: WHISPER, clientId: 'w-1' });
    expect(whisper.status).toBe(201);
    expect(whisper.body).toMatchObject({ conversationId: id, supervisorId: t.boss.agent.id, text: WHISPER });
    // The same client id again: stored once.
    expect((await t.call('POST', `/v1/conversations/${id}/whispers`, t.boss.token, { text: WHISPER, clientId: 'w-1' })).status).toBe(200);
    await agent1.waitFor(() => agent1.events.some((e) => e.type === 'whisper' && e.whisper.text === WHISPER));
    await bossSocket.waitFor(() => bossSocket.events.some((e) => e.type === 'whisper' && e.whisper.text === WHISPER));
    // Silent monitoring: the agent heard of the whisper mode, never of the monitoring.
    const agentSteps = agent1.events.flatMap((e) => (e.type === 'supervision' ? [e.step.mode] : []));
    expect(agentSteps).toEqual(['whisper']);

    // Then the supervisor writes to the visitor: once the visitor has that, it has everything sent before it.
    await t.ok('POST', `/v1/conversations/${id}/barge`, t.boss.token, { text: 'Hello, I am the team lead.', clientId: 'b-1' });
    await until(() => v.seen.message.some((m) => m.text === 'Hello, I am the team lead.'), 'the barge-in message at the visitor');
    await t.ok('POST', `/v1/conversations/${id}/close`, t.s.agent1.token);
    await until(() => v.seen.conversation.some((c) => c.status === 'closed'), 'the close at the visitor');

    // The wire: not one frame to the visitor's socket carries the whisper, or any supervision frame.
    expect(raw.length).toBeGreaterThan(3);
    expect(raw.filter((frame) => frame.includes('TEA10'))).toEqual([]);
    expect(raw.map((frame) => JSON.parse(frame).type).filter((type) => type === 'whisper' || type === 'supervision')).toEqual([]);
    // The SDK: no event carries it.
    expect(JSON.stringify(v.seen)).not.toContain('TEA10');
    // The visitor's REST reads: not in its messages; the whispers and the timeline are refused.
    const messages = (await t.ok('GET', `/v1/conversations/${id}/messages?limit=500`, token())).messages as Message[];
    expect(messages.some((m) => m.text === 'Hello, I am the team lead.')).toBe(true);
    expect(JSON.stringify(messages)).not.toContain('TEA10');
    expect((await t.call('GET', `/v1/conversations/${id}/whispers`, token())).status).toBe(403);
    expect((await t.call('GET', `/v1/conversations/${id}/supervision`, token())).status).toBe(403);
    // Webhooks: every event of the conversation went out (the barge-in message too), the whisper in none.
    const isClosedHit = () => receiver.hits.some((h) => h.payload.type === 'conversation.closed');
    for (let i = 0; i < 50 && !isClosedHit(); i++) await t.srv.app.services.webhooks.runOnce();
    expect(isClosedHit()).toBe(true);
    expect(receiver.hits.some((h) => h.body.includes('Hello, I am the team lead.'))).toBe(true);
    expect(receiver.hits.filter((h) => h.body.includes('TEA10'))).toEqual([]);
    // Staff read it in the timeline.
    const timeline = await t.ok('GET', `/v1/conversations/${id}/supervision`, t.s.agent1.token);
    expect(timeline.whispers.map((w: { text: string }) => w.text)).toEqual([WHISPER]);
  });

  it('after a barge-in the visitor sees the supervisor join and write under its own name', async () => {
    const t = await setup();
    const { v, id } = await t.servedVisitor();
    const sent = await t.call('POST', `/v1/conversations/${id}/barge`, t.boss.token, { text: 'I can help you with that.', clientId: 'b-1' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ senderType: 'agent', senderId: t.boss.agent.id, text: 'I can help you with that.' });
    await until(() => v.seen.message.some((m) => m.text === 'I can help you with that.'), 'the barge-in at the visitor');
    const joined = v.seen.message.find((m) => m.kind === 'system' && m.text === 'supervisor.joined');
    expect(joined?.senderId).toBe(t.boss.agent.id);
    const written = v.seen.message.find((m) => m.text === 'I can help you with that.')!;
    expect(written.senderId).toBe(t.boss.agent.id);
    // The name the widget shows for it.
    expect(await v.client.agent(id, t.boss.agent.id)).toMatchObject({ id: t.boss.agent.id, name: 'Boss' });
    // A second barge-in message adds no second join notice; the conversation stays the agent's.
    await t.ok('POST', `/v1/conversations/${id}/barge`, t.boss.token, { text: 'One more thing.' });
    const messages = (await t.ok('GET', `/v1/conversations/${id}/messages?limit=500`, t.s.agent1.token)).messages as Message[];
    expect(messages.filter((m) => m.text === 'supervisor.joined')).toHaveLength(1);
    expect((await t.ok('GET', `/v1/conversations/${id}`, t.s.agent1.token)).agentId).toBe(t.s.agent1.agent.id);
  });

  it('intercept: the supervisor holds the conversation, the agent no longer does and its place is free again', async () => {
    const t = await setup();
    await t.ok('PATCH', `/v1/agents/${t.s.agent1.agent.id}`, t.s.admin.token, { maxConcurrentChats: 1 });
    const agent1 = await t.socket(t.s.agent1.token);
    const bossSocket = await t.socket(t.boss.token);
    const { v, id } = await t.servedVisitor();
    expect((await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.s.admin.token)).load).toBe(1);

    // TCCC: 被强拆的会话必须处于被监听状态 — only a conversation being supervised is taken over.
    const early = await t.call('POST', `/v1/conversations/${id}/intercept`, t.boss.token);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('FD_SUPERVISION_NOT_ACTIVE');
    await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'monitor' });
    const taken = await t.ok('POST', `/v1/conversations/${id}/intercept`, t.boss.token);
    expect(taken).toMatchObject({ id, agentId: t.boss.agent.id, status: 'open' });

    // The agent is dropped: told, no longer assigned, refused as a writer, its place free (it takes another chat).
    await agent1.waitFor(() => agent1.events.some((e) => e.type === 'conversation' && e.conversation.id === id && e.conversation.agentId === t.boss.agent.id));
    // NOTE: the step and the conversation's change travel as two events; either may reach the socket first.
    await agent1.waitFor(() => agent1.events.some((e) => e.type === 'supervision' && e.step.mode === 'intercept'));
    const refused = await t.call('POST', `/v1/conversations/${id}/messages`, t.s.agent1.token, { clientId: 'late', text: 'still here?' });
    expect(refused.status).toBe(403);
    expect((await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.s.admin.token)).load).toBe(0);
    const mine = (await t.ok('GET', '/v1/conversations?mine=true&status=open', t.s.agent1.token)).conversations as { id: string }[];
    expect(mine.map((c) => c.id)).not.toContain(id);
    const next = await t.servedVisitor();
    expect((await t.ok('GET', `/v1/conversations/${next.id}`, t.s.admin.token)).agentId).toBe(t.s.agent1.agent.id);

    // The supervisor holds it: its socket follows the visitor, and it answers as the conversation's agent.
    await v.client.send('Are you still there?');
    await bossSocket.waitFor(() => bossSocket.messages(id).some((m) => m.text === 'Are you still there?'));
    const reply = await bossSocket.request({ type: 'message.send', conversationId: id, clientId: 'boss-1', text: 'Yes, I am taking care of it.' });
    expect(reply.ok).toBe(true);
    await until(() => v.seen.message.some((m) => m.text === 'Yes, I am taking care of it.'), 'the supervisor\'s answer');
    const routing = await t.ok('GET', `/v1/conversations/${id}/routing`, t.s.admin.token);
    expect(routing.history.find((h: { type: string }) => h.type === 'transfer').data).toMatchObject({ to: { agentId: t.boss.agent.id }, intercept: true });
    const timeline = await t.ok('GET', `/v1/conversations/${id}/supervision`, t.boss.token);
    expect(timeline.steps.map((s: { mode: string }) => s.mode)).toEqual(['monitor', 'intercept']);
    expect(timeline.active).toEqual([]);
  });

  it('only supervisors and admins of the conversation\'s app act: an agent gets 403 and FD_AUTH_FORBIDDEN, another app 404', async () => {
    const t = await setup();
    const { id } = await t.servedVisitor();
    for (const [method, route, body] of [
      ['PUT', 'supervision', { mode: 'monitor' }],
      ['POST', 'whispers', { text: 'hi' }],
      ['POST', 'barge', { text: 'hi' }],
      ['POST', 'intercept', undefined],
      ['DELETE', 'supervision', undefined],
    ] as const) {
      const res = await t.call(method, `/v1/conversations/${id}/${route}`, t.s.agent2.token, body);
      expect(res.status, `${method} ${route}`).toBe(403);
      expect(res.body.error.code).toBe('FD_AUTH_FORBIDDEN');
    }
    const agentSocket = await t.socket(t.s.agent2.token);
    for (const frame of [
      { type: 'supervision.set', conversationId: id, mode: 'monitor' },
      { type: 'supervision.whisper', conversationId: id, clientId: 'w', text: 'hi' },
      { type: 'supervision.barge', conversationId: id, clientId: 'b', text: 'hi' },
      { type: 'supervision.intercept', conversationId: id },
    ]) {
      const reply = await agentSocket.request(frame);
      expect(reply.ok, frame.type).toBe(false);
      expect(reply.error.code).toBe('FD_AUTH_FORBIDDEN');
    }

    // Another app's supervisor: the conversation does not exist for it.
    await t.srv.app.services.tenancy.createApp({ id: 'other', name: 'other' });
    await t.srv.app.services.identity.createAgent('other', { email: 'boss@other.test', password: PASSWORD, role: 'supervisor', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const stranger = await t.login('other', 'boss@other.test');
    for (const [method, route, body] of [
      ['GET', 'supervision', undefined],
      ['GET', 'whispers', undefined],
      ['PUT', 'supervision', { mode: 'whisper' }],
      ['POST', 'whispers', { text: 'hi' }],
      ['POST', 'barge', { text: 'hi' }],
      ['POST', 'intercept', undefined],
    ] as const) {
      const res = await t.call(method, `/v1/conversations/${id}/${route}`, stranger.token, body);
      expect(res.status, `${method} ${route}`).toBe(404);
      expect(res.body.error.code).toBe('FD_CONVERSATION_NOT_FOUND');
    }
    const strangerSocket = await t.socket(stranger.token, 'other');
    const foreign = await strangerSocket.request({ type: 'supervision.set', conversationId: id, mode: 'monitor' });
    expect(foreign.error.code).toBe('FD_CONVERSATION_NOT_FOUND');

    // The app's admin may, over the socket as over REST; the steps name who did it.
    const adminSocket = await t.socket(t.s.admin.token);
    expect(await adminSocket.request({ type: 'supervision.set', conversationId: id, mode: 'monitor' })).toMatchObject({ ok: true, data: { mode: 'monitor', supervisorId: t.s.admin.agent.id } });
    expect((await adminSocket.request({ type: 'supervision.whisper', conversationId: id, clientId: 'w-a', text: 'from the admin' })).ok).toBe(true);
    expect(await adminSocket.request({ type: 'supervision.set', conversationId: id, mode: 'stop' })).toMatchObject({ ok: true, data: null });
    const timeline = await t.ok('GET', `/v1/conversations/${id}/supervision`, t.boss.token);
    expect(timeline.steps.map((s: { supervisorId: string; mode: string }) => [s.supervisorId, s.mode])).toEqual([
      [t.s.admin.agent.id, 'monitor'],
      [t.s.admin.agent.id, 'whisper'],
      [t.s.admin.agent.id, 'stop'],
    ]);
    // The agent reads the timeline without the silent monitoring.
    const forAgent = await t.ok('GET', `/v1/conversations/${id}/supervision`, t.s.agent2.token);
    expect(forAgent.steps.map((s: { mode: string }) => s.mode)).toEqual(['whisper', 'stop']);
  });

  it('modes switch in place, each step recorded; the CDR lists the supervisor with its modes and times', async () => {
    const t = await setup();
    const { id } = await t.servedVisitor();
    const at = (offsetSeconds: number) => Math.floor(MONDAY_10_UTC / 1000) + offsetSeconds;
    t.clock.advance(10_000);
    await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'monitor' });
    t.clock.advance(10_000);
    expect(await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'whisper' })).toMatchObject({ mode: 'whisper', since: MONDAY_10_UTC + 20_000 });
    await t.ok('POST', `/v1/conversations/${id}/whispers`, t.boss.token, { text: WHISPER });
    t.clock.advance(10_000);
    await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'barge' });
    // The same mode again changes nothing.
    await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'barge' });
    t.clock.advance(10_000);
    await t.ok('DELETE', `/v1/conversations/${id}/supervision`, t.boss.token);
    const timeline = await t.ok('GET', `/v1/conversations/${id}/supervision`, t.boss.token);
    expect(timeline.steps.map((s: { mode: string; previousMode: string | null; at: number }) => [s.mode, s.previousMode, s.at])).toEqual([
      ['monitor', null, MONDAY_10_UTC + 10_000],
      ['whisper', 'monitor', MONDAY_10_UTC + 20_000],
      ['barge', 'whisper', MONDAY_10_UTC + 30_000],
      ['stop', 'barge', MONDAY_10_UTC + 40_000],
    ]);
    t.clock.advance(20_000);
    await t.ok('POST', `/v1/conversations/${id}/close`, t.s.agent1.token);
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${id}`, t.s.admin.token);
    expect(cdr.ServeParticipants).toHaveLength(2);
    expect(cdr.ServeParticipants[0]).toMatchObject({ Type: 'staffSeat', Mail: 'agent1@acme.test', Sequence: 0, EndedTimestamp: at(60) });
    expect(cdr.ServeParticipants[1]).toEqual({
      Mail: 'boss@acme.test',
      Phone: '',
      Type: 'supervisorSeat',
      Sequence: 1,
      StartTimeStamp: at(10),
      RingTimestamp: at(10),
      AcceptTimestamp: at(10),
      EndedTimestamp: at(40),
      RecordId: '',
      SkillGroupId: 0,
      SkillGroupName: '',
      SkillGroupPriority: 0,
      TransferFrom: '',
      TransferFromType: '',
      TransferTo: '',
      TransferToType: '',
      TransferNote: null,
      EndStatusString: 'ok',
      SupervisionModes: ['monitor', 'whisper', 'barge'],
    });
    // The root still names the agent who served it.
    expect(cdr.SeatUser.Mail).toBe('agent1@acme.test');
  });

  it('the CDR of an intercepted conversation: the agent intercepted, the supervisor a supervisorSeat until then and the serving seat after', async () => {
    const t = await setup();
    const { id } = await t.servedVisitor();
    const at = (offsetSeconds: number) => Math.floor(MONDAY_10_UTC / 1000) + offsetSeconds;
    t.clock.advance(5_000);
    await t.ok('PUT', `/v1/conversations/${id}/supervision`, t.boss.token, { mode: 'monitor' });
    t.clock.advance(5_000);
    await t.ok('POST', `/v1/conversations/${id}/intercept`, t.boss.token);
    t.clock.advance(30_000);
    await t.ok('POST', `/v1/conversations/${id}/close`, t.boss.token);
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${id}`, t.s.admin.token);
    expect(cdr.ServeParticipants.map((p: Record<string, unknown>) => [p.Type, p.Mail, p.StartTimeStamp, p.EndedTimestamp, p.EndStatusString])).toEqual([
      ['staffSeat', 'agent1@acme.test', at(0), at(10), 'intercepted'],
      ['staffSeat', 'boss@acme.test', at(10), at(40), 'ok'],
      ['supervisorSeat', 'boss@acme.test', at(5), at(10), 'intercepted'],
    ]);
    expect(cdr.ServeParticipants[0]).toMatchObject({ TransferTo: 'boss@acme.test', TransferToType: 'staffSeat' });
    expect(cdr.ServeParticipants[1]).toMatchObject({ TransferFrom: 'agent1@acme.test', TransferFromType: 'staffSeat' });
    expect(cdr.SeatUser.Mail).toBe('boss@acme.test');
    expect(cdr.HungUpSide).toBe('seat');
  });
});

function parseJson(text: string): { token?: unknown } | null {
  try {
    return JSON.parse(text) as { token?: unknown } | null;
  } catch {
    return null;
  }
}
