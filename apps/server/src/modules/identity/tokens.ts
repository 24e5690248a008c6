import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../../platform/clock.ts';
import { newSecret } from '../../platform/ids.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { IdentityError } from './identity.errors.ts';

export const AGENT_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
export const VISITOR_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type TokenClaims =
  /** `sessionId` (claim `sid`): the agent session row, checked on every use (agent-sessions.ts). */
  | { kind: 'agent'; appId: string; subject: string; sessionId?: string }
  | { kind: 'visitor'; appId: string; subject: string };

/**
 * HS256 session tokens (jose). The signing secret comes from FRONTDESK_JWT_SECRET, or is
 * generated once and kept in the database so every node of a deployment shares it.
 */
export async function createTokenSigner({ storage, clock, configuredSecret }: { storage: Storage; clock: Clock; configuredSecret?: string | undefined }) {
  const secret = new TextEncoder().encode(configuredSecret ?? (await storedSecret(storage)));
  const issuer = 'frontdesk';

  return {
    async sign(claims: TokenClaims, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
      const nowS = Math.floor(clock.now() / 1000);
      const expiresAt = (nowS + Math.floor(ttlMs / 1000)) * 1000;
      const token = await new SignJWT({ kind: claims.kind, app: claims.appId, ...(claims.kind === 'agent' && claims.sessionId ? { sid: claims.sessionId } : {}) })
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
        const { payload } = await jwtVerify(token, secret, {
          issuer,
          algorithms: ['HS256'],
          currentDate: new Date(clock.now()),
        });
        const kind = payload.kind;
        if ((kind !== 'agent' && kind !== 'visitor') || typeof payload.app !== 'string' || !payload.sub) throw new Error('bad claims');
        if (kind === 'agent' && typeof payload.sid === 'string') return { kind, appId: payload.app, subject: payload.sub, sessionId: payload.sid };
        return { kind, appId: payload.app, subject: payload.sub };
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
