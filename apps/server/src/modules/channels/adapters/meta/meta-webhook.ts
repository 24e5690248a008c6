import { constantTimeEqual, hmacSha256Hex } from '../../../../platform/crypto/index.ts';
import { headerOf, PayloadError, SignatureError, type ProviderRequest, type SendOutcome, type UploadOutcome, type VerifyQuery } from '../channel-adapter.ts';

/**
 * What WhatsApp Cloud API and Messenger share, both being Meta's Graph API: the webhook signature
 * (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed by the app secret>`), the
 * subscription handshake, and the Graph API error shape.
 */
export function verifyMetaSignature(rawBody: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>, appSecret: string): void {
  const header = headerOf(headers, 'x-hub-signature-256');
  if (!header || !appSecret) throw new SignatureError('missing X-Hub-Signature-256');
  const expected = `sha256=${hmacSha256Hex(appSecret, rawBody)}`;
  if (!constantTimeEqual(header, expected)) throw new SignatureError('X-Hub-Signature-256 does not match the body');
}

/** `hub.mode=subscribe` with our verify token: the challenge is echoed; anything else is refused. */
export function metaHandshake(query: VerifyQuery, verifyToken: string): string | null {
  if (query['hub.mode'] !== 'subscribe' || !verifyToken || query['hub.challenge'] === undefined) return null;
  return constantTimeEqual(query['hub.verify_token'] ?? '', verifyToken) ? query['hub.challenge'] : null;
}

export function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('the body is not JSON');
  }
}

/**
 * Graph API codes that mean "slow down": 4 (app), 80007 (WhatsApp account), 130429 (throughput),
 * 131056 (pair rate: one user), 613 (calls to this API). Retried with backoff.
 */
const META_RATE_LIMIT_CODES = new Set(['4', '80007', '130429', '131056', '613']);

/** A Graph API answer to a send: `{ messages: [{ id }] }` (WhatsApp), `{ message_id }` (Messenger), or `{ error }`. */
export function metaSendOutcome(status: number, body: string, headers: Readonly<Record<string, string>>): SendOutcome {
  let parsed: { messages?: { id?: string }[]; message_id?: string; error?: { code?: number | string; message?: string; error_data?: { details?: string } } } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // a proxy's HTML error page: judged by its status below
  }
  const id = parsed.messages?.[0]?.id ?? parsed.message_id;
  if (status >= 200 && status < 300 && id) return { ok: true, providerMessageId: id };
  const code = parsed.error?.code === undefined ? `http ${status}` : String(parsed.error.code);
  const details = parsed.error?.error_data?.details;
  const reason = [parsed.error?.message ?? `HTTP ${status}`, details].filter(Boolean).join(': ');
  const retryable = status === 429 || status >= 500 || META_RATE_LIMIT_CODES.has(code);
  return { ok: false, retryable, code, reason: reason.slice(0, 500), retryAfterMs: retryAfterOf(headers) };
}

/** Meta's answer to an upload: `{ id }` (WhatsApp media) or `{ attachment_id }` (Messenger); else a failure read like a send's. */
export function metaUploadOutcome(status: number, body: string): UploadOutcome {
  let parsed: { id?: string; attachment_id?: string } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // judged by the status below
  }
  const id = parsed.id ?? parsed.attachment_id;
  if (status >= 200 && status < 300 && id) return { ok: true, mediaId: String(id) };
  const outcome = metaSendOutcome(status >= 200 && status < 300 ? 502 : status, body, {});
  return outcome.ok ? { ok: false, retryable: true, code: 'upload', reason: 'the upload answer has no id', retryAfterMs: null } : outcome;
}

/** A `Retry-After` in seconds, in ms; null when absent or not a number. */
export function retryAfterOf(headers: Readonly<Record<string, string>>): number | null {
  const value = Number(headers['retry-after']);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function jsonPost(url: string, headers: Record<string, string>, body: unknown): ProviderRequest {
  return { method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
