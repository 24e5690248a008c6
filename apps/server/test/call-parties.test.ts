import { describe, expect, it } from 'vitest';
import { callTestBed } from './call-bed.ts';
import { api, seedApp, STORAGES, type TestClient } from './helpers.ts';

/**
 * Multi-party calls (SPEC M24, Easemob videoInviteAgent / videoInviteVisitor / multipleVideoPickUp)
 * through the real server with the in-memory media server: the call's agent invites a third agent
 * and a third visitor, who ring, answer and publish; every party receives every other; a third
 * party leaving keeps the call, the main agent leaving ends it; the seed's codes on each step.
 */
describe.each(STORAGES)('multi-party calls (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    for (const a of [t.s.agent1, t.s.agent2]) await t.ok('PATCH', `/v1/agents/${a.agent.id}`, t.s.admin.token, { mediaTypes: ['chat', 'video'] });
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { calls: { video: true, audio: true } });
    /** Another visitor of the app with its socket open. */
    const visitor = async () => {
      const session = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      return { client: await t.connect(session.token), visitorId: session.visitor.id as string, token: session.token as string };
    };
    const codes = (client: TestClient, callId: string) => t.notices(client, callId).map((n) => n.code);
    const ringsFor = (client: TestClient, callId: string, userId: string) => client.waitFor(() => t.lastCall(client, callId)?.participants.some((p) => p.userId === userId && p.leg === 'ringing') === true);
    return { ...t, visitor, codes, ringsFor };
  }

  it('a third agent and a third visitor join: each party receives every other; the third agent leaving keeps the call; the main agent hanging up ends it for all', async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId, visitorId, token: visitorToken } = await t.liveCall();
    const [agent1Id, agent2Id] = [t.s.agent1.agent.id, t.s.agent2.agent.id];

    // videoInviteAgent: 007002 for the main agent; the invited agent rings (004000, TCCC callIn).
    const invited = await a1.request({ type: 'call.add_party', callId, userId: agent2Id });
    expect(invited.ok, JSON.stringify(invited)).toBe(true);
    expect(invited.data.participants.find((p: { userId: string }) => p.userId === agent2Id)).toMatchObject({ role: 'agent', leg: 'ringing' });
    await a2.waitFor(() => t.codes(a2, callId).includes('004000'));
    expect(t.notices(a2, callId)[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'video' } });
    expect(t.codes(a1, callId).at(-1)).toBe('007002');
    // One invite at a time.
    const { client: v2, visitorId: visitor2Id, token: visitor2Token } = await t.visitor();
    expect(await a1.request({ type: 'call.add_party', callId, visitorId: visitor2Id })).toMatchObject({ ok: false, error: { code: 'FD_CALL_INVITE_PENDING' } });

    // multipleVideoPickUp: the invited agent answers (006014) and publishes; the main agent hears 008002.
    expect((await a2.request({ type: 'call.accept', callId })).ok).toBe(true);
    await t.publishUp(a2, callId);
    await a1.waitFor(() => t.codes(a1, callId).includes('008002'));
    expect(t.codes(a2, callId)).toEqual(['004000', '006014']);
    // Those already in are told to receive the new party (it receives those already up when it enters).
    await v.waitFor(() => t.announced(v, agent2Id).includes(true));

    // videoInviteVisitor over REST: the second visitor's socket sees the call ring for it; it answers.
    const withVisitor = await t.ok('POST', `/v1/calls/${callId}/participants`, t.s.agent1.token, { visitorId: visitor2Id });
    expect(withVisitor.participants.find((p: { userId: string }) => p.userId === visitor2Id)).toMatchObject({ role: 'visitor', leg: 'ringing' });
    await t.ringsFor(v2, callId, visitor2Id);
    expect(t.codes(a1, callId).at(-1)).toBe('007001');
    expect((await v2.request({ type: 'call.accept', callId })).ok).toBe(true);
    await t.publishUp(v2, callId);
    await a1.waitFor(() => t.codes(a1, callId).includes('008001'));

    // The parties see the call's agents' names, a third visitor too; nobody else, and no agent outside the call.
    const third = await t.visitor();
    const nameOf = async (agentId: string) => (await t.ok('GET', `/v1/agents/${agentId}`, t.s.admin.token)).name as string;
    expect(await t.ok('GET', `/v1/calls/${callId}/agents/${agent1Id}`, visitor2Token)).toEqual({ id: agent1Id, name: await nameOf(agent1Id) });
    expect(await t.ok('GET', `/v1/calls/${callId}/agents/${agent2Id}`, visitorToken)).toEqual({ id: agent2Id, name: await nameOf(agent2Id) });
    const stranger = await api(t.srv.url, 'GET', `/v1/calls/${callId}/agents/${agent1Id}`, { token: third.token });
    expect([stranger.status, stranger.body.error?.code ?? stranger.body.code]).toEqual([404, 'FD_CALL_NOT_FOUND']);
    const outside = await api(t.srv.url, 'GET', `/v1/calls/${callId}/agents/${t.s.admin.agent.id}`, { token: visitorToken });
    expect([outside.status, outside.body.error?.code ?? outside.body.code]).toEqual([404, 'FD_AGENT_NOT_FOUND']);

    // Four parties: everyone subscribes to everyone else.
    const parties = [
      [a1, 'agent', agent1Id],
      [a2, 'agent', agent2Id],
      [v, 'visitor', visitorId],
      [v2, 'visitor', visitor2Id],
    ] as const;
    for (const [client, , selfId] of parties) {
      for (const [, role, id] of parties) if (id !== selfId) expect((await client.request({ type: 'call.subscribe', callId, publisher: { role, id } })).ok, `${selfId} <- ${id}`).toBe(true);
    }
    expect(t.forwarding(callId)).toHaveLength(12);

    // The third agent leaves (exitSuccess): the call goes on with three parties (008000 for the main agent).
    const left = await a2.request({ type: 'call.hangup', callId });
    expect(left.data).toMatchObject({ phase: 'active' });
    expect(t.codes(a2, callId).at(-1)).toBe('005010');
    await a1.waitFor(() => t.codes(a1, callId).at(-1) === '008000');
    await expect.poll(() => t.forwarding(callId).some((f) => f.includes(`agent:${agent2Id}`))).toBe(false);
    expect(t.forwarding(callId)).toHaveLength(6);

    // The main agent hangs up: the call ends for everyone; 005001 (a third visitor was in it).
    const ended = await a1.request({ type: 'call.hangup', callId });
    expect(ended.data).toMatchObject({ phase: 'ended', endReason: 'agent_hung_up' });
    expect(t.codes(a1, callId).at(-1)).toBe('005001');
    await v2.waitFor(() => t.lastCall(v2, callId)?.phase === 'ended');
    await v.waitFor(() => t.lastCall(v, callId)?.phase === 'ended');

    // The CDR lists both agents' legs.
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    expect(cdr.ServeParticipants.map((p: Record<string, unknown>) => p.Mail)).toEqual(['agent1@acme.test', 'agent2@acme.test']);
  });

  it("a member's stream stopped (visitorStreamOffline): its agents see it 3 s after the media stopped, and no longer once it resumes; a stream back within the 3 s is never reported", async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId, visitorId } = await t.liveCall();
    expect((await a1.request({ type: 'call.add_party', callId, userId: t.s.agent2.agent.id })).ok).toBe(true);
    await a2.waitFor(() => t.codes(a2, callId).includes('004000'));
    expect((await a2.request({ type: 'call.accept', callId })).ok).toBe(true);
    await t.publishUp(a2, callId);
    const visitorLeg = [...t.roomOf(callId).legs.entries()].find(([, l]) => l.kind === 'publisher' && l.participantId === `visitor:${visitorId}`)![0];
    const isOffline = (client: TestClient) => t.lastCall(client, callId)?.participants.find((p) => p.userId === visitorId)?.isStreamOffline;

    /** Emits a media event of the visitor's publisher leg and waits for the call view it pushes to agent1. */
    const media = async (event: { type: 'leg.media-stopped'; media: 'audio'; silentMs: number } | { type: 'leg.media-resumed'; media: 'audio' }) => {
      const views = t.callsOf(a1).length;
      t.media.emitLegEvent(t.roomOf(callId).ref, visitorLeg, event);
      await a1.waitFor(() => t.callsOf(a1).length > views);
    };

    // Back within the 3 s: nothing is reported, even once the first deadline passed.
    await media({ type: 'leg.media-stopped', media: 'audio', silentMs: 1_000 });
    await media({ type: 'leg.media-resumed', media: 'audio' });
    t.clock.advance(5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isOffline(a1)).toBe(false);

    // Told after 1 s of silence: reported 2 s later (3 s after the media stopped), to both agents.
    await media({ type: 'leg.media-stopped', media: 'audio', silentMs: 1_000 });
    t.clock.advance(1_900);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isOffline(a1)).toBe(false);
    t.clock.advance(200);
    await a1.waitFor(() => isOffline(a1) === true);
    await a2.waitFor(() => isOffline(a2) === true);
    t.media.emitLegEvent(t.roomOf(callId).ref, visitorLeg, { type: 'leg.media-resumed', media: 'audio' });
    await a1.waitFor(() => isOffline(a1) === false);
    expect(t.lastCall(v, callId)?.phase).toBe('active');
  });

  it('an invite refused, rung out, or refused before ringing: bad targets, unknown, of another app, already in, not the holder, a visitor, busy, signed out; six parties at most', async () => {
    const t = await setup();
    const a2 = await t.agent(t.s.agent2);
    const { a1, v, callId } = await t.liveCall();
    const agent2Id = t.s.agent2.agent.id;

    // Refused by the invitee: 006006; rung out: 006008 (the core's ring timer), and the invitee leg left.
    expect((await a1.request({ type: 'call.add_party', callId, userId: agent2Id })).ok).toBe(true);
    await a2.waitFor(() => t.codes(a2, callId).includes('004000'));
    expect((await a2.request({ type: 'call.refuse', callId })).ok).toBe(true);
    await a1.waitFor(() => t.codes(a1, callId).at(-1) === '006006');
    expect((await a1.request({ type: 'call.add_party', callId, userId: agent2Id })).ok).toBe(true);
    await a2.waitFor(() => t.codes(a2, callId).filter((c) => c === '004000').length === 2);
    t.clock.advance(31_000);
    await a1.waitFor(() => t.codes(a1, callId).at(-1) === '006008');
    expect(t.lastCall(a1, callId)?.participants.filter((p) => p.userId === agent2Id).map((p) => p.leg)).toEqual(['left', 'left']);
    expect(t.lastCall(a1, callId)?.phase).toBe('active');

    const refused = async (body: object, status: number, code: string, token = t.s.agent1.token) => {
      const res = await api(t.srv.url, 'POST', `/v1/calls/${callId}/participants`, { token, body });
      expect([res.status, res.body.error?.code ?? res.body.code], JSON.stringify(body)).toEqual([status, code]);
    };
    await refused({}, 400, 'FD_REQ_INVALID');
    await refused({ userId: agent2Id, visitorId: 'v_x' }, 400, 'FD_REQ_INVALID');
    await refused({ userId: 'ag_nope' }, 404, 'FD_AGENT_NOT_FOUND');
    await refused({ visitorId: 'vis_nope' }, 404, 'FD_VISITOR_NOT_FOUND');
    // A visitor of another app is not found either.
    await seedApp(t.srv, 'other');
    const stranger = await t.ok('POST', '/v1/visitor/session', '', { appId: 'other' });
    await refused({ visitorId: stranger.visitor.id }, 404, 'FD_VISITOR_NOT_FOUND');
    // Already in the call; someone not holding it; a visitor.
    await refused({ userId: t.s.agent1.agent.id }, 409, 'FD_CALL_ALREADY_PARTICIPANT');
    await refused({ userId: agent2Id }, 409, 'FD_CALL_NOT_ALLOWED', t.s.agent2.token);
    expect(await v.request({ type: 'call.add_party', callId, userId: agent2Id })).toMatchObject({ ok: false, error: { code: 'FD_AUTH_FORBIDDEN' } });
    // Busy in a call of its own (agent2 calls a visitor of its own), then signed out.
    const session = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    const conversation = await t.ok('POST', '/v1/conversations', session.token);
    await t.ok('POST', `/v1/conversations/${conversation.id}/claim`, t.s.agent2.token);
    const own = await a2.request({ type: 'call.invite', conversationId: conversation.id, kind: 'audio' });
    expect(own.ok).toBe(true);
    await refused({ userId: agent2Id }, 409, 'FD_CALL_AGENT_BUSY');
    await refused({ visitorId: session.visitor.id }, 409, 'FD_CALL_VISITOR_IN_CALL');
    // The admin never signed in on a socket: offline.
    await refused({ userId: t.s.admin.agent.id }, 409, 'FD_CALL_AGENT_OFFLINE');

    // Six parties at most (ringing invitees count): four more visitors join, a fifth is refused.
    for (let i = 0; i < 4; i++) {
      const { client, visitorId } = await t.visitor();
      expect((await a1.request({ type: 'call.add_party', callId, visitorId })).ok).toBe(true);
      await t.ringsFor(client, callId, visitorId);
      expect((await client.request({ type: 'call.accept', callId })).ok).toBe(true);
    }
    const { visitorId: seventh } = await t.visitor();
    await refused({ visitorId: seventh }, 409, 'FD_CALL_PARTICIPANT_LIMIT');
  });
});
