/**
 * Which Easemob code may follow which, for one agent (seed 001 v190307, read with the callbacks of
 * videoPickUp, multipleVideoPickUp, callbackToVisitor, videoInviteCurrentVisitor, videoInviteAgent
 * and videoInviteVisitor). The call engine's property tests check every `notify` against this table;
 * the agent SDK can use it to drop out-of-order codes.
 */
import { EASEMOB as E, baseOf, flowOf, type EasemobCode, type EasemobFlow } from './easemob-codes.ts';

/**
 * Codes that begin an agent's part in a call: rung (inbound offer, third-party invite or internal call),
 * calling a visitor, assigned without a ring, or calling another agent (internal call: 007002, see
 * engine/internal-call.ts).
 */
export const EASEMOB_START_CODES: ReadonlySet<EasemobCode> = new Set([E.ringing, E.callVisitor_inviteSendSuccess, E.callCurrentVisitor_inviteSendSuccess, E.visitorInvite_Success, E.inviteThirdAgent_inviteSendSuccess]);

/** Codes after which the agent has no part in that call any more: busy (001), idle (002), after-call (005). */
export function isFinalCode(code: EasemobCode): boolean {
  const base = baseOf(code);
  return base === '001000' || base === '002000' || base === '005000';
}

const INVITES = [E.inviteThirdVisitor_inviteSendSuccess, E.inviteThirdAgent_inviteSendSuccess];
/** The primary visitor hung up (or vanished) after answering, per origin. */
const VISITOR_LEFT = [E.callVisitor_visitorDisconnect, E.callCurrentVisitor_visitorDisconnect, E.visitorInvite_visitorDisconnect];
/** The main agent hung up after answer in a two-party call, per origin. */
const AGENT_LEFT = [E.callVisitor_agentCloseVideo_answered, E.callCurrentVisitor_agentCloseVideo_answered, E.visitorInvite_agentCloseVideo];
/** Media failed, per origin. */
const ERRORS = [E.callVisitor_error, E.callCurrentVisitor_error, E.visitorInvite_error];
const MASTER_CLOSED = [E.inviteThirdVisitor_masterAgentCloseVideo, E.inviteThirdAgent_masterAgentCloseVideo];
/** A third party's invite failed or it left, and the call is two-party again. */
const BACK_TO_TWO_PARTY = [
  E.inviteThirdVisitor_visitorRefuse,
  E.inviteThirdVisitor_busy,
  E.inviteThirdVisitor_Timeout,
  E.inviteThirdVisitor_error,
  E.inviteThirdVisitor_visitorDisconnect,
  E.inviteThirdAgent_agentRefuse,
  E.inviteThirdAgent_busy,
  E.inviteThirdAgent_Timeout,
  E.inviteThirdAgent_error,
  E.inviteThirdAgent_agentDisconnect,
];
const MULTI_PARTY = [E.threeParty, E.inviteThirdVisitor_success, E.inviteThirdAgent_success];
/** How a call with third parties (or an invite pending) ends for the main agent. */
const MULTI_ENDS = [...VISITOR_LEFT, ...MASTER_CLOSED, ...ERRORS];

const TABLE: [EasemobCode[], EasemobCode[]][] = [
  // Ringing: an inbound offer (→ 006013 answered, 001001 rang out, 002000 declined or withdrawn) or a
  // third-party invite (→ 006014 accepted, 001002 rang out, 002012 failed, 002000 refused or call gone).
  [[E.ringing], [E.visitorInvite_Success, E.visitorInvite_timeout, E.free, E.agentInvite_Success, E.agentInvite_timeout, E.agentInvite_error]],
  [[E.callVisitor_inviteSendSuccess], [E.callVisitor_VisitorAcceptSuccess, E.callVisitor_visitorRefuse, E.callVisitor_Timeout, E.callVisitor_busy, E.callVisitor_error, E.callVisitor_agentCloseVideo_notAnswer]],
  [
    [E.callCurrentVisitor_inviteSendSuccess],
    [E.callCurrentVisitor_VisitorAcceptSuccess, E.callCurrentVisitor_visitorRefuse, E.callCurrentVisitor_timeout, E.callCurrentVisitor_busy, E.callCurrentVisitor_error, E.callCurrentVisitor_agentCloseVideo_notAnswer],
  ],
  [[E.visitorInvite_Success], [E.visitorInvite_visitorDisconnect, E.visitorInvite_agentCloseVideo, E.visitorInvite_error, ...INVITES]],
  [[E.callVisitor_VisitorAcceptSuccess], [E.callVisitor_visitorDisconnect, E.callVisitor_agentCloseVideo_answered, E.callVisitor_error, ...INVITES]],
  [[E.callCurrentVisitor_VisitorAcceptSuccess], [E.callCurrentVisitor_visitorDisconnect, E.callCurrentVisitor_agentCloseVideo_answered, E.callCurrentVisitor_error, ...INVITES]],
  [[E.agentInvite_Success], [E.agentInvite_visitorDisconnect, E.agentInvite_agentCloseVideo, E.agentInvite_error]],
  [BACK_TO_TWO_PARTY, [...VISITOR_LEFT, ...AGENT_LEFT, ...ERRORS, ...INVITES]],
  // Inviting: the answer (008xxx joined, 006xxx refused and two-party again, 008000 refused but others
  // still with us), or the call ends under the pending invite.
  [[E.inviteThirdVisitor_inviteSendSuccess], [E.inviteThirdVisitor_success, E.inviteThirdVisitor_visitorRefuse, E.inviteThirdVisitor_busy, E.inviteThirdVisitor_Timeout, E.inviteThirdVisitor_error, E.threeParty, ...MULTI_ENDS]],
  // (An internal call's caller: 007002 → 002000 when the callee did not answer.)
  [[E.inviteThirdAgent_inviteSendSuccess], [E.inviteThirdAgent_success, E.inviteThirdAgent_agentRefuse, E.inviteThirdAgent_busy, E.inviteThirdAgent_Timeout, E.inviteThirdAgent_error, E.threeParty, E.free, ...MULTI_ENDS]],
  [MULTI_PARTY, [E.inviteThirdVisitor_visitorDisconnect, E.inviteThirdAgent_agentDisconnect, E.threeParty, ...INVITES, ...MULTI_ENDS]],
];

export const EASEMOB_TRANSITIONS: ReadonlyMap<EasemobCode, ReadonlySet<EasemobCode>> = new Map(TABLE.flatMap(([from, to]) => from.map((code) => [code, new Set(to)] as const)));

/**
 * May `next` follow `previous` for one agent? `previous` null (nothing yet) or a final code (the
 * agent's part in its last call is over) may be followed only by a start code.
 */
export function isAllowedEasemobTransition(previous: EasemobCode | null, next: EasemobCode): boolean {
  if (previous === null || isFinalCode(previous)) return EASEMOB_START_CODES.has(next);
  return EASEMOB_TRANSITIONS.get(previous)?.has(next) ?? false;
}

/**
 * Do one agent's codes in one call tell one story? A main agent's codes come from one origin flow
 * (visitorInvite, callVisitor or callCurrentVisitor) plus the third-party invite flows; an invited
 * agent's only from agentInvite.
 */
export function isOneFlow(codes: readonly EasemobCode[]): boolean {
  const flows = new Set<EasemobFlow>(codes.map(flowOf).filter((f) => f !== 'base'));
  if (flows.has('agentInvite')) return flows.size === 1;
  return (['visitorInvite', 'callVisitor', 'callCurrentVisitor'] as const).filter((f) => flows.has(f)).length <= 1;
}
