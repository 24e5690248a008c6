import { constantTimeEqual, hmacSha256Hex } from '../../platform/crypto/index.ts';

/**
 * The HMAC user hash of SPEC M5 (what Intercom and Chatwoot call identity verification): the
 * business server computes hex(HMAC-SHA256(key = the channel's identity secret, userId)) and the
 * page passes it with the user id. Keys and messages are UTF-8.
 */
export function userHashOf(secret: string, userId: string): string {
  return hmacSha256Hex(secret, userId);
}

/** Compared in constant time; upper-case hex is accepted. */
export function isUserHashValid(secret: string, userId: string, userHash: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(userHash)) return false;
  return constantTimeEqual(userHashOf(secret, userId), userHash.toLowerCase());
}
