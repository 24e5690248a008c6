import { z } from 'zod';
import { PartyRef } from './calls.ts';
import { Id, TimestampMs } from './model.ts';
import { ScreenShareCloseReason } from './screen-share.ts';

/**
 * Native webhooks (SPEC M35): the events the business backend is told of, its subscriptions,
 * and the delivery log. Deliveries follow Standard Webhooks 1.0: a POST of `WebhookPayload`
 * with the headers `webhook-id` (the event id, the same on every retry), `webhook-timestamp`
 * (seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
 * two of them space-separated for 24 h after a secret rotation).
 */

export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.closed',
  'message.created',
  'routing.queued',
  'routing.offered',
  'routing.released',
  'agent.status_changed',
  'conversation.rated',
  'file.uploaded',
  'transparent.data',
  /** A delivery to one of the app's subscriptions failed every retry (sent to its other subscriptions). */
  'webhook.delivery_exhausted',
  /** Audio/video calls (emitted by the calls module; data: CallStateChangedData). */
  'call.state_changed',
  /** A call recording is ready (emitted by the recordings module, once per recording; data: RecordingCompletedData). */
  'recording.completed',
  /** A call snapshot or photo was stored as a file of the conversation (emitted by the captures module; data: CaptureStoredData). */
  'capture.stored',
  /** A screen share of a call opened (its media is up) or closed, and why (emitted by the calls module; data: CallScreenShareData). */
  'call.screen_share',
  /** A co-browse went live: the visitor started it or accepted a proposal (data: CobrowseWebhookData). */
  'cobrowse.started',
  /** A co-browse ended: by the visitor, the agent, a rejection or the conversation's end (data: CobrowseWebhookData). */
  'cobrowse.ended',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** A call moved on: requested (ringing), answered, started (media up), ended. */
export const CALL_EVENTS = ['requested', 'answered', 'started', 'ended'] as const;
export const CallStateChangedData = z.object({
  callId: Id,
  conversationId: Id.nullable(),
  event: z.enum(CALL_EVENTS),
  fromUserId: Id,
  fromUserName: z.string(),
  toUserId: Id,
  toUserName: z.string(),
  /** 0 = no error. */
  errorCode: z.number().int(),
  /** An internal call: agent to agent (from the caller to the callee), no visitor and no conversation. */
  internal: z.boolean(),
  at: TimestampMs,
});
export type CallStateChangedData = z.infer<typeof CallStateChangedData>;

export const RecordingCompletedData = z.object({
  recordingId: Id,
  callId: Id.nullable(),
  /** Where the file is served (a path on this server). */
  fileName: z.string(),
  durationSeconds: z.number().int().nonnegative(),
  /** The call's conversation (recordings module). */
  conversationId: Id.optional(),
  /** AnyChat record flags of the file (BRAC_RECORD_FLAGS_*, seed 003 5.1). */
  recordFlags: z.number().int().nonnegative().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  userId: Id.nullable(),
  userName: z.string(),
  errorCode: z.number().int(),
  at: TimestampMs,
});
export type RecordingCompletedData = z.infer<typeof RecordingCompletedData>;

/**
 * `call.screen_share`: a party of a call began showing its screen (`opened`, once its media is up) or
 * stopped (`closed`, with why: `stopped` by the sharer, `lost` its page or network, `left` the call,
 * `ended` with the call). `startedAt` is when the share opened (a closed one lasted `at - startedAt`).
 */
export const CallScreenShareData = z.object({
  callId: Id,
  conversationId: Id,
  event: z.enum(['opened', 'closed']),
  sharer: PartyRef,
  reason: ScreenShareCloseReason.nullable(),
  startedAt: TimestampMs,
  at: TimestampMs,
});
export type CallScreenShareData = z.infer<typeof CallScreenShareData>;

/** `cobrowse.started` and `cobrowse.ended`: the session as it stands and who did it (null: the system, when the conversation closed). */
export const CobrowseWebhookData = z.object({
  cobrowse: z.record(z.string(), z.unknown()),
  by: z.object({ type: z.enum(['visitor', 'agent', 'system']), id: Id.nullable() }),
  at: TimestampMs,
});
export type CobrowseWebhookData = z.infer<typeof CobrowseWebhookData>;

