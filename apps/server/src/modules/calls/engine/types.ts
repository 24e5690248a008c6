/**
 * The call state machine's vocabulary (SPEC M18, M22–M24): plain data in, decisions out, no I/O.
 * Times are ms on the caller's clock; every event is handled at a `now`.
 */
import type { EasemobCode } from './easemob-codes.ts';

export type CallKind = 'audio' | 'video';

/** `internal`: agent to agent (SPEC M29, TCCC `startInternalCall`), no visitor and no conversation. */
export type CallDirection = 'inbound' | 'outbound' | 'internal';

/**
 * How the call began, in Easemob's words (seed 001, v190307):
 * `visitor_request` = 访客邀请 (click-to-call from the chat, routed by the ACD),
 * `call_visitor` = 外呼访客 (`callbackToVisitor`, a visitor by name),
 * `call_current_visitor` = 外呼当前访客 (`videoInviteCurrentVisitor`),
 * `agent_call` = an agent calls another agent of its app (TCCC `startInternalCall`, 内线; Easemob has none).
 */
export type CallOrigin = 'visitor_request' | 'call_visitor' | 'call_current_visitor' | 'agent_call';

export type CallPhase = 'requested' | 'queued' | 'ringing' | 'connecting' | 'active' | 'held' | 'ended';

/** 'invited': in the call, not yet asked to join its media (the requesting visitor while routing looks for an agent). */
export type LegState = 'invited' | 'ringing' | 'connecting' | 'connected' | 'held' | 'left';

export type PartyRole = 'visitor' | 'agent';

/** A person in a call. Agent and visitor ids are separate spaces, so a party is named by both. */
export interface PartyRef {
  role: PartyRole;
  id: string;
}

/**
 * How a leg came into the call. `offered`: rung by routing; `callee`: the visitor of an outbound call
 * (or the agent called by an internal call);
 * `invitee`: a third party; `interceptor`: a supervisor who took the call over from its main agent;
 * `transferee`: an agent rung by a blind transfer to that agent (or the transferring agent rung back);
 * `consultee`: an agent the main agent consults while the visitor is on hold (it may take the call over).
 */
export type LegOrigin = 'requester' | 'offered' | 'caller' | 'callee' | 'invitee' | 'interceptor' | 'transferee' | 'consultee';

/** Why a whole call ended. Every call ends exactly once with one of these and one hung-up side. */
export type EndReason =
  | 'visitor_refused'
  | 'visitor_busy'
  | 'visitor_timeout'
  | 'visitor_error'
  | 'visitor_hung_up'
  /** The outbound caller hung up before the visitor answered (Easemob 002005 / 002010). */
  | 'agent_hung_up_before_answer'
  | 'agent_hung_up'
  | 'media_failure'
  /** A party's media was lost and not restored within the grace period (the browser vanished). */
  | 'peer_lost'
  | 'released_by_routing'
  /** The requesting visitor hung up before an agent answered (TCCC waitingGiveUp / ringingGiveUp). */
  | 'cancelled'
  // An internal call's callee (an agent): declined, busy, did not answer, its client failed, hung up after answer.
  | 'callee_refused'
  | 'callee_busy'
  | 'callee_timeout'
  | 'callee_error'
  | 'callee_hung_up';

/**
 * Why one leg left. Besides the call's reasons: an offered agent declined or rang out (the call goes
 * back to routing), routing withdrew its offer otherwise, an invited agent was busy or failed, or
 * the leg closed because its call ended.
 */
export type LegEndReason = EndReason | 'agent_refused' | 'ring_timeout' | 'offer_withdrawn' | 'agent_busy' | 'agent_error' | 'call_ended' | 'intercepted' | 'transferred' | 'consult_ended';

export type HungUpSide = 'visitor' | 'agent' | 'system';

/** TCCC `sessionEnded.closeBy`: client = the visitor, seat = an agent, admin = the system, timer = a timeout. */
export type CloseBy = 'client' | 'seat' | 'admin' | 'timer';

/** The callee's answer to a ring: refused, busy elsewhere (Easemob videoBusyMark), or its client failed. */
export type RefuseReason = 'refused' | 'busy' | 'error';

/** Routing's withdraw reasons and release triggers, as the routing core names them. */
export type OfferWithdrawReason = 'declined' | 'timed_out' | 'taken' | 'ended' | 'unavailable';
export type RoutingReleaseReason = 'wait_timeout' | 'queue_full' | 'no_agent' | 'off_hours';

