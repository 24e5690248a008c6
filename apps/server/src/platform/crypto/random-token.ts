import { randomBytes } from 'node:crypto';

export type TokenEncoding = 'base64url' | 'base64' | 'hex';

/** `bytes` bytes from the CSPRNG, encoded: secrets, ids, nonces. base64url by default (URL- and header-safe). */
export function randomToken(bytes: number, encoding: TokenEncoding = 'base64url'): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`a token needs a whole, positive number of bytes (got ${bytes})`);
  return randomBytes(bytes).toString(encoding);
}
