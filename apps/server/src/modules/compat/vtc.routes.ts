import { ExternalUserId, Id, illFormedTextPath } from '@frontdesk/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { IdentityService, LoginThrottle } from '../identity/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { createVtcManageLimiter } from './vtc.rate-limit.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { isVtcRequestAuthentic } from './vtc-signature.ts';

/**
 * The VTC third-party user API (seed 000 §3.1, SPEC M2) under `/vtc/`, translated onto the
 * identity module's third-party users. GET or POST, parameters in the query or a form-urlencoded
 * (or JSON) body; every answer is HTTP 200 JSON `{ "result": … }` (manage adds `sysTimeStamp`).
 * A VTC user signs in as the app's visitor with external id = its thirdPartyId (mode `vtc`).
 */
export const VTC_RESULTS = ['OK', 'Exceed', 'IdNotFound', 'NotAuthenticate', 'Busy', 'NotFound', 'Error'] as const;
export type VtcResult = (typeof VTC_RESULTS)[number];

/** The session cookie `thirdPartyLogin.do` sets; `updateDeviceid.do` and `logout.do` read it (or a bearer token). */
export const VTC_SESSION_COOKIE = 'fd_vtc_session';

const Password = z.string().min(1).max(256);
const AuthParams = z.object({ appId: Id, timestamp: z.string().max(20), secret: z.string().max(64) });
const Credentials = z.object({ appId: Id, thirdPartyId: ExternalUserId, password: Password });
const ManageParams = z.object({
  action: z.enum(['add', 'mod', 'del', 'opt']),
  thirdPartyId: ExternalUserId.optional(),
  password: Password.optional(),
  newId: ExternalUserId.optional(),
});
const DeviceParams = z.object({ 'user.deviceId': z.string().min(1).max(200).optional(), token: z.string().max(4096).optional() });

type Params = Record<string, string>;

/** Query parameters, overridden by the body's (form-urlencoded, or a JSON object). Repeated names: the first. */
function paramsOf(request: FastifyRequest): Params {
  const params: Params = {};
  for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[name] = first;
  }
  const body = typeof request.body === 'string' ? request.body : '';
  if (body.trim() === '') return params;
  if ((request.headers['content-type'] ?? '').includes('json')) {
    try {
      const json: unknown = JSON.parse(body);
      if (typeof json === 'object' && json !== null) {
        for (const [name, value] of Object.entries(json)) if (typeof value === 'string' || typeof value === 'number') params[name] = String(value);
      }
    } catch {
      // Not JSON: the query parameters alone.
    }
    return params;
  }
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) continue;
    seen.add(name);
    params[name] = value;
  }
  return params;
}

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export interface VtcDeps {
  storage: Storage;
  clock: Clock;
  tenancy: Pick<TenancyService, 'appTokenOf'>;
  identity: Pick<IdentityService, 'thirdPartyUsers' | 'startThirdPartySession' | 'resolvePrincipal' | 'getVisitor'>;
  loginThrottle: Pick<LoginThrottle, 'check' | 'recordFailure'>;
}

