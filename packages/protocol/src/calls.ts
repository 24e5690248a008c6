import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';

/**
 * Audio and video calls (SPEC M22–M24). A call belongs to one conversation; the visitor starts it
 * from the chat (click-to-call) or an agent calls the conversation's visitor. Signalling goes over
 * this WebSocket only: the browser publishes its camera and microphone on a *publisher leg* (its SDP
 * offer in `call.publish`, the answer in the reply) and receives each other participant on a
 * *subscriber leg* (`call.subscribe` answers the server's offer; the browser's answer goes back with
 * `call.answer`). ICE candidates trickle both ways with `call.ice`.
 */

const RequestId = z.string().min(1).max(64);

export const CALL_KINDS = ['audio', 'video'] as const;
export const CallKind = z.enum(CALL_KINDS);
export type CallKind = z.infer<typeof CallKind>;

export const CALL_PHASES = ['requested', 'queued', 'ringing', 'connecting', 'active', 'held', 'ended'] as const;
export const CallPhase = z.enum(CALL_PHASES);
export type CallPhase = z.infer<typeof CallPhase>;

/** A participant's leg: rung, answering (joining the media), in the media, on hold, gone. */
export const CALL_LEG_STATES = ['invited', 'ringing', 'connecting', 'connected', 'held', 'left'] as const;
export const CallLegState = z.enum(CALL_LEG_STATES);

/** Why a call ended (one reason per call). */
export const CALL_END_REASONS = [
  'visitor_refused',
  'visitor_busy',
  'visitor_timeout',
  'visitor_error',
  'visitor_hung_up',
  'agent_hung_up_before_answer',
  'agent_hung_up',
  'media_failure',
  'peer_lost',
  'released_by_routing',
  'cancelled',
  // An internal call's callee (an agent) declined, was busy, did not answer, failed, or hung up after answer.
  'callee_refused',
  'callee_busy',
  'callee_timeout',
  'callee_error',
  'callee_hung_up',
] as const;
export const CallEndReason = z.enum(CALL_END_REASONS);
export type CallEndReason = z.infer<typeof CallEndReason>;

export const PartyRef = z.object({ role: z.enum(['visitor', 'agent']), id: Id });
export type PartyRef = z.infer<typeof PartyRef>;

export const CallParticipant = z.object({
  seq: z.number().int().nonnegative(),
  role: z.enum(['visitor', 'agent']),
  userId: Id,
  leg: CallLegState,
  micMuted: z.boolean(),
  cameraOff: z.boolean(),
  ringAt: TimestampMs.nullable(),
  acceptedAt: TimestampMs.nullable(),
  connectedAt: TimestampMs.nullable(),
  leftAt: TimestampMs.nullable(),
  leftReason: z.string().nullable(),
  /** Its stream stopped for more than 3 s (Easemob visitorStreamOffline). */
  isStreamOffline: z.boolean(),
});
export type CallParticipant = z.infer<typeof CallParticipant>;

export const Call = z.object({
  id: Id,
  appId: Id,
  /** The conversation the call is in; null for an internal call. */
  conversationId: Id.nullable(),
  kind: CallKind,
  /** inbound: the visitor called (click-to-call); outbound: an agent called the visitor; internal: an agent called another agent. */
  direction: z.enum(['inbound', 'outbound', 'internal']),
  phase: CallPhase,
  /** The visitor the call is with; null for an internal call (its parties are two agents). */
  visitorId: Id.nullable(),
  /** The agent who answered or called; null until then. */
  mainAgentId: Id.nullable(),
  /** The room is ready: a participant whose leg is `connecting` publishes now. */
  mediaReady: z.boolean(),
  participants: z.array(CallParticipant),
  createdAt: TimestampMs,
  ringAt: TimestampMs.nullable(),
  acceptedAt: TimestampMs.nullable(),
  connectedAt: TimestampMs.nullable(),
  endedAt: TimestampMs.nullable(),
  endReason: CallEndReason.nullable(),
  hungUpSide: z.enum(['visitor', 'agent', 'system']).nullable(),
  /**
   * A consult under way (the call's agent talks with `agentId`; `three_way`: all hear all), or
   * absent. While it rings or talks, the visitor is on hold and hears nobody.
   */
  consult: z.object({ agentId: Id, phase: z.enum(['ringing', 'talking', 'three_way']) }).nullable().optional(),
});
export type Call = z.infer<typeof Call>;

/** RTCIceServer: STUN, or TURN with time-limited credentials (coturn `use-auth-secret`). */
export const IceServer = z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() });
export type IceServer = z.infer<typeof IceServer>;

export const Jsep = z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(200_000) });
export type Jsep = z.infer<typeof Jsep>;
/** RTCIceCandidateInit; `null` = end of candidates. */
export const IceCandidate = z.object({ candidate: z.string().max(2000), sdpMid: z.string().max(64).nullable().optional(), sdpMLineIndex: z.number().int().nonnegative().nullable().optional() });
export type IceCandidate = z.infer<typeof IceCandidate>;

