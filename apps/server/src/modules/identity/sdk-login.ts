import { sha256Hex } from '../../platform/crypto/index.ts';
import { CreateSdkLoginBody, CreateSdkLoginReply, IdParams, SDK_LOGIN_TTL_MS, SdkLoginExchangeBody, SdkLoginExchangeReply } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newSecret } from '../../platform/ids.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { IdentityError } from './identity.errors.ts';
import type { IdentityService } from './identity.service.ts';
import { SDK_LOGIN_SCRIPT } from './sdk-login.script.ts';

const TOKEN_PREFIX = 'fdsl_';

/**
 * SDK login (SPEC M6, TCCC `CreateSDKLoginToken`): the business backend (API key or admin) gets a
 * single-use URL for one agent, valid 10 minutes on the injected clock. Loading
 * `/sdk/login.js?token=…` in the business's CRM page exchanges the token for an agent session
 * (`POST /v1/auth/sdk-login`) and mounts the workbench. Only the token's SHA-256 is stored; the
 * exchange consumes it with one conditional UPDATE, so exactly one caller wins, on any node.
 */
export function createSdkLogin(deps: { storage: Storage; clock: Clock; identity: IdentityService; publicUrl: string }) {
  const { storage, clock, identity, publicUrl } = deps;
  const { db } = storage;

  return {
    async create(appId: string, agentId: string, options: { target?: string | undefined } = {}): Promise<CreateSdkLoginReply> {
      const agent = await identity.getAgent(appId, agentId);
      if (agent.disabled) throw new IdentityError('FD_AGENT_DISABLED', 'this agent account is disabled');
      const now = clock.now();
      const token = `${TOKEN_PREFIX}${newSecret(32)}`;
      const expiresAt = now + SDK_LOGIN_TTL_MS;
      await db.insertInto('sdk_login_tokens').values({ token_hash: hashOf(token), app_id: appId, agent_id: agentId, created_at: now, expires_at: expiresAt, used_at: null }).execute();
      // Housekeeping: tokens past their life for a day are of no use to anyone.
      await db.deleteFrom('sdk_login_tokens').where('expires_at', '<', now - 24 * 60 * 60 * 1000).execute();
      const url = new URL('/sdk/login.js', publicUrl);
      url.searchParams.set('token', token);
      if (options.target) url.searchParams.set('target', options.target);
      return { url: url.toString(), token, expiresAt };
    },

    /**
     * Consumes the token (once, before it expires, of `appId` when given) and signs the agent in,
     * replacing the agent's other sessions unless they share `deviceId`.
     */
    async exchange(input: { token: string; appId?: string | undefined; deviceId?: string | undefined; ip?: string | undefined }) {
      const invalid = new IdentityError('FD_AUTH_SDK_LOGIN_TOKEN_INVALID', 'the login link is invalid, expired or already used');
      if (!input.token.startsWith(TOKEN_PREFIX)) throw invalid;
      // NOTE: the token is looked up by its SHA-256, never compared as a string: timing reveals
      // nothing about the token, and the database never holds a usable one.
      const tokenHash = hashOf(input.token);
      const now = clock.now();
      let consume = db.updateTable('sdk_login_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', now);
      if (input.appId !== undefined) consume = consume.where('app_id', '=', input.appId);
      const { numUpdatedRows } = await consume.executeTakeFirst();
      if (numUpdatedRows !== 1n) throw invalid;
      const row = await db.selectFrom('sdk_login_tokens').select(['app_id', 'agent_id']).where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
      return identity.signInAgentById(row.app_id, row.agent_id, input.deviceId, input.ip);
    },
  };
}

export type SdkLogin = ReturnType<typeof createSdkLogin>;

function hashOf(token: string): string {
  return sha256Hex(token);
}

export function registerSdkLoginRoutes(http: HttpServer, { sdkLogin, auth }: { sdkLogin: SdkLogin; auth: AuthHooks }) {
  const tags = ['identity'];

  http.post(
    '/v1/agents/:id/sdk-login',
    {
      preHandler: auth.staff('admin'),
      schema: {
        tags,
        summary: 'Server API (API key or admin): a single-use SDK login URL for an agent, valid 10 minutes (TCCC CreateSDKLoginToken)',
        params: IdParams,
        body: CreateSdkLoginBody,
        response: { 201: CreateSdkLoginReply },
      },
    },
    async (request, reply) => reply.code(201).send(await sdkLogin.create(principalOf(request).appId, request.params.id, request.body ?? {})),
  );

  // Called by login.js from the business's CRM page, another origin: CORS for /v1 is platform/http/cors.ts.
  http.post(
    '/v1/auth/sdk-login',
    {
      // Guessing a 256-bit token is hopeless; the limit keeps the endpoint cheap under abuse.
      config: { rateLimit: { max: 30, timeWindow: 60_000, hook: 'preHandler' } },
      schema: { tags, summary: 'Exchange a single-use SDK login token for an agent session', security: [], body: SdkLoginExchangeBody, response: { 200: SdkLoginExchangeReply } },
    },
    (request) => sdkLogin.exchange({ ...request.body, ip: request.ip }),
  );

  // The script reads its token from its own URL in the browser: this GET consumes nothing, so a
  // prefetch or a link preview cannot burn the token, and the response is the same for everyone.
  http.get('/sdk/login.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(SDK_LOGIN_SCRIPT),
  );
}
