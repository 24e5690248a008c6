import { describe, expect, it } from 'vitest';
import { agent, harness, visitor } from './call-engine.testing.ts';
import { isAllowedEasemobTransition } from './easemob-transitions.ts';

const legs = (h: ReturnType<typeof harness>, callId: string) => h.engine.calls.get(callId)!.participants.map((p) => [p.userId, p.origin, p.leg, p.leftReason]);

describe('blind transfer to an agent (call.transfer, TCCC Call.transfer userId)', () => {
  it('the first agent leaves, the visitor stays in the room, the target rings and on answer becomes the main agent; the CDR shows each leg', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    const { actions, rejection } = h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'bob' } }, 10_000);
    expect(rejection).toBeUndefined();
    expect(actions).toContainEqual({ type: 'media.remove_participant', callId: 'c1', participant: agent('ann') });
    // The visitor is not taken out: it waits in the room, alone.
    expect(actions.some((a) => a.type === 'media.remove_participant' && a.participant.role === 'visitor')).toBe(false);
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'ringing', mainAgentId: null, transfer: { by: 'ann', to: { agentId: 'bob' }, at: 10_000, returning: false } });
    expect(legs(h, 'c1')).toEqual([
      ['v1', 'requester', 'connected', null],
      ['ann', 'offered', 'left', 'transferred'],
      ['bob', 'transferee', 'ringing', null],
    ]);
    expect(h.notices('ann', 'c1').at(-1)).toMatchObject({ code: '005008', tccc: { event: 'sessionEnded', closeBy: 'seat', endStatus: 'transferred' } });
    expect(h.notices('bob', 'c1')[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'video', timeoutMs: 30_000 }, about: visitor('v1') });
    expect(h.engine.loadOf('ann')).toBe(0);
    expect(h.engine.loadOf('bob')).toBe(1);

    const answered = h.run({ type: 'call.accept', callId: 'c1', by: agent('bob') }, 14_000).actions;
    expect(answered).toContainEqual({ type: 'media.add_participant', callId: 'c1', participant: agent('bob') });
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'connecting', mainAgentId: 'bob', transfer: null });
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('bob') }, 15_000);
    expect(h.engine.calls.get('c1')!.phase).toBe('active');
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('bob') }, 75_000);

    const ended = h.ended('c1')!;
    expect(ended).toMatchObject({ reason: 'agent_hung_up', hungUpSide: 'agent' });
    expect(ended.summary).toMatchObject({ mainAgentId: 'bob', acceptedAt: 0, endedAt: 75_000, durationMs: 75_000, endStatus: 'ok', closeBy: 'seat' });
    expect(ended.summary.participants).toEqual([
      { seq: 0, role: 'visitor', userId: 'v1', origin: 'requester', invitedBy: null, ringAt: null, acceptedAt: 0, leftAt: 75_000, leftReason: 'call_ended', endStatus: 'ok' },
      { seq: 1, role: 'agent', userId: 'ann', origin: 'offered', invitedBy: null, ringAt: 0, acceptedAt: 0, leftAt: 10_000, leftReason: 'transferred', endStatus: 'transferred' },
      { seq: 2, role: 'agent', userId: 'bob', origin: 'transferee', invitedBy: 'ann', ringAt: 10_000, acceptedAt: 14_000, leftAt: 75_000, leftReason: 'agent_hung_up', endStatus: 'ok' },
    ]);
    for (const id of ['ann', 'bob']) {
      const codes = h.codes(id, 'c1');
      codes.forEach((code, i) => expect(isAllowedEasemobTransition(i === 0 ? null : codes[i - 1]!, code), `${id}: ${codes.join(' → ')}`).toBe(true));
    }
  });

  it('the target declines: the call comes back, the first agent rings and takes it again', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'bob' } }, 10_000);
    h.run({ type: 'call.refuse', callId: 'c1', by: agent('bob') }, 12_000);
    expect(h.notices('bob', 'c1').at(-1)).toMatchObject({ code: '002000', tccc: { event: 'sessionEnded', closeBy: 'seat', endStatus: 'userReject' } });
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'ringing', transfer: { returning: true } });
    expect(legs(h, 'c1').slice(2)).toEqual([
      ['bob', 'transferee', 'left', 'agent_refused'],
      ['ann', 'transferee', 'ringing', null],
    ]);
    h.run({ type: 'call.accept', callId: 'c1', by: agent('ann') }, 13_000);
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('ann') }, 13_500);
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'active', mainAgentId: 'ann' });
  });

  it('nobody takes it (the target and then the first agent ring out): the call ends as unplaced, the visitor is told', () => {
    const h = harness({ ringTimeoutMs: 20_000 });
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'bob' } }, 10_000);
    h.tick(30_000);
    expect(h.notices('bob', 'c1').at(-1)).toMatchObject({ code: '001001', tccc: { event: 'sessionEnded', closeBy: 'timer', endStatus: 'notAnswer' } });
    expect(h.engine.calls.get('c1')!.participants.at(-1)).toMatchObject({ userId: 'ann', origin: 'transferee', leg: 'ringing', ringExpiresAt: 50_000 });
    h.tick(50_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'released_by_routing', hungUpSide: 'system', summary: { endStatus: 'noSeatOnline' } });
    expect(h.ended('c1')!.summary.participants.map((p) => [p.userId, p.origin, p.leftReason, p.endStatus])).toEqual([
      ['v1', 'requester', 'call_ended', 'ok'],
      ['ann', 'offered', 'transferred', 'transferred'],
      ['bob', 'transferee', 'ring_timeout', 'notAnswer'],
      ['ann', 'transferee', 'ring_timeout', 'notAnswer'],
    ]);
  });

  it('the visitor hangs up while the target rings: the call ends, the rung agent hears 002000', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'bob' } }, 10_000);
    h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') }, 11_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'visitor_hung_up', hungUpSide: 'visitor' });
    expect(h.codes('bob', 'c1')).toEqual(['004000', '002000']);
  });

  it('refused: not the main agent, not active, to itself, with a third party, an agent at capacity', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    expect(h.run({ type: 'call.transfer', callId: 'c1', by: visitor('v1'), to: { agentId: 'bob' } }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'ann' } }).rejection?.code).toBe('FD_CALL_ALREADY_PARTICIPANT');
    h.inboundActive('c2', 'v2', 'cat');
    expect(h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'cat' } }).rejection?.code).toBe('FD_CALL_AGENT_AT_CAPACITY');
    h.run({ type: 'call.hold', callId: 'c1', by: agent('ann') });
    expect(h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'bob' } }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    h.run({ type: 'call.unhold', callId: 'c1', by: agent('ann') });
    h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: agent('dan') });
    expect(h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { agentId: 'bob' } }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.engine.calls.get('c1')!.mainAgentId).toBe('ann');
  });
});

