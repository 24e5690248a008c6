import { describe, expect, it } from 'vitest';
import { callTestBed } from './call-bed.ts';
import { api, STORAGES } from './helpers.ts';

const PASSWORD = 'correct horse battery';

/**
 * Supervision of live calls (SPEC M28) through the real server with an in-memory media server:
 * who may subscribe to whom in each mode (checked at the media port: the legs that exist), a
 * switch that only changes subscriptions, two supervisors at once, the intercept and its rule,
 * the timeline and the CDR.
 */
describe.each(STORAGES)('call supervision (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    const { srv, s, ok } = t;
    const { identity } = srv.app.services;
    for (const email of ['boss@acme.test', 'lead@acme.test']) await identity.createAgent('acme', { email, password: PASSWORD, role: 'supervisor', name: email.split('@')[0]!, mediaTypes: ['chat', 'video'], maxConcurrentChats: 5 });
    const login = async (email: string) => (await api(srv.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email, password: PASSWORD } })).body as { token: string; agent: { id: string } };
    const [boss, lead] = [await login('boss@acme.test'), await login('lead@acme.test')];
    await ok('PATCH', `/v1/agents/${s.agent1.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    await ok('PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true } });
    return { ...t, boss, lead };
  }

  it('monitor, whisper, barge: who receives the supervisor follows its mode, switching keeps its own legs; two supervisors at once', async () => {
    const t = await setup();
    const { a1, v, callId, visitorId } = await t.liveCall();
    const agentId = t.s.agent1.agent.id;
    const bossId = t.boss.agent.id;
    const boss = await t.connect(t.boss.token);
    const lead = await t.connect(t.lead.token);

    const monitored = await boss.request({ type: 'call.supervise', callId, mode: 'monitor' });
    expect(monitored.ok, JSON.stringify(monitored)).toBe(true);
    expect(monitored.data.supervision).toMatchObject({ callId, supervisorId: bossId, mode: 'monitor', textOnly: false });
    const bossLeg = await t.publishUp(boss, callId);
    for (const publisher of [{ role: 'visitor', id: visitorId }, { role: 'agent', id: agentId }]) {
      expect((await boss.request({ type: 'call.subscribe', callId, publisher })).ok).toBe(true);
    }
    // Nobody may receive a monitoring supervisor: refused at the server, whatever the client asks.
    for (const client of [v, a1]) expect(await client.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });
    expect(t.forwarding(callId)).toEqual([`agent:${bossId} <- agent:${agentId}`, `agent:${bossId} <- visitor:${visitorId}`]);
    expect(t.announced(v, bossId)).toEqual([]);
    expect(t.announced(a1, bossId)).toEqual([]);
    // A second supervisor monitors too; it does not receive the first one while that one only listens.
    expect((await lead.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    await t.publishUp(lead, callId);
    expect((await lead.request({ type: 'call.subscribe', callId, publisher: { role: 'visitor', id: visitorId } })).ok).toBe(true);
    expect(await lead.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });

    // Whisper: the agent is told to subscribe to the supervisor, the visitor is not.
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'whisper' })).ok).toBe(true);
    await a1.waitFor(() => t.announced(a1, bossId).includes(true));
    expect((await a1.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).ok).toBe(true);
    expect(await v.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });
    expect(t.announced(v, bossId)).toEqual([]);
    // The agent hears of the whisper (not of the silent monitor before it).
    expect(a1.events.filter((e) => e.type === 'call.supervision').map((e) => (e as { step: { mode: string } }).step.mode)).toEqual(['whisper']);

    // Barge: the visitor too; the other supervisor hears the one speaking.
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'barge' })).ok).toBe(true);
    await v.waitFor(() => t.announced(v, bossId).includes(true));
    expect((await v.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).ok).toBe(true);
    expect((await lead.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).ok).toBe(true);
    expect(t.forwarding(callId)).toContain(`visitor:${visitorId} <- agent:${bossId}`);

    // Back to whisper: the visitor's subscription ends at the media server and the visitor is told.
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'whisper' })).ok).toBe(true);
    await v.waitFor(() => t.announced(v, bossId).at(-1) === false);
    expect(t.forwarding(callId)).not.toContain(`visitor:${visitorId} <- agent:${bossId}`);
    expect(t.forwarding(callId)).toContain(`agent:${agentId} <- agent:${bossId}`);
    // Back to monitor: nobody receives it, the other supervisor included.
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    expect(t.forwarding(callId).filter((f) => f.endsWith(`<- agent:${bossId}`))).toEqual([]);
    // The agent was told each step it can hear and never of a monitor: back to monitor reads as a stop
    // (the workbench's banner goes), a whisper after a monitor as a whisper from nothing.
    const toAgent = () => a1.events.filter((e) => e.type === 'call.supervision').map((e) => (e as { step: { supervisorId: string; mode: string; previousMode: string | null } }).step);
    await a1.waitFor(() => toAgent().length === 4);
    expect(toAgent().map((s) => [s.supervisorId === bossId ? 'boss' : 'lead', s.mode, s.previousMode])).toEqual([
      ['boss', 'whisper', null],
      ['boss', 'barge', 'whisper'],
      ['boss', 'whisper', 'barge'],
      ['boss', 'stop', 'whisper'],
    ]);
    // Its own legs never changed: the same publisher leg throughout.
    expect([...t.media.rooms.values()].flatMap((r) => [...r.legs.values()]).filter((l) => l.kind === 'publisher' && l.participantId === `agent:${bossId}`).map((l) => l.legId)).toEqual([bossLeg]);

    const timeline = await t.ok('GET', `/v1/calls/${callId}/supervision`, t.boss.token);
    expect(timeline.steps.map((s: { supervisorId: string; mode: string; previousMode: string | null }) => [s.supervisorId === bossId ? 'boss' : 'lead', s.mode, s.previousMode])).toEqual([
      ['boss', 'monitor', null],
      ['lead', 'monitor', null],
      ['boss', 'whisper', 'monitor'],
      ['boss', 'barge', 'whisper'],
      ['boss', 'whisper', 'barge'],
      ['boss', 'monitor', 'whisper'],
    ]);
    expect(timeline.active.map((a: { mode: string }) => a.mode)).toEqual(['monitor', 'monitor']);
    // The call's agent reads the timeline without the silent monitoring.
    const forAgent = await t.ok('GET', `/v1/calls/${callId}/supervision`, t.s.agent1.token);
    expect(forAgent.steps.every((s: { mode: string }) => s.mode !== 'monitor')).toBe(true);
    expect(forAgent.steps.map((s: { mode: string; previousMode: string | null }) => [s.mode, s.previousMode])).toEqual([['whisper', null], ['barge', 'whisper'], ['whisper', 'barge'], ['stop', 'whisper']]);
    expect(forAgent.active).toEqual([]);
    // The supervisor board lists the call with both supervisors.
    const board = await t.ok('GET', '/v1/calls/live', t.boss.token);
    expect(board.calls).toEqual([expect.objectContaining({ call: expect.objectContaining({ id: callId, phase: 'active' }), supervisors: [expect.objectContaining({ supervisorId: bossId }), expect.objectContaining({ supervisorId: t.lead.agent.id })] })]);
  });

  it('intercept needs the call supervised; then the visitor talks with the supervisor, the agent is out; the CDR shows every step', async () => {
    const t = await setup();
    const { a1, v, callId, visitorId } = await t.liveCall();
    const agentId = t.s.agent1.agent.id;
    const bossId = t.boss.agent.id;
    const boss = await t.connect(t.boss.token);
    expect(await boss.request({ type: 'call.intercept', callId })).toMatchObject({ ok: false, error: { code: 'FD_SUPERVISION_NOT_ACTIVE' } });
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    await t.publishUp(boss, callId);
    expect((await boss.request({ type: 'call.subscribe', callId, publisher: { role: 'visitor', id: visitorId } })).ok).toBe(true);
    t.clock.advance(5_000);
    const taken = await t.ok('POST', `/v1/calls/${callId}/intercept`, t.boss.token);
    expect(taken).toMatchObject({ phase: 'active', mainAgentId: bossId });
    expect(taken.participants.find((p: { userId: string }) => p.userId === agentId)).toMatchObject({ leg: 'left', leftReason: 'intercepted' });
    expect(taken.participants.find((p: { userId: string }) => p.userId === bossId)).toMatchObject({ role: 'agent', leg: 'connected' });
    // The agent's media is out of the room; the visitor is told to receive the supervisor, and does.
    await v.waitFor(() => t.announced(v, bossId).includes(true));
    expect((await v.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: bossId } })).ok).toBe(true);
    expect(t.forwarding(callId)).toEqual([`agent:${bossId} <- visitor:${visitorId}`, `visitor:${visitorId} <- agent:${bossId}`]);
    await a1.waitFor(() => a1.events.some((e) => e.type === 'call.notice' && e.callId === callId && e.tccc?.event === 'sessionEnded'));
    // The agent's call place is free again.
    await expect.poll(async () => (await t.ok('GET', `/v1/agents/${agentId}/state`, t.s.admin.token)).sessions.some((x: { conversationId: string }) => x.conversationId === callId)).toBe(false);

    t.clock.advance(10_000);
    expect((await v.request({ type: 'call.hangup', callId })).data).toMatchObject({ phase: 'ended', endReason: 'visitor_hung_up' });
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    expect(cdr.SeatUser).toMatchObject({ UserId: bossId });
    expect(cdr.ServeParticipants.map((p: { Mail: string; Type: string; EndStatusString: string; SupervisionModes?: string[] }) => [p.Mail, p.Type, p.EndStatusString, p.SupervisionModes ?? null])).toEqual([
      ['agent1@acme.test', 'staffSeat', 'intercepted', null],
      ['boss@acme.test', 'staffSeat', 'ok', null],
      ['boss@acme.test', 'supervisorSeat', 'intercepted', ['monitor']],
    ]);
    const supervised = cdr.ServeParticipants[2];
    expect(supervised.EndedTimestamp - supervised.StartTimeStamp).toBe(5);
  });

  it("intercepting a call hands its chat to the supervisor too: the old agent no longer holds it, the visitor sees one hand-over; again, nothing changes", async () => {
    const t = await setup();
    const { v, callId, conversationId } = await t.liveCall();
    const agentId = t.s.agent1.agent.id;
    const bossId = t.boss.agent.id;
    const boss = await t.connect(t.boss.token);
    expect((await t.ok('GET', `/v1/conversations/${conversationId}`, t.s.admin.token)).agentId).toBe(agentId);
    const systemNotices = () => v.events.flatMap((e) => (e.type === 'message' && e.message.conversationId === conversationId && e.message.senderType === 'system' ? [e.message.text as string] : []));
    const noticesBefore = systemNotices().length;
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    await t.publishUp(boss, callId);

    const taken = await boss.request({ type: 'call.intercept', callId });
    expect(taken.ok, JSON.stringify(taken)).toBe(true);
    expect(taken.data).toMatchObject({ mainAgentId: bossId });
    // The conversation went with the call, through routing's take-over (as a chat intercept does).
    await expect.poll(async () => (await t.ok('GET', `/v1/conversations/${conversationId}`, t.s.admin.token)).agentId).toBe(bossId);
    const mine = (await t.ok('GET', '/v1/conversations?mine=true&status=open', t.s.agent1.token)).conversations as { id: string }[];
    expect(mine.map((c) => c.id)).not.toContain(conversationId);
    const refused = await api(t.srv.url, 'POST', `/v1/conversations/${conversationId}/messages`, { token: t.s.agent1.token, body: { clientId: 'late', text: 'still here?' } });
    expect(refused.status).toBe(403);
    const routing = await t.ok('GET', `/v1/conversations/${conversationId}/routing`, t.s.admin.token);
    expect(routing.history.filter((h: { type: string }) => h.type === 'transfer').map((h: { data: unknown }) => h.data)).toEqual([expect.objectContaining({ to: { agentId: bossId }, intercept: true })]);
    // The visitor sees one hand-over: the agent left, another joined (the notices of a transfer), once.
    await v.waitFor(() => systemNotices().length >= noticesBefore + 2);
    expect(systemNotices().slice(noticesBefore)).toEqual(['agent.left', 'agent.joined']);

    // Idempotent: asked again, the call and the conversation stay as they are, and nothing more is said.
    const again = await boss.request({ type: 'call.intercept', callId });
    expect(again.ok, JSON.stringify(again)).toBe(true);
    expect(again.data).toMatchObject({ mainAgentId: bossId });
    expect((await t.ok('GET', `/v1/conversations/${conversationId}`, t.s.admin.token)).agentId).toBe(bossId);
    expect((await t.ok('GET', `/v1/conversations/${conversationId}/routing`, t.s.admin.token)).history.filter((h: { type: string }) => h.type === 'transfer')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(systemNotices().slice(noticesBefore)).toEqual(['agent.left', 'agent.joined']);
  });

  it("a hand-over routing refuses leaves the conversation with the agent (never with nobody); intercept asked again hands it over", async () => {
    const t = await setup();
    const { callId, conversationId } = await t.liveCall();
    const agentId = t.s.agent1.agent.id;
    const bossId = t.boss.agent.id;
    const boss = await t.connect(t.boss.token);
    expect((await boss.request({ type: 'call.supervise', callId, mode: 'monitor' })).ok).toBe(true);
    const routing = t.srv.app.services.routing;
    const realIntercept = routing.intercept;
    routing.intercept = async () => {
      throw new Error('routing refused the take-over');
    };
    try {
      const taken = await boss.request({ type: 'call.intercept', callId });
      // The call is taken over all the same; the conversation stays with its agent.
      expect(taken.ok, JSON.stringify(taken)).toBe(true);
      expect(taken.data).toMatchObject({ mainAgentId: bossId });
      expect((await t.ok('GET', `/v1/conversations/${conversationId}`, t.s.admin.token)).agentId).toBe(agentId);
    } finally {
      routing.intercept = realIntercept;
    }
    const again = await boss.request({ type: 'call.intercept', callId });
    expect(again.ok, JSON.stringify(again)).toBe(true);
    expect((await t.ok('GET', `/v1/conversations/${conversationId}`, t.s.admin.token)).agentId).toBe(bossId);
  });

  it('only supervisors act: an agent gets 403 FD_AUTH_FORBIDDEN; text-only monitoring joins no media; voice supervision is one call at a time', async () => {
    const t = await setup();
    const { callId, visitorId } = await t.liveCall();
    for (const [method, route, body] of [['PUT', `/v1/calls/${callId}/supervision`, { mode: 'monitor' }], ['POST', `/v1/calls/${callId}/intercept`, undefined], ['GET', '/v1/calls/live', undefined]] as const) {
      const res = await api(t.srv.url, method, route, { token: t.s.agent2.token, body });
      expect([res.status, res.body.error?.code ?? res.body.code]).toEqual([403, 'FD_AUTH_FORBIDDEN']);
    }
    const agent2 = await t.connect(t.s.agent2.token);
    expect(await agent2.request({ type: 'call.supervise', callId, mode: 'monitor' })).toMatchObject({ ok: false, error: { code: 'FD_AUTH_FORBIDDEN' } });
    expect(await agent2.request({ type: 'call.intercept', callId })).toMatchObject({ ok: false, error: { code: 'FD_AUTH_FORBIDDEN' } });
    // Text-only: recorded, but no media: publishing and subscribing are refused.
    const boss = await t.connect(t.boss.token);
    expect((await t.ok('PUT', `/v1/calls/${callId}/supervision`, t.boss.token, { mode: 'monitor', textOnly: true })).supervision).toMatchObject({ mode: 'monitor', textOnly: true });
    expect(await boss.request({ type: 'call.subscribe', callId, publisher: { role: 'visitor', id: visitorId } })).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_FOUND' } });
    expect((await api(t.srv.url, 'PUT', `/v1/calls/${callId}/supervision`, { token: t.boss.token, body: { mode: 'whisper', textOnly: true } })).body.error?.code ?? 'none').toBe('FD_SUPERVISION_NOT_ALLOWED');
    // By voice on this call, the supervisor cannot voice-monitor a second one (text-only it may).
    expect((await t.ok('PUT', `/v1/calls/${callId}/supervision`, t.boss.token, { mode: 'monitor' })).supervision).toMatchObject({ textOnly: false });
    const other = await startSecondCall(t);
    const refused = await api(t.srv.url, 'PUT', `/v1/calls/${other}/supervision`, { token: t.boss.token, body: { mode: 'monitor' } });
    expect(refused.body.error?.code ?? refused.body.code).toBe('FD_SUPERVISION_NOT_ALLOWED');
    expect((await t.ok('PUT', `/v1/calls/${other}/supervision`, t.boss.token, { mode: 'monitor', textOnly: true })).supervision).toMatchObject({ textOnly: true });
    // Stopped: no longer supervising, nothing to intercept with; its media is out of the room.
    await t.publishUp(boss, callId);
    expect((await boss.request({ type: 'call.subscribe', callId, publisher: { role: 'visitor', id: visitorId } })).ok).toBe(true);
    await t.ok('DELETE', `/v1/calls/${callId}/supervision`, t.boss.token);
    expect([...t.media.rooms.values()].flatMap((r) => [...r.legs.values()]).filter((l) => l.participantId === `agent:${t.boss.agent.id}`)).toEqual([]);
    expect(await boss.request({ type: 'call.intercept', callId })).toMatchObject({ ok: false, error: { code: 'FD_SUPERVISION_NOT_ACTIVE' } });
  });

  /** agent2 calls a second visitor of its own, who answers. */
  async function startSecondCall(t: Awaited<ReturnType<typeof setup>>): Promise<string> {
    await t.ok('PATCH', `/v1/agents/${t.s.agent2.agent.id}`, t.s.admin.token, { mediaTypes: ['chat', 'video'] });
    const a2 = await t.connect(t.s.agent2.token);
    expect((await a2.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const session = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    const conversation = await t.ok('POST', '/v1/conversations', session.token);
    await t.ok('POST', `/v1/conversations/${conversation.id}/claim`, t.s.agent2.token);
    const v2 = await t.connect(session.token);
    const invited = await a2.request({ type: 'call.invite', conversationId: conversation.id, kind: 'audio' });
    expect(invited.ok, JSON.stringify(invited)).toBe(true);
    const callId = invited.data.call.id as string;
    expect((await v2.request({ type: 'call.accept', callId })).ok).toBe(true);
    return callId;
  }
});
