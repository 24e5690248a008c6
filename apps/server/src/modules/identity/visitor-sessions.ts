import { IdentityMode, type ChannelIdentity, type Visitor, type VisitorIdentity } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { IdentityError } from './identity.errors.ts';
import { createThirdPartyUsers } from './third-party-users.ts';
import { createTokenValidator, TOKEN_VALIDATE_TIMEOUT_MS } from './token-validator.ts';
import { VISITOR_TOKEN_TTL_MS, type TokenSigner } from './tokens.ts';
import { createUsedSignatures } from './used-signatures.ts';
import { createVisitorIdentityVerifier, type VerifiedVisitor } from './visitor-identity.ts';

export function toVisitor(row: Database['visitors']): Visitor {
  return { id: row.id, appId: row.app_id, name: row.name, externalId: row.external_id, identityMode: IdentityMode.parse(row.identity_mode), createdAt: row.created_at };
}

/** What visitor sessions need beyond the identity module's own storage, clock and tokens. */
export interface VisitorSessionDeps {
  log: Logger;
  /** The channel a visitor session is for (the default one when undefined) and its identity settings (channels module). */
  channelOf: (appId: string, channelId: string | undefined) => Promise<{ id: string; identity: ChannelIdentity }>;
  identitySecretOf: (appId: string, channelId: string) => Promise<string>;
  /** The SSRF policy of outbound requests (token-mode validate URLs), shared with webhooks. */
  targetPolicy: { allowPrivateTargets: boolean; allowedTargets: readonly string[] };
  /** How long a validate endpoint may take; at most TOKEN_VALIDATE_TIMEOUT_MS. */
  tokenValidateTimeoutMs?: number | undefined;
  /** VTC third-party users an app may register. */
  maxThirdPartyUsersPerApp: number;
}

/**
 * Visitor sessions (`POST /v1/visitor/session`) under the channel's identity mode, and VTC
 * third-party users. An anonymous visitor comes back with a still-valid token of the same app;
 * an identified visitor is the app's one visitor with that external id (unique index), whatever
 * browser or token it comes with: a token never selects an identified visitor.
 */
