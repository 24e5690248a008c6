import { z } from 'zod';
import { Agent, ClientMessageId, Conversation, Id, MAX_TEXT_LENGTH, MediaType, Message, MessageLocation, NumericId, Role, StaffNumber, Visitor } from './model.ts';
import { VisitorIdentity } from './identity.ts';

/** REST bodies. Every route's params, query, body and reply are described here. */

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const Email = z.email().max(254).transform((s) => s.toLowerCase());
export const Password = z.string().min(8).max(256);
export const Origin = z.union([z.literal('*'), z.url().max(256)]);

/**
 * `deviceId`: a random id a browser keeps for all its tabs (agent SDK with multi-tab sharing). A login
 * replaces (kicks) the agent's other sessions, except those opened with the same deviceId.
 */
export const DeviceId = z.string().min(8).max(128).regex(/^[A-Za-z0-9_-]+$/);
export const LoginBody = z.object({ appId: Id, email: Email, password: z.string().min(1).max(256), deviceId: DeviceId.optional() });
export const LoginReply = z.object({ token: z.string(), expiresAt: z.number().int(), agent: Agent });

export const CreateAgentBody = z.object({
  email: Email,
  password: Password,
  name: z.string().min(1).max(100).optional(),
  role: Role.default('agent'),
  mediaTypes: z.array(MediaType).min(1).default(['chat']),
  maxConcurrentChats: z.number().int().min(1).max(100).default(5),
  /** Calls at once (SPEC M23): 1 unless the desk takes call waiting. */
  maxConcurrentCalls: z.number().int().min(1).max(5).default(1),
  /** Default: the next free number of the app. */
  staffNumber: StaffNumber.optional(),
});
export const UpdateAgentBody = z
  .object({
    name: z.string().min(1).max(100),
    password: Password,
    role: Role,
    mediaTypes: z.array(MediaType).min(1),
    maxConcurrentChats: z.number().int().min(1).max(100),
    maxConcurrentCalls: z.number().int().min(1).max(5),
    disabled: z.boolean(),
    staffNumber: StaffNumber,
  })
  .partial();

export const UpdateAppBody = z
  .object({
    name: z.string().min(1).max(100),
    allowedOrigins: z.array(Origin).max(100),
    /** TCCC `SdkAppId`: keep the number an integration already knows. */
    numericId: NumericId,
  })
  .partial();

/** The app's secrets (SPEC M1): VTC app token, AnyChat gateway secret. Widget identity secrets are per channel. */
export const APP_SECRET_KINDS = ['appToken', 'gatewaySecret'] as const;
export const AppSecretKind = z.enum(APP_SECRET_KINDS);
export const RotateAppSecretBody = z.object({ kind: AppSecretKind });
/** The new secret, answered only this once; the previous one stops working at once. */
export const RotateAppSecretReply = z.object({ kind: AppSecretKind, secret: z.string() });

export const ApiKey = z.object({ id: Id, name: z.string(), createdAt: z.number().int(), lastUsedAt: z.number().int().nullable() });
export const CreateApiKeyBody = z.object({ name: z.string().min(1).max(100) });
export const CreateApiKeyReply = ApiKey.extend({ key: z.string() });

export const VisitorSessionBody = z.object({
  appId: Id,
  name: z.string().min(1).max(100).optional(),
  /** A visitor token from an earlier session of this browser: the same visitor comes back. */
  token: z.string().max(4096).optional(),
  /** The channel the widget serves (its identity mode applies); the app's default channel when left out. */
  channelId: Id.optional(),
  /** Who the visitor is, as the business page says (verified by the channel's identity mode); anonymous when left out. */
  identity: VisitorIdentity.optional(),
});
export const VisitorSessionReply = z.object({ token: z.string(), expiresAt: z.number().int(), visitor: Visitor });

export const TransparentPushBody = z.object({ data: z.base64().max(8192) });

/** Limits of the contact details a visitor types in a widget form (pre-chat, leave a message). */
export const VisitorName = z.string().trim().min(1, { message: 'a name is required' }).max(100);
export const VisitorEmail = Email;
/** Digits with the usual separators and an optional leading +; 5 to 20 digits. */
export const VisitorPhone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{5,32}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . -)' })
  .refine((phone) => (phone.match(/[0-9]/g)?.length ?? 0) >= 5 && (phone.match(/[0-9]/g)?.length ?? 0) <= 20, { message: 'phone must have 5 to 20 digits' });