/** The JSON body of every webhook request. `timestamp` is when the event happened (ISO 8601). */
export const WebhookPayload = z.object({
  type: WebhookEventType,
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** The most subscriptions one app may have (each is matched against every event of the app). */
export const MAX_WEBHOOK_SUBSCRIPTIONS_PER_APP = 50;

// ---------------------------------------------------------------------------------------------
// Subscriptions

/** Why a subscription is disabled: `gone` = its receiver answered 410, `admin` = turned off by hand. */
export const WEBHOOK_DISABLED_REASONS = ['gone', 'admin'] as const;

const WebhookUrl = z.string().trim().min(1).max(2048);

/**
 * How a subscription's requests look. `standard`: Standard Webhooks (above). `anychat` (SPEC M36):
 * the URL is the APP's AnyChat callback base; each event becomes the AnyChat notify it maps to
 * (`POST {url}/{method}?timestamp=…&appid=…&signtype=MD5|RSA&signstr=…`, seed 003), signed as its
 * `signType` says; only HTTP 200 delivers. Events with no AnyChat notify are not sent to it.
 */
export const WEBHOOK_FORMATS = ['standard', 'anychat'] as const;
export const WebhookFormat = z.enum(WEBHOOK_FORMATS);
export type WebhookFormat = z.infer<typeof WebhookFormat>;
/**
 * How an `anychat` subscription's notifies are signed (seed 003): `MD5` = md5("method&appid&timestamp&secret")
 * with the app's gateway secret; `RSA` = RSA PKCS#1 v1.5 over the MD5 digest of
 * "method&appid&timestamp", with a 2048-bit key Frontdesk generates for the subscription (the receiver
 * verifies with `rsaPublicKeyPem`; `signstr` is base64). Ignored by `standard` subscriptions.
 */
export const ANYCHAT_SIGN_TYPES = ['MD5', 'RSA'] as const;
export const AnyChatSignType = z.enum(ANYCHAT_SIGN_TYPES);
export type AnyChatSignType = z.infer<typeof AnyChatSignType>;
/** null: every event type. */
const EventTypeFilter = z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length).nullable();

export const WebhookSubscription = z.object({
  id: Id,
  appId: Id,
  url: z.string(),
  format: WebhookFormat,
  signType: AnyChatSignType,
  /** The public key that verifies an `anychat` subscription's RSA signatures (PEM, SPKI); null for MD5. */
  rsaPublicKeyPem: z.string().nullable(),
  /** The event types sent to this subscription; null = all of them. */
  eventTypes: z.array(WebhookEventType).nullable(),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.enum(WEBHOOK_DISABLED_REASONS).nullable(),
  /** While set and in the future, requests carry the previous secret's signature too. */
  previousSecretExpiresAt: TimestampMs.nullable(),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;
export const WebhookSubscriptionList = z.object({ subscriptions: z.array(WebhookSubscription) });

/** Creation and rotation answer the signing secret (`whsec_…`) once; it is never shown again. */
export const WebhookSubscriptionWithSecret = WebhookSubscription.extend({ secret: z.string() });
export type WebhookSubscriptionWithSecret = z.infer<typeof WebhookSubscriptionWithSecret>;

/** `url`: http or https, no user name or password; private and loopback targets are refused (see README). */
export const CreateWebhookSubscriptionBody = z.object({
  url: WebhookUrl,
  format: WebhookFormat.default('standard'),
  signType: AnyChatSignType.default('MD5'),
  eventTypes: EventTypeFilter.default(null),
  description: z.string().trim().max(500).default(''),
});
export type CreateWebhookSubscriptionInput = z.input<typeof CreateWebhookSubscriptionBody>;

/** Fields left out keep their value. */
export const UpdateWebhookSubscriptionBody = z.object({
  url: WebhookUrl.optional(),
  format: WebhookFormat.optional(),
  signType: AnyChatSignType.optional(),
  eventTypes: EventTypeFilter.optional(),
  description: z.string().trim().max(500).optional(),
});
export type UpdateWebhookSubscriptionInput = z.input<typeof UpdateWebhookSubscriptionBody>;

// ---------------------------------------------------------------------------------------------
// Deliveries: one per event and matching subscription, with the log of its attempts

/**
 * pending: not attempted yet (or replayed); failed: the last attempt failed, it is retried at
 * `nextAttemptAt`; delivered: a 2xx came back; exhausted: every retry failed, no more attempts.
 */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'failed', 'delivered', 'exhausted'] as const;
export const WebhookDeliveryStatus = z.enum(WEBHOOK_DELIVERY_STATUSES);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookAttempt = z.object({
  id: Id,
  at: TimestampMs,
  /** The receiver's HTTP status; null when no response came (see `error`). */
  statusCode: z.number().int().nullable(),
  /** Why no usable response came: connection refused, timeout, target not allowed… */
  error: z.string().nullable(),
  latencyMs: z.number().int().nonnegative(),
  /** The start of the response body, at most 1 KB. */
  responseExcerpt: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z.object({
  id: Id,
  subscriptionId: Id,
  /** Also the `webhook-id` header: receivers de-duplicate on it. */
  eventId: Id,
  eventType: WebhookEventType,
  orderingKey: z.string().nullable(),
  status: WebhookDeliveryStatus,
  /** Attempts since the delivery was created or last replayed (the log below has all of them). */
  attempts: z.number().int().nonnegative(),
  /** When the next attempt is due; null once delivered or exhausted. */
  nextAttemptAt: TimestampMs.nullable(),
  lastAttemptAt: TimestampMs.nullable(),
  deliveredAt: TimestampMs.nullable(),
  createdAt: TimestampMs,
  attemptLog: z.array(WebhookAttempt),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListWebhookDeliveriesQuery = z.object({
  subscriptionId: Id.optional(),
  status: WebhookDeliveryStatus.optional(),
  /** A delivery id from the previous page's `nextAfter`: the page continues after it. */
  after: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** Newest event first. */
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery), nextAfter: Id.nullable() });

/** Events created in [fromMs, toMs] that the subscription's filter matches are delivered again (or for the first time). */
export const ReplayWebhookEventsBody = z
  .object({ subscriptionId: Id, fromMs: TimestampMs, toMs: TimestampMs })
  .refine((b) => b.toMs >= b.fromMs, { message: 'toMs must not be before fromMs', path: ['toMs'] });
export type ReplayWebhookEventsInput = z.input<typeof ReplayWebhookEventsBody>;

/** The most events one replay call re-delivers; `nextFromMs` says where to continue, null when done. */
export const MAX_WEBHOOK_REPLAY_EVENTS = 10_000;
export const ReplayWebhookEventsReply = z.object({ count: z.number().int().nonnegative(), nextFromMs: TimestampMs.nullable() });
