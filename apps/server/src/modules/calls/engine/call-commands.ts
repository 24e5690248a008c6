/**
 * Commands from the parties: start a call (click-to-call, outbound), answer, refuse, hang up, hold,
 * mute, invite. Each handler checks everything first and throws CallRejection before it changes
 * anything, so a refused command leaves no trace.
 */
import { originCodes } from './call-notices.ts';
import { isInMedia, mainLeg, requireVisitorCall, type EngineState } from './engine-state.ts';
import { acceptInternal, internalRefusal } from './internal-call.ts';
import { acceptInvite, invite, inviteeLeaves, refusalReason } from './third-party.ts';
import { acceptTransfer, transfereeLeaves } from './transfer.ts';
import { acceptConsult, consulteeLeaves, consulteeLeg, handOver } from './consult.ts';
import { CallRejection, type CallEvent, type CallState, type Participant } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

export function requestCall(st: EngineState, e: Of<'call.request'>): void {
  st.requireNewCall(e.callId, e.conversationId);
  st.requireVisitorFree(e.visitorId);
  const call = st.createCall({
    id: e.callId,
    conversationId: e.conversationId,
    kind: e.kind,
    direction: 'inbound',
    origin: 'visitor_request',
    queueId: e.queueId ?? null,
    phase: 'requested',
    mainAgentId: null,
    visitorId: e.visitorId,
  });
  st.changed(call, st.addLeg(call, { role: 'visitor', id: e.visitorId }, 'requester', 'invited'));
  st.actions.push({
    type: 'request_routing',
    callId: call.id,
    conversationId: e.conversationId,
    kind: call.kind,
    ...(e.queueId !== undefined ? { queueId: e.queueId } : {}),
    ...(e.preferredAgentId !== undefined ? { preferredAgentId: e.preferredAgentId } : {}),
  });
}

/** The agent calls a visitor: the agent joins the room at once (and hears the ring), the visitor rings under the core's timer. */
export function startOutbound(st: EngineState, e: Of<'call.start_outbound'>): void {
  st.requireNewCall(e.callId, e.conversationId);
  st.requireVisitorFree(e.visitorId);
  st.requireCapacity(e.agentId);
  const call = st.createCall(
    {
      id: e.callId,
      conversationId: e.conversationId,
      kind: e.kind,
      direction: 'outbound',
      origin: e.target === 'visitor' ? 'call_visitor' : 'call_current_visitor',
      queueId: null,
      phase: 'ringing',
      mainAgentId: e.agentId,
      visitorId: e.visitorId,
    },
    st.now,
  );
  const { caller: agent, callee: visitor } = st.dial(call, e.agentId, { role: 'visitor', id: e.visitorId }, e.ringTimeoutMs);
  st.notify(call, agent, originCodes(call.origin).sent!, { event: 'callOuted' }, visitor);
}

/** The leg of a party that rings under the core's own timer (an outbound callee or a third party). */
function ringingLeg(st: EngineState, call: CallState, e: Of<'call.accept' | 'call.refuse'>): Participant {
  const leg = st.requireLeg(call, e.by);
  if (leg.leg === 'ringing' && (leg.origin === 'callee' || leg.origin === 'invitee' || leg.origin === 'transferee' || leg.origin === 'consultee')) return leg;
  throw new CallRejection('FD_CALL_NOT_ALLOWED', leg.origin === 'offered' ? 'an offered agent answers or declines through routing' : `nothing rings for ${e.by.role} ${e.by.id}`);
}

export function accept(st: EngineState, e: Of<'call.accept'>): void {
  const call = st.liveCall(e.callId);
  const leg = ringingLeg(st, call, e);
  if (leg.origin === 'invitee') return acceptInvite(st, call, leg);
  if (leg.origin === 'transferee') return acceptTransfer(st, call, leg);
  if (leg.origin === 'consultee') return acceptConsult(st, call, leg);
  call.acceptedAt = st.now;
  st.startConnecting(call, leg);
  st.changed(call, leg);
  st.setPhase(call, 'connecting');
  const main = mainLeg(call)!;
  if (call.direction === 'internal') return acceptInternal(st, call, leg, main);
  st.notify(call, main, originCodes(call.origin).accepted, { event: 'calloutAccepted' }, leg);
}

export function refuse(st: EngineState, e: Of<'call.refuse'>): void {
  const call = st.liveCall(e.callId);
  const leg = ringingLeg(st, call, e);
  const reason = e.reason ?? 'refused';
  if (leg.origin === 'invitee') return inviteeLeaves(st, call, leg, refusalReason(leg.role, reason), reason, leg.role);
  if (leg.origin === 'transferee') return transfereeLeaves(st, call, leg, refusalReason('agent', reason));
  if (leg.origin === 'consultee') return consulteeLeaves(st, call, leg, refusalReason('agent', reason), 'agent', reason);
  if (call.direction === 'internal') return st.endCall(call, internalRefusal(reason), 'agent', leg);
  st.endCall(call, reason === 'busy' ? 'visitor_busy' : reason === 'error' ? 'visitor_error' : 'visitor_refused', 'visitor', leg);
}

