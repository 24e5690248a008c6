/**
 * The call engine's state and the few primitive changes every handler is made of: add a leg, let a
 * leg leave, change a phase, tell an agent, end a call. Each primitive keeps the indexes (agent
 * load, the visitor's and the conversation's live call) and emits its facts, so a handler cannot
 * forget one.
 */
import { callEndStatus, closeByOf, inviteeAgentEndCode, mainAgentEndCode } from './call-notices.ts';
import { internalEndCode } from './internal-call.ts';
import { recordOf, snapshotOf, summaryOf } from './call-summary.ts';
import { EASEMOB as E, type EasemobCode } from './easemob-codes.ts';
import {
  CallRejection,
  type CallAction,
  type CallEngineOptions,
  type CallPhase,
  type CallState,
  type EndReason,
  type HungUpSide,
  type LegEndReason,
  type LegOrigin,
  type LegState,
  type Participant,
  type PartyRef,
  type RoutingReleaseReason,
  type TcccNotice,
} from './types.ts';

export const DEFAULT_OPTIONS: Required<CallEngineOptions> = {
  maxConcurrentCalls: 1,
  ringTimeoutMs: 30_000,
  connectTimeoutMs: 30_000,
  peerGraceMs: 15_000,
  streamOfflineAfterMs: 3_000,
  maxParticipants: 6,
};

export function isLive(leg: Participant): boolean {
  return leg.leg !== 'left';
}

/** In the call's media (or joining it): the leg answered and has not left. */
export function isInMedia(leg: Participant): boolean {
  return leg.leg === 'connecting' || leg.leg === 'connected' || leg.leg === 'held';
}

export function partyOf(leg: Participant): PartyRef {
  return { role: leg.role, id: leg.userId };
}

export function isSameParty(a: PartyRef, b: PartyRef): boolean {
  return a.role === b.role && a.id === b.id;
}

/** The party's leg that has not left, if any (a party has at most one at a time). */
export function liveLegOf(call: Pick<CallState, 'participants'>, party: PartyRef): Participant | undefined {
  return call.participants.find((p) => p.role === party.role && p.userId === party.id && isLive(p));
}

/** The main agent's live leg: the one who answered (inbound) or called (outbound). */
export function mainLeg(call: CallState): Participant | undefined {
  if (call.mainAgentId === null) return undefined;
  return call.participants.find((p) => p.role === 'agent' && p.userId === call.mainAgentId && p.origin !== 'invitee' && isLive(p));
}

/** The live leg of the visitor the call is with (not a third visitor). */
export function primaryVisitorLeg(call: CallState): Participant | undefined {
  return call.participants.find((p) => p.role === 'visitor' && p.userId === call.visitorId && p.origin !== 'invitee' && isLive(p));
}

/** The live leg of the agent an internal call was placed to. */
export function internalCalleeLeg(call: CallState): Participant | undefined {
  return call.direction === 'internal' ? call.participants.find((p) => p.role === 'agent' && p.origin === 'callee' && isLive(p)) : undefined;
}

/** The party the main agent talks with: the primary visitor, or an internal call's callee agent. */
export function counterpartLeg(call: CallState): Participant | undefined {
  return call.direction === 'internal' ? internalCalleeLeg(call) : primaryVisitorLeg(call);
}

/** The main agent and its counterpart (the primary visitor, or an internal call's callee) carry the call: when either goes, the call ends. */
export function isEssential(call: CallState, leg: Participant): boolean {
  return leg === mainLeg(call) || leg === counterpartLeg(call);
}

/** Transfers, consults, third parties and take-overs are about a visitor's call: an internal call has none. */
export function requireVisitorCall(call: CallState): void {
  if (call.direction === 'internal') throw new CallRejection('FD_CALL_NOT_ALLOWED', 'an internal call is between its two agents only');
}

/** The side a party hangs up on. */
export function sideOfRole(leg: Participant): HungUpSide {
  return leg.role === 'visitor' ? 'visitor' : 'agent';
}

export class EngineState {
  readonly calls = new Map<string, CallState>();
  /** Calls not ended, in creation order (timers fire in this order on equal deadlines). */
  readonly live = new Set<CallState>();
  /** agent id → ids of the live calls where it has a live leg (its load). */
  readonly agentCalls = new Map<string, Set<string>>();
  readonly visitorCall = new Map<string, string>();
  readonly conversationCall = new Map<string, string>();
  readonly capacity = new Map<string, number>();
  /** Calls in the order they ended, with when; `forgetEnded` drops from the front. */
  readonly ended: { call: CallState; at: number }[] = [];
  endedHead = 0;
  now = 0;
  actions: CallAction[] = [];

