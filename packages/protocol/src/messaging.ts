import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';

/** Messaging providers a channel can be connected to (SPEC M39). */
export const CHANNEL_PROVIDERS = ['whatsapp', 'messenger', 'telegram', 'viber'] as const;
export const ChannelProvider = z.enum(CHANNEL_PROVIDERS);
export type ChannelProvider = z.infer<typeof ChannelProvider>;

/**
 * Connects a new channel to a provider. `accountId`: the WhatsApp phone number id, the Facebook
 * page id, the Telegram bot's name, the Viber account's name. `credentials` by provider:
 * whatsapp `accessToken`, `appSecret`, `verifyToken`?, `businessAccountId`?; messenger
 * `pageAccessToken`, `appSecret`, `verifyToken`?; telegram `botToken`, `secretToken`?; viber
 * `authToken`, `senderName`?. A verify or secret token left out is generated (and shown once).
 */
export const ConnectChannelBody = z.object({
  provider: ChannelProvider,
  name: z.string().trim().min(1).max(200),
  queueId: Id.nullable().default(null),
  accountId: z.string().trim().min(1).max(200),
  /** The provider's API base URL; default the provider's own. */
  apiBaseUrl: z.string().url().max(2000).optional(),
  credentials: z.record(z.string().max(100), z.string().min(1).max(4000)),
});
export type ConnectChannelInput = z.input<typeof ConnectChannelBody>;

/** Rotates a connection's credentials: the ones given replace theirs, the others are kept. Answered once, like a connect. */
export const RotateCredentialsBody = z.object({ credentials: z.record(z.string().max(100), z.string().min(1).max(4000)) });
export type RotateCredentialsInput = z.infer<typeof RotateCredentialsBody>;

/** A connected channel as admins see it: the credentials' names, never their values. */
export const ChannelConnection = z.object({
  channelId: Id,
  provider: ChannelProvider,
  accountId: z.string(),
  apiBaseUrl: z.string(),
  /** Where the provider posts its webhooks (on this server's public URL). */
  webhookUrl: z.string(),
  credentialNames: z.array(z.string()),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type ChannelConnection = z.infer<typeof ChannelConnection>;
export const ChannelConnectionList = z.object({ connections: z.array(ChannelConnection) });

/** The answer to a connect: the credentials once, generated tokens included; never again. */
export const ConnectedChannel = ChannelConnection.extend({ credentials: z.record(z.string(), z.string()) });
export type ConnectedChannel = z.infer<typeof ConnectedChannel>;

export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** What the provider said of one of our messages: `reason` is the provider's own words on a failure. */
export const MessageDelivery = z.object({ messageId: Id, status: DeliveryStatus, reason: z.string().nullable(), updatedAt: TimestampMs });
export type MessageDelivery = z.infer<typeof MessageDelivery>;

/** Deliveries of a conversation's messages that changed (a provider's status, a send's outcome): to its agent and supervisors. */
export const DeliveryEvent = z.object({ type: z.literal('delivery'), conversationId: Id, deliveries: z.array(MessageDelivery) });
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

/** The customer-service window: open until `endsAt` (null: no limit); Messenger's HUMAN_AGENT tag until `humanAgentTagEndsAt`. */
export const ChannelWindowView = z.object({
  policy: z.enum(['meta-24h', 'viber-session', 'none']),
  isOpen: z.boolean(),
  endsAt: TimestampMs.nullable(),
  msLeft: z.number().int().nullable(),
  humanAgentTagEndsAt: TimestampMs.nullable(),
});
export type ChannelWindowView = z.infer<typeof ChannelWindowView>;

/** A WhatsApp message template, synced from the provider. */
export const MessageTemplate = z.object({ name: z.string(), language: z.string(), status: z.string(), category: z.string(), body: z.string(), parameterCount: z.number().int().nonnegative() });
export type MessageTemplate = z.infer<typeof MessageTemplate>;
export const MessageTemplateList = z.object({ templates: z.array(MessageTemplate) });

/** A conversation's messaging channel, for the workbench: its provider, the user, the window, the deliveries. */
export const ConversationChannel = z.object({
  conversationId: Id,
  channelId: Id,
  provider: ChannelProvider,
  externalId: z.string(),
  window: ChannelWindowView,
  deliveries: z.array(MessageDelivery),
});
export type ConversationChannel = z.infer<typeof ConversationChannel>;

/** Outside the window: a WhatsApp template with its parameters, or a Messenger message tagged HUMAN_AGENT. */
export const ChannelSendBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('template'), clientId: z.string().min(1).max(64), name: z.string().min(1).max(512), language: z.string().min(1).max(20), parameters: z.array(z.string().min(1).max(1000)).max(20).default([]) }),
  z.object({ kind: z.literal('tagged'), clientId: z.string().min(1).max(64), text: z.string().min(1).max(2000), tag: z.literal('HUMAN_AGENT') }),
]);
export type ChannelSendInput = z.input<typeof ChannelSendBody>;

export const SendTestMessageBody = z.object({ to: z.string().trim().min(1).max(200), text: z.string().min(1).max(1000).default('Frontdesk test message') });
export const SendTestMessageResult = z.object({ ok: z.boolean(), providerMessageId: z.string().nullable(), reason: z.string().nullable() });

/** The send log of a channel: each send job, newest first, with every attempt (the provider's status code, error, latency). */
export const ChannelSendLog = z.object({
  sends: z.array(
    z.object({
      jobId: z.string(),
      messageId: Id,
      conversationId: Id,
      /** The job's state: pending, retrying, done, exhausted (shown as failed), cancelled. */
      status: z.string(),
      attempts: z.array(z.object({ at: TimestampMs, statusCode: z.number().int().nullable(), error: z.string().nullable(), latencyMs: z.number() })),
    }),
  ),
});
export type ChannelSendLog = z.infer<typeof ChannelSendLog>;
export const ChannelSendLogQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
