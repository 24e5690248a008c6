import { z } from 'zod';
import { ClientMessageId, Conversation, Id, MAX_TEXT_LENGTH, Message, MessageLocation, SenderType } from './model.ts';
import { CALL_CLIENT_FRAMES, CALL_SERVER_FRAMES, Call } from './calls.ts';
import { CAPTURE_SERVER_FRAMES } from './captures.ts';
import { SCREEN_SHARE_CLIENT_FRAMES, SCREEN_SHARE_SERVER_FRAMES } from './screen-share.ts';
import { Rating } from './channels.ts';
import { DeliveryEvent } from './messaging.ts';
import { AgentStatusEvent, OfferAcceptFrame, OfferDeclineFrame, OfferEvent, OfferWithdrawnEvent, PoolEvent, QueuePositionEvent, SetStatusFrame } from './routing.ts';
import { SUPERVISION_CLIENT_FRAMES, SUPERVISION_SERVER_FRAMES } from './supervision.ts';
import { CALL_SUPERVISION_CLIENT_FRAMES, CALL_SUPERVISION_SERVER_FRAMES } from './call-supervision.ts';
import { COBROWSE_CLIENT_FRAMES, COBROWSE_SERVER_FRAMES } from './cobrowse.ts';
import { WallboardEvent } from './analytics.ts';
import { refineWellFormedText } from './text.ts';

/**
 * WebSocket frames. One socket per visitor or agent; JSON text frames
 * `{ type, ... }`. A client request carries `id` and gets exactly one `reply`
 * with that `id`. Server events that belong to a conversation carry its `seq`.
 */
export const PROTOCOL_VERSION = 1;

const RequestId = z.string().min(1).max(64);
const SeqPositions = z.record(Id, z.number().int().nonnegative());

/** First frame on every socket: authenticate, then resume from the last seq seen per conversation. */
export const HelloFrame = z.object({
  type: z.literal('hello'),
  id: RequestId,
  token: z.string().min(1).max(4096),
  protocolVersion: z.literal(PROTOCOL_VERSION).optional(),
  /** conversationId → last seq this client has; missed messages follow the reply. */
  resume: SeqPositions.optional(),
});

export const SendMessageFrame = z.object({
  type: z.literal('message.send'),
  id: RequestId,
  conversationId: Id,
  clientId: ClientMessageId,
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
});

/** A location message; idempotent by clientId like `message.send`. */
export const SendLocationFrame = z.object({
  type: z.literal('location.send'),
  id: RequestId,
  conversationId: Id,
  clientId: ClientMessageId,
  location: z.object({
    latitude: MessageLocation.shape.latitude,
    longitude: MessageLocation.shape.longitude,
    name: z.string().trim().min(1).max(200).optional(),
    address: z.string().trim().min(1).max(500).optional(),
  }),
});

export const ResumeFrame = z.object({
  type: z.literal('resume'),
  id: RequestId,
  positions: SeqPositions,
});

export const ReadFrame = z.object({
  type: z.literal('read'),
  id: RequestId,
  conversationId: Id,
  seq: z.number().int().nonnegative(),
});

/** What a visitor is writing, for a channel with `typingPreview` (agents only; dropped otherwise). */
export const MAX_TYPING_DRAFT_LENGTH = 500;
export const TypingFrame = z.object({
  type: z.literal('typing'),
  conversationId: Id,
  isTyping: z.boolean(),
  draft: z.string().max(MAX_TYPING_DRAFT_LENGTH).optional(),
});

export const PingFrame = z.object({ type: z.literal('ping') });

/** Transparent channel (SPEC M13, AnyChat transbuffer): base64 data, at most 8192 characters, to or from the business backend. */
export const TransparentData = z.base64().max(8192);
export const TransparentSendFrame = z.object({ type: z.literal('transparent.send'), id: RequestId, data: TransparentData });

