/**
 * A supervisor takes a call over (TCCC `Call.intercept`, 强拆; SPEC M28): the main agent's leg
 * leaves (its media is taken out of the room, it hears the end of its part), and the supervisor's
 * leg becomes the main agent's, so the call goes on between the visitor and the supervisor. The
 * supervisor's own checks (role, supervising the call first) are the service's.
 */
import { EASEMOB as E } from './easemob-codes.ts';
import { isInMedia, mainLeg, requireVisitorCall, type EngineState } from './engine-state.ts';
import { CallRejection, type CallEvent } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

export function intercept(st: EngineState, e: Of<'call.intercept'>): void {
  const call = st.liveCall(e.callId);
  requireVisitorCall(call);
  // NOTE: not while held: the hold's forwarding is the main agent's, which is leaving.
  if (call.phase !== 'active') throw new CallRejection('FD_CALL_NOT_ALLOWED', `a ${call.phase} call cannot be taken over`);
  if (call.consult != null) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'the agent is consulting: take the call over after the consult');
  const main = mainLeg(call);
  if (!main || !isInMedia(main)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'no agent holds this call');
  const supervisor = { role: 'agent' as const, id: e.supervisorId };
  if (st.legOf(call, supervisor)) throw new CallRejection('FD_CALL_ALREADY_PARTICIPANT', `agent ${e.supervisorId} is already in the call`);

  st.notify(call, main, E.free, { event: 'sessionEnded', closeBy: 'admin', endStatus: 'intercepted' });
  st.leave(call, main, 'intercepted');
  const leg = st.addLeg(call, supervisor, 'interceptor', 'connecting');
  call.mainAgentId = e.supervisorId;
  if (e.hasMedia) {
    leg.acceptedAt = st.now;
    leg.connectedAt = st.now;
    leg.leg = 'connected';
  } else st.startConnecting(call, leg);
  st.changed(call, leg);
}
