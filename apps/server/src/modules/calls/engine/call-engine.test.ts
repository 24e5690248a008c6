import { describe, expect, it } from 'vitest';
import { agent, harness, visitor } from './call-engine.testing.ts';
import { isAllowedEasemobTransition } from './easemob-transitions.ts';

describe('call engine: a visitor clicks to call (videoPickUp, TCCC callIn)', () => {
  it('asks routing for the conversation agent first, rings the offered agent, answers on assignment and becomes active once both media connect', () => {
    const h = harness();
    const requested = h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'video', visitorId: 'v1', queueId: 'q-video', preferredAgentId: 'ann' }).actions;
    expect(requested).toContainEqual({ type: 'request_routing', callId: 'c1', conversationId: 'conv-v1', kind: 'video', queueId: 'q-video', preferredAgentId: 'ann' });
    h.run({ type: 'routing.queued', callId: 'c1', queueId: 'q-video' }, 100);
    const rung = h.run({ type: 'routing.offered', callId: 'c1', agentId: 'ann', expiresAt: 20_200 }, 200).actions;
    expect(rung).toContainEqual({ type: 'notify', callId: 'c1', agentId: 'ann', code: '004000', previous: null, tccc: { event: 'callIn', type: 'video', timeoutMs: 20_000 }, about: visitor('v1') });
    const answered = h.run({ type: 'routing.assigned', callId: 'c1', agentId: 'ann' }, 5_000).actions;
    expect(answered.filter((a) => a.type.startsWith('media.'))).toEqual([
      { type: 'media.create_room', callId: 'c1', kind: 'video' },
      { type: 'media.add_participant', callId: 'c1', participant: visitor('v1') },
      { type: 'media.add_participant', callId: 'c1', participant: agent('ann') },
    ]);
    expect(h.engine.calls.get('c1')!.phase).toBe('connecting');
    h.run({ type: 'media.connected', callId: 'c1', participant: visitor('v1') }, 5_500);
    expect(h.run({ type: 'media.connected', callId: 'c1', participant: agent('ann') }, 5_600).actions).toContainEqual({ type: 'call.phase_changed', callId: 'c1', from: 'connecting', to: 'active' });
    expect(h.codes('ann')).toEqual(['004000', '006013']);
    expect(h.notices('ann')[1]!.tccc).toEqual({ event: 'userAccessed' });
  });

  it('visitor hang-up after answer: 005007 and a CDR with ring, accept and end times', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    const { actions } = h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') }, 65_000);
    expect(actions.at(-1)).toMatchObject({ type: 'call.ended', callId: 'c1', reason: 'visitor_hung_up', hungUpSide: 'visitor' });
    expect(actions).toContainEqual({ type: 'media.close_room', callId: 'c1' });
    expect(actions.some((a) => a.type === 'cancel_routing')).toBe(false);
    expect(h.codes('ann')).toEqual(['004000', '006013', '005007']);
    expect(h.notices('ann').at(-1)!.tccc).toEqual({ event: 'sessionEnded', closeBy: 'client', endStatus: 'ok' });
    const summary = h.ended('c1')!.summary;
    expect(summary).toMatchObject({ direction: 'inbound', origin: 'visitor_request', ringAt: 0, acceptedAt: 0, endedAt: 65_000, durationMs: 65_000, endStatus: 'ok', closeBy: 'client', mainAgentId: 'ann' });
    expect(summary.participants.map((p) => [p.role, p.userId, p.leftReason, p.endStatus])).toEqual([
      ['visitor', 'v1', 'visitor_hung_up', 'ok'],
      ['agent', 'ann', 'call_ended', 'ok'],
    ]);
  });

  it('agent hang-up after answer: 005008, hung up by the seat', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }, 30_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'agent_hung_up', hungUpSide: 'agent', summary: { closeBy: 'seat', durationMs: 30_000 } });
    expect(h.codes('ann')).toEqual(['004000', '006013', '005008']);
  });

  it('an agent who declines gets 002000 and the call waits for the next agent; the CDR keeps the declined leg as seatGiveUp', () => {
    const h = harness();
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'audio', visitorId: 'v1' });
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'ann', expiresAt: 20_000 });
    const declined = h.run({ type: 'routing.offer_withdrawn', callId: 'c1', agentId: 'ann', reason: 'declined' }, 3_000).actions;
    expect(declined).toContainEqual(expect.objectContaining({ type: 'notify', agentId: 'ann', code: '002000', tccc: { event: 'sessionEnded', closeBy: 'seat', endStatus: 'seatGiveUp' } }));
    expect(declined).toContainEqual({ type: 'call.phase_changed', callId: 'c1', from: 'ringing', to: 'queued' });
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'bob', expiresAt: 23_000 }, 3_000);
    h.run({ type: 'routing.assigned', callId: 'c1', agentId: 'bob' }, 4_000);
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('bob') }, 10_000);
    expect(h.codes('bob')).toEqual(['004000', '006013', '005008']);
    expect(h.ended('c1')!.summary.participants.map((p) => [p.userId, p.leftReason, p.endStatus])).toEqual([
      ['v1', 'call_ended', 'ok'],
      ['ann', 'agent_refused', 'seatGiveUp'],
      ['bob', 'agent_hung_up', 'ok'],
    ]);
  });

  it('a ring timeout gives the agent 001001 (TCCC autoTransfer) and the next agent is rung', () => {
    const h = harness();
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'video', visitorId: 'v1' });
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'ann', expiresAt: 20_000 });
    expect(h.engine.nextDeadline(), 'routing times its own offers').toBeUndefined();
    h.run({ type: 'routing.offer_withdrawn', callId: 'c1', agentId: 'ann', reason: 'timed_out' }, 20_000);
    expect(h.notices('ann').at(-1)).toMatchObject({ code: '001001', previous: '004000', tccc: { event: 'autoTransfer' } });
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'bob', expiresAt: 40_000 }, 20_000);
    expect(h.codes('bob')).toEqual(['004000']);
    expect(h.engine.calls.get('c1')!.phase).toBe('ringing');
  });

  it('the visitor hanging up while queued or ringing cancels: routing stops, a ringing agent gets 002000, TCCC waitingGiveUp / ringingGiveUp', () => {
    const h = harness();
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'video', visitorId: 'v1' });
    h.run({ type: 'routing.queued', callId: 'c1', queueId: 'q' });
    expect(h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') }, 9_000).actions).toContainEqual({ type: 'cancel_routing', callId: 'c1' });
    expect(h.ended('c1')).toMatchObject({ reason: 'cancelled', hungUpSide: 'visitor', summary: { endStatus: 'waitingGiveUp', durationMs: 0 } });

    h.run({ type: 'call.request', callId: 'c2', conversationId: 'conv-v1', kind: 'video', visitorId: 'v1' });
    h.run({ type: 'routing.offered', callId: 'c2', agentId: 'ann', expiresAt: 30_000 });
    h.run({ type: 'call.hang_up', callId: 'c2', by: visitor('v1') }, 12_000);
    expect(h.ended('c2')).toMatchObject({ reason: 'cancelled', summary: { endStatus: 'ringingGiveUp' } });
    expect(h.codes('ann', 'c2')).toEqual(['004000', '002000']);
    // routing's late withdrawal of the offer finds the call over
    expect(h.run({ type: 'routing.offer_withdrawn', callId: 'c2', agentId: 'ann', reason: 'ended' }).rejection?.code).toBe('FD_CALL_ENDED');
  });

  it('routing releasing the call (no agent) ends it with noSeatOnline, without asking routing to cancel', () => {
    const h = harness();
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'audio', visitorId: 'v1' });
    const { actions } = h.run({ type: 'routing.released', callId: 'c1', reason: 'no_agent' }, 1_000);
    expect(actions.some((a) => a.type === 'cancel_routing')).toBe(false);
    expect(h.ended('c1')).toMatchObject({ reason: 'released_by_routing', hungUpSide: 'system', summary: { endStatus: 'noSeatOnline', closeBy: 'admin' } });
  });

  it('an offered agent answers and declines through routing, not by call commands', () => {
    const h = harness();
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'audio', visitorId: 'v1' });
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'ann', expiresAt: 20_000 });
    expect(h.run({ type: 'call.accept', callId: 'c1', by: agent('ann') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
  });
});