  constructor(readonly options: Required<CallEngineOptions>) {}

  // ── lookups (throw CallRejection before anything changes) ────────────────────────────

  liveCall(id: string): CallState {
    const call = this.calls.get(id);
    if (!call) throw new CallRejection('FD_CALL_NOT_FOUND', `call ${id} not found`);
    if (call.phase === 'ended') throw new CallRejection('FD_CALL_ENDED', `call ${id} has ended`);
    return call;
  }

  legOf(call: CallState, party: PartyRef): Participant | undefined {
    return liveLegOf(call, party);
  }

  requireLeg(call: CallState, party: PartyRef): Participant {
    const leg = this.legOf(call, party);
    if (!leg) throw new CallRejection('FD_CALL_NOT_PARTICIPANT', `${party.role} ${party.id} is not in call ${call.id}`);
    return leg;
  }

  loadOf(agentId: string): number {
    return this.agentCalls.get(agentId)?.size ?? 0;
  }

  capacityOf(agentId: string): number {
    return this.capacity.get(agentId) ?? this.options.maxConcurrentCalls;
  }

  requireCapacity(agentId: string): void {
    const load = this.loadOf(agentId);
    if (load >= this.capacityOf(agentId)) {
      throw new CallRejection('FD_CALL_AGENT_AT_CAPACITY', `agent ${agentId} is already in ${load} call(s), its maximum`);
    }
  }

  requireVisitorFree(visitorId: string): void {
    const callId = this.visitorCall.get(visitorId);
    if (callId !== undefined) throw new CallRejection('FD_CALL_VISITOR_IN_CALL', `visitor ${visitorId} is already in call ${callId}`);
  }

  requireNewCall(callId: string, conversationId: string | null): void {
    if (this.calls.has(callId)) throw new CallRejection('FD_CALL_EXISTS', `call ${callId} exists`);
    if (conversationId === null) return;
    const other = this.conversationCall.get(conversationId);
    if (other !== undefined) throw new CallRejection('FD_CALL_CONVERSATION_IN_CALL', `conversation ${conversationId} is already in call ${other}`);
  }

  // ── primitive changes ─────────────────────────────────────────────────────────────────

  createCall(call: Pick<CallState, 'id' | 'conversationId' | 'kind' | 'direction' | 'origin' | 'queueId' | 'phase' | 'mainAgentId' | 'visitorId'>, ringAt: number | null = null): CallState {
    const state: CallState = {
      ...call,
      participants: [],
      hasRoom: false,
      createdAt: this.now,
      queuedAt: null,
      ringAt,
      acceptedAt: null,
      connectedAt: null,
      endedAt: null,
      endReason: null,
      hungUpSide: null,
    };
    this.calls.set(state.id, state);
    this.live.add(state);
    if (state.conversationId !== null) this.conversationCall.set(state.conversationId, state.id);
    if (state.visitorId !== null) this.visitorCall.set(state.visitorId, state.id);
    this.actions.push({ type: 'call.created', call: recordOf(state) });
    return state;
  }

  addLeg(call: CallState, party: PartyRef, origin: LegOrigin, leg: LegState, invitedBy: string | null = null): Participant {
    const p: Participant = {
      seq: call.participants.length,
      role: party.role,
      userId: party.id,
      origin,
      invitedBy,
      leg,
      micMuted: false,
      cameraOff: false,
      joinedAt: this.now,
      ringAt: leg === 'ringing' ? this.now : null,
      acceptedAt: null,
      connectedAt: null,
      leftAt: null,
      leftReason: null,
      ringExpiresAt: null,
      connectBy: null,
      graceUntil: null,
      streamOfflineAt: null,
      isStreamOffline: false,
      lastCode: null,
    };
    call.participants.push(p);
    if (party.role === 'agent') {
      let calls = this.agentCalls.get(party.id);
      if (!calls) this.agentCalls.set(party.id, (calls = new Set()));
      calls.add(call.id);
    } else this.visitorCall.set(party.id, call.id);
    return p;
  }

  /** The leg has answered (or is the caller): it joins the media and must connect in time. */
  startConnecting(call: CallState, leg: Participant): void {
    leg.leg = 'connecting';
    leg.acceptedAt ??= this.now;
    leg.ringExpiresAt = null;
    leg.connectBy = this.now + this.options.connectTimeoutMs;
    if (call.hasRoom) this.actions.push({ type: 'media.add_participant', callId: call.id, participant: partyOf(leg) });
  }