/** The body of `POST /v1/calls/:id/transfer`: an agent (`userId`) or a queue (`skillGroupId`), one of them. */
export const TransferCallBody = z.object({ userId: Id.optional(), skillGroupId: Id.optional() });
export type TransferCallBody = z.infer<typeof TransferCallBody>;

/** The body of `POST /v1/calls/internal`: the agent to call (TCCC `calleeUserId`), audio unless `kind` says video. */
export const StartInternalCallBody = z.object({ calleeUserId: Id, kind: CallKind.optional() });
export type StartInternalCallBody = z.infer<typeof StartInternalCallBody>;

/** The body of `POST /v1/calls/:id/consult`: the agent to consult. */
export const ConsultCallBody = z.object({ userId: Id });

/**
 * The body of `POST /v1/calls/:id/participants`: the third party the call's agent invites (Easemob
 * videoInviteAgent / videoInviteVisitor): an agent (`userId`) or a visitor (`visitorId`) of the app, one of them.
 */
export const AddCallPartyBody = z.object({ userId: Id.optional(), visitorId: Id.optional() });
export type AddCallPartyBody = z.infer<typeof AddCallPartyBody>;

/** What a participant needs to join a call's media. */
export const CallJoin = z.object({ call: Call, iceServers: z.array(IceServer) });
export type CallJoin = z.infer<typeof CallJoin>;

// ── client → server ────────────────────────────────────────────────────────────────────────────
/** Visitor: call from the chat (click-to-call); the reply is a `CallJoin`. */
export const CallStartFrame = z.object({ type: z.literal('call.start'), id: RequestId, conversationId: Id, kind: CallKind });
/** Agent: call the conversation's visitor (videoInviteCurrentVisitor); the reply is a `CallJoin`. */
export const CallInviteFrame = z.object({ type: z.literal('call.invite'), id: RequestId, conversationId: Id, kind: CallKind });
/**
 * Agent: call another agent of the app (internal call, TCCC `startInternalCall`): `calleeUserId` rings.
 * The reply is a `CallJoin`; refused with FD_CALL_AGENT_OFFLINE (signed out), FD_CALL_AGENT_BUSY (in a
 * call or wrapping up), FD_AGENT_NOT_FOUND (no such agent in the app: agents of other apps are not found).
 */
export const CallInternalFrame = z.object({ type: z.literal('call.internal'), id: RequestId, calleeUserId: Id, kind: CallKind });
/** Answer a ringing call (an agent's offer, or the visitor called by an agent); the reply is a `CallJoin`. */
export const CallAcceptFrame = z.object({ type: z.literal('call.accept'), id: RequestId, callId: Id });
export const CallRefuseFrame = z.object({ type: z.literal('call.refuse'), id: RequestId, callId: Id, reason: z.enum(['refused', 'busy']).optional() });
export const CallHangupFrame = z.object({ type: z.literal('call.hangup'), id: RequestId, callId: Id });
/** The answering agent puts the call on hold (nobody hears or sees the other side) or takes it back. */
export const CallHoldFrame = z.object({ type: z.literal('call.hold'), id: RequestId, callId: Id, held: z.boolean() });
/**
 * The call's agent transfers it blind (TCCC `Call.transfer`): to an agent (`userId`, who rings) or a
 * queue (`skillGroupId`, routed like a new call); the visitor waits on hold, the agent leaves. Reply: `Call`.
 */
export const CallTransferFrame = z.object({ type: z.literal('call.transfer'), id: RequestId, callId: Id, userId: Id.optional(), skillGroupId: Id.optional() });
/** The call's agent consults another agent (`userId`): the visitor waits on hold, hearing nobody; the agent rings. Reply: `Call`. */
export const CallConsultFrame = z.object({ type: z.literal('call.consult'), id: RequestId, callId: Id, userId: Id });
/** Ends a consult: `complete` (three-way; the call stays with the consulted agent once you hang up) or `cancel` (back to the visitor). Reply: `Call`. */
export const CallConsultEndFrame = z.object({ type: z.literal('call.consult.end'), id: RequestId, callId: Id, how: z.enum(['complete', 'cancel']) });
/**
 * The call's agent invites a third party (`userId`: an agent, `visitorId`: a visitor; one of them),
 * who rings; up to 6 parties. Reply: `Call`. Refused with FD_CALL_INVITE_PENDING (an invite still
 * rings), FD_CALL_PARTICIPANT_LIMIT, FD_CALL_ALREADY_PARTICIPANT, FD_CALL_AGENT_OFFLINE, FD_CALL_AGENT_BUSY,
 * FD_CALL_VISITOR_IN_CALL, FD_AGENT_NOT_FOUND / FD_VISITOR_NOT_FOUND (not of this app).
 */