export interface CallEngineOptions {
  /** Calls one agent may be in at once (ringing included) unless `agent.capacity` says otherwise. Default 1. */
  maxConcurrentCalls?: number;
  /** How long an outbound call or a third-party invite rings before it times out. Default 30 s. */
  ringTimeoutMs?: number;
  /** How long an accepted leg may take to connect its media before it counts as a media failure. Default 30 s. */
  connectTimeoutMs?: number;
  /** How long lost media may stay lost before the party counts as gone. Default 15 s. */
  peerGraceMs?: number;
  /** How long a stream may stop before agents hear of it (Easemob `visitorStreamOffline`: 3 s). */
  streamOfflineAfterMs?: number;
  /** Parties in one call at most, ringing invitees included (Easemob multi-party). Default 6. */
  maxParticipants?: number;
}

export type CallEvent =
  | { type: 'agent.capacity'; agentId: string; maxConcurrentCalls: number }
  /** A visitor clicks to call from the chat (Huawei click-to-call). `preferredAgentId`: the conversation's agent. */
  | { type: 'call.request'; callId: string; conversationId: string; kind: CallKind; visitorId: string; queueId?: string | undefined; preferredAgentId?: string | undefined }
  /** An agent calls a visitor: `target` 'visitor' = callbackToVisitor (by name), 'current_visitor' = videoInviteCurrentVisitor. */
  | {
      type: 'call.start_outbound';
      callId: string;
      conversationId: string;
      kind: CallKind;
      agentId: string;
      visitorId: string;
      target: 'visitor' | 'current_visitor';
      ringTimeoutMs?: number | undefined;
    }
  /** An agent calls another agent of its app (internal call): the caller joins the room at once, the callee rings under the core's timer. */
  | { type: 'call.start_internal'; callId: string; kind: CallKind; agentId: string; calleeAgentId: string; ringTimeoutMs?: number | undefined }
  /** The callee of an outbound call, or a third party, answers. (An offered agent answers through routing.) */
  | { type: 'call.accept'; callId: string; by: PartyRef }
  | { type: 'call.refuse'; callId: string; by: PartyRef; reason?: RefuseReason | undefined }
  /** Hang up; for a third party this is leaving (Easemob `exitSuccess`), the call goes on. */
  | { type: 'call.hang_up'; callId: string; by: PartyRef }
  | { type: 'call.hold'; callId: string; by: PartyRef }
  | { type: 'call.unhold'; callId: string; by: PartyRef }
  | { type: 'call.set_media'; callId: string; by: PartyRef; micMuted?: boolean | undefined; cameraOff?: boolean | undefined }
  /** The main agent invites a third party (videoInviteAgent / videoInviteVisitor). */
  | { type: 'call.invite'; callId: string; by: PartyRef; invitee: PartyRef; ringTimeoutMs?: number | undefined }
  /**
   * A supervisor takes the call over (TCCC `Call.intercept`, 强拆): the main agent leaves, the
   * supervisor becomes the main agent. `hasMedia`: its media is in the room already (voice
   * supervision); otherwise it joins like an answering agent and must connect in time.
   */
  | { type: 'call.intercept'; callId: string; supervisorId: string; hasMedia: boolean }
  /**
   * Blind transfer by the main agent (TCCC `Call.transfer`): it leaves, the visitor stays in the room
   * alone (on hold) while the target agent rings or the queue routes the call.
   */
  | { type: 'call.transfer'; callId: string; by: PartyRef; to: TransferTarget; ringTimeoutMs?: number | undefined }
  /** Consult: the main agent puts the visitor on hold and calls another agent (who rings under the core's timer). */
  | { type: 'call.consult'; callId: string; by: PartyRef; agentId: string; ringTimeoutMs?: number | undefined }
  /** Warm transfer: the consult becomes three-way; when the main agent then hangs up, the consulted agent keeps the call. */
  | { type: 'call.consult_complete'; callId: string; by: PartyRef }
  /** The consulted agent leaves; the main agent and the visitor hear each other again. */
  | { type: 'call.consult_cancel'; callId: string; by: PartyRef }
  // Routing's decisions about the call, as the routing core emitted them.
  | { type: 'routing.queued'; callId: string; queueId: string }
  | { type: 'routing.offered'; callId: string; agentId: string; expiresAt: number }
  | { type: 'routing.offer_withdrawn'; callId: string; agentId: string; reason: OfferWithdrawReason }
  | { type: 'routing.assigned'; callId: string; agentId: string }
  | { type: 'routing.released'; callId: string; reason: RoutingReleaseReason }
  // What the media server saw.
  | { type: 'media.connected'; callId: string; participant: PartyRef }
  | { type: 'media.lost'; callId: string; participant: PartyRef }
  | { type: 'media.restored'; callId: string; participant: PartyRef }
  /** `silentMs`: how long the media server had already seen nothing when it said so (the 3 s count from then). */
  | { type: 'media.stopped'; callId: string; participant: PartyRef; silentMs?: number | undefined }
  | { type: 'media.resumed'; callId: string; participant: PartyRef }
  /** A media server went away; the shell names the calls placed on it. */
  | { type: 'media.server_lost'; callIds: string[] }
  /** Timers: rings time out, connections fail, grace periods run out, streams go offline. */
  | { type: 'tick' };

