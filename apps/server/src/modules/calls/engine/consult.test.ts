import { describe, expect, it } from 'vitest';
import { agent, harness, visitor } from './call-engine.testing.ts';
import { isAllowedEasemobTransition } from './easemob-transitions.ts';

const legs = (h: ReturnType<typeof harness>, callId: string) => h.engine.calls.get(callId)!.participants.map((p) => [p.userId, p.origin, p.leg, p.leftReason]);
const forwarding = (actions: { type: string }[]) => actions.filter((a) => a.type === 'media.forwarding_changed');

describe('consult and warm transfer', () => {
  it('consult holds the visitor, the consulted agent answers; complete goes three-way; the first agent hangs up and the consulted agent keeps the call; the CDR shows each leg', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    const started = h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'bob' }, 10_000);
    expect(started.rejection).toBeUndefined();
    expect(forwarding(started.actions)).toEqual([{ type: 'media.forwarding_changed', callId: 'c1', consultBefore: null }]);
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'active', mainAgentId: 'ann', consult: { by: 'ann', agentId: 'bob', phase: 'ringing', at: 10_000 } });
    expect(h.notices('bob', 'c1')[0]).toMatchObject({ code: '004000', tccc: { event: 'callIn', type: 'video' } });
    expect(h.codes('ann', 'c1').at(-1)).toBe('007002');
    // Hold, invite and take-over wait for the consult to end.
    expect(h.run({ type: 'call.hold', callId: 'c1', by: agent('ann') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.invite', callId: 'c1', by: agent('ann'), invitee: agent('cat') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.intercept', callId: 'c1', supervisorId: 'boss', hasMedia: true }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.consult_complete', callId: 'c1', by: agent('ann') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');

    h.run({ type: 'call.accept', callId: 'c1', by: agent('bob') }, 12_000);
    h.run({ type: 'media.connected', callId: 'c1', participant: agent('bob') }, 12_500);
    expect(h.engine.calls.get('c1')!.consult).toMatchObject({ phase: 'talking' });
    const completed = h.run({ type: 'call.consult_complete', callId: 'c1', by: agent('ann') }, 20_000);
    expect(forwarding(completed.actions)).toEqual([{ type: 'media.forwarding_changed', callId: 'c1', consultBefore: { by: 'ann', agentId: 'bob', phase: 'talking', at: 10_000 } }]);
    const handed = h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }, 25_000);
    expect(handed.actions.some((a) => a.type === 'call.ended')).toBe(false);
    expect(handed.actions).toContainEqual({ type: 'media.remove_participant', callId: 'c1', participant: agent('ann') });
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'active', mainAgentId: 'bob', consult: null });
    expect(legs(h, 'c1')).toEqual([
      ['v1', 'requester', 'connected', null],
      ['ann', 'offered', 'left', 'transferred'],
      ['bob', 'consultee', 'connected', null],
    ]);
    // Bob holds the call now: it may hold it, and its hang-up ends it.
    expect(h.run({ type: 'call.hold', callId: 'c1', by: agent('bob') }).rejection).toBeUndefined();
    h.run({ type: 'call.unhold', callId: 'c1', by: agent('bob') });
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('bob') }, 60_000);
    const ended = h.ended('c1')!;
    expect(ended).toMatchObject({ reason: 'agent_hung_up', hungUpSide: 'agent', summary: { mainAgentId: 'bob', durationMs: 60_000 } });
    expect(ended.summary.participants).toEqual([
      { seq: 0, role: 'visitor', userId: 'v1', origin: 'requester', invitedBy: null, ringAt: null, acceptedAt: 0, leftAt: 60_000, leftReason: 'call_ended', endStatus: 'ok' },
      { seq: 1, role: 'agent', userId: 'ann', origin: 'offered', invitedBy: null, ringAt: 0, acceptedAt: 0, leftAt: 25_000, leftReason: 'transferred', endStatus: 'transferred' },
      { seq: 2, role: 'agent', userId: 'bob', origin: 'consultee', invitedBy: 'ann', ringAt: 10_000, acceptedAt: 12_000, leftAt: 60_000, leftReason: 'agent_hung_up', endStatus: 'ok' },
    ]);
    for (const id of ['ann', 'bob']) {
      const codes = h.codes(id, 'c1');
      codes.forEach((code, i) => expect(isAllowedEasemobTransition(i === 0 ? null : codes[i - 1]!, code), `${id}: ${codes.join(' → ')}`).toBe(true));
    }
  });

  it('cancel: the consulted agent leaves, the visitor is back with the first agent', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'bob' }, 10_000);
    h.run({ type: 'call.accept', callId: 'c1', by: agent('bob') }, 11_000);
    const cancelled = h.run({ type: 'call.consult_cancel', callId: 'c1', by: agent('ann') }, 15_000);
    expect(forwarding(cancelled.actions)).toEqual([{ type: 'media.forwarding_changed', callId: 'c1', consultBefore: { by: 'ann', agentId: 'bob', phase: 'talking', at: 10_000 } }]);
    expect(h.engine.calls.get('c1')).toMatchObject({ phase: 'active', mainAgentId: 'ann', consult: null });
    expect(legs(h, 'c1').at(-1)).toEqual(['bob', 'consultee', 'left', 'consult_ended']);
    expect(h.notices('bob', 'c1').at(-1)).toMatchObject({ code: '005010', tccc: { event: 'sessionEnded', closeBy: 'seat', endStatus: 'ok' } });
    expect(h.codes('ann', 'c1').slice(-1)).toEqual(['006010']);
    // The first agent's hang-up ends the call as usual.
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('ann') }, 20_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'agent_hung_up' });
  });

  it('the consulted agent declines or rings out: the consult ends by itself; the visitor hanging up during a consult ends the call', () => {
    const h = harness({ ringTimeoutMs: 5_000 });
    h.inboundActive('c1', 'v1', 'ann');
    h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'bob' }, 10_000);
    h.run({ type: 'call.refuse', callId: 'c1', by: agent('bob') }, 11_000);
    expect(h.engine.calls.get('c1')!.consult).toBeNull();
    expect(h.codes('ann', 'c1').at(-1)).toBe('006006');
    h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'cat' }, 12_000);
    h.tick(17_000);
    expect(legs(h, 'c1').at(-1)).toEqual(['cat', 'consultee', 'left', 'ring_timeout']);
    expect(h.codes('ann', 'c1').at(-1)).toBe('006008');
    h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'dan' }, 18_000);
    h.run({ type: 'call.accept', callId: 'c1', by: agent('dan') }, 19_000);
    h.run({ type: 'call.hang_up', callId: 'c1', by: visitor('v1') }, 20_000);
    expect(h.ended('c1')).toMatchObject({ reason: 'visitor_hung_up' });
    expect(h.codes('dan', 'c1').at(-1)).toBe('005009');
  });

  it('refused: not the main agent, not two-party, itself', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'ann');
    expect(h.run({ type: 'call.consult', callId: 'c1', by: visitor('v1'), agentId: 'bob' }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'ann' }).rejection?.code).toBe('FD_CALL_ALREADY_PARTICIPANT');
    h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'bob' });
    expect(h.run({ type: 'call.consult', callId: 'c1', by: agent('ann'), agentId: 'cat' }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.consult_cancel', callId: 'c1', by: agent('bob') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
  });
});