describe('call engine: an agent calls a visitor (callbackToVisitor, videoInviteCurrentVisitor, TCCC callOuted)', () => {
  const start = (h: ReturnType<typeof harness>, target: 'visitor' | 'current_visitor', ringTimeoutMs?: number) =>
    h.run({ type: 'call.start_outbound', callId: 'c1', conversationId: 'conv-v1', kind: 'video', agentId: 'ann', visitorId: 'v1', target, ringTimeoutMs });

  it('callbackToVisitor accepted: 003001, 006011 (calloutAccepted), visitor hang-up 005003', () => {
    const h = harness();
    const started = start(h, 'visitor').actions;
    expect(started).toContainEqual({ type: 'notify', callId: 'c1', agentId: 'ann', code: '003001', previous: null, tccc: { event: 'callOuted' }, about: visitor('v1') });
    expect(started.filter((a) => a.type.startsWith('media.'))).toEqual([
      { type: 'media.create_room', callId: 'c1', kind: 'video' },
      { type: 'media.add_participant', callId: 'c1', participant: agent('ann') },
    ]);
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('ann') }, 500);
    expect(h.run({ type: 'call.accept', callId: 'c1', by: visitor('v1') }, 4_000).actions).toContainEqual({ type: 'media.add_participant', callId: 'c1', participant: visitor('v1') });
    expect(h.notices('ann').at(-1)).toMatchObject({ code: '006011', tccc: { event: 'calloutAccepted' } });
    h.run({ type: 'media.connected', callId: 'c1', participant: visitor('v1') }, 4_500);
    expect(h.engine.calls.get('c1')!.phase).toBe('active');
    h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') }, 60_000);
    expect(h.codes('ann')).toEqual(['003001', '006011', '005003']);
    expect(h.ended('c1')!.summary).toMatchObject({ direction: 'outbound', ringAt: 0, acceptedAt: 4_000, durationMs: 56_000, endStatus: 'ok' });
  });

  it('videoInviteCurrentVisitor accepted then the agent hangs up: 003002, 006012, 005006', () => {
    const h = harness();
    start(h, 'current_visitor');
    h.run({ type: 'call.accept', callId: 'c1', by: visitor('v1') }, 1_000);
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }, 2_000);
    expect(h.codes('ann')).toEqual(['003002', '006012', '005006']);
    expect(h.ended('c1')).toMatchObject({ reason: 'agent_hung_up', hungUpSide: 'agent' });
  });

  it.each([
    ['visitor', 'refused', '002001', 'visitor_refused', 'userReject'],
    ['visitor', 'busy', '002003', 'visitor_busy', 'busy'],
    ['visitor', 'error', '002004', 'visitor_error', 'error'],
    ['current_visitor', 'refused', '002006', 'visitor_refused', 'userReject'],
    ['current_visitor', 'busy', '002008', 'visitor_busy', 'busy'],
    ['current_visitor', 'error', '002009', 'visitor_error', 'error'],
  ] as const)('to the %s, the visitor answers %s: %s, the call ends %s (%s)', (target, reason, code, endReason, endStatus) => {
    const h = harness();
    start(h, target);
    h.run({ type: 'call.refuse', callId: 'c1', by: visitor('v1'), reason }, 2_000);
    expect(h.codes('ann').at(-1)).toBe(code);
    expect(h.ended('c1')).toMatchObject({ reason: endReason, hungUpSide: 'visitor', summary: { endStatus, durationMs: 0, acceptedAt: null } });
  });

  it.each([
    ['visitor', '002002', '002005'],
    ['current_visitor', '002007', '002010'],
  ] as const)('to the %s: nobody answers in time (%s, at the deadline even if ticked late); the agent cancels before answer (%s)', (target, timeoutCode, cancelCode) => {
    const h = harness();
    start(h, target, 25_000);
    expect(h.engine.nextDeadline()).toBe(25_000);
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('ann') }, 1_000);
    h.tick(27_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'visitor_timeout', hungUpSide: 'system', summary: { endedAt: 25_000, endStatus: 'notAnswer', closeBy: 'timer' } });
    expect(h.codes('ann', 'c1')).toEqual([target === 'visitor' ? '003001' : '003002', timeoutCode]);

    h.run({ type: 'call.start_outbound', callId: 'c2', conversationId: 'conv-v1', kind: 'audio', agentId: 'ann', visitorId: 'v1', target }, 30_000);
    h.run({ type: 'call.hang_up', callId: 'c2', by: agent('ann') }, 32_000);
    expect(h.codes('ann', 'c2').at(-1)).toBe(cancelCode);
    expect(h.ended('c2')).toMatchObject({ reason: 'agent_hung_up_before_answer', hungUpSide: 'agent', summary: { endStatus: 'callerCancel', closeBy: 'seat' } });
  });

  it('refuses a visitor already in a call (Easemob SDK_11) and an agent at its call capacity', () => {
    const h = harness();
    h.inboundActive('c0', 'v1', 'bob');
    expect(start(h, 'visitor').rejection?.code).toBe('FD_CALL_CONVERSATION_IN_CALL');
    expect(h.run({ type: 'call.start_outbound', callId: 'c1', conversationId: 'other', kind: 'video', agentId: 'ann', visitorId: 'v1', target: 'visitor' }).rejection?.code).toBe('FD_CALL_VISITOR_IN_CALL');
    expect(h.run({ type: 'call.start_outbound', callId: 'c1', conversationId: 'conv-v2', kind: 'video', agentId: 'bob', visitorId: 'v2', target: 'visitor' }).rejection?.code).toBe('FD_CALL_AGENT_AT_CAPACITY');
    h.run({ type: 'agent.capacity', agentId: 'bob', maxConcurrentCalls: 2 });
    expect(h.run({ type: 'call.start_outbound', callId: 'c1', conversationId: 'conv-v2', kind: 'video', agentId: 'bob', visitorId: 'v2', target: 'visitor' }).rejection).toBeUndefined();
    expect(h.engine.loadOf('bob')).toBe(2);
  });
});

