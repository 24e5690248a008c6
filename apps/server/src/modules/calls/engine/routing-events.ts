/**
 * Routing's decisions about an inbound call. Routing (the ACD) owns offers, their ring timeout and
 * `autoTransfer`; the call core only follows: an offer rings an agent, a withdrawn offer puts the call
 * back in the queue, an assignment answers it, a release ends it. A routing fact that no longer fits
 * (the visitor hung up meanwhile) is rejected, and the shell settles it with routing.
 */
import { legEndStatus } from './call-notices.ts';
import { EASEMOB as E } from './easemob-codes.ts';
import { primaryVisitorLeg, type EngineState } from './engine-state.ts';
import { assignTransferred, isTransferringToQueue } from './transfer.ts';
import { CallRejection, type CallEvent, type CallState, type LegEndReason, type TcccNotice } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

/** An inbound call routing is still working on: not answered, not ended. */
function routedCall(st: EngineState, callId: string): CallState {
  const call = st.liveCall(callId);
  if (isTransferringToQueue(call)) return call;
  if (call.direction !== 'inbound' || call.acceptedAt !== null) throw new CallRejection('FD_CALL_NOT_ALLOWED', `call ${callId} is not waiting for routing`);
  return call;
}

function ringingOffer(call: CallState) {
  return call.participants.find((p) => p.origin === 'offered' && p.leg === 'ringing');
}

export function queued(st: EngineState, e: Of<'routing.queued'>): void {
  const call = routedCall(st, e.callId);
  if (ringingOffer(call)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'the call is ringing an agent; routing withdraws the offer first');
  call.queueId = e.queueId;
  call.queuedAt ??= st.now;
  st.setPhase(call, 'queued');
}

export function offered(st: EngineState, e: Of<'routing.offered'>): void {
  const call = routedCall(st, e.callId);
  if (ringingOffer(call)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'the call already rings an agent');
  if (st.legOf(call, { role: 'agent', id: e.agentId })) throw new CallRejection('FD_CALL_ALREADY_PARTICIPANT', `agent ${e.agentId} is already in the call`);
  st.requireCapacity(e.agentId);
  const leg = st.addLeg(call, { role: 'agent', id: e.agentId }, 'offered', 'ringing');
  leg.ringExpiresAt = e.expiresAt;
  call.ringAt ??= st.now;
  st.changed(call, leg);
  st.setPhase(call, 'ringing');
  const timeoutMs = Math.max(0, e.expiresAt - st.now);
  st.notify(call, leg, E.ringing, { event: 'callIn', type: call.kind === 'video' ? 'video' : 'voip', timeoutMs }, primaryVisitorLeg(call));
}

/** Declined (→ 002000) or rang out (→ 001001, TCCC autoTransfer): routing offers the next agent. */
export function offerWithdrawn(st: EngineState, e: Of<'routing.offer_withdrawn'>): void {
  const call = routedCall(st, e.callId);
  const leg = ringingOffer(call);
  if (!leg || leg.userId !== e.agentId) throw new CallRejection('FD_CALL_NOT_ALLOWED', `no offer of call ${e.callId} rings agent ${e.agentId}`);
  const reason: LegEndReason = e.reason === 'declined' ? 'agent_refused' : e.reason === 'timed_out' ? 'ring_timeout' : 'offer_withdrawn';
  const tccc: TcccNotice =
    e.reason === 'timed_out' ? { event: 'autoTransfer' } : { event: 'sessionEnded', closeBy: e.reason === 'declined' ? 'seat' : 'admin', endStatus: legEndStatus(leg, reason, 'unconnected') };
  st.notify(call, leg, e.reason === 'timed_out' ? E.visitorInvite_timeout : E.free, tccc);
  st.leave(call, leg, reason);
  st.setPhase(call, 'queued');
}

/** The agent answered (routing's offer accepted, or a pool pick or transfer without a ring): the room opens. */
export function assigned(st: EngineState, e: Of<'routing.assigned'>): void {
  const call = routedCall(st, e.callId);
  if (isTransferringToQueue(call)) return assignTransferred(st, call, e.agentId);
  const agent = { role: 'agent' as const, id: e.agentId };
  let leg = st.legOf(call, agent);
  if (!leg) st.requireCapacity(e.agentId);
  const other = ringingOffer(call);
  if (other && other !== leg) {
    st.notify(call, other, E.free, { event: 'sessionEnded', closeBy: 'admin', endStatus: 'unconnected' });
    st.leave(call, other, 'offer_withdrawn');
  }
  leg ??= st.addLeg(call, agent, 'offered', 'connecting');
  call.mainAgentId = e.agentId;
  call.acceptedAt = st.now;
  st.openRoom(call);
  const visitor = primaryVisitorLeg(call)!;
  st.startConnecting(call, visitor);
  st.changed(call, visitor);
  st.startConnecting(call, leg);
  st.changed(call, leg);
  st.setPhase(call, 'connecting');
  st.notify(call, leg, E.visitorInvite_Success, { event: 'userAccessed' }, visitor);
}

export function released(st: EngineState, e: Of<'routing.released'>): void {
  const call = routedCall(st, e.callId);
  st.endCall(call, 'released_by_routing', 'system', null, e.reason);
}
