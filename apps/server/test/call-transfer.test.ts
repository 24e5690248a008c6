import { describe, expect, it } from 'vitest';
import { callTestBed } from './call-bed.ts';
import { api, STORAGES, type TestClient } from './helpers.ts';

/**
 * Blind transfer of a call (SPEC M29, TCCC `Call.transfer`) through the real server with an
 * in-memory media server: to an agent (it rings, answers, the call's place moves to it in routing)
 * and to a queue (routed like a new call); the visitor stays in the room; the CDR shows each leg.
 */
describe.each(STORAGES)('call transfer (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    const { s, ok, roomOf } = t;
    for (const a of [s.agent1, s.agent2]) await ok('PATCH', `/v1/agents/${a.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    const videoQueue = await ok('POST', '/v1/queues', s.admin.token, { name: 'video calls', type: 'video_click_to_call', ringTimeoutSeconds: 20, maxWaitSeconds: 120 });
    await ok('PUT', `/v1/agents/${s.agent2.agent.id}/skills`, s.admin.token, { skills: [{ queueId: videoQueue.id, level: 3 }] });
    await ok('PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true, queueId: videoQueue.id } });
    const publishers = (callId: string) =>
      [...roomOf(callId).legs.values()]
        .filter((l) => l.kind === 'publisher')
        .map((l) => l.participantId)
        .sort();
    const callSessionsOf = async (agentId: string, callId: string) => (await ok('GET', `/v1/agents/${agentId}/state`, s.admin.token)).sessions.filter((x: { conversationId: string }) => x.conversationId === callId);
    const subscribe = (client: TestClient, callId: string, role: 'agent' | 'visitor', id: string) => client.request({ type: 'call.subscribe', callId, publisher: { role, id } });
    return { ...t, videoQueue, publishers, callSessionsOf, subscribe };
  }

  it('to an agent: agent1 leaves, the visitor waits in the room, agent2 rings and answers; routing moves the call place; the CDR shows each leg field by field', async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId, visitorId } = await t.liveCall();
    const [agent1Id, agent2Id] = [t.s.agent1.agent.id, t.s.agent2.agent.id];
    t.clock.advance(10_000);
    const transferred = await a1.request({ type: 'call.transfer', callId, userId: agent2Id });
    expect(transferred.ok, JSON.stringify(transferred)).toBe(true);
    expect(transferred.data).toMatchObject({ phase: 'ringing', mainAgentId: null });
    await a2.waitFor(() => t.notices(a2, callId).some((n) => n.code === '004000'));
    expect(t.notices(a2, callId)[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'video' }, about: { role: 'visitor', id: visitorId } });
    expect(t.notices(a1, callId).at(-1)).toMatchObject({ code: '005008', tccc: { event: 'sessionEnded', closeBy: 'seat', endStatus: 'transferred' } });
    // The visitor is still in the room (its publisher up), agent1 is out; the visitor sees the transfer.
    expect(t.publishers(callId)).toEqual([`visitor:${visitorId}`]);
    await v.waitFor(() => t.lastCall(v, callId)?.phase === 'ringing');
    // Until agent2 answers, routing keeps the call on agent1's place.
    expect(await t.callSessionsOf(agent1Id, callId)).toHaveLength(1);

    t.clock.advance(4_000);
    const answered = await a2.request({ type: 'call.accept', callId });
    expect(answered.ok, JSON.stringify(answered)).toBe(true);
    expect(answered.data.call).toMatchObject({ phase: 'connecting', mainAgentId: agent2Id });
    await t.publishUp(a2, callId);
    await v.waitFor(() => t.lastCall(v, callId)?.phase === 'active');
    expect(t.publishers(callId)).toEqual([`agent:${agent2Id}`, `visitor:${visitorId}`]);
    expect((await v.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: agent2Id } })).ok).toBe(true);
    expect(await t.callSessionsOf(agent1Id, callId)).toEqual([]);
    expect(await t.callSessionsOf(agent2Id, callId)).toEqual([expect.objectContaining({ state: 'assigned' })]);

    t.clock.advance(30_000);
    expect((await a2.request({ type: 'call.hangup', callId })).data).toMatchObject({ phase: 'ended', endReason: 'agent_hung_up' });
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    const start = cdr.StartTimestamp as number;
    expect(cdr).toMatchObject({ SessionId: callId, Direction: 0, Caller: visitorId, Callee: agent2Id, SeatUser: { UserId: agent2Id }, HungUpSide: 'seat', EndStatusString: 'ok', Duration: 44 });
    expect(cdr.ServeParticipants.map((p: Record<string, unknown>) => [p.Mail, p.Type, p.Sequence, (p.RingTimestamp as number) - start, (p.AcceptTimestamp as number) - start, (p.EndedTimestamp as number) - start, p.EndStatusString])).toEqual([
      ['agent1@acme.test', 'staffSeat', 0, 0, 0, 10, 'transferred'],
      ['agent2@acme.test', 'staffSeat', 1, 10, 14, 44, 'ok'],
    ]);
  });

  it('to a queue: routing frees agent1 at once and offers the call like a new one; agent2 takes it; the CDR shows the queue', async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId } = await t.liveCall();
    const [agent1Id, agent2Id] = [t.s.agent1.agent.id, t.s.agent2.agent.id];
    t.clock.advance(5_000);
    const transferred = await t.ok('POST', `/v1/calls/${callId}/transfer`, t.s.agent1.token, { skillGroupId: t.videoQueue.id });
    expect(transferred).toMatchObject({ mainAgentId: null });
    await a2.waitFor(() => t.lastCall(a2, callId)?.participants.some((p) => p.userId === agent2Id && p.leg === 'ringing') === true);
    expect(await t.callSessionsOf(agent1Id, callId)).toEqual([]);
    expect(t.lastCall(v, callId)?.phase).toBe('ringing');
    expect(t.notices(a1, callId).at(-1)).toMatchObject({ tccc: { event: 'sessionEnded', endStatus: 'transferred' } });
    t.clock.advance(2_000);
    expect((await a2.request({ type: 'call.accept', callId })).ok).toBe(true);
    await t.publishUp(a2, callId);
    await v.waitFor(() => t.lastCall(v, callId)?.phase === 'active');
    expect(t.lastCall(v, callId)).toMatchObject({ mainAgentId: agent2Id });
    t.clock.advance(3_000);
    await v.request({ type: 'call.hangup', callId });
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    expect(cdr).toMatchObject({ SeatUser: { UserId: agent2Id }, HungUpSide: 'user', QueuedSkillGroupName: 'video calls' });
    expect(cdr.ServeParticipants.map((p: Record<string, unknown>) => [p.Mail, p.EndStatusString, p.SkillGroupName])).toEqual([
      ['agent1@acme.test', 'transferred', 'video calls'],
      ['agent2@acme.test', 'ok', 'video calls'],
    ]);
  });

  it('consult and warm transfer: the visitor is held (no subscriptions either way), the agents talk; complete is three-way; the first agent hangs up and the consulted agent keeps the call; the CDR shows each leg', async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId, visitorId } = await t.liveCall();
    const [agent1Id, agent2Id] = [t.s.agent1.agent.id, t.s.agent2.agent.id];
    expect((await t.subscribe(v, callId, 'agent', agent1Id)).ok).toBe(true);
    expect((await t.subscribe(a1, callId, 'visitor', visitorId)).ok).toBe(true);
    expect(t.forwarding(callId)).toEqual([`agent:${agent1Id} <- visitor:${visitorId}`, `visitor:${visitorId} <- agent:${agent1Id}`].sort());

    t.clock.advance(10_000);
    const consulted = await a1.request({ type: 'call.consult', callId, userId: agent2Id });
    expect(consulted.ok, JSON.stringify(consulted)).toBe(true);
    expect(consulted.data.consult).toEqual({ agentId: agent2Id, phase: 'ringing' });
    // The visitor is on hold at the media server: neither receives the other any more, and both are told.
    await expect.poll(() => t.forwarding(callId)).toEqual([]);
    await v.waitFor(() => t.announced(v, agent1Id).at(-1) === false);
    expect(await t.subscribe(v, callId, 'agent', agent1Id)).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });
    await v.waitFor(() => t.lastCall(v, callId)?.consult?.phase === 'ringing');

    await a2.waitFor(() => t.notices(a2, callId).some((n) => n.code === '004000'));
    t.clock.advance(2_000);
    expect((await a2.request({ type: 'call.accept', callId })).ok).toBe(true);
    await t.publishUp(a2, callId);
    // The agents hear each other; the visitor neither hears nor is heard by the consulted agent.
    await a1.waitFor(() => t.announced(a1, agent2Id).includes(true));
    expect((await t.subscribe(a1, callId, 'agent', agent2Id)).ok).toBe(true);
    expect((await t.subscribe(a2, callId, 'agent', agent1Id)).ok).toBe(true);
    expect(await t.subscribe(a2, callId, 'visitor', visitorId)).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });
    expect(await t.subscribe(v, callId, 'agent', agent2Id)).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });
    expect(t.announced(v, agent2Id)).toEqual([]);
    await expect.poll(() => t.forwarding(callId)).toEqual([`agent:${agent1Id} <- agent:${agent2Id}`, `agent:${agent2Id} <- agent:${agent1Id}`].sort());

    // Complete: three-way, everyone is told whom to receive again.
    t.clock.advance(8_000);
    expect((await a1.request({ type: 'call.consult.end', callId, how: 'complete' })).data.consult).toEqual({ agentId: agent2Id, phase: 'three_way' });
    await v.waitFor(() => t.announced(v, agent1Id).at(-1) === true && t.announced(v, agent2Id).at(-1) === true);
    for (const [client, role, id] of [[v, 'agent', agent1Id], [v, 'agent', agent2Id], [a1, 'visitor', visitorId], [a2, 'visitor', visitorId]] as const) {
      expect((await t.subscribe(client, callId, role, id)).ok).toBe(true);
    }
    // The first agent hangs up: it leaves, the consulted agent keeps the call and its place in routing.
    t.clock.advance(5_000);
    const left = await a1.request({ type: 'call.hangup', callId });
    expect(left.data).toMatchObject({ phase: 'active', mainAgentId: agent2Id, consult: null });
    await expect.poll(() => t.forwarding(callId)).toEqual([`agent:${agent2Id} <- visitor:${visitorId}`, `visitor:${visitorId} <- agent:${agent2Id}`].sort());
    expect(await t.callSessionsOf(agent1Id, callId)).toEqual([]);
    expect(await t.callSessionsOf(agent2Id, callId)).toEqual([expect.objectContaining({ state: 'assigned' })]);

    t.clock.advance(20_000);
    await v.request({ type: 'call.hangup', callId });
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    const start = cdr.StartTimestamp as number;
    expect(cdr).toMatchObject({ SeatUser: { UserId: agent2Id }, HungUpSide: 'user', EndStatusString: 'ok', Duration: 45 });
    expect(cdr.ServeParticipants.map((p: Record<string, unknown>) => [p.Mail, p.Sequence, (p.RingTimestamp as number) - start, (p.AcceptTimestamp as number) - start, (p.EndedTimestamp as number) - start, p.EndStatusString])).toEqual([
      ['agent1@acme.test', 0, 0, 0, 25, 'transferred'],
      ['agent2@acme.test', 1, 10, 12, 45, 'ok'],
    ]);
  });

  it('consult cancelled: the consulted agent leaves, the visitor and the first agent are told to receive each other again', async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId, visitorId } = await t.liveCall();
    const [agent1Id, agent2Id] = [t.s.agent1.agent.id, t.s.agent2.agent.id];
    expect((await t.ok('POST', `/v1/calls/${callId}/consult`, t.s.agent1.token, { userId: agent2Id })).consult).toEqual({ agentId: agent2Id, phase: 'ringing' });
    await a2.waitFor(() => t.notices(a2, callId).some((n) => n.code === '004000'));
    expect((await a2.request({ type: 'call.accept', callId })).ok).toBe(true);
    const cancelled = await t.ok('POST', `/v1/calls/${callId}/consult/cancel`, t.s.agent1.token);
    expect(cancelled).toMatchObject({ mainAgentId: agent1Id, consult: null });
    expect(cancelled.participants.find((p: { userId: string }) => p.userId === agent2Id)).toMatchObject({ leg: 'left', leftReason: 'consult_ended' });
    await v.waitFor(() => t.announced(v, agent1Id).includes(true));
    await a1.waitFor(() => t.announced(a1, visitorId).includes(true));
    expect((await t.subscribe(v, callId, 'agent', agent1Id)).ok).toBe(true);
    expect((await t.subscribe(a1, callId, 'visitor', visitorId)).ok).toBe(true);
    // A visitor cannot consult; an agent not holding the call cannot either.
    expect(await v.request({ type: 'call.consult', callId, userId: agent2Id })).toMatchObject({ ok: false, error: { code: 'FD_AUTH_FORBIDDEN' } });
    const notHolder = await api(t.srv.url, 'POST', `/v1/calls/${callId}/consult`, { token: t.s.agent2.token, body: { userId: agent1Id } });
    expect([notHolder.status, notHolder.body.error?.code ?? notHolder.body.code]).toEqual([409, 'FD_CALL_NOT_ALLOWED']);
  });

  it('refused: a busy agent (FD_CALL_AGENT_BUSY), both or neither target (FD_REQ_INVALID), an unknown queue, someone not holding the call, a visitor', async () => {
    const t = await setup();
    const { a1, v, callId } = await t.liveCall();
    // agent2 busy in a call of its own: it calls a visitor of its own.
    const a2 = await t.agent(t.s.agent2);
    const session = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    const conversation = await t.ok('POST', '/v1/conversations', session.token);
    await t.ok('POST', `/v1/conversations/${conversation.id}/claim`, t.s.agent2.token);
    expect((await a2.request({ type: 'call.invite', conversationId: conversation.id, kind: 'audio' })).ok).toBe(true);
    expect(await a1.request({ type: 'call.transfer', callId, userId: t.s.agent2.agent.id })).toMatchObject({ ok: false, error: { code: 'FD_CALL_AGENT_BUSY' } });
    for (const body of [{}, { userId: t.s.agent2.agent.id, skillGroupId: t.videoQueue.id }]) {
      const res = await api(t.srv.url, 'POST', `/v1/calls/${callId}/transfer`, { token: t.s.agent1.token, body });
      expect([res.status, res.body.error?.code ?? res.body.code]).toEqual([400, 'FD_REQ_INVALID']);
    }
    const unknown = await api(t.srv.url, 'POST', `/v1/calls/${callId}/transfer`, { token: t.s.agent1.token, body: { skillGroupId: 'q_nope' } });
    expect([unknown.status, unknown.body.error?.code ?? unknown.body.code]).toEqual([404, 'FD_QUEUE_NOT_FOUND']);
    const notHolder = await api(t.srv.url, 'POST', `/v1/calls/${callId}/transfer`, { token: t.s.agent2.token, body: { skillGroupId: t.videoQueue.id } });
    expect(notHolder.body.error?.code ?? notHolder.body.code).toBe('FD_CALL_NOT_FOUND');
    expect(await v.request({ type: 'call.transfer', callId, skillGroupId: t.videoQueue.id })).toMatchObject({ ok: false, error: { code: 'FD_AUTH_FORBIDDEN' } });
    expect(t.lastCall(v, callId)).toMatchObject({ phase: 'active', mainAgentId: t.s.agent1.agent.id });
  });
});
