import type { Call } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { FakeMediaServer } from '../src/modules/calls/index.ts';
import { callTestBed, OFFER } from './call-bed.ts';
import { STORAGES } from './helpers.ts';

/** Calls through the real server (routing, the calls shell, the gateway) with an in-memory media server. */
describe.each(STORAGES)('calls through the real server (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    const { s, ok, connect } = t;
    // Both agents serve chat and video; agent2 is the video queue's; agent1 takes chats by hand.
    for (const a of [s.agent1, s.agent2]) await ok('PATCH', `/v1/agents/${a.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    const videoQueue = await ok('POST', '/v1/queues', s.admin.token, { name: 'video calls', type: 'video_click_to_call', ringTimeoutSeconds: 20, maxWaitSeconds: 120 });
    await ok('PUT', `/v1/agents/${s.agent2.agent.id}/skills`, s.admin.token, { skills: [{ queueId: videoQueue.id, level: 3 }] });
    await ok('PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true, queueId: videoQueue.id } });
    /** A visitor whose conversation an agent (agent1) claimed by hand, the visitor connected. */
    const chatting = async (claimer: { token: string } = s.agent1) => {
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      await ok('POST', `/v1/conversations/${conversation.id}/claim`, claimer.token);
      return { token: session.token as string, conversationId: conversation.id as string, visitorId: session.visitor.id as string, client: await connect(session.token) };
    };
    const agentState = (agentId: string) => ok('GET', `/v1/agents/${agentId}/state`, s.admin.token);
    return { ...t, videoQueue, chatting, agentState };
  }

  it('a video call from the chat rings its agent first; answered, both publish, it is active; the visitor hangs up and the agent is free again', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const started = await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const callId = started.data.call.id as string;
    expect(started.data.call).toMatchObject({ kind: 'video', direction: 'inbound', conversationId: v.conversationId });
    await a1.waitFor(() => t.lastCall(a1, callId)?.participants.some((p) => p.role === 'agent' && p.userId === t.s.agent1.agent.id && p.leg === 'ringing') === true);
    expect(t.notices(a1, callId)[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'video' } });
    expect((await t.agentState(t.s.agent1.agent.id)).sessions).toContainEqual(expect.objectContaining({ conversationId: callId, state: 'offered' }));

    const accepted = await a1.request({ type: 'call.accept', callId });
    expect(accepted.ok, JSON.stringify(accepted)).toBe(true);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mediaReady === true);
    expect(t.lastCall(v.client, callId)).toMatchObject({ phase: 'connecting', mainAgentId: t.s.agent1.agent.id });
    await t.publishUp(v.client, callId);
    await t.publishUp(a1, callId);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'active');
    // The other party's media is up: each is told to subscribe to it.
    await a1.waitFor(() => a1.events.some((e) => e.type === 'call.publisher' && e.up && e.publisher.role === 'visitor'));
    const subscribed = await a1.request({ type: 'call.subscribe', callId, publisher: { role: 'visitor', id: v.visitorId } });
    expect(subscribed.ok, JSON.stringify(subscribed)).toBe(true);
    expect(subscribed.data.offer.type).toBe('offer');
    expect((await t.agentState(t.s.agent1.agent.id)).status).toBe('busy');

    const hungUp = await v.client.request({ type: 'call.hangup', callId });
    expect(hungUp.data).toMatchObject({ phase: 'ended', endReason: 'visitor_hung_up', hungUpSide: 'visitor' });
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.tccc?.event === 'sessionEnded'));
    expect([...t.media.rooms.values()].some((r) => r.request.callId === callId)).toBe(false);
    await expect.poll(async () => (await t.agentState(t.s.agent1.agent.id)).status).toBe('free');
    const listed = await t.ok('GET', `/v1/conversations/${v.conversationId}/calls`, t.s.agent1.token);
    expect(listed.calls.map((c: Call) => [c.id, c.endReason])).toEqual([[callId, 'visitor_hung_up']]);
    // One CDR per call, in the TCCC field set (session id = the call's).
    await t.srv.app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    expect(cdr).toMatchObject({ SessionId: callId, Direction: 0, CallType: 3, MediaType: 'video', Caller: v.visitorId, HungUpSide: 'user', EndStatusString: 'ok', SeatUser: { UserId: t.s.agent1.agent.id } });
    expect(cdr.ServeParticipants).toEqual([expect.objectContaining({ Mail: 'agent1@acme.test', EndStatusString: 'ok' })]);
    expect(cdr.AcceptTimestamp).toBeGreaterThan(0);
    // The business backend hears the call's four moments (webhook call.state_changed → AnyChat videocall_notify).
    const outbox = await t.srv.app.storage.db.selectFrom('outbox_events').select('data').where('app_id', '=', 'acme').where('type', '=', 'call.state_changed').orderBy('position').execute();
    expect(outbox.map((row) => JSON.parse(row.data))).toEqual(
      ['requested', 'answered', 'started', 'ended'].map((event) =>
        expect.objectContaining({ callId, event, fromUserId: v.visitorId, toUserId: t.s.agent1.agent.id, toUserName: 'agent1', errorCode: 0 }),
      ),
    );
  });

  it('the conversation\'s agent refuses: the video queue rings its agent, who answers', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const a2 = await t.agent(t.s.agent2);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    expect((await a1.request({ type: 'call.refuse', callId })).ok).toBe(true);
    await a2.waitFor(() => t.notices(a2, callId).some((n) => n.code === '004000'));
    expect((await a2.request({ type: 'call.accept', callId })).ok).toBe(true);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mainAgentId === t.s.agent2.agent.id);
  });

  it('a call its only agent refused is released when the queue\'s wait runs out, even with a longer ring time', async () => {
    const t = await setup();
    const queue = await t.ok('POST', '/v1/queues', t.s.admin.token, { name: 'short wait', type: 'video_click_to_call', ringTimeoutSeconds: 30, maxWaitSeconds: 5 });
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.s.admin.token, { skills: [{ queueId: queue.id, level: 3 }] });
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { calls: { queueId: queue.id } });
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    expect((await a1.request({ type: 'call.refuse', callId })).ok).toBe(true);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'queued');
    t.clock.advance(6_000);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'ended');
    expect(t.lastCall(v.client, callId)).toMatchObject({ endReason: 'released_by_routing', hungUpSide: 'system' });
  });

  it('an agent calls the current visitor, who refuses; then again, and the ring times out', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const invited = await a1.request({ type: 'call.invite', conversationId: v.conversationId, kind: 'audio' });
    expect(invited.ok, JSON.stringify(invited)).toBe(true);
    const first = invited.data.call.id as string;
    await a1.waitFor(() => t.notices(a1, first).some((n) => n.code === '003002'));
    await v.client.waitFor(() => t.lastCall(v.client, first)?.participants.some((p) => p.role === 'visitor' && p.leg === 'ringing') === true);
    expect((await v.client.request({ type: 'call.refuse', callId: first })).ok).toBe(true);
    await a1.waitFor(() => t.notices(a1, first).some((n) => n.code === '002006'));

    const second = (await a1.request({ type: 'call.invite', conversationId: v.conversationId, kind: 'audio' })).data.call.id as string;
    // The caller's media is up (else the call fails with a media failure when its connect time runs out).
    await a1.waitFor(() => t.lastCall(a1, second)?.mediaReady === true);
    await t.publishUp(a1, second);
    await a1.waitFor(() => t.lastCall(a1, second)?.participants.some((p) => p.role === 'agent' && p.leg === 'connected') === true);
    t.clock.advance(31_000);
    await a1.waitFor(() => t.notices(a1, second).some((n) => n.code === '002007'));
    await v.client.waitFor(() => t.lastCall(v.client, second)?.endReason === 'visitor_timeout');
  });

  it('mute and hold are enforced at the media server; nobody outside the call may touch its media', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    await a1.request({ type: 'call.accept', callId });
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mediaReady === true);
    const visitorLeg = await t.publishUp(v.client, callId);
    await t.publishUp(a1, callId);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'active');
    const room = [...t.media.rooms.values()].find((r) => r.request.callId === callId)!;

    expect((await v.client.request({ type: 'call.media', callId, micMuted: true })).data.participants.find((p: { role: string }) => p.role === 'visitor')).toMatchObject({ micMuted: true });
    await expect.poll(() => room.legs.get(visitorLeg)?.relay).toEqual({ audio: false, video: true });
    expect((await a1.request({ type: 'call.hold', callId, held: true })).data.phase).toBe('held');
    await expect.poll(() => [...room.legs.values()].filter((l) => l.kind === 'publisher').map((l) => l.relay.audio || l.relay.video)).toEqual([false, false]);
    expect((await a1.request({ type: 'call.hold', callId, held: false })).data.phase).toBe('active');

    // Another visitor, and agent2 (not in the call): the call is not theirs.
    const other = await t.chatting(t.s.agent2);
    expect((await other.client.request({ type: 'call.publish', callId, offer: OFFER })).error.code).toBe('FD_CALL_NOT_FOUND');
    const a2 = await t.agent(t.s.agent2);
    expect((await a2.request({ type: 'call.hangup', callId })).error.code).toBe('FD_CALL_NOT_FOUND');
  });

  it('the media server goes away: the call ends with a media failure, and calls work again once it is back', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    await a1.request({ type: 'call.accept', callId });
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mediaReady === true);
    t.media.loseInstance('killed');
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.endReason === 'media_failure');
    await expect.poll(async () => (await t.agentState(t.s.agent1.agent.id)).status).toBe('free');
    t.media.restore();
    const again = await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' });
    expect(again.ok, JSON.stringify(again)).toBe(true);
  });

  it('a visitor whose socket goes away is gone after the grace period, unless it comes back and publishes again', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    await a1.request({ type: 'call.accept', callId });
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mediaReady === true);
    await t.publishUp(v.client, callId);
    await t.publishUp(a1, callId);
    await a1.waitFor(() => t.lastCall(a1, callId)?.phase === 'active');

    // A reload: the socket closes, a new one rejoins and publishes within the grace period.
    await v.client.close();
    const back = await t.connect(v.token);
    const rejoined = await back.request({ type: 'call.rejoin', callId });
    expect(rejoined.ok, JSON.stringify(rejoined)).toBe(true);
    t.clock.advance(5_000);
    const announced = () => a1.events.filter((e) => e.type === 'call.publisher' && e.up && e.publisher.role === 'visitor').length;
    const before = announced();
    await t.publishUp(back, callId);
    await a1.waitFor(() => announced() > before);
    t.clock.advance(20_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.lastCall(a1, callId)?.phase).toBe('active');

    // Gone for good: its media is lost at once, and the call ends after the grace period.
    const gone = () => a1.events.filter((e) => e.type === 'call.publisher' && !e.up && e.publisher.role === 'visitor').length;
    const goneBefore = gone();
    await back.close();
    await a1.waitFor(() => gone() > goneBefore);
    t.clock.advance(16_000);
    await a1.waitFor(() => t.lastCall(a1, callId)?.endReason === 'peer_lost');
  });

  it('without a click-to-call queue the conversation\'s agent rings for the default 20 s, then the call ends unanswered', async () => {
    const t = await setup();
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { calls: { queueId: null } });
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    t.clock.advance(19_000);
    // Another call's event makes the server look at its timers: this one still rings.
    expect((await a1.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    expect(t.lastCall(v.client, callId)?.phase).toBe('ringing');
    t.clock.advance(2_000);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'ended');
    expect(t.lastCall(v.client, callId)?.endReason).toBe('released_by_routing');
  });

  it('while the media server is down a call is refused at once with FD_CALL_MEDIA_UNAVAILABLE, and nobody is rung', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    t.media.loseInstance('killed');
    const started = await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' });
    expect(started.error?.code, JSON.stringify(started)).toBe('FD_CALL_MEDIA_UNAVAILABLE');
    const invited = await a1.request({ type: 'call.invite', conversationId: v.conversationId, kind: 'audio' });
    expect(invited.error?.code, JSON.stringify(invited)).toBe('FD_CALL_MEDIA_UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 100));
    expect(a1.events.filter((e) => e.type === 'call' || e.type === 'call.notice')).toEqual([]);
    expect((await t.agentState(t.s.agent1.agent.id)).status).toBe('free');
    t.media.restore();
    const again = await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' });
    expect(again.ok, JSON.stringify(again)).toBe(true);
  });

  it('a call needs a channel that offers it, and someone to answer it', async () => {
    const t = await setup();
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { calls: { audio: false, queueId: null } });
    const session = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    const conversation = await t.ok('POST', '/v1/conversations', session.token);
    const v = await t.connect(session.token);
    expect((await v.request({ type: 'call.start', conversationId: conversation.id, kind: 'audio' })).error.code).toBe('FD_CALL_NOT_ENABLED');
    expect((await v.request({ type: 'call.start', conversationId: conversation.id, kind: 'video' })).error.code).toBe('FD_CALL_NO_AGENT');
  });

  it('a media server that fails to close the room does not keep the agent\'s call place: the next call rings it', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const first = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, first).some((n) => n.code === '004000'));
    await a1.request({ type: 'call.accept', callId: first });
    await v.client.waitFor(() => t.lastCall(v.client, first)?.mediaReady === true);
    await t.publishUp(v.client, first);
    await t.publishUp(a1, first);
    await v.client.waitFor(() => t.lastCall(v.client, first)?.phase === 'active');
    // Closing the room fails (Janus refused, or a bug in the client of it): the call still ends, and routing frees the agent.
    const destroyRoom = t.media.destroyRoom.bind(t.media);
    t.media.destroyRoom = async () => {
      throw new Error('destroy failed');
    };
    expect((await v.client.request({ type: 'call.hangup', callId: first })).data.phase).toBe('ended');
    t.media.destroyRoom = destroyRoom;
    await expect.poll(async () => (await t.agentState(t.s.agent1.agent.id)).sessions.some((s: { conversationId: string }) => s.conversationId === first)).toBe(false);
    const second = await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'audio' });
    expect(second.ok, JSON.stringify(second)).toBe(true);
    await a1.waitFor(() => t.notices(a1, second.data.call.id).some((n) => n.code === '004000'));
  });

  it('after our server restarted, a party that does not come back is gone after the grace period; one that does keeps the call', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    await a1.request({ type: 'call.accept', callId });
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mediaReady === true);
    await t.publishUp(v.client, callId);
    await t.publishUp(a1, callId);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'active');

    // The server restarts (the media server, kept, still has the room); only the agent comes back.
    await t.srv.restart();
    const agentBack = await t.connect(t.s.agent1.token);
    expect((await agentBack.request({ type: 'call.rejoin', callId })).ok).toBe(true);
    await t.publishUp(agentBack, callId);
    const phase = async () => (await t.ok('GET', `/v1/calls/${callId}`, t.s.admin.token)).phase;
    t.clock.advance(12_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(await phase()).toBe('active');
    t.clock.advance(20_000);
    await agentBack.waitFor(() => t.lastCall(agentBack, callId)?.endReason === 'peer_lost');
  });

  it('after our server restarted with a new media server, the call whose room is gone ends with a media failure when a party publishes again', async () => {
    const t = await setup();
    const a1 = await t.agent(t.s.agent1);
    const v = await t.chatting();
    const callId = (await v.client.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' })).data.call.id as string;
    await a1.waitFor(() => t.notices(a1, callId).some((n) => n.code === '004000'));
    await a1.request({ type: 'call.accept', callId });
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.mediaReady === true);
    await t.publishUp(v.client, callId);
    await t.publishUp(a1, callId);
    await v.client.waitFor(() => t.lastCall(v.client, callId)?.phase === 'active');

    // The server restarts, and its local media server with it (its rooms are gone): the call is as the database had it.
    t.overrides.media = new FakeMediaServer();
    await t.srv.restart();
    const [back, agentBack] = await Promise.all([t.connect(v.token), t.connect(t.s.agent1.token)]);
    const rejoined = await back.request({ type: 'call.rejoin', callId });
    expect(rejoined.data.call).toMatchObject({ phase: 'active', mediaReady: true });
    const published = await back.request({ type: 'call.publish', callId, offer: OFFER });
    expect(published.error?.code).toBe('FD_CALL_MEDIA_UNAVAILABLE');
    await back.waitFor(() => t.lastCall(back, callId)?.endReason === 'media_failure');
    await agentBack.waitFor(() => t.notices(agentBack, callId).some((n) => n.code === '002011' && n.tccc?.event === 'sessionEnded'));
    await expect.poll(async () => (await t.agentState(t.s.agent1.agent.id)).sessions.some((s: { conversationId: string }) => s.conversationId === callId)).toBe(false);
    const again = await back.request({ type: 'call.start', conversationId: v.conversationId, kind: 'video' });
    expect(again.ok, JSON.stringify(again)).toBe(true);
  });
});
