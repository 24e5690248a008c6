import { createHash, createHmac } from 'node:crypto';

/**
 * The digests our signature schemes are made of. Strings are read as UTF-8 (every scheme we
 * implement, ours and the vendors', signs UTF-8 text); bytes are used as they are.
 */
export type BytesLike = string | Uint8Array;

const bytesOf = (value: BytesLike): Buffer => (typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength));

/** Lower-case hex of HMAC-SHA256(key, message). */
export function hmacSha256Hex(key: BytesLike, message: BytesLike): string {
  return createHmac('sha256', bytesOf(key)).update(bytesOf(message)).digest('hex');
}

/** Standard base64 (with padding) of HMAC-SHA256(key, message). */
export function hmacSha256Base64(key: BytesLike, message: BytesLike): string {
  return createHmac('sha256', bytesOf(key)).update(bytesOf(message)).digest('base64');
}

/** Standard base64 of HMAC-SHA1(key, message). NOTE: only for coturn's TURN REST credentials, which prescribe it. */
export function hmacSha1Base64(key: BytesLike, message: BytesLike): string {
  return createHmac('sha1', bytesOf(key)).update(bytesOf(message)).digest('base64');
}

/**
 * Lower-case hex of MD5(data). NOTE: only for vendor schemes that prescribe it (AnyChat, VTC);
 * MD5 is broken as a signature, never choose it for something of ours.
 */
export function md5Hex(data: BytesLike): string {
  return createHash('md5').update(bytesOf(data)).digest('hex');
}

/** Lower-case hex of SHA-256(data): what we store of API keys and single-use tokens. */
export function sha256Hex(data: BytesLike): string {
  return createHash('sha256').update(bytesOf(data)).digest('hex');
}