export const CallAddPartyFrame = z.object({ type: z.literal('call.add_party'), id: RequestId, callId: Id, userId: Id.optional(), visitorId: Id.optional() });
/** One's own microphone and camera, enforced at the media server too. */
export const CallMediaFrame = z.object({ type: z.literal('call.media'), id: RequestId, callId: Id, micMuted: z.boolean().optional(), cameraOff: z.boolean().optional() });
/** Rejoin a live call after a reload or a reconnect: the reply is a `CallJoin`; publish and subscribe again. */
export const CallRejoinFrame = z.object({ type: z.literal('call.rejoin'), id: RequestId, callId: Id });
/** Publish (or republish: a new leg replaces the old one) camera and microphone: the reply is `{ legId, answer }`. */
export const CallPublishFrame = z.object({ type: z.literal('call.publish'), id: RequestId, callId: Id, offer: Jsep });
/** ICE restart or new tracks on one's publisher leg: the reply is `{ answer }`. */
export const CallRenegotiateFrame = z.object({ type: z.literal('call.renegotiate'), id: RequestId, callId: Id, legId: Id, offer: Jsep });
/** Receive another participant: the reply is `{ legId, offer }`; answer with `call.answer`. */
export const CallSubscribeFrame = z.object({ type: z.literal('call.subscribe'), id: RequestId, callId: Id, publisher: PartyRef });
export const CallAnswerFrame = z.object({ type: z.literal('call.answer'), id: RequestId, callId: Id, legId: Id, answer: Jsep });
/** ICE restart of a subscriber leg: the reply is `{ offer }`; answer with `call.answer`. */
export const CallRestartFrame = z.object({ type: z.literal('call.restart'), id: RequestId, callId: Id, legId: Id });
/** A trickled candidate of the browser for one of its legs (no reply). */
export const CallIceFrame = z.object({ type: z.literal('call.ice'), callId: Id, legId: Id, candidate: IceCandidate.nullable() });

export const CALL_CLIENT_FRAMES = [
  CallStartFrame,
  CallInviteFrame,
  CallInternalFrame,
  CallAcceptFrame,
  CallRefuseFrame,
  CallHangupFrame,
  CallHoldFrame,
  CallTransferFrame,
  CallConsultFrame,
  CallConsultEndFrame,
  CallAddPartyFrame,
  CallMediaFrame,
  CallRejoinFrame,
  CallPublishFrame,
  CallRenegotiateFrame,
  CallSubscribeFrame,
  CallAnswerFrame,
  CallRestartFrame,
  CallIceFrame,
] as const;

// ── server → client ────────────────────────────────────────────────────────────────────────────
/** The call changed (to its participants, the agents it rings, and supervisors). */
export const CallEvent = z.object({ type: z.literal('call'), call: Call });

/**
 * To an agent, per transition of its part in a call: the Easemob state code (seed 001, v190307) with
 * the code before it, and the TCCC SDK event that goes with it, if any (seed 004).
 */
export const CallNoticeEvent = z.object({
  type: z.literal('call.notice'),
  callId: Id,
  code: z.string(),
  previous: z.string().nullable(),
  tccc: z
    .object({
      event: z.enum(['callIn', 'userAccessed', 'callOuted', 'calloutAccepted', 'autoTransfer', 'sessionEnded']),
      /** `internal`: an internal call rings (its caller is `peerUserId`). */
      type: z.enum(['voip', 'video', 'internal']).optional(),
      timeoutMs: z.number().int().optional(),
      peerUserId: z.string().optional(),
      closeBy: z.enum(['client', 'seat', 'admin', 'timer']).optional(),
      endStatus: z.string().optional(),
    })
    .nullable(),
  /** The other party the transition is about. */
  about: PartyRef.nullable(),
});
export type CallNoticeEvent = z.infer<typeof CallNoticeEvent>;

/** A candidate of the media server for one of this client's legs; `null` = end of candidates. */
export const CallIceEvent = z.object({ type: z.literal('call.ice'), callId: Id, legId: Id, candidate: IceCandidate.nullable() });
/** Another participant's media is published (`up`, subscribe to it) or gone. */
export const CallPublisherEvent = z.object({ type: z.literal('call.publisher'), callId: Id, publisher: PartyRef, up: z.boolean() });
/** ICE failed on the media server's side for this leg: restart ICE (`call.renegotiate` or `call.restart`). */
export const CallIceFailedEvent = z.object({ type: z.literal('call.ice-failed'), callId: Id, legId: Id });

export const CALL_SERVER_FRAMES = [CallEvent, CallNoticeEvent, CallIceEvent, CallPublisherEvent, CallIceFailedEvent] as const;

/** A channel's calls (SPEC M22): which kinds the widget offers, and the click-to-call queue. */
export const ChannelCalls = z.object({
  audio: z.boolean().default(false),
  video: z.boolean().default(false),
  /** The queue (audio or video click-to-call type) that routes calls nobody in the conversation answers; null: only the conversation's agent is rung. */
  queueId: Id.nullable().default(null),
});
export type ChannelCalls = z.infer<typeof ChannelCalls>;
/** A change of a channel's calls: fields left out keep their value. */
export const ChannelCallsPatch = z.object({ audio: z.boolean().optional(), video: z.boolean().optional(), queueId: Id.nullable().optional() });

export const CallList = z.object({ calls: z.array(Call) });
