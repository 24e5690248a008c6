import { randomBytes } from 'node:crypto';

export type TokenEncoding = 'base64url' | 'base64' | 'hex';

/** `bytes` bytes from the CSPRNG, encoded: secrets, ids, nonces. base64url by default (URL- and header-safe). */
export function randomToken(bytes: number, encoding: TokenEncoding = 'base64url'): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`a token needs a whole, positive number of bytes (got ${bytes})`);
  return randomBytes(bytes).toString(encoding);
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
