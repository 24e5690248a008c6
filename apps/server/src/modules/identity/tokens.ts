import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Clock } from '../../platform/clock.ts';
import { createSecretBox, createUrlSigner } from '../../platform/crypto/index.ts';
import { newSecret } from '../../platform/ids.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { IdentityError } from './identity.errors.ts';

export const AGENT_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
export const VISITOR_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type TokenClaims =
  /** `sessionId` (claim `sid`): the agent session row, checked on every use (agent-sessions.ts); every agent token has one. */
  | { kind: 'agent'; appId: string; subject: string; sessionId: string }
  /** `generation` (claim `gen`, 0 when absent): the visitor's token generation; a kick moves it on, revoking older tokens. */
  | { kind: 'visitor'; appId: string; subject: string; generation: number };

/**
 * HS256 session tokens, signed by jose and verified by `verifyHs256`. The signing secret comes from
 * FRONTDESK_JWT_SECRET, or is generated once and kept in the database so every node of a deployment
 * shares it.
 */
export async function createTokenSigner({ storage, clock, configuredSecret }: { storage: Storage; clock: Clock; configuredSecret?: string | undefined }) {
  const secret = new TextEncoder().encode(configuredSecret ?? (await storedSecret(storage)));
  const issuer = 'frontdesk';

  return {
    /** A secret box keyed from the token secret for one purpose (secrets other modules keep encrypted). */
    secretBox: (purpose: string) => createSecretBox(secret, purpose),
    /** A signer of URLs that work without a token until they expire, keyed from the token secret for one purpose. */
    urlSigner: (purpose: string) => createUrlSigner(secret, purpose),

    async sign(claims: TokenClaims, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
      const nowS = Math.floor(clock.now() / 1000);
      const expiresAt = (nowS + Math.floor(ttlMs / 1000)) * 1000;
      const extra = claims.kind === 'agent' ? { sid: claims.sessionId } : claims.generation > 0 ? { gen: claims.generation } : {};
      const token = await new SignJWT({ kind: claims.kind, app: claims.appId, ...extra })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.subject)
        .setIssuer(issuer)
        .setIssuedAt(nowS)
        .setExpirationTime(expiresAt / 1000)
        .sign(secret);
      return { token, expiresAt };
    },

    async verify(token: string): Promise<TokenClaims> {
      try {
        const payload = verifyHs256(token, secret, issuer, Math.floor(clock.now() / 1000));
        const kind = payload.kind;
        if ((kind !== 'agent' && kind !== 'visitor') || typeof payload.app !== 'string') throw new Error('bad claims');
        if (kind === 'agent') {
          // Every agent login is a session row (kicks and replacements act on it): no sid, no agent.
          if (typeof payload.sid !== 'string' || payload.sid === '') throw new Error('agent token without a session');
          return { kind, appId: payload.app, subject: payload.sub, sessionId: payload.sid };
        }
        const generation = payload.gen === undefined ? 0 : payload.gen;
        if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0) throw new Error('bad generation');
        return { kind, appId: payload.app, subject: payload.sub, generation };
      } catch {
        throw new IdentityError('FD_AUTH_TOKEN_INVALID', 'token is invalid or expired');
      }
    },
  };
}

export type TokenSigner = Awaited<ReturnType<typeof createTokenSigner>>;

/**
 * Verifies a compact HS256 token as jose's `jwtVerify` does with our options (algorithm HS256
 * only, no `crit` header, issuer, `exp`, `iat` and `sub` required, `nbf` honoured, no clock
 * tolerance) and returns its claims; throws on anything else.
 * NOTE: by hand, because jose verifies through WebCrypto: an asynchronous job on the thread pool
 * for each token, 13 % of the server's time when 19,900 sockets say hello (bench/realtime). Here it
 * is one synchronous HMAC (jose still decodes the parts); the signature is compared as text in
 * constant time, so a token is accepted in one spelling only. Its length is the scheme's (43
 * characters), not a secret: a signature of another length is refused before the comparison,
 * which `timingSafeEqual` then makes on equal lengths (no HMACs of both sides as
 * `constantTimeEqual` makes for secrets whose length must not show: two more per hello).
 */
export function verifyHs256(token: string, secret: Uint8Array, issuer: string, nowS: number): Record<string, unknown> & { sub: string } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact token');
  const [header, body, signature] = parts as [string, string, string];
  const expected = Buffer.from(createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
  const protectedHeader = decodeProtectedHeader(token);
  if (protectedHeader.alg !== 'HS256' || 'crit' in protectedHeader) throw new Error('unsupported header');
  const claims = decodeJwt(token);
  if (claims.iss !== issuer) throw new Error('wrong issuer');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new Error('no subject');
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new Error('no iat or exp');
  if (claims.exp <= nowS) throw new Error('expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowS)) throw new Error('not yet valid');
  return claims as Record<string, unknown> & { sub: string };
}

async function storedSecret(storage: Storage): Promise<string> {
  const key = 'jwt_secret';
  const candidate = newSecret(48);
  try {
    await storage.db.insertInto('server_settings').values({ key, value: candidate }).execute();
  } catch (err) {
    if (!storage.isUniqueViolation(err)) throw err;
  }
  const row = await storage.db.selectFrom('server_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
