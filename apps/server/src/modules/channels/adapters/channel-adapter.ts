/**
 * The port every messaging provider implements (WhatsApp Cloud API, Messenger, Telegram, Viber).
 * Pure: an adapter verifies and parses what a provider sends us, builds the HTTP requests we send
 * it and reads its answers; the shells (webhook routes, the send job, the media download) do the
 * I/O. No adapter reads storage or the clock.
 */

export const PROVIDERS = ['whatsapp', 'messenger', 'telegram', 'viber'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A provider's credentials, as the admin entered them (kept sealed at rest). */
export type Credentials = Readonly<Record<string, string>>;

/** What an adapter needs of a connection: its account, its API base URL and its credentials. */
export interface ConnectionView {
  channelId: string;
  appId: string;
  provider: Provider;
  accountId: string;
  apiBaseUrl: string;
  credentials: Credentials;
}

/** Where a provider's media is: an id to resolve (WhatsApp, Telegram) or a URL (Messenger, Viber). */
export type MediaRef = { kind: 'id'; id: string } | { kind: 'url'; url: string };

export type InboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: MediaRef; mediaKind: 'image' | 'file' | 'audio' | 'video'; fileName: string | null; mimeType: string | null; caption: string | null }
  | { kind: 'location'; latitude: number; longitude: number; name: string | null; address: string | null };

/** Delivery states of our messages, in the order they advance. */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type InboundEvent =
  /** A user's message. `externalId` names the thread (one conversation per channel and thread at a time). */
  | { type: 'message'; providerMessageId: string; externalId: string; userName: string | null; atMs: number; content: InboundContent }
  /** What happened to one of our messages. */
  | { type: 'status'; providerMessageId: string; status: Exclude<DeliveryStatus, 'queued'>; reason: string | null; atMs: number }
  /** Messenger's delivery and read watermarks: every message to the thread sent up to `upToMs`. */
  | { type: 'watermark'; externalId: string; status: 'delivered' | 'read'; upToMs: number };

/** The customer-service window of a thread at a moment: open until `endsAt` (null: no window). */
export interface ChannelWindow {
  /** What the window is: Meta's 24 h window, Viber's session, or none (Telegram). */
  policy: 'meta-24h' | 'viber-session' | 'none';
  /** Until when a free-form message may be sent; null when there is no limit. */
  endsAt: number | null;
  /** Messenger: until when a message tagged HUMAN_AGENT may still be sent (7 days). */
  humanAgentTagEndsAt: number | null;
}

/** A message of ours to send; `to` is the thread's external id. */
export type OutboundMessage =
  | { kind: 'text'; to: string; text: string; tag?: 'HUMAN_AGENT' | undefined }
  /** `fileId`: ours, uploaded where the provider takes uploads; `url`: a signed link for those that fetch; `mediaId`: the provider's id once uploaded. */
  | { kind: 'media'; to: string; mediaKind: 'image' | 'file'; fileId: string; mimeType: string; url: string; fileName: string; caption: string | null; mediaId?: string | undefined; tag?: 'HUMAN_AGENT' | undefined }
  | { kind: 'location'; to: string; latitude: number; longitude: number; name: string | null; address: string | null }
  | { kind: 'template'; to: string; name: string; language: string; parameters: readonly string[] };

export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** JSON text, or a multipart body (uploads). */
  body?: string | Buffer;
}

export type MediaMessage = Extract<OutboundMessage, { kind: 'media' }>;

/** One of our files, read for an upload to the provider. */
export interface MediaFile {
  bytes: Buffer;
  mimeType: string;
  fileName: string;
}

/** What a provider answered to an upload: the media's id there, or a failure like a send's. */
export type UploadOutcome = { ok: true; mediaId: string } | Extract<SendOutcome, { ok: false }>;

/** What a provider answered to a send. */
export type SendOutcome =
  | { ok: true; providerMessageId: string }
  /** `retryable`: a rate limit or a server error, worth trying again (after `retryAfterMs` when the provider said). */
  | { ok: false; retryable: boolean; code: string; reason: string; retryAfterMs: number | null };

/** A template as a provider lists it. */
export interface ProviderTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  body: string;
  parameterCount: number;
}

/** The verify handshake of Meta's webhooks (GET with hub.mode, hub.verify_token, hub.challenge). */
export interface VerifyQuery {
  'hub.mode'?: string | undefined;
  'hub.verify_token'?: string | undefined;
  'hub.challenge'?: string | undefined;
}

export interface ChannelAdapter {
  readonly provider: Provider;
  /** The credential names a connection must give. */
  readonly credentialNames: readonly string[];
  /** The default API base URL (a connection may set another). */
  readonly defaultApiBaseUrl: string;
  /** Verifies the request's signature over the raw body, then parses it; throws SignatureError first. */
  receive(rawBody: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>, connection: ConnectionView): InboundEvent[];
  /** Meta's subscription handshake: the challenge to echo, or null to refuse. */
  verifyHandshake?(query: VerifyQuery, connection: ConnectionView): string | null;
  /** The request that sends `message`. */
  send(message: OutboundMessage, connection: ConnectionView): ProviderRequest;
  /**
   * Media by upload, two steps (WhatsApp `POST /{phone-number-id}/media`, Messenger's attachment
   * upload): the upload, its answer, then `send` with `mediaId`. Absent: sent by URL (Viber).
   */
  uploadRequest?(message: MediaMessage, file: MediaFile, connection: ConnectionView): ProviderRequest;
  uploadOutcome?(status: number, body: string): UploadOutcome;
  /** Media by upload, one step (Telegram: sendPhoto/sendDocument as multipart/form-data). */
  sendWithFile?(message: MediaMessage, file: MediaFile, connection: ConnectionView): ProviderRequest;
  /** Reads the provider's answer to a send. */
  sendOutcome(status: number, body: string, headers: Readonly<Record<string, string>>): SendOutcome;
  /** The window of a thread whose user last wrote at `lastInboundAt`. */
  windowOf(thread: { lastInboundAt: number }): ChannelWindow;
  /** The request that resolves a media id into a download (or the download itself for a URL), and how to read its answer. */
  mediaRequest(media: MediaRef, connection: ConnectionView): ProviderRequest;
  /** From the answer of `mediaRequest`: the bytes are here (`done`), or another request fetches them. */
  mediaNext(media: MediaRef, answer: { status: number; body: Buffer; contentType: string | null }, connection: ConnectionView): { done: true } | { done: false; request: ProviderRequest; mimeType: string | null; fileName: string | null };
  /** Templates (WhatsApp): the request listing them and its parse. */
  templatesRequest?(connection: ConnectionView): ProviderRequest;
  parseTemplates?(body: string): ProviderTemplate[];
}

/** A missing or wrong signature: answered 401, nothing stored. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
}

/** A body that is not the provider's documented shape (signature good): answered 400. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** One header's value, whatever Node made of it. */
export function headerOf(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Joins a base URL and a path with exactly one slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
