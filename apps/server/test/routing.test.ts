import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, apiOk, eventually, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/** Monday 2026-01-05 10:00 UTC. */
const MONDAY_10_UTC = Date.UTC(2026, 0, 5, 10, 0);

type Seeded = Awaited<ReturnType<typeof seedApp>>;

describe.each(STORAGES)('routing through the real server (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function setup(env: Record<string, string> = {}) {
    const clock = new ManualClock(MONDAY_10_UTC);
    server = await startTestServer(storage, env, { clock });
    const s: Seeded = await seedApp(server, 'acme');
    const srv = server;
    const admin = s.admin.token;
    const call = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(srv.url, method, route, { token, body });
      return res;
    };
    const ok = (method: string, route: string, token: string, body?: unknown) => apiOk(srv.url, method, route, token, body);
    const queue = (body: Record<string, unknown>) => ok('POST', '/v1/queues', admin, body);
    const skills = (agentId: string, list: { queueId: string; level?: number }[]) => ok('PUT', `/v1/agents/${agentId}/skills`, admin, { skills: list });
    const channel = (patch: Record<string, unknown>) => ok('PATCH', '/v1/channels/default', admin, patch);
    const connect = async (token: string, resume?: Record<string, number>) => {
      const client = await TestClient.connect(srv.wsUrl('acme'));
      clients.push(client);
      const reply = await client.request({ type: 'hello', token, ...(resume ? { resume } : {}) });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return client;
    };
    /** An agent's socket, signed in with the given status. */
    const agent = async (who: { token: string }, status = 'free') => {
      const client = await connect(who.token);
      const reply = await client.request({ type: 'agent.status.set', status });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return client;
    };
    /** A visitor who opens a conversation in the default channel, with a socket on it. */
    const visitor = async () => {
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      // From seq 0, as a widget that opened the conversation: notices sent on open arrive too.
      const client = await connect(session.token, { [conversation.id]: 0 });
      return { token: session.token as string, id: conversation.id as string, client, conversation };
    };
    const conversation = (id: string) => ok('GET', `/v1/conversations/${id}`, admin);
    const offers = (c: TestClient) => c.events.filter((e) => e.type === 'offer') as { conversationId: string; expiresAt: number }[];
    return { clock, s, admin, call, ok, queue, skills, channel, agent, visitor, conversation, offers, connect };
  }

  /** Moves the injected clock and lets the work its timers started reach the database. */
  async function advance(clock: ManualClock, ms: number) {
    clock.advance(ms);
    await new Promise((r) => setTimeout(r, 50));
  }

  it('push mode: the offer rings, a timeout moves it to the next agent, accepting assigns it', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'sales', ringTimeoutSeconds: 10, maxMissedOffers: 3 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.skills(t.s.agent2.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const a1 = await t.agent(t.s.agent1);
    await advance(t.clock, 1000); // agent1 has been idle longer: it is offered first
    const a2 = await t.agent(t.s.agent2);
    const v = await t.visitor();
    await a1.waitFor(() => t.offers(a1).length === 1);
    expect(t.offers(a1)[0]).toMatchObject({ conversationId: v.id, expiresAt: t.clock.now() + 10_000 });
    expect(t.offers(a2)).toHaveLength(0);
    expect((await t.conversation(v.id)).routingState).toBe('offered');

    await advance(t.clock, 10_000);
    await a1.waitFor(() => a1.events.some((e) => e.type === 'offer.withdrawn' && e.reason === 'timed_out'));
    await a2.waitFor(() => t.offers(a2).length === 1);

    const accepted = await a2.request({ type: 'offer.accept', conversationId: v.id });
    expect(accepted.ok).toBe(true);
    const conv = await t.conversation(v.id);
    expect(conv).toMatchObject({ agentId: t.s.agent2.agent.id, routingState: 'assigned', queueId: q.id });
    // The agent's socket follows the conversation at once; the visitor sees the agent join.
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.text === 'agent.joined'));
    const sent = await a2.request({ type: 'message.send', conversationId: v.id, clientId: 'a2-1', text: 'hello, how can I help?' });
    expect(sent.ok).toBe(true);
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.text === 'hello, how can I help?'));
    // agent1 cannot take it any more.
    const late = await t.call('POST', `/v1/conversations/${v.id}/accept`, t.s.agent1.token);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('FD_ROUTING_OFFER_NOT_HELD');

    const history = await t.ok('GET', `/v1/conversations/${v.id}/routing`, t.admin);
    expect(history.history.map((h: { type: string }) => h.type)).toEqual(['session.queued', 'offer', 'offer.withdrawn', 'offer', 'assign']);
  });

  it('an agent who misses N offers in a row is set not-ready, and a supervisor can force a status', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'support', ringTimeoutSeconds: 5, maxMissedOffers: 2 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const a1 = await t.agent(t.s.agent1);
    const v1 = await t.visitor();
    await a1.waitFor(() => t.offers(a1).length === 1);
    const declined = await a1.request({ type: 'offer.decline', conversationId: v1.id });
    expect(declined.ok).toBe(true);
    const v2 = await t.visitor();
    await a1.waitFor(() => t.offers(a1).some((o) => o.conversationId === v2.id));
    await advance(t.clock, 5000);
    await a1.waitFor(() => a1.events.some((e) => e.type === 'agent.status' && e.status === 'not_ready'));
    const state = await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.admin);
    expect(state).toMatchObject({ status: 'not_ready', reason: 'missed_offers' });

    // An agent cannot set another's status; a supervisor (admin here) can, and it is recorded.
    const refused = await t.call('PUT', `/v1/agents/${t.s.agent1.agent.id}/status`, t.s.agent2.token, { status: 'free' });
    expect(refused.status).toBe(403);
    const forced = await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/status`, t.admin, { status: 'rest', reason: 'lunch' });
    expect(forced).toMatchObject({ status: 'rest', reason: 'lunch' });
    const history = await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/status-history`, t.admin);
    expect(history.changes.map((c: { to: string }) => c.to)).toEqual(['free', 'not_ready', 'rest']);
  });

  it('pool mode: both agents see the conversation, the first to accept takes it, the other sees it go', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'pool', mode: 'pool' });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.skills(t.s.agent2.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const v = await t.visitor();
    const sees = (c: TestClient, visible: boolean) => c.events.some((e) => e.type === 'pool' && e.conversationId === v.id && e.visible === visible);
    await a1.waitFor(() => sees(a1, true));
    await a2.waitFor(() => sees(a2, true));
    const [r1, r2] = await Promise.all([
      a1.request({ type: 'offer.accept', conversationId: v.id }),
      a2.request({ type: 'offer.accept', conversationId: v.id }),
    ]);
    expect([r1.ok, r2.ok].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = r1.ok ? [t.s.agent1, a2] : [t.s.agent2, a1];
    expect((r1.ok ? r2 : r1).error.code).toBe('FD_ROUTING_OFFER_NOT_HELD');
    await loser.waitFor(() => sees(loser, false));
    expect((await t.conversation(v.id)).agentId).toBe(winner.agent.id);
  });

  it('overflow by each trigger moves the session to the second queue; a busy target releases it with the message', async () => {
    const t = await setup();
    const backup = await t.queue({ name: 'backup' });
    await t.skills(t.s.agent2.agent.id, [{ queueId: backup.id }]);
    const to = (trigger: string, extra: Record<string, unknown> = {}) =>
      t.queue({ name: trigger, overflow: { [trigger]: { action: 'transfer', toQueueId: backup.id, maxOccupancyPercent: 100 } }, ...extra });
    const a2 = await t.agent(t.s.agent2);
    /** agent2 gets the session through the backup queue and takes it. */
    const reachesBackup = async (conversationId: string) => {
      await a2.waitFor(() => t.offers(a2).some((o) => o.conversationId === conversationId));
      expect((await a2.request({ type: 'offer.accept', conversationId })).ok).toBe(true);
    };

    // no agent signed in
    const noAgent = await to('noAgent');
    await t.channel({ queueId: noAgent.id });
    const v1 = await t.visitor();
    await reachesBackup(v1.id);
    let steps = (await t.ok('GET', `/v1/conversations/${v1.id}/routing`, t.admin)).history;
    expect(steps.find((h: any) => h.type === 'session.queued' && h.data.trigger === 'no_agent')?.data.queueId).toBe(backup.id);

    // queue full (fixed length 0: nobody may wait)
    const full = await to('queueFull', { maxQueueLength: { kind: 'fixed', value: 0 } });
    await t.skills(t.s.agent1.agent.id, [{ queueId: full.id }]);
    await t.agent(t.s.agent1, 'not_ready');
    await t.channel({ queueId: full.id });
    const v2 = await t.visitor();
    await reachesBackup(v2.id);

    // wait timeout: agent1 is signed in but not ready, so the session waits, then overflows
    const slow = await to('waitTimeout', { maxWaitSeconds: 30 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: slow.id }]);
    await t.channel({ queueId: slow.id });
    const v3 = await t.visitor();
    expect((await t.conversation(v3.id)).routingState).toBe('queued');
    await advance(t.clock, 30_000);
    await reachesBackup(v3.id);

    // off hours of the queue: closed on Mondays
    const closed = await to('offHours', {
      hours: { timeZone: 'UTC', workdays: [2, 3, 4, 5], workdayPeriods: [{ start: '09:00', end: '18:00' }], offHoursMessage: 'closed' },
    });
    await t.skills(t.s.agent1.agent.id, [{ queueId: closed.id }]);
    await t.channel({ queueId: closed.id });
    const v4 = await t.visitor();
    await reachesBackup(v4.id);
    steps = (await t.ok('GET', `/v1/conversations/${v4.id}/routing`, t.admin)).history;
    expect(steps.some((h: any) => h.type === 'session.queued' && h.data.trigger === 'off_hours')).toBe(true);

    // With agent2 not ready the backup queue's occupancy is 70%: a transfer allowed only below 50%
    // is refused, and the session is released with the rule's message.
    const strict = await t.queue({ name: 'strict', overflow: { noAgent: { action: 'transfer', toQueueId: backup.id, maxOccupancyPercent: 50, message: 'All agents are busy, please come back later.' } } });
    await t.ok('PUT', `/v1/agents/${t.s.agent2.agent.id}/status`, t.admin, { status: 'not_ready' });
    await t.channel({ queueId: strict.id });
    const v5 = await t.visitor();
    const released = await eventually(() => t.conversation(v5.id), (c) => c.status === 'closed');
    expect(released).toMatchObject({ routingState: 'released', closeBy: 'timer' });
    await v5.client.waitFor(() => v5.client.messages(v5.id).some((m) => m.text === 'All agents are busy, please come back later.'));
  });

  it('queue reminders reach each waiting visitor with its position every interval', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'wait', maxWaitSeconds: 600 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id, queueReminder: { enabled: true, intervalSeconds: 10, text: 'You are number {position}' } });
    await t.agent(t.s.agent1, 'not_ready');
    const v1 = await t.visitor();
    const v2 = await t.visitor();
    const reminders = (c: TestClient) => c.events.filter((e) => e.type === 'queue.position') as { position: number; text: string }[];
    await advance(t.clock, 10_000);
    await v1.client.waitFor(() => reminders(v1.client).length >= 1);
    await v2.client.waitFor(() => reminders(v2.client).length >= 1);
    expect(reminders(v1.client).at(-1)).toMatchObject({ position: 1, text: 'You are number 1' });
    expect(reminders(v2.client).at(-1)).toMatchObject({ position: 2, text: 'You are number 2' });
    const before = reminders(v2.client).length;
    // The first visitor leaves: the second moves up, and hears so at the next interval.
    await t.ok('POST', `/v1/conversations/${v1.id}/close`, v1.token);
    await advance(t.clock, 10_000);
    await v2.client.waitFor(() => reminders(v2.client).length > before);
    expect(reminders(v2.client).at(-1)).toMatchObject({ position: 1 });
    expect((await t.conversation(v1.id)).closeBy).toBe('client');
    // An offer that rings and is declined puts the visitor back in the queue: reminders go on.
    const a1 = await t.agent(t.s.agent1);
    await a1.waitFor(() => t.offers(a1).some((o) => o.conversationId === v2.id));
    expect((await a1.request({ type: 'offer.decline', conversationId: v2.id })).ok).toBe(true);
    const heard = reminders(v2.client).length;
    await advance(t.clock, 10_000);
    await advance(t.clock, 10_000);
    await v2.client.waitFor(() => reminders(v2.client).length > heard);
  });

  it('the bot answers FAQs in Chinese and English, then hands off on 转人工 with its transcript visible to the agent', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'after-bot' });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    const ch = await t.channel({
      queueId: q.id,
      bot: { enabled: true, name: 'Robo', defaultReply: 'Sorry, I did not get that.', timeoutReply: 'Bye for now.', handOffText: '正在为您转接人工客服' },
    });
    await t.ok('POST', `/v1/channels/${ch.id}/faqs`, t.admin, { question: '如何修改密码', keywords: ['修改密码'], answer: '在设置页面点击修改密码。' });
    await t.ok('POST', `/v1/channels/${ch.id}/faqs`, t.admin, { question: 'What are your opening hours?', keywords: ['opening hours'], answer: 'We are open 9 to 6.' });
    const a1 = await t.agent(t.s.agent1);
    const v = await t.visitor();
    expect(v.conversation.routingState).toBe('bot');
    const say = async (text: string, clientId: string) => {
      const reply = await v.client.request({ type: 'message.send', conversationId: v.id, clientId, text });
      expect(reply.ok).toBe(true);
    };
    const botSaid = () => v.client.messages(v.id).filter((m) => m.senderType === 'bot').map((m) => m.text);
    await say('请问怎么修改密码？', 'q1');
    await v.client.waitFor(() => botSaid().includes('在设置页面点击修改密码。'));
    await say('what are your opening hours', 'q2');
    await v.client.waitFor(() => botSaid().includes('We are open 9 to 6.'));
    await say('转人工', 'q3');
    await v.client.waitFor(() => botSaid().includes('正在为您转接人工客服'));
    await a1.waitFor(() => t.offers(a1).length === 1);
    expect((await a1.request({ type: 'offer.accept', conversationId: v.id })).ok).toBe(true);
    // The agent's socket receives the whole conversation, the bot's part included.
    await a1.waitFor(() => a1.messages(v.id).some((m) => m.text === 'agent.joined'));
    expect(a1.messages(v.id).map((m) => m.text)).toEqual([
      '请问怎么修改密码？',
      '在设置页面点击修改密码。',
      'what are your opening hours',
      'We are open 9 to 6.',
      '转人工',
      '正在为您转接人工客服',
      'agent.joined',
    ]);
  });

  it('off hours, the visitor gets the channel message and is not queued; idle conversations end with the end text', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'day' });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({
      queueId: q.id,
      hours: { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workdayPeriods: [{ start: '09:00', end: '17:00' }], offHoursMessage: '现在是非工作时间，请在工作日 9:00–17:00 联系我们。' },
      idleEnd: { enabled: true, minutes: 20, text: 'Ended after 20 minutes without a reply.' },
    });
    // 10:00 UTC is 18:00 in Shanghai: closed.
    const v = await t.visitor();
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.text.startsWith('现在是非工作时间')));
    expect((await t.conversation(v.id)).routingState).toBe('none');

    const sent = await v.client.request({ type: 'message.send', conversationId: v.id, clientId: 'late', text: 'anyone there?' });
    expect(sent.ok).toBe(true);
    await advance(t.clock, 19 * 60_000);
    await advance(t.clock, 30_000);
    expect((await t.conversation(v.id)).status).toBe('open');
    // The idle sweep runs every 30 s of clock time.
    const ended = await eventually(
      async () => {
        await advance(t.clock, 30_000);
        return t.conversation(v.id);
      },
      (c) => c.status === 'closed',
    );
    expect(t.clock.now() - MONDAY_10_UTC).toBeLessThanOrEqual(21.5 * 60_000);
    expect(ended.closeBy).toBe('timer');
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.text === 'Ended after 20 minutes without a reply.'));
  });

  it('transfer to an agent and to a queue keeps the history; ending by the agent starts wrap-up, then free', async () => {
    const t = await setup();
    const q1 = await t.queue({ name: 'first', wrapUpSeconds: 12 });
    const q2 = await t.queue({ name: 'second' });
    expect(q1.wrapUpSeconds).toBe(15); // rounded up to a multiple of 5
    await t.skills(t.s.agent1.agent.id, [{ queueId: q1.id }]);
    await t.skills(t.s.agent2.agent.id, [{ queueId: q2.id }]);
    await t.channel({ queueId: q1.id });
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const v = await t.visitor();
    await a1.waitFor(() => t.offers(a1).length === 1);
    await t.ok('POST', `/v1/conversations/${v.id}/accept`, t.s.agent1.token);

    // agent2 may not transfer a conversation it does not hold
    expect((await t.call('POST', `/v1/conversations/${v.id}/transfer`, t.s.agent2.token, { queueId: q2.id })).status).toBe(403);
    await t.ok('POST', `/v1/conversations/${v.id}/transfer`, t.s.agent1.token, { agentId: t.s.agent2.agent.id, note: 'billing question' });
    expect((await t.conversation(v.id)).agentId).toBe(t.s.agent2.agent.id);
    await a2.waitFor(() => a2.messages(v.id).some((m) => m.text === 'agent.joined'));
    // The agent it left is told (once), so its inbox does not keep a conversation it no longer holds.
    const left = (client: typeof a1, agentId: string) => () =>
      client.events.some((e) => e.type === 'conversation' && e.conversation.id === v.id && e.conversation.agentId !== agentId);
    await a1.waitFor(left(a1, t.s.agent1.agent.id));

    await t.ok('POST', `/v1/conversations/${v.id}/transfer`, t.s.agent2.token, { queueId: q1.id, note: 'back to first line' });
    await a1.waitFor(() => t.offers(a1).length === 2);
    await a2.waitFor(left(a2, t.s.agent2.agent.id));
    await t.ok('POST', `/v1/conversations/${v.id}/accept`, t.s.agent1.token);
    const steps = (await t.ok('GET', `/v1/conversations/${v.id}/routing`, t.admin)).history;
    expect(steps.filter((h: any) => h.type === 'transfer').map((h: any) => h.data.note)).toEqual(['billing question', 'back to first line']);
    expect(steps.filter((h: any) => h.type === 'assign').map((h: any) => h.data.agentId)).toEqual([t.s.agent1.agent.id, t.s.agent2.agent.id, t.s.agent1.agent.id]);

    const closed = await t.ok('POST', `/v1/conversations/${v.id}/close`, t.s.agent1.token);
    expect(closed).toMatchObject({ status: 'closed', closeBy: 'seat', routingState: 'ended' });
    await a1.waitFor(() => a1.events.some((e) => e.type === 'agent.status' && e.agentId === t.s.agent1.agent.id && e.status === 'wrap_up'));
    await advance(t.clock, 15_000);
    const statuses = () => a1.events.flatMap((e) => (e.type === 'agent.status' && e.agentId === t.s.agent1.agent.id ? [e.status] : []));
    await a1.waitFor(() => statuses().at(-1) === 'free');
  });

  it('live views: queue lengths, positions, agent loads and area counts; another app sees none of it', async () => {
    const t = await setup();
    const area = await t.ok('POST', '/v1/areas', t.admin, { name: 'Hall A' });
    const q = await t.queue({ name: 'live', areaId: area.id, maxQueueLength: { kind: 'ratio', percent: 200 } });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    await t.agent(t.s.agent1, 'not_ready');
    const v1 = await t.visitor();
    const v2 = await t.visitor();
    const overview = await t.ok('GET', '/v1/routing/overview', t.s.agent2.token);
    expect(overview.queues).toEqual([expect.objectContaining({ queueId: q.id, queued: 2, signedInAgents: 1, freeAgents: 0, maxQueueLength: 2 })]);
    expect(overview.areas).toEqual([{ areaId: area.id, name: 'Hall A', agents: 1, guests: 2, queued: 2, queues: 1 }]);
    expect((await t.ok('GET', `/v1/conversations/${v2.id}/routing`, v2.token)).position).toBe(2);
    expect((await t.ok('GET', `/v1/conversations/${v1.id}/routing`, v1.token)).history).toEqual([]);
    await t.ok('PUT', `/v1/agents/me/status`, t.s.agent1.token, { status: 'free' });
    const state = await eventually(() => t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.admin), (s) => s.load === 1);
    expect(state.sessions).toEqual([{ conversationId: v1.id, queueId: q.id, state: 'offered' }]);

    const other = await seedApp(server!, 'globex');
    expect((await t.call('GET', `/v1/queues/${q.id}`, other.admin.token)).status).toBe(404);
    expect((await t.call('GET', `/v1/conversations/${v1.id}/routing`, other.admin.token)).status).toBe(404);
    expect((await t.call('POST', `/v1/conversations/${v1.id}/accept`, other.agent1.token)).status).toBe(404);
    expect((await t.call('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, other.admin.token, { skills: [] })).status).toBe(404);
    expect((await t.ok('GET', '/v1/routing/overview', other.admin.token)).queues).toEqual([]);
  });

  it("an assignment longer than the queue's max talk time is ended by timer", async () => {
    const t = await setup();
    const q = await t.queue({ name: 'short', maxTalkSeconds: 120 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const a1 = await t.agent(t.s.agent1);
    const v = await t.visitor();
    await a1.waitFor(() => t.offers(a1).length === 1);
    await t.ok('POST', `/v1/conversations/${v.id}/accept`, t.s.agent1.token);
    await advance(t.clock, 119_000);
    expect((await t.conversation(v.id)).status).toBe('open');
    await advance(t.clock, 1_000);
    expect(await eventually(() => t.conversation(v.id), (c) => c.status === 'closed')).toMatchObject({ closeBy: 'timer', routingState: 'ended' });
  });

  it('a conversation released without a message of its queue tells its visitor that nobody was available (nobody signed in, or the wait ran out)', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'lonely', maxWaitSeconds: 30 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const notices = (v: { id: string; client: TestClient }) => v.client.messages(v.id).map((m) => `${m.kind} ${m.text}`);
    // Nobody signed in: released at once, never silently: a notice (the clients word it) before the end.
    const v1 = await t.visitor();
    await v1.client.waitFor(() => notices(v1).includes('system conversation.closed:timer'));
    expect(notices(v1)).toEqual(['system conversation.released:no_agent', 'system conversation.closed:timer']);
    // Signed in but not ready: the visitor waits, and is told when the wait runs out.
    await t.agent(t.s.agent1, 'not_ready');
    const v2 = await t.visitor();
    expect((await t.conversation(v2.id)).status).toBe('open');
    await advance(t.clock, 30_000);
    await v2.client.waitFor(() => notices(v2).includes('system conversation.closed:timer'));
    expect(notices(v2)).toEqual(['system conversation.released:wait_timeout', 'system conversation.closed:timer']);
  });

  it("the channel's public view says whether an agent who serves it is signed in and not away (the widget's online status)", async () => {
    const t = await setup();
    const q = await t.queue({ name: 'staffed' });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    const isStaffed = async () => (await t.ok('GET', '/v1/channels/default/public?appId=acme', '')).isStaffed as boolean;
    // Without a queue: any chat agent; nobody signed in yet.
    expect(await isStaffed()).toBe(false);
    const a2 = await t.agent(t.s.agent2);
    expect(await isStaffed()).toBe(true);
    // With a queue: only its agents count; agent1 is resting, then free.
    await t.channel({ queueId: q.id });
    expect(await isStaffed()).toBe(false);
    const a1 = await t.agent(t.s.agent1, 'rest');
    expect(await isStaffed()).toBe(false);
    expect((await a1.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    expect(await isStaffed()).toBe(true);
    expect((await a1.request({ type: 'agent.status.set', status: 'offline' })).ok).toBe(true);
    expect(await isStaffed()).toBe(false);
    await a2.close();
  });

  it('queue groups: an agent in a group serves its queues and follows changes to the group', async () => {
    const t = await setup();
    const [q1, q2] = [await t.queue({ name: 'g1' }), await t.queue({ name: 'g2' })];
    const group = await t.ok('POST', '/v1/queue-groups', t.admin, { name: 'Front desk', queueIds: [q1.id] });
    const skills = await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.admin, { skills: [], queueGroups: [{ queueGroupId: group.id, level: 4 }] });
    expect(skills.queueGroups).toEqual([{ queueGroupId: group.id, level: 4 }]);
    const a1 = await t.agent(t.s.agent1);
    await t.channel({ queueId: q2.id });
    // Nobody serves q2 yet: no agent signed in there, and without an overflow rule the session is released.
    const v1 = await t.visitor();
    expect((await eventually(() => t.conversation(v1.id), (c) => c.status === 'closed')).routingState).toBe('released');
    await t.ok('PATCH', `/v1/queue-groups/${group.id}`, t.admin, { queueIds: [q1.id, q2.id] });
    const v2 = await t.visitor();
    await a1.waitFor(() => t.offers(a1).some((o) => o.conversationId === v2.id));
    expect((await t.call('PATCH', `/v1/queue-groups/${group.id}`, t.admin, { queueIds: ['q_missing'] })).status).toBe(404);
    await t.ok('DELETE', `/v1/queue-groups/${group.id}`, t.admin);
    expect((await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.admin)).queueGroups).toEqual([]);
    const overview = await t.ok('GET', '/v1/routing/overview', t.admin);
    expect(overview.queues.map((q: { signedInAgents: number }) => q.signedInAgents)).toEqual([0, 0]);
  });

  it('the hand-off button routes a bot conversation at once', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'button' });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id, bot: { enabled: true, name: 'Robo', defaultReply: '?', timeoutReply: 'bye', handOffText: 'Connecting you to a person.' } });
    const a1 = await t.agent(t.s.agent1);
    const v = await t.visitor();
    expect((await t.call('POST', `/v1/conversations/${v.id}/handoff`, t.s.agent1.token)).status).toBe(403);
    const handed = await t.ok('POST', `/v1/conversations/${v.id}/handoff`, v.token);
    expect(handed.routingState).toBe('offered');
    await a1.waitFor(() => t.offers(a1).some((o) => o.conversationId === v.id));
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.senderType === 'bot' && m.text === 'Connecting you to a person.'));
  });

  it('an agent whose sockets all close is signed out after the grace period; a reload within it changes nothing', async () => {
    const t = await setup({ FRONTDESK_AGENT_SIGN_OUT_SECONDS: '1' });
    const q = await t.queue({ name: 'presence' });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    const state = () => t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.admin);
    await (await t.agent(t.s.agent1)).close();
    const reloaded = await t.connect(t.s.agent1.token);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await state()).status).toBe('free');
    await reloaded.close();
    await eventually(state, (s) => s.status === 'offline', 4000);
    const history = await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/status-history`, t.admin);
    expect(history.changes.map((c: { to: string }) => c.to)).toEqual(['free', 'offline']);
  });

  it('an agent whose sign-out timer died with a restart is signed out a grace period after the start; one who reconnected stays', async () => {
    const t = await setup({ FRONTDESK_AGENT_SIGN_OUT_SECONDS: '2' });
    const state = (agentId: string) => t.ok('GET', `/v1/agents/${agentId}/state`, t.admin);
    const [gone, back] = [t.s.agent1, t.s.agent2];
    // Both leave just before the restart: their sign-out timers go with the process.
    await Promise.all([(await t.agent(gone)).close(), (await t.agent(back)).close()]);
    await server!.restart();
    expect((await state(gone.agent.id)).status).toBe('free');
    const reconnected = await t.connect(back.token);
    await eventually(() => state(gone.agent.id), (s) => s.status === 'offline', 8000);
    const history = await t.ok('GET', `/v1/agents/${gone.agent.id}/status-history`, t.admin);
    expect(history.changes.map((c: { to: string }) => c.to)).toEqual(['free', 'offline']);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await state(back.agent.id)).status).toBe('free');
    await reconnected.close();
  });

  it('routing survives a restart: queued sessions, offers and agent states come back from the log', async () => {
    const t = await setup();
    const q = await t.queue({ name: 'durable', ringTimeoutSeconds: 30 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const a1 = await t.agent(t.s.agent1);
    const [v1, v2] = [await t.visitor(), await t.visitor()];
    await a1.waitFor(() => t.offers(a1).length === 1);
    const before = await t.ok('GET', '/v1/routing/overview', t.admin);
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server!.restart();
    const after = await t.ok('GET', '/v1/routing/overview', t.admin);
    expect(after).toEqual(before);
    expect(after.queues[0]).toMatchObject({ queued: 1 });
    // The offer still rings for agent1 until its deadline, then moves on as before the restart.
    expect((await t.call('POST', `/v1/conversations/${v1.id}/accept`, t.s.agent1.token)).status).toBe(200);
    await eventually(() => t.conversation(v2.id), (c) => c.routingState === 'offered');
  });

  it("areas and queues are renamed and deleted only once nothing uses them; channels accept only their own app's queues", async () => {
    const t = await setup();
    const area = await t.ok('POST', '/v1/areas', t.admin, { name: 'Hall A' });
    expect(await t.ok('PATCH', `/v1/areas/${area.id}`, t.admin, { name: 'Hall B' })).toMatchObject({ name: 'Hall B' });
    const q = await t.queue({ name: 'doomed', areaId: area.id });
    const group = await t.ok('POST', '/v1/queue-groups', t.admin, { name: 'G', queueIds: [q.id] });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const inUse = await t.call('DELETE', `/v1/queues/${q.id}`, t.admin);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toMatch(/channels Default.*agents' skills.*queue groups G/);
    expect((await t.call('DELETE', `/v1/areas/${area.id}`, t.admin)).status).toBe(409);
    await t.channel({ queueId: null });
    await t.skills(t.s.agent1.agent.id, []);
    await t.ok('DELETE', `/v1/queue-groups/${group.id}`, t.admin);
    await t.ok('DELETE', `/v1/queues/${q.id}`, t.admin);
    expect((await t.call('GET', `/v1/queues/${q.id}`, t.admin)).status).toBe(404);
    await t.ok('DELETE', `/v1/areas/${area.id}`, t.admin);
    expect((await t.ok('GET', '/v1/areas', t.admin)).areas).toEqual([]);

    const other = await seedApp(server!, 'globex');
    const theirs = (await api(server!.url, 'POST', '/v1/queues', { token: other.admin.token, body: { name: 'theirs' } })).body;
    const refused = await t.call('PATCH', '/v1/channels/default', t.admin, { queueId: theirs.id });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('FD_QUEUE_NOT_FOUND');
    const skills = await t.ok('PUT', `/v1/agents/${t.s.agent2.agent.id}/skills`, t.admin, { skills: [], priority: 7 });
    expect(skills.priority).toBe(7);
  });

  it('a conversation claimed by hand counts toward the agent\'s capacity: routing offers only what is left', async () => {
    const t = await setup();
    await t.ok('PATCH', `/v1/agents/${t.s.agent1.agent.id}`, t.admin, { maxConcurrentChats: 2 });
    // The default channel has no queue yet: its conversations are claimed by hand.
    const byHand = await t.visitor();
    expect((await t.ok('POST', `/v1/conversations/${byHand.id}/claim`, t.s.agent1.token)).agentId).toBe(t.s.agent1.agent.id);
    const q = await t.queue({ name: 'after-claim', ringTimeoutSeconds: 60, maxWaitSeconds: 600 });
    await t.skills(t.s.agent1.agent.id, [{ queueId: q.id }]);
    await t.channel({ queueId: q.id });
    const a1 = await t.agent(t.s.agent1);
    const v1 = await t.visitor();
    const v2 = await t.visitor();
    await a1.waitFor(() => t.offers(a1).some((o) => o.conversationId === v1.id));
    expect((await a1.request({ type: 'offer.accept', conversationId: v1.id })).ok).toBe(true);
    // One claimed by hand + one routed = the capacity of 2: the second visitor waits.
    await new Promise((r) => setTimeout(r, 300));
    expect(t.offers(a1).map((o) => o.conversationId)).toEqual([v1.id]);
    expect((await t.conversation(v2.id)).routingState).toBe('queued');
    expect((await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.admin)).status).toBe('busy');
    // Ending the conversation claimed by hand frees a place: the waiting visitor is offered.
    await t.ok('POST', `/v1/conversations/${byHand.id}/close`, t.s.agent1.token);
    await a1.waitFor(() => t.offers(a1).some((o) => o.conversationId === v2.id));
  });

  it('queue fields are validated with clear messages', async () => {
    const t = await setup();
    const bad = await t.call('POST', '/v1/queues', t.admin, { name: 'x', maxWaitSeconds: 0, wrapUpSeconds: 4000 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/maxWaitSeconds/);
    expect(bad.body.error.message).toMatch(/wrapUpSeconds/);
    const missing = await t.call('POST', '/v1/queues', t.admin, { name: 'x', overflow: { noAgent: { action: 'transfer', toQueueId: 'q_nope' } } });
    expect(missing.status).toBe(404);
    expect((await t.call('POST', '/v1/queues', t.s.agent1.token, { name: 'x' })).status).toBe(403);
  });
});
