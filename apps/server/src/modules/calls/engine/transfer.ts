/**
 * Blind transfer of a connected call (TCCC `Call.transfer`, SPEC M29): the main agent leaves, the
 * visitor stays in the room alone (the widget shows it on hold) and the call is offered on:
 * - to an agent: that agent rings under the core's timer (origin `transferee`); if it declines, is
 *   busy or rings out, the call comes back: the transferring agent rings again; if it does not take
 *   it back either, nobody can, and the call ends like a call routing could not place;
 * - to a queue: routing takes the call's session from the agent and queues it like a new call
 *   (offers, ring time-outs, overflow); the first agent to answer becomes the main agent, and a
 *   release by the queue's overflow rules ends the call.
 * Every leg stays in the call's record, so the CDR shows the first agent (`transferred`), each agent
 * rung and the one who took it.
 */
import { legEndStatus, mainAgentEndCode } from './call-notices.ts';
import { EASEMOB as E } from './easemob-codes.ts';
import { isLive, mainLeg, primaryVisitorLeg, type EngineState } from './engine-state.ts';
import { CallRejection, type CallEvent, type CallState, type LegEndReason, type Participant } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

/** Whether a blind transfer of the call waits for routing (to a queue). */
export function isTransferringToQueue(call: CallState): boolean {
  return call.transfer != null && 'queueId' in call.transfer.to;
}

export function transfer(st: EngineState, e: Of<'call.transfer'>): void {
  const call = st.liveCall(e.callId);
  const main = st.requireLeg(call, e.by);
  if (main !== mainLeg(call)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'only the main agent of the call may transfer it');
  if (call.phase !== 'active') throw new CallRejection('FD_CALL_NOT_ALLOWED', `a ${call.phase} call cannot be transferred`);
  const visitor = primaryVisitorLeg(call);
  // NOTE: two parties only: a third party would be left with the visitor and nobody in charge.
  if (!visitor || call.participants.some((p) => isLive(p) && p !== main && p !== visitor)) {
    throw new CallRejection('FD_CALL_NOT_ALLOWED', 'only a two-party call can be transferred: let the third party leave first');
  }
  if ('agentId' in e.to) {
    if (e.to.agentId === main.userId) throw new CallRejection('FD_CALL_ALREADY_PARTICIPANT', 'an agent cannot transfer a call to itself');
    st.requireCapacity(e.to.agentId);
  }

  st.notify(call, main, mainAgentEndCode(call, main, 'agent_hung_up', 'agent'), { event: 'sessionEnded', closeBy: 'seat', endStatus: 'transferred' });
  st.leave(call, main, 'transferred');
  call.mainAgentId = null;
  call.transfer = { by: main.userId, to: e.to, at: st.now, returning: false };
  if ('queueId' in e.to) {
    call.queueId = e.to.queueId;
    st.setPhase(call, 'queued');
    st.actions.push({ type: 'transfer_routing', callId: call.id, queueId: e.to.queueId });
    return;
  }
  ringTransferee(st, call, e.to.agentId, e.ringTimeoutMs);
}

function ringTransferee(st: EngineState, call: CallState, agentId: string, ringTimeoutMs: number | undefined): void {
  const leg = st.addLeg(call, { role: 'agent', id: agentId }, 'transferee', 'ringing', call.transfer!.by);
  leg.ringExpiresAt = st.now + (ringTimeoutMs ?? st.options.ringTimeoutMs);
  st.changed(call, leg);
  st.setPhase(call, 'ringing');
  st.notify(call, leg, E.ringing, { event: 'callIn', type: call.kind === 'video' ? 'video' : 'voip', timeoutMs: leg.ringExpiresAt - st.now }, primaryVisitorLeg(call));
}

/** The rung agent answers: it becomes the main agent and joins the room where the visitor waits. */
export function acceptTransfer(st: EngineState, call: CallState, leg: Participant): void {
  call.mainAgentId = leg.userId;
  call.transfer = null;
  st.startConnecting(call, leg);
  st.changed(call, leg);
  st.setPhase(call, 'connecting');
  st.notify(call, leg, E.visitorInvite_Success, { event: 'userAccessed' }, primaryVisitorLeg(call));
}

/** Routing assigned the queued call (offer accepted, or a pick): that agent becomes the main agent. */
export function assignTransferred(st: EngineState, call: CallState, agentId: string): void {
  const agent = { role: 'agent' as const, id: agentId };
  let leg = st.legOf(call, agent);
  if (!leg) st.requireCapacity(agentId);
  const other = call.participants.find((p) => p.origin === 'offered' && p.leg === 'ringing');
  if (other && other !== leg) {
    st.notify(call, other, E.free, { event: 'sessionEnded', closeBy: 'admin', endStatus: 'unconnected' });
    st.leave(call, other, 'offer_withdrawn');
  }
  leg ??= st.addLeg(call, agent, 'offered', 'ringing');
  acceptTransfer(st, call, leg);
}

/**
 * The rung agent did not take the call (declined, busy, failed, rang out). The first time, the call
 * comes back to the transferring agent, who rings; when that agent does not take it back either, or
 * is in another call meanwhile, nobody can and the call ends.
 */
export function transfereeLeaves(st: EngineState, call: CallState, leg: Participant, reason: LegEndReason): void {
  const closeBy = reason === 'ring_timeout' ? 'timer' : 'seat';
  st.notify(call, leg, reason === 'ring_timeout' ? E.visitorInvite_timeout : E.free, { event: 'sessionEnded', closeBy, endStatus: legEndStatus(leg, reason, 'unconnected') });
  st.leave(call, leg, reason);
  const transferState = call.transfer!;
  if (!transferState.returning && st.loadOf(transferState.by) < st.capacityOf(transferState.by)) {
    transferState.returning = true;
    return ringTransferee(st, call, transferState.by, undefined);
  }
  st.endCall(call, 'released_by_routing', 'system', null, 'no_agent');
}