describe('call engine: three-party calls (videoInviteAgent, videoInviteVisitor, multipleVideoPickUp)', () => {
  const invite = (h: ReturnType<typeof harness>, role: 'agent' | 'visitor', id: string, at?: number) =>
    h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: { role, id } }, at);

  it('a third agent accepts (007002 → 008002; the invitee 004000 → 006014), then exits (006010; 005010) and the call goes on', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    invite(h, 'agent', 'cat', 1_000);
    expect(h.notices('cat')[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'video', timeoutMs: 30_000 } });
    expect(h.run({ type: 'call.accept', callId: 'c1', by: agent('cat') }, 3_000).actions).toContainEqual({ type: 'media.add_participant', callId: 'c1', participant: agent('cat') });
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('cat') }, 3_500);
    expect(h.engine.activityOf('ann')).toBe('three_party');
    expect(h.run({ type: 'call.hang_up', callId: 'c1', by: agent('cat') }, 9_000).actions).toContainEqual({ type: 'media.remove_participant', callId: 'c1', participant: agent('cat') });
    expect(h.codes('ann')).toEqual(['004000', '006013', '007002', '008002', '006010']);
    expect(h.codes('cat')).toEqual(['004000', '006014', '005010']);
    expect(h.engine.calls.get('c1')!.phase).toBe('active');
    expect(h.ended('c1')).toBeUndefined();
    expect(h.engine.activityOf('ann')).toBe('two_party');
  });

  it.each([
    ['refuses', { type: 'call.refuse' as const }, '006006', '002000'],
    ['is busy', { type: 'call.refuse' as const, reason: 'busy' as const }, '006007', '002000'],
    ['fails', { type: 'call.refuse' as const, reason: 'error' as const }, '006009', '002012'],
  ])('a third agent who %s: main agent %s, the invitee %s', (_what, answer, mainCode, inviteeCode) => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    invite(h, 'agent', 'cat');
    h.run({ ...answer, callId: 'c1', by: agent('cat') });
    expect(h.codes('ann').slice(-2)).toEqual(['007002', mainCode]);
    expect(h.codes('cat')).toEqual(['004000', inviteeCode]);
    expect(h.engine.loadOf('cat')).toBe(0);
  });

  it('a third agent who does not answer in time: main agent 006008, the invitee 001002', () => {
    const h = harness({ ringTimeoutMs: 15_000 });
    h.inboundActive('c1', 'v1', 'ann');
    invite(h, 'agent', 'cat', 1_000);
    expect(h.engine.nextDeadline()).toBe(16_000);
    h.tick(16_000);
    expect(h.codes('ann').slice(-2)).toEqual(['007002', '006008']);
    expect(h.codes('cat')).toEqual(['004000', '001002']);
  });

  it.each([
    ['accepts, then hangs up', 'accept', ['007001', '008001', '006005']],
    ['refuses', 'refused', ['007001', '006001']],
    ['is busy', 'busy', ['007001', '006002']],
    ['fails', 'error', ['007001', '006004']],
    ['does not answer', 'timeout', ['007001', '006003']],
  ] as const)('a third visitor who %s: %j', (_what, answer, codes) => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    invite(h, 'visitor', 'v2');
    if (answer === 'accept') {
      h.run({ type: 'call.accept', callId: 'c1', by: visitor('v2') });
      h.run({ type: 'media.connected', callId: 'c1', participant: visitor('v2') });
      h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v2') });
    } else if (answer === 'timeout') h.tick(h.now + 30_000);
    else h.run({ type: 'call.refuse', callId: 'c1', by: visitor('v2'), reason: answer });
    expect(h.codes('ann').slice(2)).toEqual(codes);
    expect(h.engine.calls.get('c1')!.phase).toBe('active');
  });

  it('the main agent leaving ends the call for everyone: 005002 with a third agent (the invitee 005010), 005001 with a third visitor', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    invite(h, 'agent', 'cat');
    h.run({ type: 'call.accept', callId: 'c1', by: agent('cat') });
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') });
    expect(h.codes('ann').at(-1)).toBe('005002');
    expect(h.codes('cat').at(-1)).toBe('005010');
    expect(h.ended('c1')).toMatchObject({ reason: 'agent_hung_up', hungUpSide: 'agent' });

    const g = harness();
    g.inboundActive('c1', 'v1', 'ann');
    g.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: visitor('v2') });
    expect(g.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }).actions.at(-1)).toMatchObject({ type: 'call.ended', reason: 'agent_hung_up' });
    expect(g.codes('ann').at(-1)).toBe('005001');
  });

  it('the visitor leaving a three-party call ends it: main agent 005007, the invited agent 005009', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    invite(h, 'agent', 'cat');
    h.run({ type: 'call.accept', callId: 'c1', by: agent('cat') });
    h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') });
    expect(h.codes('ann').at(-1)).toBe('005007');
    expect(h.codes('cat').at(-1)).toBe('005009');
  });

  it('allows one ringing invite at a time, up to six parties, only by the main agent of an active call', () => {
    const h = harness({ maxConcurrentCalls: 1 });
    h.inboundActive('c1', 'v1', 'ann');
    expect(h.run({ type: 'call.invite', callId: 'c1', by: visitor('v1'), invitee: agent('cat') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: visitor('v1') }).rejection?.code).toBe('FD_CALL_ALREADY_PARTICIPANT');
    invite(h, 'agent', 'a2');
    expect(invite(h, 'agent', 'a3').rejection?.code).toBe('FD_CALL_INVITE_PENDING');
    h.run({ type: 'call.accept', callId: 'c1', by: agent('a2') });
    for (const id of ['a3', 'a4', 'a5']) {
      invite(h, 'agent', id);
      h.run({ type: 'call.accept', callId: 'c1', by: agent(id) });
    }
    expect(invite(h, 'visitor', 'v9').rejection?.code).toBe('FD_CALL_PARTICIPANT_LIMIT');
    expect(h.codes('ann').slice(2)).toEqual(['007002', '008002', '007002', '008002', '007002', '008002', '007002', '008002']);
    // one of five others leaves: still a multi-party call
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('a3') });
    expect(h.codes('ann').at(-1)).toBe('008000');
    h.inboundActive('c2', 'v2', 'bob');
    expect(h.run({ type: 'call.invite', callId: 'c2', by: agent('bob'), invitee: agent('a2') }).rejection?.code).toBe('FD_CALL_AGENT_AT_CAPACITY');
  });
});

