import { z } from 'zod';
import { Agent, ClientMessageId, Conversation, Id, MAX_TEXT_LENGTH, MediaType, Message, Role, Visitor } from './model.ts';

/** REST bodies. Every route's params, query, body and reply are described here. */

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const Email = z.email().max(254).transform((s) => s.toLowerCase());
export const Password = z.string().min(8).max(256);
export const Origin = z.union([z.literal('*'), z.url().max(256)]);

export const LoginBody = z.object({ appId: Id, email: Email, password: z.string().min(1).max(256) });
export const LoginReply = z.object({ token: z.string(), expiresAt: z.number().int(), agent: Agent });

export const CreateAgentBody = z.object({
  email: Email,
  password: Password,
  name: z.string().min(1).max(100).optional(),
  role: Role.default('agent'),
  mediaTypes: z.array(MediaType).min(1).default(['chat']),
  maxConcurrentChats: z.number().int().min(1).max(100).default(5),
});
export const UpdateAgentBody = z
  .object({
    name: z.string().min(1).max(100),
    password: Password,
    role: Role,
    mediaTypes: z.array(MediaType).min(1),
    maxConcurrentChats: z.number().int().min(1).max(100),
    disabled: z.boolean(),
  })
  .partial();

export const UpdateAppBody = z
  .object({
    name: z.string().min(1).max(100),
    allowedOrigins: z.array(Origin).max(100),
  })
  .partial();

export const ApiKey = z.object({ id: Id, name: z.string(), createdAt: z.number().int(), lastUsedAt: z.number().int().nullable() });
export const CreateApiKeyBody = z.object({ name: z.string().min(1).max(100) });
export const CreateApiKeyReply = ApiKey.extend({ key: z.string() });

export const VisitorSessionBody = z.object({
  appId: Id,
  name: z.string().min(1).max(100).optional(),
  /** A visitor token from an earlier session of this browser: the same visitor comes back. */
  token: z.string().max(4096).optional(),
});
export const VisitorSessionReply = z.object({ token: z.string(), expiresAt: z.number().int(), visitor: Visitor });

export const TransparentPushBody = z.object({ data: z.base64().max(8192) });

export const OpenConversationBody = z.object({ channelId: Id.optional() }).nullish();

export const ListConversationsQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  mine: z.coerce.boolean().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ConversationList = z.object({ conversations: z.array(Conversation) });

export const ListMessagesQuery = z.object({
  afterSeq: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const MessageList = z.object({ messages: z.array(Message), lastSeq: z.number().int() });

export const SendMessageBody = z.object({ clientId: ClientMessageId, text: z.string().min(1).max(MAX_TEXT_LENGTH) });
export const UploadFileQuery = z.object({ name: z.string().min(1).max(255), clientId: ClientMessageId });
export const ReadBody = z.object({ seq: z.number().int().nonnegative() });

export const IdParams = z.object({ id: Id });

export const Health = z.object({ status: z.enum(['ok', 'unavailable']) });

