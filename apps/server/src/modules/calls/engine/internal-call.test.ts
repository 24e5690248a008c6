import { describe, expect, it } from 'vitest';
import { agent, harness } from './call-engine.testing.ts';

const start = { type: 'call.start_internal', callId: 'i1', kind: 'audio', agentId: 'ann', calleeAgentId: 'bob' } as const;

describe('internal calls (agent to agent)', () => {
  it('the caller joins the room at once, the callee rings (TCCC callIn internal with the caller); answered, both connect and the call is active', () => {
    const h = harness({ ringTimeoutMs: 20_000 });
    const { actions, rejection } = h.run(start, 1_000);
    expect(rejection).toBeUndefined();
    const call = h.engine.calls.get('i1')!;
    expect(call).toMatchObject({ direction: 'internal', origin: 'agent_call', conversationId: null, visitorId: null, mainAgentId: 'ann', phase: 'ringing', ringAt: 1_000 });
    expect(call.participants.map((p) => [p.role, p.userId, p.origin, p.leg])).toEqual([
      ['agent', 'ann', 'caller', 'connecting'],
      ['agent', 'bob', 'callee', 'ringing'],
    ]);
    expect(actions).toContainEqual({ type: 'media.create_room', callId: 'i1', kind: 'audio' });
    expect(h.notices('ann', 'i1')).toMatchObject([{ code: '007002', tccc: { event: 'callOuted' }, about: agent('bob') }]);
    expect(h.notices('bob', 'i1')).toMatchObject([{ code: '004000', tccc: { event: 'callIn', type: 'internal', timeoutMs: 20_000, peerUserId: 'ann' }, about: agent('ann') }]);
    expect(h.engine.loadOf('ann')).toBe(1);
    expect(h.engine.loadOf('bob')).toBe(1);

    h.run({ type: 'call.accept', callId: 'i1', by: agent('bob') }, 3_000);
    expect(h.engine.calls.get('i1')).toMatchObject({ phase: 'connecting', acceptedAt: 3_000 });
    expect(h.codes('ann', 'i1')).toEqual(['007002', '008002']);
    expect(h.notices('bob', 'i1').at(-1)).toMatchObject({ code: '006014', tccc: { event: 'userAccessed' } });
    h.run({ type: 'media.connected', callId: 'i1', participant: agent('ann') }, 3_100);
    h.run({ type: 'media.connected', callId: 'i1', participant: agent('bob') }, 3_200);
    expect(h.engine.calls.get('i1')).toMatchObject({ phase: 'active', connectedAt: 3_200 });

    // The callee hangs up: the call ends (it carries the call as a visitor would).
    h.run({ type: 'call.hang_up', callId: 'i1', by: agent('bob') }, 63_200);
    const ended = h.ended('i1')!;
    expect(ended).toMatchObject({ reason: 'callee_hung_up', hungUpSide: 'agent' });
    expect(ended.summary).toMatchObject({ direction: 'internal', conversationId: null, visitorId: null, durationMs: 60_200, endStatus: 'ok', closeBy: 'seat' });
    expect(ended.summary.participants.map((p) => [p.userId, p.origin, p.leftReason, p.endStatus])).toEqual([
      ['ann', 'caller', 'call_ended', 'ok'],
      ['bob', 'callee', 'callee_hung_up', 'ok'],
    ]);
    expect(h.codes('ann', 'i1').at(-1)).toBe('005002');
    expect(h.codes('bob', 'i1').at(-1)).toBe('005010');
    expect(h.engine.loadOf('ann') + h.engine.loadOf('bob')).toBe(0);
  });

  it('the caller hanging up before the answer cancels it; after, ends it', () => {
    const h = harness();
    h.run(start, 1_000);
    h.run({ type: 'call.hang_up', callId: 'i1', by: agent('ann') }, 2_000);
    expect(h.ended('i1')).toMatchObject({ reason: 'agent_hung_up_before_answer', hungUpSide: 'agent', summary: { endStatus: 'callerCancel' } });
    expect(h.codes('bob', 'i1')).toEqual(['004000', '002000']);
    expect(h.codes('ann', 'i1')).toEqual(['007002', '002000']);

    h.run({ ...start, callId: 'i2' }, 3_000);
    h.run({ type: 'call.accept', callId: 'i2', by: agent('bob') }, 4_000);
    h.run({ type: 'call.hang_up', callId: 'i2', by: agent('ann') }, 5_000);
    expect(h.ended('i2')).toMatchObject({ reason: 'agent_hung_up', summary: { endStatus: 'ok', durationMs: 1_000 } });
  });

  it('declined, busy, failed or not answered in time: the call ends with the callee’s answer, told to both', () => {
    const cases = [
      [{ type: 'call.refuse', callId: 'i1', by: agent('bob') }, 'callee_refused', 'agent', 'userReject', '002000'],
      [{ type: 'call.refuse', callId: 'i1', by: agent('bob'), reason: 'busy' }, 'callee_busy', 'agent', 'busy', '002000'],
      [{ type: 'call.refuse', callId: 'i1', by: agent('bob'), reason: 'error' }, 'callee_error', 'agent', 'error', '002012'],
      [{ type: 'call.hang_up', callId: 'i1', by: agent('bob') }, 'callee_refused', 'agent', 'userReject', '002000'],
      [{ type: 'tick' }, 'callee_timeout', 'system', 'notAnswer', '001002'],
    ] as const;
    for (const [event, reason, side, endStatus, calleeCode] of cases) {
      const h = harness({ ringTimeoutMs: 10_000 });
      h.run(start, 1_000);
      h.run(event, event.type === 'tick' ? 11_000 : 2_000);
      expect(h.ended('i1'), reason).toMatchObject({ reason, hungUpSide: side, summary: { endStatus, durationMs: 0 } });
      expect(h.notices('ann', 'i1').at(-1), reason).toMatchObject({ code: '002000', tccc: { event: 'sessionEnded', endStatus } });
      expect(h.codes('bob', 'i1').at(-1), reason).toBe(calleeCode);
    }
  });

  it('refused when the callee is in another call, or is the caller; transfers, consults, invites and take-overs are not for internal calls', () => {
    const h = harness();
    h.inboundActive('c1', 'v1', 'bob');
    expect(h.run(start).rejection?.code).toBe('FD_CALL_AGENT_BUSY');
    expect(h.run({ ...start, calleeAgentId: 'ann' }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    h.run({ ...start, calleeAgentId: 'cy' }, 1_000);
    expect(h.run({ ...start, callId: 'i9', agentId: 'dee', calleeAgentId: 'ann' }).rejection?.code).toBe('FD_CALL_AGENT_BUSY');
    h.run({ type: 'call.accept', callId: 'i1', by: agent('cy') }, 2_000);
    h.run({ type: 'media.connected', callId: 'i1', participant: agent('ann') }, 2_100);
    h.run({ type: 'media.connected', callId: 'i1', participant: agent('cy') }, 2_200);
    const by = agent('ann');
    expect(h.run({ type: 'call.transfer', callId: 'i1', by, to: { agentId: 'dee' } }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.consult', callId: 'i1', by, agentId: 'dee' }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.invite', callId: 'i1', by, invitee: agent('dee') }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    expect(h.run({ type: 'call.intercept', callId: 'i1', supervisorId: 'boss', hasMedia: true }).rejection?.code).toBe('FD_CALL_NOT_ALLOWED');
    // Hold is the caller's, as the main agent's of any call.
    expect(h.run({ type: 'call.hold', callId: 'i1', by }).rejection).toBeUndefined();
    expect(h.engine.calls.get('i1')!.phase).toBe('held');
  });

  it("the callee's media lost past the grace period ends the call as peer_lost on the agent side", () => {
    const h = harness({ peerGraceMs: 5_000 });
    h.run(start, 1_000);
    h.run({ type: 'call.accept', callId: 'i1', by: agent('bob') }, 2_000);
    h.run({ type: 'media.connected', callId: 'i1', participant: agent('ann') }, 2_100);
    h.run({ type: 'media.connected', callId: 'i1', participant: agent('bob') }, 2_200);
    h.run({ type: 'media.lost', callId: 'i1', participant: agent('bob') }, 3_000);
    h.tick(9_000);
    expect(h.ended('i1')).toMatchObject({ reason: 'peer_lost', hungUpSide: 'agent' });
    expect(h.codes('bob', 'i1').at(-1)).toBe('005010');
  });
});
