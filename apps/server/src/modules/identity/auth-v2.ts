import { constantTimeEqual, hmacSha256Hex } from '../../platform/crypto/index.ts';

/**
 * The `auth-v2` request signature of Huawei CEC's web chat widget (seed 002 §2.5.1, SPEC M4), as
 * a pure function: data in, a verdict out. The business server signs; Frontdesk verifies with the
 * channel's identity secret. Step by step, as the seed specifies:
 *
 * 1. SignedHeaders: the signed headers' names, lower-cased, sorted, joined with ";"
 *    (`content-length;content-type`).
 * 2. authStringPrefix = `auth-v2/{accessKey}/{timestamp}/{SignedHeaders}`: accessKey is the
 *    channel id (Huawei's channelConfigId); timestamp is `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (UTC).
 * 3. signingKey = hex(HMAC-SHA256(key = secret, authStringPrefix)).
 * 4. CanonicalHeaders: one record `normalize(lower-case name):normalize(trimmed value)` per signed
 *    header, the records sorted, joined with "\n".
 * 5. canonicalRequest = HttpMethod "\n" HttpURI "\n" SignedHeaders "\n" CanonicalHeaders "\n"
 *    normalize(body) (nothing after the last "\n" when the body is empty).
 * 6. signature = hex(HMAC-SHA256(key = signingKey, canonicalRequest)); the key is the hex text.
 * 7. Authorization = `{authStringPrefix}/{signature}`.
 *
 * `normalize` percent-encodes every UTF-8 byte except A–Z a–z 0–9 - . _ ~ as %XX (upper-case hex).
 * Frontdesk's request is `POST /v1/visitor/session`; the signed headers are Content-Length (bytes of
 * the UTF-8 body) and Content-Type `application/json;charset=UTF-8`, whatever the widget really sends.
 */
export const AUTH_V2_VERSION = 'auth-v2';
export const AUTH_V2_METHOD = 'POST';
export const AUTH_V2_URI = '/v1/visitor/session';
export const AUTH_V2_CONTENT_TYPE = 'application/json;charset=UTF-8';
/** A signature is accepted within 5 minutes either side of the server's time, once. */
export const AUTH_V2_MAX_SKEW_MS = 5 * 60 * 1000;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
  );
}

/** PathUtils.normalize of the seed: RFC 3986 unreserved bytes kept, every other UTF-8 byte as %XX. */
export function normalize(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** SignerUtils.sha256Hex of the seed: lower-case hex of HMAC-SHA256 with the UTF-8 bytes of `key`. */
export function sha256Hex(key: string, toSign: string): string {
  return hmacSha256Hex(key, toSign);
}

export function signedHeadersOf(headers: Readonly<Record<string, string>>): string {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort()
    .join(';');
}

export function canonicalHeadersOf(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${normalize(name.toLowerCase())}:${normalize(value.trim())}`)
    .sort()
    .join('\n');
}

export function canonicalRequestOf(input: { method: string; uri: string; headers: Readonly<Record<string, string>>; body: string }): string {
  const uri = input.uri.startsWith('/') ? input.uri : `/${input.uri}`;
  const payload = input.body === '' ? '' : normalize(input.body);
  return `${input.method.toUpperCase()}\n${uri}\n${signedHeadersOf(input.headers)}\n${canonicalHeadersOf(input.headers)}\n${payload}`;
}

/** The headers Frontdesk signs and verifies for a body. */
export function authV2HeadersOf(body: string): Record<string, string> {
  return { 'Content-Length': String(Buffer.byteLength(body, 'utf8')), 'Content-Type': AUTH_V2_CONTENT_TYPE };
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` in UTC (what `Date#toISOString` gives for years 0–9999). */
export function formatAuthV2Timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function parseAuthV2Timestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  // Rejects dates that roll over (2026-02-30 → March).
  return formatAuthV2Timestamp(ms) === text ? ms : undefined;
}

export interface AuthV2SignInput {
  secret: string;
  /** The accessKey: the channel id. */
  channelId: string;
  timestamp: string;
  body: string;
  method?: string;
  uri?: string;
  headers?: Readonly<Record<string, string>>;
}

/** What the business server computes: the Authorization value for `body`. */
export function signAuthV2(input: AuthV2SignInput): string {
  const headers = input.headers ?? authV2HeadersOf(input.body);
  const prefix = `${AUTH_V2_VERSION}/${input.channelId}/${input.timestamp}/${signedHeadersOf(headers)}`;
  const signingKey = sha256Hex(input.secret, prefix);
  const canonicalRequest = canonicalRequestOf({ method: input.method ?? AUTH_V2_METHOD, uri: input.uri ?? AUTH_V2_URI, headers, body: input.body });
  return `${prefix}/${sha256Hex(signingKey, canonicalRequest)}`;
}

export interface ParsedAuthorization {
  channelId: string;
  timestamp: string;
  timestampMs: number;
  signedHeaders: string;
  signature: string;
}

/** Splits `auth-v2/{channelId}/{timestamp}/{signedHeaders}/{signature}`; undefined when malformed. */
export function parseAuthorization(authorization: string): ParsedAuthorization | undefined {
  const parts = authorization.trim().split('/');
  if (parts.length !== 5) return undefined;
  const [version, channelId, timestamp, signedHeaders, signature] = parts as [string, string, string, string, string];
  if (version !== AUTH_V2_VERSION || channelId === '' || !SIGNATURE.test(signature)) return undefined;
  const timestampMs = parseAuthV2Timestamp(timestamp);
  if (timestampMs === undefined) return undefined;
  return { channelId, timestamp, timestampMs, signedHeaders, signature };
}

export type AuthV2Verdict =
  | { ok: true; signature: string; timestampMs: number }
  | { ok: false; reason: 'malformed' | 'wrong-channel' | 'expired' | 'bad-signature'; message: string };

/**
 * Verifies an Authorization for `body` sent to channel `channelId`. The signature is compared in
 * constant time. It does not remember signatures: the caller refuses one seen before.
 */
export function verifyAuthV2(input: { authorization: string; secret: string; channelId: string; body: string; nowMs: number }): AuthV2Verdict {
  const parsed = parseAuthorization(input.authorization);
  if (!parsed) return { ok: false, reason: 'malformed', message: 'authorization is not auth-v2/{channelId}/{yyyy-MM-ddTHH:mm:ss.SSSZ}/{signedHeaders}/{signature}' };
  if (parsed.channelId !== input.channelId) return { ok: false, reason: 'wrong-channel', message: 'authorization was made for another channel' };
  const headers = authV2HeadersOf(input.body);
  if (parsed.signedHeaders !== signedHeadersOf(headers)) return { ok: false, reason: 'malformed', message: `signedHeaders must be ${signedHeadersOf(headers)}` };
  if (Math.abs(input.nowMs - parsed.timestampMs) > AUTH_V2_MAX_SKEW_MS) return { ok: false, reason: 'expired', message: 'timestamp is more than 5 minutes from server time' };
  const expected = signAuthV2({ secret: input.secret, channelId: input.channelId, timestamp: parsed.timestamp, body: input.body });
  const expectedSignature = expected.slice(expected.lastIndexOf('/') + 1);
  if (!constantTimeEqual(expectedSignature, parsed.signature)) {
    return { ok: false, reason: 'bad-signature', message: 'signature does not match' };
  }
  return { ok: true, signature: parsed.signature, timestampMs: parsed.timestampMs };
}