  /**
   * A new call an agent places: its room opens, the caller joins it (connecting) and `callee` rings
   * until `ringTimeoutMs` (the engine's default when not given). Answers both legs.
   */
  dial(call: CallState, agentId: string, callee: PartyRef, ringTimeoutMs: number | undefined): { caller: Participant; callee: Participant } {
    this.openRoom(call);
    const caller = this.addLeg(call, { role: 'agent', id: agentId }, 'caller', 'connecting');
    this.startConnecting(call, caller);
    this.changed(call, caller);
    const ringing = this.addLeg(call, callee, 'callee', 'ringing');
    ringing.ringExpiresAt = this.now + (ringTimeoutMs ?? this.options.ringTimeoutMs);
    this.changed(call, ringing);
    return { caller, callee: ringing };
  }

  openRoom(call: CallState): void {
    call.hasRoom = true;
    this.actions.push({ type: 'media.create_room', callId: call.id, kind: call.kind });
  }

  changed(call: CallState, leg: Participant): void {
    this.actions.push({ type: 'participant.changed', callId: call.id, participant: snapshotOf(leg) });
  }

  setPhase(call: CallState, to: CallPhase): void {
    if (call.phase === to) return;
    this.actions.push({ type: 'call.phase_changed', callId: call.id, from: call.phase, to });
    call.phase = to;
  }

  notify(call: CallState, leg: Participant, code: EasemobCode, tccc?: TcccNotice, about?: Participant): void {
    this.actions.push({
      type: 'notify',
      callId: call.id,
      agentId: leg.userId,
      code,
      previous: leg.lastCode,
      ...(tccc ? { tccc } : {}),
      ...(about ? { about: partyOf(about) } : {}),
    });
    leg.lastCode = code;
  }

  leave(call: CallState, leg: Participant, reason: LegEndReason): void {
    const wasInRoom = call.hasRoom && isInMedia(leg);
    leg.leg = 'left';
    leg.leftAt = this.now;
    leg.leftReason = reason;
    leg.connectBy = null;
    leg.graceUntil = null;
    leg.streamOfflineAt = null;
    leg.isStreamOffline = false;
    if (leg.role === 'agent') this.agentCalls.get(leg.userId)?.delete(call.id);
    else if (this.visitorCall.get(leg.userId) === call.id) this.visitorCall.delete(leg.userId);
    // The room closes with the call; only a party leaving a going call is taken out of it.
    if (wasInRoom && call.phase !== 'ended') this.actions.push({ type: 'media.remove_participant', callId: call.id, participant: partyOf(leg) });
    this.changed(call, leg);
  }

  /**
   * Ends the call, once: every live leg leaves (the one who caused the end with the call's reason, the
   * others with 'call_ended'), every agent still in it hears its final code and TCCC `sessionEnded`,
   * the room closes, routing stops looking if it still was, and `call.ended` comes last.
   */
  endCall(call: CallState, reason: EndReason, side: HungUpSide, causer: Participant | null = null, release: RoutingReleaseReason | null = null): void {
    const endStatus = callEndStatus(call, reason, release);
    const closeBy = closeByOf(reason, side);
    const isRouting = call.direction === 'inbound' && call.acceptedAt === null && reason !== 'released_by_routing';
    call.endedAt = this.now;
    call.endReason = reason;
    call.hungUpSide = side;
    for (const leg of call.participants.filter(isLive)) {
      if (leg.role === 'agent') this.notify(call, leg, this.agentEndCode(call, leg, reason, side), { event: 'sessionEnded', closeBy, endStatus });
    }
    this.setPhase(call, 'ended');
    for (const leg of call.participants.filter(isLive)) this.leave(call, leg, leg === causer ? reason : 'call_ended');
    if (call.hasRoom) this.actions.push({ type: 'media.close_room', callId: call.id });
    if (isRouting) this.actions.push({ type: 'cancel_routing', callId: call.id });
    this.live.delete(call);
    if (call.conversationId !== null) this.conversationCall.delete(call.conversationId);
    this.ended.push({ call, at: this.now });
    this.actions.push({ type: 'call.ended', callId: call.id, reason, hungUpSide: side, summary: summaryOf(call, endStatus) });
  }

  private agentEndCode(call: CallState, leg: Participant, reason: EndReason, side: HungUpSide): EasemobCode {
    if (call.direction === 'internal') return internalEndCode(call, leg, reason);
    if (leg.origin === 'invitee' || (leg.origin === 'consultee' && leg.userId !== call.mainAgentId)) return inviteeAgentEndCode(leg, reason, side);
    if (leg.userId !== call.mainAgentId) return E.free; // an offered agent still ringing: the call went away under it
    return mainAgentEndCode(call, leg, reason, side);
  }
}
