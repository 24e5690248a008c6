/**
 * Consult and warm transfer (SPEC M29): the main agent puts the visitor on hold and calls another
 * agent (`consultee`, ringing under the core's timer). While the consult rings or talks, the visitor
 * hears nobody and nobody hears the visitor; the two agents hear each other. Then either:
 * - complete: the call becomes three-way (all hear all, for the hand-over); when the main agent hangs
 *   up, it leaves (`transferred`) and the consulted agent keeps the call as its main agent; or
 * - cancel (or the consulted agent declines, rings out or hangs up): the consulted agent leaves and
 *   the visitor hears the main agent again.
 * Who may receive whom is the media relay's (`mayReceive`); each change of it is announced with
 * `media.forwarding_changed` so the subscriptions follow.
 */
import { INVITE, closeByOf, inviteeAgentEndCode, legEndStatus } from './call-notices.ts';
import { EASEMOB as E } from './easemob-codes.ts';
import { isInMedia, isLive, mainLeg, primaryVisitorLeg, type EngineState } from './engine-state.ts';
import { CallRejection, type CallEvent, type CallState, type ConsultState, type HungUpSide, type LegEndReason, type Participant, type RefuseReason } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

/** Whether the visitor is on hold for a consult (ringing or talking, not three-way yet). */
export function isVisitorHeldForConsult(call: Pick<CallState, 'consult'>): boolean {
  return call.consult != null && call.consult.phase !== 'three_way';
}

/** The consulted agent's live leg while it is not the main agent yet. */
export function consulteeLeg(call: CallState): Participant | undefined {
  return call.participants.find((p) => p.origin === 'consultee' && isLive(p) && p.userId !== call.mainAgentId);
}

function forwardingChanged(st: EngineState, call: CallState, before: ConsultState | null): void {
  st.actions.push({ type: 'media.forwarding_changed', callId: call.id, consultBefore: before });
}

function requireMainOf(st: EngineState, call: CallState, e: { by: { role: 'visitor' | 'agent'; id: string } }): Participant {
  const leg = st.requireLeg(call, e.by);
  if (leg !== mainLeg(call)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'only the main agent of the call may do this');
  return leg;
}

export function startConsult(st: EngineState, e: Of<'call.consult'>): void {
  const call = st.liveCall(e.callId);
  const main = requireMainOf(st, call, e);
  if (call.phase !== 'active') throw new CallRejection('FD_CALL_NOT_ALLOWED', `a ${call.phase} call cannot start a consult`);
  const visitor = primaryVisitorLeg(call);
  if (!visitor || call.participants.some((p) => isLive(p) && p !== main && p !== visitor)) {
    throw new CallRejection('FD_CALL_NOT_ALLOWED', 'a consult starts from a two-party call');
  }
  if (e.agentId === main.userId) throw new CallRejection('FD_CALL_ALREADY_PARTICIPANT', 'an agent cannot consult itself');
  // NOTE: an agent who kept a call by warm transfer is in the seed's agentInvite flow, which has no invites: transfer it instead.
  if (main.origin === 'consultee') throw new CallRejection('FD_CALL_NOT_ALLOWED', 'a call taken by warm transfer cannot start another consult');
  st.requireCapacity(e.agentId);

  const leg = st.addLeg(call, { role: 'agent', id: e.agentId }, 'consultee', 'ringing', main.userId);
  leg.ringExpiresAt = st.now + (e.ringTimeoutMs ?? st.options.ringTimeoutMs);
  st.changed(call, leg);
  call.consult = { by: main.userId, agentId: e.agentId, phase: 'ringing', at: st.now };
  st.notify(call, main, INVITE.agent.sent, undefined, leg);
  st.notify(call, leg, E.ringing, { event: 'callIn', type: call.kind === 'video' ? 'video' : 'voip', timeoutMs: leg.ringExpiresAt - st.now });
  forwardingChanged(st, call, null);
}

export function acceptConsult(st: EngineState, call: CallState, leg: Participant): void {
  st.startConnecting(call, leg);
  st.changed(call, leg);
  call.consult = { ...call.consult!, phase: 'talking' };
  const main = mainLeg(call);
  if (main) st.notify(call, main, INVITE.agent.joined, undefined, leg);
  st.notify(call, leg, E.agentInvite_Success, { event: 'userAccessed' });
}

/** Complete (warm transfer): three-way now; the main agent's hang-up hands the call over. */
export function completeConsult(st: EngineState, e: Of<'call.consult_complete'>): void {
  const call = st.liveCall(e.callId);
  requireMainOf(st, call, e);
  const leg = consulteeLeg(call);
  if (call.consult?.phase !== 'talking' || !leg || !isInMedia(leg)) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'no consulted agent is on the line');
  const before = call.consult;
  call.consult = { ...before, phase: 'three_way' };
  forwardingChanged(st, call, before);
}

export function cancelConsult(st: EngineState, e: Of<'call.consult_cancel'>): void {
  const call = st.liveCall(e.callId);
  requireMainOf(st, call, e);
  const leg = consulteeLeg(call);
  if (!leg || call.consult == null) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'no consult to cancel');
  consulteeLeaves(st, call, leg, 'consult_ended', 'agent', 'left');
}

/**
 * The consulted agent's leg ends while the call goes on (declined, busy, failed, rang out, hung up,
 * cancelled): the visitor hears the main agent again; the main agent hears the outcome.
 */
export function consulteeLeaves(st: EngineState, call: CallState, leg: Participant, reason: LegEndReason, side: HungUpSide, outcome: RefuseReason | 'timeout' | 'left'): void {
  const wasRinging = leg.leg === 'ringing';
  st.notify(call, leg, inviteeAgentEndCode(leg, reason, side), { event: 'sessionEnded', closeBy: closeByOf(reason, side), endStatus: legEndStatus(leg, reason, 'ok') });
  st.leave(call, leg, reason);
  const before = call.consult ?? null;
  call.consult = null;
  const main = mainLeg(call);
  // A consult cancelled while it still rang reads as the invite refused (the seed has no "withdrawn").
  if (main) st.notify(call, main, outcome === 'left' ? INVITE.agent[wasRinging ? 'refused' : 'left'] : INVITE.agent[outcome], undefined, leg);
  forwardingChanged(st, call, before);
}

/** The main agent hangs up a three-way consult: it leaves, the consulted agent keeps the call. */
export function handOver(st: EngineState, call: CallState, main: Participant): void {
  const leg = consulteeLeg(call)!;
  st.notify(call, main, INVITE.agent.masterClosed, { event: 'sessionEnded', closeBy: 'seat', endStatus: 'transferred' });
  st.leave(call, main, 'transferred');
  call.mainAgentId = leg.userId;
  const before = call.consult ?? null;
  call.consult = null;
  forwardingChanged(st, call, before);
}