describe('blind transfer to a queue (TCCC Call.transfer skillGroupId)', () => {
  it('routing queues the call; the visitor waits; the next offer rings, a decline goes back to the queue, the assigned agent becomes the main agent', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    const { actions } = h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { queueId: 'q-sales' } }, 10_000);
    expect(actions).toContainEqual({ type: 'transfer_routing', callId: 'c1', queueId: 'q-sales' });
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'queued', queueId: 'q-sales', mainAgentId: null });
    h.run({ type: 'routing.queued', callId: 'c1', queueId: 'q-sales' }, 10_000);
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'bob', expiresAt: 30_000 }, 11_000);
    expect(h.engine.calls.get('c1')!.phase).toBe('ringing');
    h.run({ type: 'routing.offer_withdrawn', callId: 'c1', agentId: 'bob', reason: 'declined' }, 12_000);
    expect(h.engine.calls.get('c1')!.phase).toBe('queued');
    h.run({ type: 'routing.offered', callId: 'c1', agentId: 'cat', expiresAt: 33_000 }, 13_000);
    const assigned = h.run({ type: 'routing.assigned', callId: 'c1', agentId: 'cat' }, 15_000).actions;
    // The room is open already: no new room, the visitor is not asked to join again.
    expect(assigned.filter((a) => a.type.startsWith('media.'))).toEqual([{ type: 'media.add_participant', callId: 'c1', participant: agent('cat') }]);
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('cat') }, 16_000);
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'active', mainAgentId: 'cat', transfer: null });
    h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') }, 40_000);
    expect(h.ended('c1')!.summary.participants.map((p) => [p.userId, p.origin, p.ringAt, p.acceptedAt, p.leftAt, p.leftReason, p.endStatus])).toEqual([
      ['v1', 'requester', null, 0, 40_000, 'visitor_hung_up', 'ok'],
      ['ann', 'offered', 0, 0, 10_000, 'transferred', 'transferred'],
      ['bob', 'offered', 11_000, null, 12_000, 'agent_refused', 'seatGiveUp'],
      ['cat', 'offered', 13_000, 15_000, 40_000, 'call_ended', 'ok'],
    ]);
    expect(h.codes('cat', 'c1')).toEqual(['004000', '006013', '005007']);
  });

  it("the queue's overflow releases the call: it ends released_by_routing", () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.transfer', callId: 'c1', by: agent('ann'), to: { queueId: 'q-sales' } }, 10_000);
    h.run({ type: 'routing.released', callId: 'c1', reason: 'wait_timeout' }, 70_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'released_by_routing', hungUpSide: 'system', summary: { endStatus: 'unconnected' } });
  });
});
