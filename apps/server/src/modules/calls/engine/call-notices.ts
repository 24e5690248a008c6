/**
 * Which Easemob code and which TCCC status each transition gives, as pure lookups. The engine decides
 * what happened; this file says how the two compat vocabularies name it.
 */
import { EASEMOB as E, baseOf, type EasemobCode } from './easemob-codes.ts';
import type { CallOrigin, CallState, CloseBy, EndReason, HungUpSide, LegEndReason, Participant, PartyRole, RefuseReason, RoutingReleaseReason } from './types.ts';

/**
 * The main agent's codes per origin (seed: visitorInvite_*, callVisitor_*, callCurrentVisitor_*).
 * An inbound call has a main agent only once answered, so its "before answer" entries are never used.
 */
const ORIGIN = {
  visitor_request: {
    sent: null,
    accepted: E.visitorInvite_Success,
    visitorLeft: E.visitorInvite_visitorDisconnect,
    agentLeft: E.visitorInvite_agentCloseVideo,
    error: E.visitorInvite_error,
    refused: E.visitorInvite_error,
    busy: E.visitorInvite_error,
    timeout: E.visitorInvite_error,
    notAnswered: E.visitorInvite_error,
  },
  call_visitor: {
    sent: E.callVisitor_inviteSendSuccess,
    accepted: E.callVisitor_VisitorAcceptSuccess,
    visitorLeft: E.callVisitor_visitorDisconnect,
    agentLeft: E.callVisitor_agentCloseVideo_answered,
    error: E.callVisitor_error,
    refused: E.callVisitor_visitorRefuse,
    busy: E.callVisitor_busy,
    timeout: E.callVisitor_Timeout,
    notAnswered: E.callVisitor_agentCloseVideo_notAnswer,
  },
  call_current_visitor: {
    sent: E.callCurrentVisitor_inviteSendSuccess,
    accepted: E.callCurrentVisitor_VisitorAcceptSuccess,
    visitorLeft: E.callCurrentVisitor_visitorDisconnect,
    agentLeft: E.callCurrentVisitor_agentCloseVideo_answered,
    error: E.callCurrentVisitor_error,
    refused: E.callCurrentVisitor_visitorRefuse,
    busy: E.callCurrentVisitor_busy,
    timeout: E.callCurrentVisitor_timeout,
    notAnswered: E.callCurrentVisitor_agentCloseVideo_notAnswer,
  },
  // NOTE: an internal call's codes are internal-call.ts's (Easemob has no such call); this row only
  // completes the table: its entries are the caller's, as told there.
  agent_call: {
    sent: E.inviteThirdAgent_inviteSendSuccess,
    accepted: E.inviteThirdAgent_success,
    visitorLeft: E.inviteThirdAgent_masterAgentCloseVideo,
    agentLeft: E.inviteThirdAgent_masterAgentCloseVideo,
    error: E.free,
    refused: E.free,
    busy: E.free,
    timeout: E.free,
    notAnswered: E.free,
  },
} as const satisfies Record<CallOrigin, Record<string, EasemobCode | null>>;

export function originCodes(origin: CallOrigin) {
  return ORIGIN[origin];
}

/** The main agent's codes for a third-party invite, by the invitee's role (seed: inviteThirdVisitor_*, inviteThirdAgent_*). */
export const INVITE = {
  visitor: {
    sent: E.inviteThirdVisitor_inviteSendSuccess,
    joined: E.inviteThirdVisitor_success,
    refused: E.inviteThirdVisitor_visitorRefuse,
    busy: E.inviteThirdVisitor_busy,
    timeout: E.inviteThirdVisitor_Timeout,
    error: E.inviteThirdVisitor_error,
    left: E.inviteThirdVisitor_visitorDisconnect,
    masterClosed: E.inviteThirdVisitor_masterAgentCloseVideo,
  },
  agent: {
    sent: E.inviteThirdAgent_inviteSendSuccess,
    joined: E.inviteThirdAgent_success,
    refused: E.inviteThirdAgent_agentRefuse,
    busy: E.inviteThirdAgent_busy,
    timeout: E.inviteThirdAgent_Timeout,
    error: E.inviteThirdAgent_error,
    left: E.inviteThirdAgent_agentDisconnect,
    masterClosed: E.inviteThirdAgent_masterAgentCloseVideo,
  },
} as const satisfies Record<PartyRole, Record<string, EasemobCode>>;

export type InviteOutcome = RefuseReason | 'timeout';

export function isMultiPartyCode(code: EasemobCode | null): boolean {
  return code !== null && (baseOf(code) === '007000' || baseOf(code) === '008000');
}

/**
 * The main agent's code when the whole call ends. Before the visitor answered an outbound call, the
 * code names the visitor's answer (or the agent's own hang-up, 002005/002010); after answer it names
 * who left; with third parties (or an invite pending) the main agent's hang-up is 005001/005002; a
 * media failure is the flow's error code.
 */