export function createVisitorSessions(deps: VisitorSessionDeps & { storage: Storage; clock: Clock; tokens: TokenSigner; tenancy: TenancyService; publicUrl: string }) {
  const { storage, clock, tokens, tenancy, publicUrl } = deps;
  const { db } = storage;
  const tokenValidator = createTokenValidator({
    policy: deps.targetPolicy,
    timeoutMs: Math.min(deps.tokenValidateTimeoutMs ?? TOKEN_VALIDATE_TIMEOUT_MS, TOKEN_VALIDATE_TIMEOUT_MS),
  });
  const thirdPartyUsers = createThirdPartyUsers({ storage, clock, maxUsersPerApp: deps.maxThirdPartyUsersPerApp });
  const verifier = createVisitorIdentityVerifier({
    clock,
    log: deps.log,
    channelOf: deps.channelOf,
    identitySecretOf: deps.identitySecretOf,
    usedSignatures: createUsedSignatures({ storage }),
    tokenValidator,
    thirdPartyUsers,
  });

  /** The app's visitor with this external id, created on first sight (once, under any concurrency); name and mode kept current. */
  async function identifiedVisitor(appId: string, verified: Exclude<VerifiedVisitor, { mode: 'anonymous' }>, fallbackName: string | undefined): Promise<Database['visitors']> {
    const find = () => db.selectFrom('visitors').selectAll().where('app_id', '=', appId).where('external_id', '=', verified.externalId).executeTakeFirst();
    let row = await find();
    if (!row) {
      const fresh: Database['visitors'] = {
        id: newId('vis'),
        app_id: appId,
        name: verified.name ?? fallbackName ?? verified.externalId,
        created_at: clock.now(),
        external_id: verified.externalId,
        identity_mode: verified.mode,
        token_generation: 0,
        login_ip: null,
        login_at: null,
      };
      try {
        await db.insertInto('visitors').values(fresh).execute();
        return fresh;
      } catch (err) {
        if (!storage.isUniqueViolation(err)) throw err;
        row = await find();
        if (!row) throw err;
      }
    }
    const values: Partial<Database['visitors']> = {};
    if (verified.name !== undefined && verified.name !== row.name) values.name = verified.name;
    if (verified.mode !== row.identity_mode) values.identity_mode = verified.mode;
    if (Object.keys(values).length === 0) return row;
    await db.updateTable('visitors').set(values).where('app_id', '=', appId).where('id', '=', row.id).execute();
    return { ...row, ...values };
  }

  /** A new anonymous visitor; `login`: it signs in now, from `ip` (a channel's user has no session). */
  async function insertAnonymousVisitor(appId: string, name: string, login?: { ip: string | undefined }): Promise<Database['visitors']> {
    const now = clock.now();
    const row: Database['visitors'] = {
      id: newId('vis'),
      app_id: appId,
      name,
      created_at: now,
      external_id: null,
      identity_mode: 'anonymous',
      token_generation: 0,
      login_ip: login?.ip ?? null,
      login_at: login ? now : null,
    };
    await db.insertInto('visitors').values(row).execute();
    return row;
  }

  /** Signs the session's token (of the visitor's current token generation) and records where it signed in from (`recorded`: a new row already says it). */
  async function sessionFor(appId: string, row: Database['visitors'], loginIp: string | undefined, recorded = false) {
    if (!recorded) await db.updateTable('visitors').set({ login_ip: loginIp ?? null, login_at: clock.now() }).where('app_id', '=', appId).where('id', '=', row.id).execute();
    const token = await tokens.sign({ kind: 'visitor', appId, subject: row.id, generation: row.token_generation }, VISITOR_TOKEN_TTL_MS);
    return { ...token, visitor: toVisitor(row) };
  }

  return {
    /**
     * A session of an existing visitor, for a device the visitor proved to hold by other means (a
     * co-browse code the agent read out, entered in the browser extension). Undefined: no such visitor.
     */
    async sessionForVisitor(appId: string, visitorId: string) {
      const row = await db.selectFrom('visitors').selectAll().where('app_id', '=', appId).where('id', '=', visitorId).executeTakeFirst();
      return row && sessionFor(appId, row, undefined, true);
    },
    /**
     * A new visitor for a messaging channel's user (a WhatsApp number, a PSID, a Telegram chat, a
     * Viber id): the channels module keeps which user it is; no session, no token.
     */
    async createChannelVisitor(appId: string, name: string): Promise<string> {
      return (await insertAnonymousVisitor(appId, name.slice(0, 200) || 'Visitor')).id;
    },

    /** A visitor session for the channel's identity mode; the identity is verified first. `ip`: where it comes from. */
    async startVisitorSession(
      appId: string,
      input: { name?: string | undefined; token?: string | undefined; origin?: string | undefined; channelId?: string | undefined; identity?: VisitorIdentity | undefined; ip?: string | undefined },
    ) {
      const app = await tenancy.getApp(appId);
      if (!tenancy.isOriginAllowed(app, input.origin, publicUrl)) {
        throw new IdentityError('FD_AUTH_ORIGIN_NOT_ALLOWED', `origin ${input.origin} is not allowed for this app`);
      }
      const verified = await verifier.verify(appId, input.channelId, input.identity);
      if (verified.mode !== 'anonymous') return sessionFor(appId, await identifiedVisitor(appId, verified, input.name), input.ip);
      if (input.token) {
        const claims = await tokens.verify(input.token).catch(() => undefined);
        const row =
          claims?.kind === 'visitor' && claims.appId === appId
            ? await db.selectFrom('visitors').selectAll().where('app_id', '=', appId).where('id', '=', claims.subject).executeTakeFirst()
            : undefined;
        // A revoked token (the visitor was kicked) does not resume: it is a new visitor.
        if (row && claims?.kind === 'visitor' && claims.generation === row.token_generation) return sessionFor(appId, row, input.ip);
      }
      return sessionFor(appId, await insertAnonymousVisitor(appId, input.name ?? 'Visitor', { ip: input.ip }), input.ip, true);
    },

    /** VTC third-party users (SPEC M2), for the compat module's VTC surface. */
    thirdPartyUsers,

    /** A session for a VTC user whose password was just checked (VTC `thirdPartyLogin.do`). */
    async startThirdPartySession(appId: string, thirdPartyId: string, ip?: string) {
      return sessionFor(appId, await identifiedVisitor(appId, { mode: 'vtc', externalId: thirdPartyId, name: undefined }, undefined), ip);
    },

    /** Closes the validate endpoints' connections. */
    closeVisitorSessions(): void {
      tokenValidator.close();
    },
  };
}
