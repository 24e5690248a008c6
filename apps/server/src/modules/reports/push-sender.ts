import type { WebhookClient, WebhookResponse } from '../webhooks/index.ts';
import type { PushAuth } from './data-push-settings.ts';

/** TCCC retries a refused push at most 3 times: 4 attempts, waiting these between them. */
export const PUSH_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000];
export const MAX_PUSH_ATTEMPTS = PUSH_RETRY_DELAYS_MS.length + 1;
/** A cached OAuth2 token is dropped this long before it expires. */
export const TOKEN_EXPIRY_MARGIN_MS = 60_000;

export interface PushOutcome {
  accepted: boolean;
  statusCode: number | null;
  /** The receiver's ErrCode, when its answer was JSON with one. */
  errCode: number | null;
  error: string | null;
  latencyMs: number;
}

/** The wait after the `attempts`-th failed attempt, or null when no attempt is left. */
export function nextPushDelayMs(attempts: number): number | null {
  return attempts >= MAX_PUSH_ATTEMPTS ? null : PUSH_RETRY_DELAYS_MS[attempts - 1]!;
}

/** What a push carries: a CDR (`action=cdr`) or one recording file of a call (`action=record`). */
export type PushAction = 'cdr' | 'record';

/** `{url}?action=cdr&version=1` (or `action=record`), keeping the receiver's own query parameters. */
export function pushUrlOf(url: string, action: PushAction = 'cdr'): string {
  const target = new URL(url);
  target.searchParams.set('action', action);
  target.searchParams.set('version', '1');
  return target.href;
}

function parseJson(text: string | null): Record<string, unknown> | undefined {
  try {
    const value: unknown = text ? JSON.parse(text) : undefined;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Accepted only with a 2xx answer that is JSON with `ErrCode: 0`; everything else is retried. */
export function outcomeOf(response: WebhookResponse): PushOutcome {
  const base = { statusCode: response.statusCode, latencyMs: response.latencyMs };
  if (response.error) return { ...base, accepted: false, errCode: null, error: response.error };
  const ok2xx = response.statusCode !== null && response.statusCode >= 200 && response.statusCode <= 299;
  const json = parseJson(response.responseExcerpt);
  const errCode = typeof json?.ErrCode === 'number' ? json.ErrCode : null;
  if (!ok2xx) return { ...base, accepted: false, errCode, error: `HTTP ${response.statusCode}` };
  if (!json) return { ...base, accepted: false, errCode: null, error: 'the answer is not JSON' };
  if (errCode !== 0) return { ...base, accepted: false, errCode, error: `ErrCode ${errCode ?? 'missing'}` };
  return { ...base, accepted: true, errCode, error: null };
}

/**
 * Sends CDR pushes through the guarded webhook client, with Basic or OAuth2 client-credentials
 * authentication. OAuth2 tokens are cached per token endpoint and client until `expires_in`
 * (minus a margin); a 401 drops the cached token and tries once more with a fresh one.
 */
/** Token answers are read whole up to this (JWT access tokens are often longer than a log excerpt). */
const TOKEN_ANSWER_MAX_BYTES = 32 * 1024;

export function createPushSender({ client, now }: { client: WebhookClient; now: () => number }) {
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  async function tokenFor(auth: Extract<PushAuth, { kind: 'oauth2' }>): Promise<string | { error: string }> {
    const key = `${auth.tokenUrl}\n${auth.clientId}`;
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > now()) return cached.token;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
    const response = await client.send({ url: auth.tokenUrl, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString(), excerptBytes: TOKEN_ANSWER_MAX_BYTES }, now());
    const json = parseJson(response.responseExcerpt);
    const token = typeof json?.access_token === 'string' ? json.access_token : undefined;
    if (response.error || !token || response.statusCode === null || response.statusCode >= 300) {
      return { error: `token request failed: ${response.error ?? `HTTP ${response.statusCode}`}` };
    }
    const expiresInS = typeof json?.expires_in === 'number' ? json.expires_in : 3600;
    tokens.set(key, { token, expiresAt: now() + expiresInS * 1000 - TOKEN_EXPIRY_MARGIN_MS });
    return token;
  }

  async function sendOnce(push: { id: string; url: string; auth: PushAuth; body: string; action?: PushAction }): Promise<PushOutcome> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf8', 'user-agent': 'Frontdesk-DataPush/1', 'x-tccc-push-uuid': push.id };
    if (push.auth.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${push.auth.username}:${push.auth.password}`).toString('base64')}`;
    if (push.auth.kind === 'oauth2') {
      const token = await tokenFor(push.auth);
      if (typeof token !== 'string') return { accepted: false, statusCode: null, errCode: null, error: token.error, latencyMs: 0 };
      headers.authorization = `Bearer ${token}`;
    }
    return outcomeOf(await client.send({ url: pushUrlOf(push.url, push.action), headers, body: push.body }, now()));
  }

  return {
    async send(push: { id: string; url: string; auth: PushAuth; body: string; action?: PushAction }): Promise<PushOutcome> {
      const outcome = await sendOnce(push);
      if (outcome.statusCode === 401 && push.auth.kind === 'oauth2') {
        tokens.delete(`${push.auth.tokenUrl}\n${push.auth.clientId}`);
        return sendOnce(push);
      }
      return outcome;
    },
  };
}

export type PushSender = ReturnType<typeof createPushSender>;