/** The answers of a channel's pre-chat form; which are required is the channel's setting. */
export const VisitorDetailsInput = z.object({ name: VisitorName.optional(), email: VisitorEmail.optional(), phone: VisitorPhone.optional() });
export type VisitorDetailsInput = z.input<typeof VisitorDetailsInput>;

export const OpenConversationBody = z.object({ channelId: Id.optional(), details: VisitorDetailsInput.optional() }).nullish();

/**
 * The leave-a-message form (nobody to answer, off hours, the wait ran out): a name, an email or a
 * phone (at least one: the reply channel), and the message. It becomes the visitor's open
 * conversation (a new one if none is open), kept for agents until one answers it.
 */
export const LeaveMessageBody = z
  .object({
    channelId: Id.optional(),
    name: VisitorName,
    email: VisitorEmail.optional(),
    phone: VisitorPhone.optional(),
    message: z.string().trim().min(1, { message: 'a message is required' }).max(MAX_TEXT_LENGTH),
    /** Makes a retried submit idempotent (the message is stored once). */
    clientId: ClientMessageId,
  })
  .refine((body) => body.email !== undefined || body.phone !== undefined, { message: 'an email or a phone number is required to answer you', path: ['email'] });
export type LeaveMessageInput = z.input<typeof LeaveMessageBody>;

export const ListConversationsQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  mine: z.coerce.boolean().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ConversationList = z.object({ conversations: z.array(Conversation) });

/**
 * The workbench's lists and search (SPEC M8): `filter` mine (the caller's open ones), unassigned
 * (open, nobody has it), queue (open, waiting in a queue or ringing), all (every open one), closed;
 * none: open and closed. `q` searches message texts (Chinese and other languages) and visitor names.
 */
export const CONVERSATION_FILTERS = ['mine', 'unassigned', 'queue', 'all', 'closed'] as const;
export type ConversationFilter = (typeof CONVERSATION_FILTERS)[number];
export const SearchConversationsQuery = z.object({
  q: z.string().trim().max(200).optional(),
  filter: z.enum(CONVERSATION_FILTERS).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchConversationsInput = z.input<typeof SearchConversationsQuery>;
/** One conversation found: the newest message that matched (null when only its visitor's name did, or without `q`). */
export const ConversationSearchResult = z.object({
  conversation: Conversation,
  hit: z.object({ messageId: Id, seq: z.number().int(), senderType: z.enum(['visitor', 'agent', 'bot', 'system']), text: z.string(), createdAt: z.number().int() }).nullable(),
  /** The visitor's name matched the query. */
  nameMatched: z.boolean(),
});
export type ConversationSearchResult = z.infer<typeof ConversationSearchResult>;
export const ConversationSearchList = z.object({ results: z.array(ConversationSearchResult) });

export const ListMessagesQuery = z.object({
  afterSeq: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const MessageList = z.object({ messages: z.array(Message), lastSeq: z.number().int() });

export const SendMessageBody = z.object({ clientId: ClientMessageId, text: z.string().min(1).max(MAX_TEXT_LENGTH) });
/** A location message (SPEC M9); name and address are optional display text. */
export const SendLocationBody = z.object({
  clientId: ClientMessageId,
  latitude: MessageLocation.shape.latitude,
  longitude: MessageLocation.shape.longitude,
  name: z.string().trim().min(1).max(200).optional(),
  address: z.string().trim().min(1).max(500).optional(),
});
export const UploadFileQuery = z.object({ name: z.string().min(1).max(255), clientId: ClientMessageId });
export const ReadBody = z.object({ seq: z.number().int().nonnegative() });

export const IdParams = z.object({ id: Id });
export const ConversationAgentParams = z.object({ id: Id, agentId: Id });
/** What a visitor may know of an agent of its conversation. */
export const ConversationAgent = z.object({
  id: Id,
  name: z.string(),
  /** The agent's avatar: a path on this server (`/v1/avatars/…`), public; absent when it has none. */
  avatarUrl: z.string().optional(),
});
export type ConversationAgent = z.infer<typeof ConversationAgent>;

export const Health = z.object({ status: z.enum(['ok', 'unavailable']) });

