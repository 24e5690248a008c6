/**
 * Internal calls (SPEC M29, TCCC `Call.startInternalCall`): an agent calls another agent of its app.
 * No visitor and no conversation: the caller is the main agent, the callee an agent leg of origin
 * `callee` that rings under the core's timer; either one leaving ends the call. Transfers, consults,
 * third parties and take-overs are refused (`requireVisitorCall`).
 *
 * NOTE: Easemob (seed 001) has no agent-to-agent call; its agent-invite codes are the nearest and are
 * what an Easemob integration is told. The callee is an invited agent (004000 → 006014 → 005010, or
 * 002000 declined, 001002 rang out, 002012 failed); the caller is an agent inviting an agent (007002 →
 * 008002 → 005002 once the call ends, 002000 when it ended unanswered). The TCCC notices carry the
 * precise outcome (`callIn` type `internal`, `sessionEnded` endStatus).
 */
import { EASEMOB as E, type EasemobCode } from './easemob-codes.ts';
import type { EngineState } from './engine-state.ts';
import { CallRejection, type CallEvent, type CallState, type EndReason, type Participant, type RefuseReason } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

export function startInternal(st: EngineState, e: Of<'call.start_internal'>): void {
  st.requireNewCall(e.callId, null);
  if (e.agentId === e.calleeAgentId) throw new CallRejection('FD_CALL_NOT_ALLOWED', 'an agent does not call itself');
  st.requireCapacity(e.agentId);
  if (st.loadOf(e.calleeAgentId) >= st.capacityOf(e.calleeAgentId)) throw new CallRejection('FD_CALL_AGENT_BUSY', `agent ${e.calleeAgentId} is in another call`);
  const call = st.createCall(
    { id: e.callId, conversationId: null, kind: e.kind, direction: 'internal', origin: 'agent_call', queueId: null, phase: 'ringing', mainAgentId: e.agentId, visitorId: null },
    st.now,
  );
  const { caller, callee } = st.dial(call, e.agentId, { role: 'agent', id: e.calleeAgentId }, e.ringTimeoutMs);
  st.notify(call, caller, E.inviteThirdAgent_inviteSendSuccess, { event: 'callOuted' }, callee);
  st.notify(call, callee, E.ringing, { event: 'callIn', type: 'internal', timeoutMs: callee.ringExpiresAt! - st.now, peerUserId: e.agentId }, caller);
}

/** The callee answered: it joins the media; the caller hears of it. */
export function acceptInternal(st: EngineState, call: CallState, callee: Participant, caller: Participant): void {
  st.notify(call, caller, E.inviteThirdAgent_success, { event: 'calloutAccepted' }, callee);
  st.notify(call, callee, E.agentInvite_Success, { event: 'userAccessed' }, caller);
}

/** How an internal call ends when its callee refuses the ring (declines, is busy, or its client fails). */
export function internalRefusal(reason: RefuseReason): EndReason {
  return reason === 'busy' ? 'callee_busy' : reason === 'error' ? 'callee_error' : 'callee_refused';
}

/** An agent's last code in an internal call (see the NOTE at the top). */
export function internalEndCode(call: CallState, leg: Participant, reason: EndReason): EasemobCode {
  if (leg.origin === 'caller') return call.acceptedAt === null ? E.free : E.inviteThirdAgent_masterAgentCloseVideo;
  if (leg.acceptedAt === null) return reason === 'callee_timeout' ? E.agentInvite_timeout : reason === 'callee_error' || reason === 'media_failure' ? E.agentInvite_error : E.free;
  return reason === 'media_failure' ? E.agentInvite_error : E.agentInvite_agentCloseVideo;
}
