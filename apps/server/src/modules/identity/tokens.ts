import { SignJWT, jwtVerify } from 'jose';
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
 * HS256 session tokens (jose). The signing secret comes from FRONTDESK_JWT_SECRET, or is
 * generated once and kept in the database so every node of a deployment shares it.
 */
export async function createTokenSigner({ storage, clock, configuredSecret }: { storage: Storage; clock: Clock; configuredSecret?: string | undefined }) {
  const secret = new TextEncoder().encode(configuredSecret ?? (await storedSecret(storage)));
  // NOTE: imported once: given the bytes, jose imports a key for every token (a third of a verify,
  // which every socket's hello does).
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
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
        .sign(key);
      return { token, expiresAt };
    },

    async verify(token: string): Promise<TokenClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer,
          algorithms: ['HS256'],
          currentDate: new Date(clock.now()),
          // A token that never expires is not one we issued: refused even when its signature holds.
          requiredClaims: ['exp', 'iat', 'sub'],
        });
        const kind = payload.kind;
        if ((kind !== 'agent' && kind !== 'visitor') || typeof payload.app !== 'string' || !payload.sub) throw new Error('bad claims');
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