/** One leg of a call: a party's presence from being rung (or requesting) to leaving. */
export interface Participant {
  /** Order in the call, from 0 (TCCC ServeParticipants `Sequence`). */
  seq: number;
  role: PartyRole;
  userId: string;
  origin: LegOrigin;
  /** The agent who invited this party (third parties only). */
  invitedBy: string | null;
  leg: LegState;
  micMuted: boolean;
  cameraOff: boolean;
  joinedAt: number;
  ringAt: number | null;
  acceptedAt: number | null;
  connectedAt: number | null;
  leftAt: number | null;
  leftReason: LegEndReason | null;
  /** When the ring ends: routing's offer expiry (routing times it) or the core's own ring timer. */
  ringExpiresAt: number | null;
  /** Core timers, null when not armed. */
  connectBy: number | null;
  graceUntil: number | null;
  streamOfflineAt: number | null;
  isStreamOffline: boolean;
  /** The last Easemob code this agent was told about this leg (agents only). */
  lastCode: EasemobCode | null;
}

export interface CallRecord {
  id: string;
  /** The conversation the call is in; null for an internal call. */
  conversationId: string | null;
  kind: CallKind;
  direction: CallDirection;
  origin: CallOrigin;
  queueId: string | null;
  phase: CallPhase;
  /** The agent who answered (inbound) or called (outbound); their hang-up ends the call. */
  mainAgentId: string | null;
  /** The visitor the call is with; their hang-up ends the call. Null for an internal call (its callee agent carries it). */
  visitorId: string | null;
  createdAt: number;
  queuedAt: number | null;
  /** First ring: of an agent (inbound) or of the visitor (outbound), as TCCC `RingTimestamp`. */
  ringAt: number | null;
  /** Answer: the agent's (inbound) or the visitor's (outbound), as TCCC `AcceptTimestamp`. */
  acceptedAt: number | null;
  connectedAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  hungUpSide: HungUpSide | null;
}

/** Where a blind transfer sends a call: an agent (who rings) or a queue (routed as a new offer). */
export type TransferTarget = { agentId: string } | { queueId: string };

/** A blind transfer under way: who started it, where to, and whether the call came back to its first agent. */
export interface TransferState {
  by: string;
  to: TransferTarget;
  at: number;
  /** The target agent did not take it: the call rings the transferring agent again. */
  returning: boolean;
}

/**
 * A consult under way: `ringing` and `talking` keep the visitor on hold (it hears nobody and nobody
 * hears it); `three_way` lets all hear all (the warm transfer's hand-over).
 */
export interface ConsultState {
  by: string;
  agentId: string;
  phase: 'ringing' | 'talking' | 'three_way';
  at: number;
}

export interface CallState extends CallRecord {
  participants: Participant[];
  /** The blind transfer under way (absent or null: none). Optional: calls saved before transfers existed have none. */
  transfer?: TransferState | null;
  /** The consult under way (absent or null: none). */
  consult?: ConsultState | null;
  /** Whether a media room was asked for (and so must be closed). */
  hasRoom: boolean;
}

export interface ParticipantSummary {
  seq: number;
  role: PartyRole;
  userId: string;
  origin: LegOrigin;
  invitedBy: string | null;
  ringAt: number | null;
  acceptedAt: number | null;
  leftAt: number;
  leftReason: LegEndReason;
  /** TCCC per-participant `EndStatusString`. */
  endStatus: string;
}

