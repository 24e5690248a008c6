/**
 * Third parties (Easemob videoInviteAgent / videoInviteVisitor / multipleVideoPickUp, SPEC M24): the
 * main agent invites one party at a time into an active call; the invitee rings under the core's own
 * timer, answers, refuses or times out, and may leave later without ending the call.
 */
import { INVITE, closeByOf, inviteeAgentEndCode, legEndStatus, type InviteOutcome } from './call-notices.ts';
import { EASEMOB as E } from './easemob-codes.ts';
import { isInMedia, isLive, mainLeg, type EngineState } from './engine-state.ts';
import { CallRejection, type CallState, type HungUpSide, type LegEndReason, type Participant, type PartyRef, type RefuseReason } from './types.ts';

export function pendingInvitee(call: CallState): Participant | undefined {
  return call.participants.find((p) => p.origin === 'invitee' && p.leg === 'ringing');
}

export function invite(st: EngineState, call: CallState, main: Participant, invitee: PartyRef, ringTimeoutMs: number | undefined): void {
  if (call.phase !== 'active') throw new CallRejection('FD_CALL_NOT_ALLOWED', `a third party can be invited into an active call, not a ${call.phase} one`);
  if (pendingInvitee(call)) throw new CallRejection('FD_CALL_INVITE_PENDING', 'an invite is still ringing');
  if (st.legOf(call, invitee)) throw new CallRejection('FD_CALL_ALREADY_PARTICIPANT', `${invitee.role} ${invitee.id} is already in the call`);
  const count = call.participants.filter(isLive).length;
  if (count >= st.options.maxParticipants) throw new CallRejection('FD_CALL_PARTICIPANT_LIMIT', `the call already has ${count} parties`);
  if (invitee.role === 'agent') st.requireCapacity(invitee.id);
  else st.requireVisitorFree(invitee.id);

  const leg = st.addLeg(call, invitee, 'invitee', 'ringing', main.userId);
  leg.ringExpiresAt = st.now + (ringTimeoutMs ?? st.options.ringTimeoutMs);
  st.changed(call, leg);
  st.notify(call, main, INVITE[invitee.role].sent, undefined, leg);
  if (leg.role === 'agent') st.notify(call, leg, E.ringing, { event: 'callIn', type: call.kind === 'video' ? 'video' : 'voip', timeoutMs: leg.ringExpiresAt - st.now });
}

export function acceptInvite(st: EngineState, call: CallState, leg: Participant): void {
  st.startConnecting(call, leg);
  st.changed(call, leg);
  const main = mainLeg(call);
  if (main) st.notify(call, main, INVITE[leg.role].joined, undefined, leg);
  if (leg.role === 'agent') st.notify(call, leg, E.agentInvite_Success, { event: 'userAccessed' });
}

/** The leg reason of a refused invite, by the invitee's role. */
export function refusalReason(role: PartyRef['role'], reason: RefuseReason): LegEndReason {
  if (role === 'visitor') return reason === 'busy' ? 'visitor_busy' : reason === 'error' ? 'visitor_error' : 'visitor_refused';
  return reason === 'busy' ? 'agent_busy' : reason === 'error' ? 'agent_error' : 'agent_refused';
}

/**
 * A third party's leg ends while the call goes on. An invited agent hears its own end; the main agent
 * hears the invite's outcome (refused, busy, timed out, failed) or the departure, as the code of the
 * call it is left with: 006xxx two-party again, 008000 still three-party or more, nothing while
 * another invite is still ringing (the main agent stays "inviting" until that one is answered).
 */
export function inviteeLeaves(st: EngineState, call: CallState, leg: Participant, reason: LegEndReason, outcome: InviteOutcome | 'left', side: HungUpSide): void {
  const wasRinging = leg.leg === 'ringing';
  if (leg.role === 'agent') {
    st.notify(call, leg, inviteeAgentEndCode(leg, reason, side), { event: 'sessionEnded', closeBy: closeByOf(reason, side), endStatus: legEndStatus(leg, reason, 'ok') });
  }
  st.leave(call, leg, reason);
  const main = mainLeg(call);
  if (!main) return;
  const inMedia = call.participants.filter(isInMedia).length;
  if (wasRinging) {
    st.notify(call, main, inMedia >= 3 ? E.threeParty : INVITE[leg.role][outcome === 'left' ? 'refused' : outcome], undefined, leg);
  } else if (!pendingInvitee(call)) {
    st.notify(call, main, inMedia >= 3 ? E.threeParty : INVITE[leg.role].left, undefined, leg);
  }
}