export function mainAgentEndCode(call: CallState, main: Participant, reason: EndReason, side: HungUpSide): EasemobCode {
  // NOTE: an agent who took a call by a transfer answered a ring like an inbound call (004000 → 006013),
  // whatever began the call: its codes are the visitorInvite flow's.
  // A consulted agent who kept the call stays in the agentInvite flow it started in.
  if (main.origin === 'consultee') return inviteeAgentEndCode(main, reason, side);
  const codes = ORIGIN[main.origin === 'transferee' || main.origin === 'offered' ? 'visitor_request' : call.origin];
  if (reason === 'media_failure' || reason === 'visitor_error') return codes.error;
  if (call.acceptedAt === null) {
    if (reason === 'visitor_refused') return codes.refused;
    if (reason === 'visitor_busy') return codes.busy;
    if (reason === 'visitor_timeout') return codes.timeout;
    return side === 'agent' ? codes.notAnswered : codes.error;
  }
  if (side === 'visitor') return codes.visitorLeft;
  if (side === 'agent' && isMultiPartyCode(main.lastCode)) {
    // NOTE: with a third visitor and a third agent at once, the visitor's code wins (the seed has one code per call).
    const invitees = call.participants.filter((p) => (p.origin === 'invitee' || p.origin === 'consultee') && p.leg !== 'left');
    if (invitees.some((p) => p.role === 'visitor')) return INVITE.visitor.masterClosed;
    if (invitees.some((p) => p.role === 'agent')) return INVITE.agent.masterClosed;
  }
  return side === 'agent' ? codes.agentLeft : codes.error;
}

/** An invited agent's code when its leg ends (seed agentInvite_*; 002000 when it never answered). */
export function inviteeAgentEndCode(leg: Participant, reason: LegEndReason, side: HungUpSide): EasemobCode {
  if (leg.acceptedAt === null) {
    if (reason === 'ring_timeout') return E.agentInvite_timeout;
    if (reason === 'agent_error') return E.agentInvite_error;
    return E.free;
  }
  if (reason === 'media_failure') return E.agentInvite_error;
  return side === 'visitor' ? E.agentInvite_visitorDisconnect : E.agentInvite_agentCloseVideo;
}

/** TCCC `sessionEnded.closeBy`. */
export function closeByOf(reason: LegEndReason, side: HungUpSide): CloseBy {
  if (reason === 'visitor_timeout' || reason === 'ring_timeout' || reason === 'callee_timeout') return 'timer';
  return side === 'visitor' ? 'client' : side === 'agent' ? 'seat' : 'admin';
}

/**
 * TCCC `EndStatusString` of a whole call. NOTE: the seed shows only `ok` and `numberNotExist`; the
 * other names are TCCC's published end-status list (error, ok, notAnswer, userReject, busy,
 * callerCancel, waitingGiveUp, ringingGiveUp, noSeatOnline, notWorkTime, unconnected).
 */
export function callEndStatus(call: CallState, reason: EndReason, release: RoutingReleaseReason | null): string {
  switch (reason) {
    case 'visitor_hung_up':
    case 'agent_hung_up':
    case 'callee_hung_up':
    case 'peer_lost':
      return 'ok';
    case 'visitor_refused':
    case 'callee_refused':
      return 'userReject';
    case 'visitor_busy':
    case 'callee_busy':
      return 'busy';
    case 'visitor_timeout':
    case 'callee_timeout':
      return 'notAnswer';
    case 'visitor_error':
    case 'callee_error':
    case 'media_failure':
      return 'error';
    case 'agent_hung_up_before_answer':
      return 'callerCancel';
    case 'cancelled':
      return call.ringAt === null ? 'waitingGiveUp' : 'ringingGiveUp';
    case 'released_by_routing':
      return release === 'no_agent' ? 'noSeatOnline' : release === 'off_hours' ? 'notWorkTime' : 'unconnected';
  }
}

/** TCCC per-participant `EndStatusString` (ServeParticipants): an offered agent who did not answer is `seatGiveUp`. */
export function legEndStatus(leg: Participant, reason: LegEndReason, callStatus: string): string {
  switch (reason) {
    case 'agent_refused':
    case 'ring_timeout':
      return leg.origin === 'offered' ? 'seatGiveUp' : reason === 'ring_timeout' ? 'notAnswer' : 'userReject';
    case 'offer_withdrawn':
      return 'unconnected';
    case 'agent_busy':
      return 'busy';
    case 'agent_error':
      return 'error';
    case 'call_ended':
      return leg.acceptedAt === null ? 'unconnected' : callStatus === 'error' ? 'error' : 'ok';
    case 'intercepted':
      return 'intercepted';
    case 'transferred':
      return 'transferred';
    case 'consult_ended':
      return leg.acceptedAt === null ? 'unconnected' : 'ok';
    default:
      return leg.origin === 'invitee' || leg.acceptedAt !== null ? tcccOfLegReason(reason) : callStatus;
  }
}

function tcccOfLegReason(reason: EndReason): string {
  switch (reason) {
    case 'visitor_refused':
    case 'callee_refused':
      return 'userReject';
    case 'visitor_busy':
    case 'callee_busy':
      return 'busy';
    case 'visitor_timeout':
    case 'callee_timeout':
      return 'notAnswer';
    case 'visitor_error':
    case 'callee_error':
    case 'media_failure':
      return 'error';
    case 'agent_hung_up_before_answer':
      return 'callerCancel';
    default:
      return 'ok';
  }
}