/** What a CDR needs of an ended call (seed 004 CDR fields; Duration = end − accept). */
export interface CallSummary {
  callId: string;
  conversationId: string | null;
  kind: CallKind;
  direction: CallDirection;
  origin: CallOrigin;
  queueId: string | null;
  mainAgentId: string | null;
  visitorId: string | null;
  startedAt: number;
  queuedAt: number | null;
  ringAt: number | null;
  acceptedAt: number | null;
  connectedAt: number | null;
  endedAt: number;
  durationMs: number;
  endReason: EndReason;
  hungUpSide: HungUpSide;
  closeBy: CloseBy;
  /** TCCC `EndStatusString` of the whole call. */
  endStatus: string;
  participants: ParticipantSummary[];
}

/** TCCC agent SDK events (seed 004 `tccc.events`) that go with a transition. */
export type TcccNotice =
  /** `internal`: an internal call rings (TCCC 内部会话呼入, with the calling agent as `peerUserId`). */
  | { event: 'callIn'; type: 'voip' | 'video' | 'internal'; timeoutMs: number; peerUserId?: string }
  | { event: 'userAccessed' }
  | { event: 'callOuted' }
  | { event: 'calloutAccepted' }
  | { event: 'autoTransfer' }
  | { event: 'sessionEnded'; closeBy: CloseBy; endStatus: string };

export type CallAction =
  // Facts to persist and publish.
  | { type: 'call.created'; call: CallRecord }
  | { type: 'call.phase_changed'; callId: string; from: CallPhase; to: CallPhase }
  | { type: 'participant.changed'; callId: string; participant: Participant }
  | { type: 'call.ended'; callId: string; reason: EndReason; hungUpSide: HungUpSide; summary: CallSummary }
  // Asks of routing.
  | { type: 'request_routing'; callId: string; conversationId: string; kind: CallKind; queueId?: string; preferredAgentId?: string }
  | { type: 'cancel_routing'; callId: string }
  /** A blind transfer to a queue: routing takes the call's session from its agent and queues it. */
  | { type: 'transfer_routing'; callId: string; queueId: string }
  // Asks of the media server.
  | { type: 'media.create_room'; callId: string; kind: CallKind }
  | { type: 'media.add_participant'; callId: string; participant: PartyRef }
  | { type: 'media.remove_participant'; callId: string; participant: PartyRef }
  /** Hold: stop forwarding between this party and the others (both ways); resume on unhold. */
  | { type: 'media.set_forwarding'; callId: string; participant: PartyRef; enabled: boolean }
  /** Who may receive whom changed (a consult began, ended or went three-way): subscriptions follow; `consultBefore` is the consult before. */
  | { type: 'media.forwarding_changed'; callId: string; consultBefore: ConsultState | null }
  | { type: 'media.set_tracks'; callId: string; participant: PartyRef; audio: boolean; video: boolean }
  | { type: 'media.close_room'; callId: string }
  // Tell agents: the Easemob state code of each transition (with the code before it), and the TCCC event if any.
  /** `about`: the other party the transition concerns (the visitor called, the third party invited or gone). */
  | { type: 'notify'; callId: string; agentId: string; code: EasemobCode; previous: EasemobCode | null; tccc?: TcccNotice; about?: PartyRef }
  /** Easemob `visitorStreamOffline`: a party's stream stopped for longer than `streamOfflineAfterMs`. */
  | { type: 'stream.offline'; callId: string; participant: PartyRef; notify: string[] }
  | { type: 'stream.online'; callId: string; participant: PartyRef; notify: string[] };

export type CallErrorCode =
  | 'FD_CALL_NOT_FOUND'
  | 'FD_CALL_EXISTS'
  | 'FD_CALL_ENDED'
  /** The agent is already in `maxConcurrentCalls` calls (ringing included). */
  | 'FD_CALL_AGENT_AT_CAPACITY'
  /** The agent called is in another call already (internal call, transfer, consult). */
  | 'FD_CALL_AGENT_BUSY'
  /** The visitor is already in a live call (Easemob SDK_11 "当前访客正在进行会话,无法外呼"). */
  | 'FD_CALL_VISITOR_IN_CALL'
  | 'FD_CALL_CONVERSATION_IN_CALL'
  | 'FD_CALL_NOT_PARTICIPANT'
  | 'FD_CALL_ALREADY_PARTICIPANT'
  /** The call's phase or the party's role does not allow the command (an offered agent answers through routing…). */
  | 'FD_CALL_NOT_ALLOWED'
  | 'FD_CALL_INVITE_PENDING'
  | 'FD_CALL_PARTICIPANT_LIMIT';

/** A command or routing fact the current state does not allow; nothing changed. */
export class CallRejection extends Error {
  constructor(
    readonly code: CallErrorCode,
    message: string,
  ) {
    super(message);
  }
}