describe('call engine: media', () => {
  it('a media server lost ends each of its calls with a media failure (002011 inbound, 002004 outbound), once', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.start_outbound', callId: 'c2', conversationId: 'conv-v2', kind: 'audio', agentId: 'bob', visitorId: 'v2', target: 'visitor' });
    h.inboundActive('c3', 'v3', 'cat');
    h.run({ type: 'media.server_lost', callIds: ['c1', 'c2', 'c2', 'nope'] }, 5_000);
    expect([h.ended('c1')?.reason, h.ended('c2')?.reason, h.ended('c3')]).toEqual(['media_failure', 'media_failure', undefined]);
    expect([h.codes('ann').at(-1), h.codes('bob').at(-1)]).toEqual(['002011', '002004']);
    expect(h.log.filter((a) => a.type === 'call.ended')).toHaveLength(2);
    expect(h.ended('c1')!.summary).toMatchObject({ hungUpSide: 'system', endStatus: 'error', closeBy: 'admin' });
  });

  it('a peer whose media stays lost past the grace period is gone: the call ends peer_lost on its side', () => {
    const h = harness({ peerGraceMs: 10_000 });
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'media.lost', callId: 'c1', participant: visitor('v1') }, 20_000);
    expect(h.engine.nextDeadline()).toBe(30_000);
    h.tick(29_999);
    expect(h.ended('c1')).toBeUndefined();
    h.tick(31_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'peer_lost', hungUpSide: 'visitor', summary: { endedAt: 30_000 } });
    expect(h.codes('ann').at(-1)).toBe('005007');
  });

  it('media restored within the grace period keeps the call', () => {
    const h = harness({ peerGraceMs: 10_000 });
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'media.lost', callId: 'c1', participant: agent('ann') }, 20_000);
    h.run({ type: 'media.restored', callId: 'c1', participant: agent('ann') }, 25_000);
    expect(h.engine.nextDeadline()).toBeUndefined();
    h.tick(60_000);
    expect(h.ended('c1')).toBeUndefined();
    expect(h.engine.calls.get('c1')!.phase).toBe('active');
  });

  it('an invited party whose media is lost leaves; the call goes on', () => {
    const h = harness({ peerGraceMs: 5_000 });
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: agent('cat') });
    h.run({ type: 'call.accept', callId: 'c1', by: agent('cat') });
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('cat') });
    h.run({ type: 'media.lost', callId: 'c1', participant: agent('cat') }, 1_000);
    h.tick(6_000);
    expect(h.codes('ann').at(-1)).toBe('006010');
    expect(h.codes('cat').at(-1)).toBe('005010');
    expect(h.engine.calls.get('c1')!.phase).toBe('active');
  });

  it('media that never connects after the answer is a media failure', () => {
    const h = harness({ connectTimeoutMs: 8_000 });
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv-v1', kind: 'video', visitorId: 'v1' });
    h.run({ type: 'routing.assigned', callId: 'c1', agentId: 'ann' }, 1_000);
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('ann') }, 2_000);
    h.tick(9_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'media_failure', summary: { endedAt: 9_000 } });
    expect(h.codes('ann')).toEqual(['006013', '002011']);
  });

  it('a stream stopped for 3 s is reported to the agents (visitorStreamOffline), and again when it resumes', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'media.stopped', callId: 'c1', participant: visitor('v1') }, 10_000);
    h.run({ type: 'media.resumed', callId: 'c1', participant: visitor('v1') }, 12_000);
    h.tick(20_000);
    expect(h.log.some((a) => a.type === 'stream.offline')).toBe(false);
    h.run({ type: 'media.stopped', callId: 'c1', participant: visitor('v1') }, 30_000);
    expect(h.tick(33_000).actions).toEqual([{ type: 'stream.offline', callId: 'c1', participant: visitor('v1'), notify: ['ann'] }]);
    expect(h.run({ type: 'media.resumed', callId: 'c1', participant: visitor('v1') }, 40_000).actions).toEqual([{ type: 'stream.online', callId: 'c1', participant: visitor('v1'), notify: ['ann'] }]);
    // Told after a silence already 2 s long: offline 1 s later (3 s after the media stopped), not 3 s later.
    h.run({ type: 'media.stopped', callId: 'c1', participant: visitor('v1'), silentMs: 2_000 }, 50_000);
    expect(h.tick(50_999).actions).toEqual([]);
    expect(h.tick(51_000).actions).toEqual([{ type: 'stream.offline', callId: 'c1', participant: visitor('v1'), notify: ['ann'] }]);
  });

  it('hold stops forwarding the main agent both ways until unhold; mute and camera off reach the media server', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    expect(h.run({ type: 'call.hold', callId: 'c1', by: agent('ann') }).actions).toContainEqual({ type: 'media.set_forwarding', callId: 'c1', participant: agent('ann'), enabled: false });
    expect(h.engine.calls.get('c1')!.phase).toBe('held');
    expect(h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: agent('cat') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.hold', callId: 'c1', by: visitor('v1') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.unhold', callId: 'c1', by: agent('ann') }).actions).toContainEqual({ type: 'media.set_forwarding', callId: 'c1', participant: agent('ann'), enabled: true });
    expect(h.run({ type: 'call.set_media', callId: 'c1', by: visitor('v1'), micMuted: true }).actions).toContainEqual({ type: 'media.set_tracks', callId: 'c1', participant: visitor('v1'), audio: false, video: true });
    expect(h.run({ type: 'call.set_media', callId: 'c1', by: agent('ann'), cameraOff: true }).actions).toContainEqual({ type: 'media.set_tracks', callId: 'c1', participant: agent('ann'), audio: true, video: false });
    expect(h.run({ type: 'call.set_media', callId: 'c1', by: agent('ann'), cameraOff: true }).actions).toEqual([]);
    h.run({ type: 'call.request', callId: 'c2', conversationId: 'conv-v2', kind: 'audio', visitorId: 'v2' });
    expect(h.run({ type: 'call.set_media', callId: 'c2', by: visitor('v2'), cameraOff: true }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
  });
});

