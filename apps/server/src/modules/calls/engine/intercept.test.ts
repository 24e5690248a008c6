import { describe, expect, it } from 'vitest';
import { agent, harness, visitor } from './call-engine.testing.ts';

describe('a supervisor takes a call over (call.intercept)', () => {
  it('the agent leaves (intercepted, out of the room, told its part ended); the supervisor is the main agent; the call goes on and ends once', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'a1');
    const { actions, rejection } = h.run({ type: 'call.intercept', callId: 'c1', supervisorId: 'boss', hasMedia: true }, 5_000);
    expect(rejection).toBeUndefined();
    const call = h.engine.calls.get('c1')!;
    expect(call).toMatchObject({ phase: 'active', mainAgentId: 'boss' });
    expect(call.participants.map((p) => [p.userId, p.origin, p.leg, p.leftReason])).toEqual([
      ['v1', 'requester', 'connected', null],
      ['a1', 'offered', 'left', 'intercepted'],
      ['boss', 'interceptor', 'connected', null],
    ]);
    expect(actions).toContainEqual({ type: 'media.remove_participant', callId: 'c1', participant: agent('a1') });
    expect(h.notices('a1', 'c1').at(-1)).toMatchObject({ code: '002000', tccc: { event: 'sessionEnded', closeBy: 'admin', endStatus: 'intercepted' } });
    expect(h.engine.loadOf('a1')).toBe(0);
    // The supervisor's hang-up ends the call as the main agent's would.
    h.run({ type: 'call.hang_up', callId: 'c1', by: agent('boss') }, 9_000);
    const ended = h.ended('c1')!;
    expect(ended).toMatchObject({ reason: 'agent_hung_up', hungUpSide: 'agent' });
    expect(ended.summary.mainAgentId).toBe('boss');
    expect(ended.summary.participants.map((p) => [p.userId, p.endStatus])).toEqual([
      ['v1', 'ok'],
      ['a1', 'intercepted'],
      ['boss', 'ok'],
    ]);
  });

  it('refused unless the call is active or by someone already in it; a supervisor without media must connect in time', () => {
    const h = harness();
    h.run({ type: 'call.request', callId: 'c1', conversationId: 'conv', kind: 'audio', visitorId: 'v1' });
    expect(h.run({ type: 'call.intercept', callId: 'c1', supervisorId: 'boss', hasMedia: true }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    h.inboundActive('c2', 'v2', 'a2');
    expect(h.run({ type: 'call.intercept', callId: 'c2', supervisorId: 'a2', hasMedia: true }).rejection?.code).toBe('FD_CALL_ALREADY_PARTICIPANT');
    h.run({ type: 'call.intercept', callId: 'c2', supervisorId: 'boss', hasMedia: false }, 1_000);
    expect(h.engine.calls.get('c2')!.participants.at(-1)).toMatchObject({ userId: 'boss', leg: 'connecting' });
    // Not connected within the connect timeout: the call ends as a media failure.
    h.tick(40_000);
    expect(h.ended('c2')?.reason).toBe('media_failure');
    expect(visitor('v2').role).toBe('visitor');
  });
});
