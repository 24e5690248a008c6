import { randomBytes, randomFillSync } from 'node:crypto';

export type TokenEncoding = 'base64url' | 'base64' | 'hex';

/** `bytes` bytes from the CSPRNG, encoded: secrets, ids, nonces. base64url by default (URL- and header-safe). */
export function randomToken(bytes: number, encoding: TokenEncoding = 'base64url'): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`a token needs a whole, positive number of bytes (got ${bytes})`);
  return randomBytes(bytes).toString(encoding);
}

/** CSPRNG bytes drawn ahead for ids (what crypto.randomUUID does for its own). */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * Like `randomToken(bytes)` in base64url, from a pool of CSPRNG bytes refilled 4 KiB at a time:
 * for ids, made several times per message. NOTE: one call into the CSPRNG per few hundred ids
 * instead of one per id (about 2 % of a channel message's server CPU). Secrets keep `randomToken`.
 */
export function pooledRandomToken(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_BYTES) throw new RangeError(`a pooled token needs a whole number of bytes from 1 to ${POOL_BYTES} (got ${bytes})`);
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of A–Z a–z 0–9 from the CSPRNG, uniformly (rejection sampling: 62 does not divide 256). */
export function randomAlphanumeric(length: number): string {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`a token needs a whole, positive length (got ${length})`);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte >= 248) continue; // 248 = 4 × 62: above it the draw would favour the first letters
      out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
