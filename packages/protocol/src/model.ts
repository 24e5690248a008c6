import { z } from 'zod';
import { IdentityMode } from './identity.ts';

/** Ids are opaque strings; timestamps are integer milliseconds since the epoch. */
export const Id = z.string().min(1).max(64);
export const TimestampMs = z.number().int().nonnegative();
/**
 * A numeric alias of a string id, for vendor surfaces that name things by integers (TCCC SdkAppId
 * and SkillGroupId, AnyChat objectid): positive, within a signed 32-bit integer.
 */
export const NumericId = z.number().int().min(1).max(2_147_483_647);
/** An agent's staff number (TCCC `StaffNumber`, 工号): digits by default, any short text an admin sets. */
export const StaffNumber = z.string().trim().min(1).max(32);

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Media an agent serves: chat (multimedia), audio, video; omni is all of them. */
export const MEDIA_TYPES = ['chat', 'audio', 'video'] as const;
export const MediaType = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof MediaType>;

export const App = z.object({
  id: Id,
  /** TCCC `SdkAppId` of this app (the CDR data push), unique on the server. */
  numericId: NumericId,
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  createdAt: TimestampMs,
});
export type App = z.infer<typeof App>;

export const Agent = z.object({
  id: Id,
  appId: Id,
  /** TCCC `StaffNumber` (CDR `SeatUser`), unique in the app. */
  staffNumber: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  mediaTypes: z.array(MediaType),
  maxConcurrentChats: z.number().int(),
  maxConcurrentCalls: z.number().int(),
  disabled: z.boolean(),
  createdAt: TimestampMs,
});
export type Agent = z.infer<typeof Agent>;

export const Visitor = z.object({
  id: Id,
  appId: Id,
  name: z.string(),
  /** The business's own user id of an identified visitor; null for an anonymous one. */
  externalId: z.string().nullable(),
  /** How the visitor was identified last (anonymous, hmac, token, auth-v2, vtc). */
  identityMode: IdentityMode,
  createdAt: TimestampMs,
});
export type Visitor = z.infer<typeof Visitor>;

/** none: not routed (claimed by hand); bot: the bot answers; then queued → offered → assigned; released by overflow. */
export const ROUTING_STATES = ['none', 'bot', 'queued', 'offered', 'assigned', 'released', 'ended'] as const;
export type RoutingState = (typeof ROUTING_STATES)[number];
export const CLOSE_BY = ['client', 'seat', 'admin', 'timer'] as const;
export type CloseBy = (typeof CLOSE_BY)[number];

export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);

/** A visitor's contact details from a widget form; each null when not given. */
export const VisitorDetails = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
export type VisitorDetails = z.infer<typeof VisitorDetails>;

export const Conversation = z.object({
  id: Id,
  appId: Id,
  visitorId: Id,
  agentId: Id.nullable(),
  status: ConversationStatus,
  /** The seq of the newest message; 0 when there is none. */
  lastSeq: z.number().int().nonnegative(),
  visitorReadSeq: z.number().int().nonnegative(),
  agentReadSeq: z.number().int().nonnegative(),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
  closedAt: TimestampMs.nullable(),
  channelId: Id.nullable(),
  /** The skill queue routing the conversation, once a human is needed. */
  queueId: Id.nullable(),
  routingState: z.enum(ROUTING_STATES),
  /** Who ended it: the visitor (client), the agent (seat), a supervisor (admin) or a timer. */
  closeBy: z.enum(CLOSE_BY).nullable(),
  /** The visitor's last message (idle end counts from it). */
  lastVisitorMessageAt: TimestampMs.nullable(),
  /**
   * What the visitor wrote about themselves in a form of the widget (the pre-chat form, or the
   * leave-a-message form): null when they filled none. Optional only for clients of older servers.
   */
  visitorDetails: VisitorDetails.nullable().optional(),
  /**
   * When the visitor left a message because nobody could answer (no agent, off hours, the wait ran
   * out): the conversation then waits for an agent to take it, however long, and is answered later;
   * the visitor's reply channel is the email or phone in `visitorDetails`. null otherwise.
   */
  messageLeftAt: TimestampMs.nullable().optional(),
});
export type Conversation = z.infer<typeof Conversation>;


export const SENDER_TYPES = ['visitor', 'agent', 'bot', 'system'] as const;
export const SenderType = z.enum(SENDER_TYPES);
export type SenderType = z.infer<typeof SenderType>;

export const MESSAGE_KINDS = ['text', 'file', 'image', 'system', 'location'] as const;
export const MessageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKind>;

export const FileRef = z.object({
  id: Id,
  name: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Path on this server; served only to the conversation's participants. */
  url: z.string(),
});
export type FileRef = z.infer<typeof FileRef>;

/** A shared place (SPEC M9): coordinates in degrees (WGS 84), with an optional name and address for display. */
export const MessageLocation = z.object({
  latitude: z.number().min(-90, { message: 'latitude must be between -90 and 90' }).max(90, { message: 'latitude must be between -90 and 90' }),
  longitude: z.number().min(-180, { message: 'longitude must be between -180 and 180' }).max(180, { message: 'longitude must be between -180 and 180' }),
  name: z.string().max(200).nullable(),
  address: z.string().max(500).nullable(),
});
export type MessageLocation = z.infer<typeof MessageLocation>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  seq: z.number().int().positive(),
  clientId: z.string().nullable(),
  senderType: SenderType,
  /**
   * Who sent it; on a system notice, who it is about (`agent.joined`/`agent.left`: the agent;
   * `supervisor.joined`: the supervisor; a co-browse notice: who started or ended it), else null.
   */
  senderId: Id.nullable(),
  kind: MessageKind,
  /** Stored and returned verbatim: clients render it as text, never as HTML. */
  text: z.string(),
  file: FileRef.nullable(),
  /** Set on `location` messages; `text` then holds the place's name, address or coordinates. */
  location: MessageLocation.nullable(),
  createdAt: TimestampMs,
});
export type Message = z.infer<typeof Message>;

export const MAX_TEXT_LENGTH = 8000;
/** A client-chosen id that makes a send idempotent (Matrix `txnId`). */
export const ClientMessageId = z.string().min(1).max(64);
