import type { IceServer } from '@frontdesk/protocol';
import { hmacSha1Base64 } from '../../platform/crypto/index.ts';

export interface TurnSettings {
  /** `turn:` / `turns:` / `stun:` URLs handed to clients (FRONTDESK_TURN_URLS). */
  urls: readonly string[];
  /** coturn's `static-auth-secret` (`use-auth-secret`, FRONTDESK_TURN_SECRET); without it the URLs go as they are. */
  secret?: string | undefined;
  /** How long the credentials work. */
  ttlSeconds: number;
}

/**
 * The ICE servers a participant uses for one call. With a TURN secret, credentials are coturn's
 * time-limited REST ones (`use-auth-secret`): username `<expiry>:<user>`, password
 * base64(HMAC-SHA1(secret, username)), so nothing is stored and they stop working by themselves.
 * NOTE: `userId` must hold no ':' (coturn reads the expiry up to the last one).
 * Without TURN, none: browsers connect to the media server's host candidates (one host or a LAN).
 */
export function iceServersFor(turn: TurnSettings | undefined, userId: string, nowMs: number): IceServer[] {
  if (!turn || turn.urls.length === 0) return [];
  if (userId.includes(':')) throw new Error('a TURN user id holds no colon');
  if (!turn.secret) return [{ urls: [...turn.urls] }];
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSeconds}:${userId}`;
  return [{ urls: [...turn.urls], username, credential: hmacSha1Base64(turn.secret, username) }];
}