export const ClientFrame = z.discriminatedUnion('type', [
  HelloFrame,
  SendMessageFrame,
  SendLocationFrame,
  ResumeFrame,
  ReadFrame,
  TypingFrame,
  PingFrame,
  SetStatusFrame,
  OfferAcceptFrame,
  OfferDeclineFrame,
  TransparentSendFrame,
  ...CALL_CLIENT_FRAMES,
  ...CALL_SUPERVISION_CLIENT_FRAMES,
  ...SCREEN_SHARE_CLIENT_FRAMES,
  ...SUPERVISION_CLIENT_FRAMES,
  ...COBROWSE_CLIENT_FRAMES,
  // NUL and lone surrogates are refused in every text field of every frame (text.ts).
]).superRefine(refineWellFormedText);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ClientFrameType = ClientFrame['type'];

/** `retryAfterMs`: with FD_BUSY, when to send the same request again. */
export const ErrorPayload = z.object({ code: z.string(), message: z.string(), retryAfterMs: z.number().int().nonnegative().optional() });

export const ReplyFrame = z.union([
  z.object({ type: z.literal('reply'), id: RequestId, ok: z.literal(true), data: z.unknown() }),
  z.object({ type: z.literal('reply'), id: RequestId, ok: z.literal(false), error: ErrorPayload }),
]);

export const MessageEvent = z.object({ type: z.literal('message'), message: Message });
export const ConversationEvent = z.object({ type: z.literal('conversation'), conversation: Conversation });
export const TypingEvent = z.object({
  type: z.literal('typing'),
  conversationId: Id,
  senderType: SenderType,
  senderId: Id,
  isTyping: z.boolean(),
  /** The visitor's draft, to agents, when its channel has `typingPreview`. */
  draft: z.string().optional(),
});
export const ReadEvent = z.object({
  type: z.literal('read'),
  conversationId: Id,
  senderType: SenderType,
  senderId: Id,
  seq: z.number().int().nonnegative(),
});
export const PongEvent = z.object({ type: z.literal('pong'), serverTime: z.number() });
/** The visitor rated the conversation (again): to its agent, during the conversation or after its end. */
export const RatingEvent = z.object({ type: z.literal('rating'), rating: Rating });
/** Data the business backend pushed to this user through the transparent channel. */
export const TransparentEvent = z.object({ type: z.literal('transparent'), data: TransparentData });

/**
 * This socket's session ended because of `reason`; the socket closes right after with
 * `CLOSE_CODES.sessionReplaced` ('replaced': a newer login of the same agent) or `kickedOut` ('admin').
 */
export const KickedEvent = z.object({ type: z.literal('kicked'), reason: z.enum(['replaced', 'admin']) });
export type KickedEvent = z.infer<typeof KickedEvent>;

export const ServerFrame = z.union([
  KickedEvent,
  ReplyFrame,
  MessageEvent,
  ConversationEvent,
  TypingEvent,
  ReadEvent,
  PongEvent,
  TransparentEvent,
  RatingEvent,
  DeliveryEvent,
  OfferEvent,
  OfferWithdrawnEvent,
  PoolEvent,
  AgentStatusEvent,
  QueuePositionEvent,
  ...CALL_SERVER_FRAMES,
  ...CAPTURE_SERVER_FRAMES,
  ...CALL_SUPERVISION_SERVER_FRAMES,
  ...SCREEN_SHARE_SERVER_FRAMES,
  ...SUPERVISION_SERVER_FRAMES,
  ...COBROWSE_SERVER_FRAMES,
  WallboardEvent,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type MessageEvent = z.infer<typeof MessageEvent>;
export type ConversationEvent = z.infer<typeof ConversationEvent>;
export type TypingEvent = z.infer<typeof TypingEvent>;
export type ReadEvent = z.infer<typeof ReadEvent>;

/** Reply data of `hello`. */
export const HelloReply = z.object({
  principal: z.object({ type: z.enum(['visitor', 'agent']), id: Id, appId: Id }),
  heartbeatIntervalMs: z.number().int().positive(),
  conversations: z.array(Conversation),
  /** The live calls this principal is in: after a reload, rejoin each (`call.rejoin`). */
  calls: z.array(Call).default([]),
});
export type HelloReply = z.infer<typeof HelloReply>;