/**
 * Hang up. The main agent or the primary visitor ends the call; a third party leaves it (a ringing
 * one refuses). An agent whose routing offer rings declines through routing instead.
 */
export function hangUp(st: EngineState, e: Of<'call.hang_up'>): void {
  const call = st.liveCall(e.callId);
  const leg = st.requireLeg(call, e.by);
  if (leg.origin === 'invitee') {
    if (leg.leg === 'ringing') return inviteeLeaves(st, call, leg, refusalReason(leg.role, 'refused'), 'refused', leg.role);
    return inviteeLeaves(st, call, leg, leg.role === 'visitor' ? 'visitor_hung_up' : 'agent_hung_up', 'left', leg.role);
  }
  if (leg.origin === 'transferee' && leg.leg === 'ringing') return transfereeLeaves(st, call, leg, 'agent_refused');
  if (leg === consulteeLeg(call)) {
    if (leg.leg === 'ringing') return consulteeLeaves(st, call, leg, 'agent_refused', 'agent', 'refused');
    return consulteeLeaves(st, call, leg, 'agent_hung_up', 'agent', 'left');
  }
  // The main agent hanging up a three-way consult hands the call to the consulted agent (warm transfer).
  if (leg === mainLeg(call) && call.consult?.phase === 'three_way' && consulteeLeg(call)) return handOver(st, call, leg);
  if (call.direction === 'internal' && leg.origin === 'callee') return st.endCall(call, leg.leg === 'ringing' ? 'callee_refused' : 'callee_hung_up', 'agent', leg);
  if (leg.role === 'visitor') {
    if (leg.origin === 'callee' && leg.leg === 'ringing') return st.endCall(call, 'visitor_refused', 'visitor', leg);
    return st.endCall(call, call.acceptedAt === null ? 'cancelled' : 'visitor_hung_up', 'visitor', leg);
  }
  if (leg === mainLeg(call)) return st.endCall(call, call.acceptedAt === null ? 'agent_hung_up_before_answer' : 'agent_hung_up', 'agent', leg);
  throw new CallRejection('FD_CALL_NOT_ALLOWED', 'an offered agent declines through routing');
}

function requireMain(st: EngineState, call: CallState, e: { by: { role: 'visitor' | 'agent'; id: string } }): Participant {
  const leg = st.requireLeg(call, e.by);
  if (leg !== mainLeg(call)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'only the main agent of the call may do this');
  return leg;
}

/** Hold: the main agent's media stops flowing to and from the others until unhold. */
export function hold(st: EngineState, e: Of<'call.hold'>): void {
  const call = st.liveCall(e.callId);
  const main = requireMain(st, call, e);
  if (call.phase !== 'active') throw new CallRejection('FD_CALL_NOT_ALLOWED', `a ${call.phase} call cannot be held`);
  if (call.consult != null) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'the visitor is already on hold for a consult');
  main.leg = 'held';
  st.changed(call, main);
  st.setPhase(call, 'held');
  st.actions.push({ type: 'media.set_forwarding', callId: call.id, participant: e.by, enabled: false });
}

export function unhold(st: EngineState, e: Of<'call.unhold'>): void {
  const call = st.liveCall(e.callId);
  const main = requireMain(st, call, e);
  if (call.phase !== 'held') throw new CallRejection('FD_CALL_NOT_ALLOWED', 'the call is not on hold');
  main.leg = 'connected';
  st.changed(call, main);
  st.setPhase(call, 'active');
  st.actions.push({ type: 'media.set_forwarding', callId: call.id, participant: e.by, enabled: true });
}

/** Mute or unmute the mic, turn the camera off or on: one's own only. */
export function setMedia(st: EngineState, e: Of<'call.set_media'>): void {
  const call = st.liveCall(e.callId);
  const leg = st.requireLeg(call, e.by);
  if (e.cameraOff !== undefined && call.kind === 'audio') throw new CallRejection('FD_CALL_NOT_ALLOWED', 'an audio call has no camera');
  const micMuted = e.micMuted ?? leg.micMuted;
  const cameraOff = e.cameraOff ?? leg.cameraOff;
  if (micMuted === leg.micMuted && cameraOff === leg.cameraOff) return;
  leg.micMuted = micMuted;
  leg.cameraOff = cameraOff;
  st.changed(call, leg);
  if (call.hasRoom && isInMedia(leg)) {
    st.actions.push({ type: 'media.set_tracks', callId: call.id, participant: e.by, audio: !micMuted, video: call.kind === 'video' && !cameraOff });
  }
}

export function inviteThirdParty(st: EngineState, e: Of<'call.invite'>): void {
  const call = st.liveCall(e.callId);
  const main = requireMain(st, call, e);
  requireVisitorCall(call);
  if (call.consult != null) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'finish the consult first');
  // NOTE: an agent who kept a call by warm transfer is in the seed's agentInvite flow, which has no invites of its own.
  if (main.origin === 'consultee') throw new CallRejection('FD_CALL_NOT_ALLOWED', 'a call taken by warm transfer cannot invite a third party');
  invite(st, call, main, e.invitee, e.ringTimeoutMs);
}