describe('call engine: bookkeeping', () => {
  it('refuses to put an agent in more calls than its capacity, from routing too', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.request', callId: 'c2', conversationId: 'conv-v2', kind: 'video', visitorId: 'v2' });
    const refused = h.run({ type: 'routing.offered', callId: 'c2', agentId: 'ann', expiresAt: 20_000 });
    expect(refused.rejection?.code).toBe('FD_CALL_AGENT_AT_CAPACITY');
    expect(refused.actions).toEqual([]);
    expect(h.run({ type: 'routing.assigned', callId: 'c2', agentId: 'ann' }).rejection?.code).toBe('FD_CALL_AGENT_AT_CAPACITY');
  });

  it('forgets ended calls after the given age; their ids are unknown afterwards', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }, 1_000);
    expect(h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }, 2_000).rejection?.code).toBe('FD_CALL_ENDED');
    expect(h.engine.forgetEnded(5_000)).toBe(0);
    h.tick(6_000);
    expect(h.engine.forgetEnded(5_000)).toBe(1);
    expect(h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }).rejection?.code).toBe('FD_CALL_NOT_FOUND');
  });

  it('every code the example flows emit follows the transition table', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: visitor('v2') });
    h.run({ type: 'call.accept', callId: 'c1', by: visitor('v2') });
    h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: agent('cat') });
    h.run({ type: 'call.refuse', callId: 'c1', by: agent('cat') });
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') });
    expect(h.codes('ann')).toEqual(['004000', '006013', '007001', '008001', '007002', '008000', '005001']);
    let previous: string | null = null;
    for (const n of h.notices('ann')) {
      expect(isAllowedEasemobTransition(n.previous, n.code), `${previous} → ${n.code}`).toBe(true);
      previous = n.code;
    }
  });
});
