import type { CallScreenShareData, CallShareEvent } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { ANSWER, callTestBed, OFFER } from './call-bed.ts';
import { api, seedApp, STORAGES, type TestClient } from './helpers.ts';

/** Screen share in calls through the real server (calls, gateway) with the in-memory media server. */
describe.each(STORAGES)('screen share in calls (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    const { srv, s, ok } = t;
    const other = await seedApp(srv, 'other');
    await ok('PATCH', `/v1/agents/${s.agent1.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    await ok('PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true } });
    const a1 = await t.agent(s.agent1);
    /** A live video call between a new visitor and agent1 (both published, media up). */
    const liveCall = () => t.liveCall({ a1 });
    const shareEvents = (client: TestClient, callId: string) => client.events.filter((e): e is CallShareEvent => e.type === 'call.share' && e.callId === callId);
    /** The business backend's view: `call.screen_share` outbox events of the call, in order. */
    const shareWebhooks = async (callId: string) =>
      (await srv.app.storage.db.selectFrom('outbox_events').select(['data', 'ordering_key']).where('app_id', '=', 'acme').where('type', '=', 'call.screen_share').orderBy('position').execute())
        .map((row) => ({ ...(JSON.parse(row.data) as CallScreenShareData), orderingKey: row.ordering_key }))
        .filter((data) => data.callId === callId);
    return { ...t, other, a1, liveCall, shareEvents, shareWebhooks };
  }

  it("the visitor, invited, shares its screen on a leg of its own: the agent subscribes to it apart from the camera; stop closes it for everyone", async () => {
    const t = await setup();
    const call = await t.liveCall();
    const agent = { role: 'agent', id: t.s.agent1.agent.id };
    const visitor = { role: 'visitor', id: call.visitorId };

    // The agent invites: both hear `invited` (the visitor's page asks for consent); nothing is shared yet.
    expect((await t.a1.request({ type: 'call.share.invite', callId: call.callId })).ok).toBe(true);
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).some((e) => e.event === 'invited'));
    expect(t.shareEvents(call.v, call.callId)).toEqual([expect.objectContaining({ event: 'invited', by: agent, shares: [], reason: null })]);
    expect((await call.v.request({ type: 'call.share.state', callId: call.callId })).data).toEqual({ callId: call.callId, shares: [] });

    // The visitor shares: a second publisher in the room, its own participant id; open once its media is up.
    const published = await call.v.request({ type: 'call.share.publish', callId: call.callId, offer: OFFER });
    expect(published.ok, JSON.stringify(published)).toBe(true);
    const screenLeg = call.room.legs.get(published.data.legId)!;
    expect(screenLeg.participantId).toBe(`screen:visitor:${call.visitorId}`);
    expect([...call.room.legs.values()].filter((l) => l.kind === 'publisher')).toHaveLength(3);
    expect(t.shareEvents(t.a1, call.callId).some((e) => e.event === 'open')).toBe(false);
    const since = t.clock.now();
    t.media.emitLegEvent(call.room.ref, published.data.legId, { type: 'leg.up' });
    await t.a1.waitFor(() => t.shareEvents(t.a1, call.callId).some((e) => e.event === 'open'));
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).some((e) => e.event === 'open'));
    expect(t.shareEvents(t.a1, call.callId).find((e) => e.event === 'open')).toMatchObject({ by: visitor, shares: [{ sharer: visitor, since }] });
    expect((await t.a1.request({ type: 'call.share.state', callId: call.callId })).data.shares).toEqual([{ sharer: visitor, since }]);
    // A second leg-up of the same leg (a reconnect of its ICE) opens nothing new.
    t.media.emitLegEvent(call.room.ref, published.data.legId, { type: 'leg.up' });

    // The agent subscribes to the screen: a subscription to the screen publisher, not to the camera.
    const sub = await t.a1.request({ type: 'call.share.subscribe', callId: call.callId, sharer: visitor });
    expect(sub.ok, JSON.stringify(sub)).toBe(true);
    const subLeg = call.room.legs.get(sub.data.legId)!;
    expect(subLeg.publisherParticipantId).toBe(`screen:visitor:${call.visitorId}`);
    expect((await t.a1.request({ type: 'call.share.answer', callId: call.callId, legId: sub.data.legId, answer: ANSWER })).ok).toBe(true);
    expect(subLeg.remoteSdp).toBe(ANSWER.sdp);
    // The media server's candidates for a screen leg come as call.share.ice, never as the camera's call.ice.
    t.media.emitLegEvent(call.room.ref, sub.data.legId, { type: 'leg.ice-candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.2 5000 typ host', sdpMid: '0' } });
    await t.a1.waitFor(() => t.a1.events.some((e) => e.type === 'call.share.ice' && e.legId === sub.data.legId));
    expect(t.a1.events.some((e) => e.type === 'call.ice' && e.legId === sub.data.legId)).toBe(false);
    // Another's leg cannot be answered; the camera's frames know nothing of screen legs.
    expect((await call.v.request({ type: 'call.share.answer', callId: call.callId, legId: sub.data.legId, answer: ANSWER })).error.code).toBe('FD_CALL_NOT_PARTICIPANT');
    expect((await t.a1.request({ type: 'call.answer', callId: call.callId, legId: sub.data.legId, answer: ANSWER })).error.code).toBe('FD_CALL_NOT_PARTICIPANT');

    // ICE restarts, each on one's own screen leg of its kind: the share's new offer, the subscription's new
    // offer from the media server; the media server's "ICE failed" reaches the leg's client as call.share.ice-failed.
    const RESTART_OFFER = { type: 'offer', sdp: 'v=0\r\no=- 3 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' } as const;
    const renegotiated = await call.v.request({ type: 'call.share.renegotiate', callId: call.callId, legId: published.data.legId, offer: RESTART_OFFER });
    expect(renegotiated.data.answer.type, JSON.stringify(renegotiated)).toBe('answer');
    expect(call.room.legs.get(published.data.legId)!.remoteSdp).toBe(RESTART_OFFER.sdp);
    expect((await t.a1.request({ type: 'call.share.restart', callId: call.callId, legId: sub.data.legId })).data.offer.type).toBe('offer');
    expect((await t.a1.request({ type: 'call.share.renegotiate', callId: call.callId, legId: published.data.legId, offer: RESTART_OFFER })).error.code).toBe('FD_CALL_NOT_PARTICIPANT');
    expect((await call.v.request({ type: 'call.share.restart', callId: call.callId, legId: published.data.legId })).error.code).toBe('FD_CALL_NOT_PARTICIPANT');
    expect((await call.v.request({ type: 'call.restart', callId: call.callId, legId: sub.data.legId })).error.code).toBe('FD_CALL_NOT_PARTICIPANT');
    t.media.emitLegEvent(call.room.ref, published.data.legId, { type: 'leg.ice-failed' });
    await call.v.waitFor(() => call.v.events.some((e) => e.type === 'call.share.ice-failed' && e.legId === published.data.legId));
    expect(call.v.events.some((e) => e.type === 'call.ice-failed' && e.legId === published.data.legId)).toBe(false);

    // The visitor stops: its screen leg and the agent's subscription end; both hear close (stopped); the state is empty.
    t.clock.advance(5000);
    expect((await call.v.request({ type: 'call.share.stop', callId: call.callId })).ok).toBe(true);
    await t.a1.waitFor(() => t.shareEvents(t.a1, call.callId).some((e) => e.event === 'close'));
    expect(t.shareEvents(t.a1, call.callId).filter((e) => e.event !== 'invited').map((e) => [e.event, e.reason, e.shares.length])).toEqual([
      ['open', null, 1],
      ['close', 'stopped', 0],
    ]);
    expect(call.room.legs.has(published.data.legId)).toBe(false);
    expect(call.room.legs.has(sub.data.legId)).toBe(false);
    expect([...call.room.legs.values()].filter((l) => l.kind === 'publisher')).toHaveLength(2);
    expect((await t.a1.request({ type: 'call.share.state', callId: call.callId })).data.shares).toEqual([]);
    const rows = await t.srv.app.storage.db.selectFrom('call_screen_shares').selectAll().where('call_id', '=', call.callId).execute();
    expect(rows.map((r) => [r.sharer_role, r.sharer_id, Number(r.started_at), Number(r.ended_at), r.end_reason])).toEqual([['visitor', call.visitorId, since, since + 5000, 'stopped']]);
    // Stopping again is harmless and announces nothing more.
    expect((await call.v.request({ type: 'call.share.stop', callId: call.callId })).ok).toBe(true);
    // The business backend hears each once (the second leg-up and the second stop add nothing), ordered with the conversation.
    const conversationId = (await t.ok('GET', `/v1/calls/${call.callId}`, t.s.admin.token)).conversationId as string;
    expect(await t.shareWebhooks(call.callId)).toEqual([
      { callId: call.callId, conversationId, event: 'opened', sharer: visitor, reason: null, startedAt: since, at: since, orderingKey: conversationId },
      { callId: call.callId, conversationId, event: 'closed', sharer: visitor, reason: 'stopped', startedAt: since, at: since + 5000, orderingKey: conversationId },
    ]);
  });

  it('the visitor says not now: the agent hears declined and nothing is published', async () => {
    const t = await setup();
    const call = await t.liveCall();
    expect((await t.a1.request({ type: 'call.share.invite', callId: call.callId })).ok).toBe(true);
    expect((await call.v.request({ type: 'call.share.decline', callId: call.callId })).ok).toBe(true);
    await t.a1.waitFor(() => t.shareEvents(t.a1, call.callId).some((e) => e.event === 'declined'));
    expect(t.shareEvents(t.a1, call.callId).find((e) => e.event === 'declined')).toMatchObject({ by: { role: 'visitor', id: call.visitorId }, reason: 'refused', shares: [] });
    expect([...call.room.legs.values()].filter((l) => l.kind === 'publisher')).toHaveLength(2);
    // Only the visitor declines; only an agent invites.
    expect((await t.a1.request({ type: 'call.share.decline', callId: call.callId })).error.code).toBe('FD_AUTH_FORBIDDEN');
    expect((await call.v.request({ type: 'call.share.invite', callId: call.callId })).error.code).toBe('FD_AUTH_FORBIDDEN');
  });

  it('the agent shares its own screen; a lost leg closes it (lost); hold stops relaying screens; the call ending closes a share still open (ended)', async () => {
    const t = await setup();
    const call = await t.liveCall();
    const agent = { role: 'agent', id: t.s.agent1.agent.id };
    const shareOf = async (client: TestClient) => {
      const published = await client.request({ type: 'call.share.publish', callId: call.callId, offer: OFFER });
      expect(published.ok, JSON.stringify(published)).toBe(true);
      t.media.emitLegEvent(call.room.ref, published.data.legId, { type: 'leg.up' });
      return published.data.legId as string;
    };
    const legId = await shareOf(t.a1);
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).some((e) => e.event === 'open'));
    const sub = await call.v.request({ type: 'call.share.subscribe', callId: call.callId, sharer: agent });
    expect(call.room.legs.get(sub.data.legId)!.publisherParticipantId).toBe(`screen:agent:${t.s.agent1.agent.id}`);
    // The agent's screen leg goes down (its browser closed it): close, lost.
    t.media.emitLegEvent(call.room.ref, legId, { type: 'leg.down', reason: 'hangup' });
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).some((e) => e.event === 'close'));
    expect(t.shareEvents(call.v, call.callId).find((e) => e.event === 'close')).toMatchObject({ by: agent, reason: 'lost', shares: [] });

    // On hold nobody's screen is relayed (as no camera), and none is shared; taken back, the screen is relayed again.
    const again = await shareOf(t.a1);
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).filter((e) => e.event === 'open').length === 2);
    expect((await t.a1.request({ type: 'call.hold', callId: call.callId, held: true })).ok).toBe(true);
    await call.v.waitFor(() => call.room.legs.get(again)!.relay.video === false);
    expect((await call.v.request({ type: 'call.share.publish', callId: call.callId, offer: OFFER })).error.code).toBe('FD_CALL_NOT_ALLOWED');
    expect((await t.a1.request({ type: 'call.hold', callId: call.callId, held: false })).ok).toBe(true);
    await call.v.waitFor(() => call.room.legs.get(again)!.relay.video === true);
    expect((await t.a1.request({ type: 'call.share.stop', callId: call.callId })).ok).toBe(true);

    // Both share at once; the call ends: both close (ended) and the state is empty.
    await shareOf(t.a1);
    await shareOf(call.v);
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).filter((e) => e.event === 'open').length === 4);
    expect((await call.v.request({ type: 'call.share.state', callId: call.callId })).data.shares).toHaveLength(2);
    expect((await t.a1.request({ type: 'call.hangup', callId: call.callId })).ok).toBe(true);
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).filter((e) => e.event === 'close' && e.reason === 'ended').length === 2);
    const open = await t.srv.app.storage.db.selectFrom('call_screen_shares').select('id').where('call_id', '=', call.callId).where('ended_at', 'is', null).execute();
    expect(open).toEqual([]);
    // An ended call shares nothing more.
    expect((await call.v.request({ type: 'call.share.publish', callId: call.callId, offer: OFFER })).error.code).toBe('FD_CALL_ENDED');
    // Webhooks: every open and close with who shares and why (lost, stopped, then both ended with the call).
    const visitor = { role: 'visitor', id: call.visitorId };
    const told = (await t.shareWebhooks(call.callId)).map((w) => `${w.event} ${w.sharer.role} ${w.reason}`);
    expect(told.slice(0, 6)).toEqual(['opened agent null', 'closed agent lost', 'opened agent null', 'closed agent stopped', 'opened agent null', 'opened visitor null']);
    // NOTE: the two shares the call's end closes come in either order.
    expect(told.slice(6).sort()).toEqual(['closed agent ended', 'closed visitor ended']);
    expect((await t.shareWebhooks(call.callId)).at(-1)).toMatchObject({ sharer: visitor, conversationId: expect.any(String) });
  });

  it('a sharer who leaves the call (a supervisor takes it over) stops sharing: close (left) to the parties and the webhook', async () => {
    const t = await setup();
    const call = await t.liveCall();
    const agent = { role: 'agent', id: t.s.agent1.agent.id };
    await t.srv.app.services.identity.createAgent('acme', { email: 'boss@acme.test', password: 'correct horse battery', role: 'supervisor', name: 'Boss', mediaTypes: ['chat', 'video'], maxConcurrentChats: 5 });
    const login = await api(t.srv.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'boss@acme.test', password: 'correct horse battery' } });
    const boss = await t.connect((login.body as { token: string }).token);
    const published = await t.a1.request({ type: 'call.share.publish', callId: call.callId, offer: OFFER });
    t.media.emitLegEvent(call.room.ref, published.data.legId, { type: 'leg.up' });
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).some((e) => e.event === 'open'));

    expect((await boss.request({ type: 'call.supervise', callId: call.callId, mode: 'monitor', textOnly: true })).ok).toBe(true);
    const taken = await boss.request({ type: 'call.intercept', callId: call.callId });
    expect(taken.ok, JSON.stringify(taken)).toBe(true);
    await call.v.waitFor(() => t.shareEvents(call.v, call.callId).some((e) => e.event === 'close'));
    expect(t.shareEvents(call.v, call.callId).find((e) => e.event === 'close')).toMatchObject({ by: agent, reason: 'left', shares: [] });
    await expect.poll(async () => (await t.shareWebhooks(call.callId)).map((w) => `${w.event} ${w.sharer.role} ${w.reason}`)).toEqual(['opened agent null', 'closed agent left']);
  });

  it('only the parties of the call share, subscribe or read the state: another agent, another visitor or another app get not found', async () => {
    const t = await setup();
    const call = await t.liveCall();
    const a2 = await t.connect(t.s.agent2.token);
    const stranger = await t.connect((await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' })).token);
    const otherApp = await t.connect(t.other.agent1.token, 'other');
    for (const client of [a2, stranger, otherApp]) {
      for (const frame of [
        { type: 'call.share.publish', callId: call.callId, offer: OFFER },
        { type: 'call.share.subscribe', callId: call.callId, sharer: { role: 'visitor', id: call.visitorId } },
        { type: 'call.share.state', callId: call.callId },
        { type: 'call.share.stop', callId: call.callId },
      ]) {
        expect((await client.request(frame)).error?.code, JSON.stringify(frame)).toBe('FD_CALL_NOT_FOUND');
      }
    }
    expect((await a2.request({ type: 'call.share.invite', callId: call.callId })).error.code).toBe('FD_CALL_NOT_FOUND');
    expect((await otherApp.request({ type: 'call.share.invite', callId: call.callId })).error.code).toBe('FD_CALL_NOT_FOUND');
    expect([...call.room.legs.values()].filter((l) => l.kind === 'publisher')).toHaveLength(2);
    // A supervisor of the app reads the state (isShareState) but cannot share into a call it is not in.
    const admin = await t.connect(t.s.admin.token);
    expect((await admin.request({ type: 'call.share.state', callId: call.callId })).data).toEqual({ callId: call.callId, shares: [] });
    expect((await admin.request({ type: 'call.share.publish', callId: call.callId, offer: OFFER })).error.code).toBe('FD_CALL_NOT_FOUND');
    // One's own screen is not subscribed to; nobody's screen before it is shared is "media unavailable" (not published).
    expect((await call.v.request({ type: 'call.share.subscribe', callId: call.callId, sharer: { role: 'visitor', id: call.visitorId } })).error.code).toBe('FD_CALL_NOT_PARTICIPANT');
    expect((await call.v.request({ type: 'call.share.subscribe', callId: call.callId, sharer: { role: 'agent', id: t.s.agent1.agent.id } })).error.code).toBe('FD_CALL_MEDIA_UNAVAILABLE');
    // An offer that is not SDP is refused at the edge.
    expect((await call.v.request({ type: 'call.share.publish', callId: call.callId, offer: { type: 'offer', sdp: '' } })).error.code).toBe('FD_REQ_INVALID');
  });
});