export function registerVtcRoutes(http: HttpServer, deps: VtcDeps) {
  const { clock, tenancy, identity } = deps;
  const users = identity.thirdPartyUsers;
  const limiter = createVtcManageLimiter({ storage: deps.storage });

  async function isAuthentic(params: Params): Promise<{ appId: string } | undefined> {
    const auth = AuthParams.safeParse(params);
    if (!auth.success) return undefined;
    const appToken = await tenancy.appTokenOf(auth.data.appId);
    if (appToken === undefined) return undefined;
    return isVtcRequestAuthentic({ ...auth.data, appToken, nowMs: clock.now() }) ? { appId: auth.data.appId } : undefined;
  }

  /** ajx/thirdPartyRegister.do: OK | Exceed | NotAuthenticate | Error (id taken, bad parameters). */
  async function register(params: Params): Promise<Record<string, unknown>> {
    const auth = await isAuthentic(params);
    if (!auth) return { result: 'NotAuthenticate' };
    const input = Credentials.safeParse(params);
    if (!input.success) return { result: 'Error', reason: 'thirdPartyId and password are required' };
    const outcome = await users.register(auth.appId, input.data.thirdPartyId, input.data.password);
    if (outcome === 'exceed') return { result: 'Exceed' };
    return outcome === 'ok' ? { result: 'OK' } : { result: 'Error', reason: 'thirdPartyId exists' };
  }

  /** ajx/thirdPartyLogin.do: OK (with a session) | IdNotFound | NotAuthenticate (wrong password) | Error. */
  async function login(params: Params, request: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> {
    const input = Credentials.safeParse(params);
    if (!input.success) return { result: 'Error', reason: 'appId, thirdPartyId and password are required' };
    const { appId, thirdPartyId, password } = input.data;
    // Password spraying across users from one address: the agents' login throttle, shared.
    if (deps.loginThrottle.check(request.ip).isBlocked) return { result: 'Busy', reason: 'too many failed logins from this address, retry later' };
    const outcome = await users.verifyPassword(appId, thirdPartyId, password);
    if (outcome !== 'ok') deps.loginThrottle.recordFailure(request.ip);
    if (outcome === 'not-found') return { result: 'IdNotFound' };
    if (outcome === 'wrong-password') return { result: 'NotAuthenticate' };
    const session = await identity.startThirdPartySession(appId, thirdPartyId, request.ip);
    const maxAgeS = Math.max(0, Math.floor((session.expiresAt - clock.now()) / 1000));
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${VTC_SESSION_COOKIE}=${encodeURIComponent(session.token)}; Path=/vtc; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}${secure}`);
    return { result: 'OK', userId: session.visitor.id, thirdPartyId, token: session.token, expiresAt: session.expiresAt };
  }

  /** ajx/thirdPartyManage.do: OK | NotAuthenticate | Busy | Exceed | NotFound | Error, always with sysTimeStamp. */
  async function manage(params: Params): Promise<{ result: VtcResult; reason?: string }> {
    const input = ManageParams.safeParse(params);
    // NOTE: `opt` (server time) answers without authentication and outside the rate limit: it is
    // how a caller whose clock is off learns the time it must sign with.
    if (input.success && input.data.action === 'opt') return { result: 'OK' };
    const auth = await isAuthentic(params);
    if (!auth) return { result: 'NotAuthenticate' };
    if (!(await limiter.tryAcquire(auth.appId, clock.now()))) return { result: 'Busy' };
    if (!input.success) return { result: 'Error', reason: 'action must be add, mod, del or opt' };
    const { action, thirdPartyId, password, newId } = input.data;
    if (thirdPartyId === undefined) return { result: 'Error', reason: 'thirdPartyId is required' };
    if (action === 'add') {
      if (password === undefined) return { result: 'Error', reason: 'password is required' };
      const outcome = await users.register(auth.appId, thirdPartyId, password);
      return outcome === 'ok' ? { result: 'OK' } : outcome === 'exceed' ? { result: 'Exceed' } : { result: 'Error', reason: 'thirdPartyId exists' };
    }
    if (action === 'del') return { result: (await users.remove(auth.appId, thirdPartyId)) === 'ok' ? 'OK' : 'NotFound' };
    if ((password === undefined) === (newId === undefined)) return { result: 'Error', reason: 'mod takes exactly one of password and newId' };
    if (password !== undefined) return { result: (await users.changePassword(auth.appId, thirdPartyId, password)) === 'ok' ? 'OK' : 'NotFound' };
    const outcome = await users.changeId(auth.appId, thirdPartyId, newId!);
    return outcome === 'ok' ? { result: 'OK' } : outcome === 'not-found' ? { result: 'NotFound' } : { result: 'Error', reason: 'newId exists' };
  }

  /** The signed-in VTC user of a request: the session cookie, a bearer token or a `token` parameter. */
  async function sessionUserOf(request: FastifyRequest, params: Params): Promise<{ appId: string; thirdPartyId: string } | undefined> {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ?? cookieOf(request, VTC_SESSION_COOKIE) ?? DeviceParams.safeParse(params).data?.token;
    if (!token) return undefined;
    const principal = await identity.resolvePrincipal(token).catch(() => undefined);
    if (principal?.kind !== 'visitor') return undefined;
    const visitor = await identity.getVisitor(principal.appId, principal.visitorId).catch(() => undefined);
    return visitor?.externalId ? { appId: principal.appId, thirdPartyId: visitor.externalId } : undefined;
  }

  /** ajx/updateDeviceid.do: good | init (not signed in) | Error. Without `user.deviceId` the device id is cleared. */
  async function updateDeviceId(request: FastifyRequest, params: Params): Promise<Record<string, unknown>> {
    const input = DeviceParams.safeParse(params);
    if (!input.success) return { result: 'Error', reason: 'user.deviceId is at most 200 characters' };
    const user = await sessionUserOf(request, params);
    if (!user) return { result: 'init' };
    const outcome = await users.setDeviceId(user.appId, user.thirdPartyId, input.data['user.deviceId'] ?? null);
    return { result: outcome === 'ok' ? 'good' : 'init' };
  }

  // Own scope: bodies are read raw (form-urlencoded, JSON or none) and every failure is a VTC
  // result, never the native `{ error }` body.
  void http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const route = (url: string, handle: (request: FastifyRequest, reply: FastifyReply, params: Params) => Promise<unknown>, options: object = {}) =>
      scope.route({
        method: ['GET', 'POST'],
        url,
        schema: { hide: true },
        ...options,
        handler: async (request, reply) => {
          const params = paramsOf(request);
          // NUL and lone surrogates are refused like everywhere else (the protocol's text rule).
          if (illFormedTextPath(params)) return reply.code(200).send({ result: 'Error', ...(url.endsWith('Manage.do') ? { sysTimeStamp: clock.now() } : {}) });
          try {
            return reply.code(200).send(await handle(request, reply, params));
          } catch (err) {
            request.log.error({ err, url }, 'vtc: unexpected error');
            return reply.code(200).send({ result: 'Error', ...(url.endsWith('Manage.do') ? { sysTimeStamp: clock.now() } : {}) });
          }
        },
      });

    route('/vtc/ajx/thirdPartyRegister.do', (_request, _reply, params) => register(params));
    route('/vtc/ajx/thirdPartyLogin.do', (request, reply, params) => login(params, request, reply), {
      // Password guessing: 10 tries a minute per (address, app, user id).
      config: { rateLimit: { max: 10, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (request: FastifyRequest) => loginKey(request) } },
    });
    route('/vtc/ajx/thirdPartyManage.do', async (_request, _reply, params) => ({ ...(await manage(params)), sysTimeStamp: clock.now() }));
    route('/vtc/ajx/updateDeviceid.do', (request, _reply, params) => updateDeviceId(request, params));
    // logout.do: clears the device id and the session cookie, then goes to the index page (seed: index.jsp).
    scope.route({
      method: ['GET', 'POST'],
      url: '/vtc/logout.do',
      schema: { hide: true },
      handler: async (request, reply) => {
        const user = await sessionUserOf(request, paramsOf(request)).catch(() => undefined);
        if (user) await users.setDeviceId(user.appId, user.thirdPartyId, null);
        reply.header('set-cookie', `${VTC_SESSION_COOKIE}=; Path=/vtc; HttpOnly; SameSite=Lax; Max-Age=0`);
        return reply.redirect('/', 302);
      },
    });
  });
}

function loginKey(request: FastifyRequest): string {
  const params = paramsOf(request);
  return `${request.ip}|${params.appId ?? ''}|${params.thirdPartyId ?? ''}`;
}
