import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BytesLike } from './digests.ts';

/** A key of this process only: what an attacker sends cannot be chosen to collide under it. */
const COMPARE_KEY = randomBytes(32);

const macOf = (value: BytesLike) => createHmac('sha256', COMPARE_KEY).update(typeof value === 'string' ? Buffer.from(value, 'utf8') : value).digest();

/**
 * Whether two secrets (signatures, hashes, tokens) are equal, in time that does not depend on
 * where they first differ nor on whether their lengths differ.
 *
 * NOTE: `timingSafeEqual` throws on inputs of different lengths, so callers used to return early
 * on a length mismatch, which tells an attacker the expected length. Here both sides are first
 * reduced to an HMAC under a random per-process key (32 bytes each, whatever their length), those
 * are compared with `timingSafeEqual`, and the lengths are compared without short-circuiting.
 * The only timing left is hashing each input, which is linear in its length: the attacker knows
 * the length of what it sent, and the expected value's length is fixed by the scheme.
 */
export function constantTimeEqual(a: BytesLike, b: BytesLike): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  const sameMac = timingSafeEqual(macOf(left), macOf(right));
  const sameLength = left.byteLength === right.byteLength;
  return sameMac && sameLength;
}
