/**
 * The one place the server's signature schemes get their primitives: HMAC-SHA256, MD5 and SHA-256
 * digests, the constant-time comparison, random tokens, and the secret box (AES-256-GCM) that keeps
 * secrets encrypted in the database. The schemes themselves (webhooks,
 * AnyChat, VTC, auth-v2, the HMAC user hash) stay pure functions in their modules, built on these.
 */
export { hmacSha1Base64, hmacSha256Base64, hmacSha256Hex, md5Hex, sha256Hex, type BytesLike } from './digests.ts';
export { constantTimeEqual } from './constant-time-equal.ts';
export { pooledRandomToken, randomAlphanumeric, randomToken, type TokenEncoding } from './random-token.ts';
export { createSecretBox, isSealed, type SecretBox } from './secret-box.ts';
export { createUrlSigner, type UrlSigner } from './signed-url.ts';
