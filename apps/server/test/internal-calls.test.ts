import type { Call } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { callTestBed } from './call-bed.ts';
import { api, seedApp, STORAGES, type TestClient } from './helpers.ts';

/**
 * Internal calls (SPEC M29, TCCC `Call.startInternalCall`) through the real server with an in-memory
 * media server: an agent calls another agent of its app; the callee rings, answers or declines; busy,
 * signed-out and other apps' agents are refused before anybody rings; both agents are busy while in
 * it and free after; the webhook marks it internal; the CDR records it as CallType 6 with both legs.
 */
describe.each(STORAGES)('internal calls (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    const [agent1Id, agent2Id] = [t.s.agent1.agent.id, t.s.agent2.agent.id];
    const agentState = (agentId: string) => t.ok('GET', `/v1/agents/${agentId}/state`, t.s.admin.token);
    const ringing = (client: TestClient, callId: string) => t.notices(client, callId).some((n) => n.code === '004000');
    const webhooks = async () =>
      (await t.srv.app.storage.db.selectFrom('outbox_events').select('data').where('app_id', '=', 'acme').where('type', '=', 'call.state_changed').orderBy('position').execute()).map((row) => JSON.parse(row.data) as Record<string, unknown>);
    return { ...t, agent1Id, agent2Id, agentState, ringing, webhooks };
  }

  it('agent1 calls agent2, who rings and answers; both publish, it is active; both are busy, then free after agent1 hangs up; webhook and CDR field by field', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const started = await a1.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const callId = started.data.call.id as string;
    expect(started.data.call).toMatchObject({ direction: 'internal', kind: 'audio', conversationId: null, visitorId: null, mainAgentId: t.agent1Id, phase: 'ringing' });
    await a2.waitFor(() => t.ringing(a2, callId));
    // The callee hears the same incoming call as for a visitor's, marked internal with its caller.
    expect(t.notices(a2, callId)[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'internal', timeoutMs: 30_000, peerUserId: t.agent1Id }, about: { role: 'agent', id: t.agent1Id } });
    expect(t.lastCall(a2, callId)?.participants.map((p) => [p.userId, p.leg])).toEqual([
      [t.agent1Id, 'connecting'],
      [t.agent2Id, 'ringing'],
    ]);
    expect(t.notices(a1, callId)[0]).toMatchObject({ code: '007002', tccc: { event: 'callOuted' } });
    expect((await t.agentState(t.agent1Id)).status).toBe('busy');
    expect((await t.agentState(t.agent2Id)).status).toBe('busy');

    t.clock.advance(3_000);
    const answered = await a2.request({ type: 'call.accept', callId });
    expect(answered.ok, JSON.stringify(answered)).toBe(true);
    await a1.waitFor(() => t.lastCall(a1, callId)?.mediaReady === true);
    await t.publishUp(a1, callId);
    await t.publishUp(a2, callId);
    await a1.waitFor(() => t.lastCall(a1, callId)?.phase === 'active');
    expect(t.forwarding(callId)).toEqual([]);
    // Each subscribes to the other: the same room and publish/subscribe path as a visitor's call.
    expect((await a1.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: t.agent2Id } })).ok).toBe(true);
    expect((await a2.request({ type: 'call.subscribe', callId, publisher: { role: 'agent', id: t.agent1Id } })).ok).toBe(true);
    expect(t.forwarding(callId)).toEqual([`agent:${t.agent1Id} <- agent:${t.agent2Id}`, `agent:${t.agent2Id} <- agent:${t.agent1Id}`].sort());

    t.clock.advance(42_000);
    const hungUp = await a1.request({ type: 'call.hangup', callId });
    expect(hungUp.data).toMatchObject({ phase: 'ended', endReason: 'agent_hung_up', hungUpSide: 'agent' });
    await a2.waitFor(() => t.notices(a2, callId).some((n) => n.tccc?.event === 'sessionEnded'));
    expect(t.notices(a2, callId).at(-1)).toMatchObject({ code: '005010', tccc: { closeBy: 'seat', endStatus: 'ok' } });
    expect([...t.media.rooms.values()].some((r) => r.request.callId === callId)).toBe(false);
    await expect.poll(async () => (await t.agentState(t.agent1Id)).status).toBe('free');
    await expect.poll(async () => (await t.agentState(t.agent2Id)).status).toBe('free');
    expect((await t.agentState(t.agent2Id)).sessions).toEqual([]);

    // The business backend: four moments, from agent1 to agent2, marked internal, no conversation.
    expect(await t.webhooks()).toEqual(
      ['requested', 'answered', 'started', 'ended'].map((event) =>
        expect.objectContaining({ callId, event, conversationId: null, internal: true, fromUserId: t.agent1Id, fromUserName: 'agent1', toUserId: t.agent2Id, toUserName: 'agent2', errorCode: 0 }),
      ),
    );

    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    const start = cdr.StartTimestamp as number;
    expect(cdr.SessionId).toBe(callId);
    expect(cdr.Caller).toBe(t.agent1Id);
    expect(cdr.Callee).toBe(t.agent2Id);
    expect(cdr.Direction).toBe(1);
    expect(cdr.CallType).toBe(6);
    expect(cdr.MediaType).toBe('audio');
    expect(cdr.RingTimestamp - start).toBe(0);
    expect(cdr.AcceptTimestamp - start).toBe(3);
    expect(cdr.EndedTimestamp - start).toBe(45);
    expect(cdr.Duration).toBe(42);
    expect(cdr.QueuedTimestamp).toBe(0);
    expect(cdr.QueuedSkillGroupId).toBe(0);
    expect(cdr.SeatUser).toMatchObject({ UserId: t.agent1Id, Mail: 'agent1@acme.test' });
    expect(cdr.HungUpSide).toBe('seat');
    expect(cdr.EndStatus).toBe(1);
    expect(cdr.EndStatusString).toBe('ok');
    expect(cdr.ServeParticipants.map((p: Record<string, number | string>) => [p.Mail, p.Type, p.Sequence, (p.RingTimestamp as number) && (p.RingTimestamp as number) - start, (p.AcceptTimestamp as number) - start, (p.EndedTimestamp as number) - start, p.EndStatusString])).toEqual([
      ['agent1@acme.test', 'staffSeat', 0, 0, 0, 45, 'ok'],
      ['agent2@acme.test', 'staffSeat', 1, 0, 3, 45, 'ok'],
    ]);
    // An internal call is nobody's conversation: not in the call reports (customer calls), in the CDR only.
    expect(await t.srv.app.storage.db.selectFrom('report_calls').select('call_id').where('call_id', '=', callId).execute()).toEqual([]);
  });

  it('the callee declines: the call ends callee_refused, the caller is told (userReject); the CDR shows the refused leg', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const callId = (await a1.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'video' })).data.call.id as string;
    await a2.waitFor(() => t.ringing(a2, callId));
    t.clock.advance(2_000);
    expect((await a2.request({ type: 'call.refuse', callId })).ok).toBe(true);
    await a1.waitFor(() => t.lastCall(a1, callId)?.phase === 'ended');
    expect(t.lastCall(a1, callId)).toMatchObject({ endReason: 'callee_refused', hungUpSide: 'agent' });
    expect(t.notices(a1, callId).at(-1)).toMatchObject({ code: '002000', tccc: { event: 'sessionEnded', closeBy: 'seat', endStatus: 'userReject' } });
    await expect.poll(async () => (await t.agentState(t.agent2Id)).status).toBe('free');
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    expect(cdr).toMatchObject({ CallType: 6, Direction: 1, MediaType: 'video', Caller: t.agent1Id, Callee: t.agent2Id, AcceptTimestamp: 0, Duration: 0, EndStatus: 102, EndStatusString: 'userReject', HungUpSide: 'seat' });
    expect(cdr.ServeParticipants.map((p: Record<string, unknown>) => [p.Mail, p.AcceptTimestamp, p.EndStatusString])).toEqual([
      // The caller was in the call from its start (as an outbound call's agent).
      ['agent1@acme.test', expect.any(Number), 'ok'],
      ['agent2@acme.test', 0, 'userReject'],
    ]);
    expect((await t.webhooks()).map((w) => [w.event, w.internal, w.errorCode])).toEqual([
      ['requested', true, 0],
      ['ended', true, 1],
    ]);
  });

  it('nobody answers: the ring times out (callee_timeout, notAnswer) and both agents are free', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const callId = (await a1.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' })).data.call.id as string;
    await a2.waitFor(() => t.ringing(a2, callId));
    await a1.waitFor(() => t.lastCall(a1, callId)?.mediaReady === true);
    await t.publishUp(a1, callId);
    // The caller's media is up (else it fails as a media failure when its connect time runs out).
    await a1.waitFor(() => t.lastCall(a1, callId)?.participants.some((p) => p.userId === t.agent1Id && p.leg === 'connected') === true);
    t.clock.advance(31_000);
    await a1.waitFor(() => t.lastCall(a1, callId)?.phase === 'ended');
    expect(t.lastCall(a1, callId)).toMatchObject({ endReason: 'callee_timeout', hungUpSide: 'system' });
    await a2.waitFor(() => t.notices(a2, callId).some((n) => n.code === '001002'));
    expect(t.notices(a1, callId).at(-1)).toMatchObject({ code: '002000', tccc: { event: 'sessionEnded', closeBy: 'timer', endStatus: 'notAnswer' } });
    await expect.poll(async () => [(await t.agentState(t.agent1Id)).status, (await t.agentState(t.agent2Id)).status]).toEqual(['free', 'free']);
  });

  it('a callee in another call is busy (FD_CALL_AGENT_BUSY), nothing rings; a signed-out callee is offline (FD_CALL_AGENT_OFFLINE); the caller stays free', async () => {
    const t = await setup();
    for (const a of [t.s.agent1, t.s.agent2]) await t.ok('PATCH', `/v1/agents/${a.agent.id}`, t.s.admin.token, { mediaTypes: ['chat', 'video'] });
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { calls: { video: true, audio: true } });
    const a2 = await t.agent(t.s.agent2);
    const { callId: visitorCallId } = await t.liveCall();
    const busy = await a2.request({ type: 'call.internal', calleeUserId: t.agent1Id, kind: 'audio' });
    expect(busy).toMatchObject({ ok: false, error: { code: 'FD_CALL_AGENT_BUSY' } });
    expect((await t.agentState(t.agent2Id)).status).toBe('free');
    expect(t.callsOf(a2).filter((c: Call) => c.id !== visitorCallId)).toEqual([]);
    // Over REST too (the same service).
    const rest = await api(t.srv.url, 'POST', '/v1/calls/internal', { token: t.s.agent2.token, body: { calleeUserId: t.agent1Id } });
    expect([rest.status, (rest.body as { error: { code: string } }).error.code]).toEqual([409, 'FD_CALL_AGENT_BUSY']);

    // The admin never signed in on a socket: offline.
    const offline = await a2.request({ type: 'call.internal', calleeUserId: t.s.admin.agent.id, kind: 'audio' });
    expect(offline).toMatchObject({ ok: false, error: { code: 'FD_CALL_AGENT_OFFLINE' } });
    // Nor may an agent call itself.
    expect(await a2.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' })).toMatchObject({ ok: false, error: { code: 'FD_CALL_NOT_ALLOWED' } });
    expect(await t.srv.app.storage.db.selectFrom('calls').select('id').where('direction', '=', 'internal').execute()).toEqual([]);
  });

  it('never across apps: an agent of another app is not found, both ways; a visitor cannot place one', async () => {
    const t = await setup();
    const beta = await seedApp(t.srv, 'beta');
    const b1 = await t.connect(beta.agent1.token, 'beta');
    expect((await b1.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const a1 = await t.agent(t.s.agent1);
    await t.agent(t.s.agent2);
    const across = await b1.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' });
    expect(across.ok).toBe(false);
    expect(across.error.code).toBe('FD_AGENT_NOT_FOUND');
    const back = await a1.request({ type: 'call.internal', calleeUserId: beta.agent1.agent.id, kind: 'audio' });
    expect(back.error.code).toBe('FD_AGENT_NOT_FOUND');
    const session = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    const v = await t.connect(session.token);
    expect((await v.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' })).error.code).toBe('FD_AUTH_FORBIDDEN');
    expect(await t.srv.app.storage.db.selectFrom('calls').select('id').execute()).toEqual([]);
  });

  it('the callee hangs up after answering: callee_hung_up; either side may end it', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const callId = (await a1.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' })).data.call.id as string;
    await a2.waitFor(() => t.ringing(a2, callId));
    await a2.request({ type: 'call.accept', callId });
    await a1.waitFor(() => t.lastCall(a1, callId)?.mediaReady === true);
    await t.publishUp(a1, callId);
    await t.publishUp(a2, callId);
    await a1.waitFor(() => t.lastCall(a1, callId)?.phase === 'active');
    expect((await a2.request({ type: 'call.hangup', callId })).data).toMatchObject({ phase: 'ended', endReason: 'callee_hung_up', hungUpSide: 'agent' });
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '005002'));
    // A transfer of an internal call is refused.
    const again = (await a1.request({ type: 'call.internal', calleeUserId: t.agent2Id, kind: 'audio' })).data.call.id as string;
    await a2.waitFor(() => t.ringing(a2, again));
    await a2.request({ type: 'call.accept', callId: again });
    expect(await a1.request({ type: 'call.transfer', callId: again, userId: t.s.admin.agent.id })).toMatchObject({ ok: false });
  });
});
