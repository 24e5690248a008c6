import {
  Agent,
  CreateAgentBody,
  IdParams,
  LoginBody,
  LoginReply,
  UpdateAgentBody,
  Visitor,
  VisitorSessionBody,
  VisitorSessionReply,
} from '@frontdesk/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { IdentityService } from './identity.service.ts';
import type { LoginThrottle } from './login-throttle.ts';

function loginKey(request: FastifyRequest): string {
  const body = (request.body ?? {}) as { appId?: unknown; email?: unknown };
  return `${request.ip}|${String(body.appId)}|${String(body.email).toLowerCase()}`;
}

function identityOf(request: FastifyRequest): { mode?: unknown; userId?: unknown } | undefined {
  const identity = (request.body as { identity?: unknown } | undefined)?.identity;
  return typeof identity === 'object' && identity !== null ? identity : undefined;
}

/** Only modes that check a password or call the business's endpoint are limited (hashes and signatures cannot be guessed). */
function isNotGuessable(request: FastifyRequest): boolean {
  const mode = identityOf(request)?.mode;
  return mode !== 'vtc' && mode !== 'token';
}

function identityKey(request: FastifyRequest): string {
  const body = (request.body ?? {}) as { appId?: unknown };
  return `${request.ip}|${String(body.appId)}|${String(identityOf(request)?.userId ?? '')}`;
}

export function registerIdentityRoutes(http: HttpServer, { identity, auth, loginThrottle }: { identity: IdentityService; auth: AuthHooks; loginThrottle: LoginThrottle }) {
  const tags = ['identity'];

  http.post(
    '/v1/auth/login',
    {
      // Password guessing: 10 tries a minute per (address, app, email), counted after the body is parsed;
      // password spraying: failed logins per address, whatever the accounts (login-throttle.ts).
      config: { rateLimit: { max: 10, timeWindow: 60_000, hook: 'preHandler', keyGenerator: loginKey } },
      schema: { tags, summary: 'Agent password login → session token', security: [], body: LoginBody, response: { 200: LoginReply } } },
    async (request, reply) => {
      const throttled = loginThrottle.check(request.ip);
      if (throttled.isBlocked) {
        reply.header('retry-after', String(Math.ceil(throttled.retryAfterMs / 1000)));
        throw new DomainError('FD_REQ_RATE_LIMITED', 'too many failed logins from this address, retry later');
      }
      try {
        return await identity.login(request.body.appId, request.body.email, request.body.password, request.body.deviceId, request.ip);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'FD_AUTH_INVALID_CREDENTIALS') loginThrottle.recordFailure(request.ip);
        throw err;
      }
    },
  );

  http.get(
    '/v1/me',
    { preHandler: auth.anyone, schema: { tags, summary: 'The caller', response: { 200: z.object({ agent: Agent.optional(), visitor: Visitor.optional(), appId: z.string() }) } } },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind === 'agent') return { appId: principal.appId, agent: await identity.getAgent(principal.appId, principal.agentId) };
      if (principal.kind === 'visitor') return { appId: principal.appId, visitor: await identity.getVisitor(principal.appId, principal.visitorId) };
      return { appId: principal.appId };
    },
  );

  http.post(
    '/v1/visitor/session',
    {
      // Password and token guessing (vtc, token modes): 20 tries a minute per (address, app, user id).
      config: { rateLimit: { max: 20, timeWindow: 60_000, hook: 'preHandler', keyGenerator: identityKey, allowList: isNotGuessable } },
      schema: {
        tags,
        summary: "Start (or resume) a visitor session under the channel's identity mode (anonymous, hmac, token, auth-v2, vtc)",
        security: [],
        body: VisitorSessionBody,
        response: { 200: VisitorSessionReply },
      },
    },
    (request) => identity.startVisitorSession(request.body.appId, { ...request.body, origin: request.headers.origin, ip: request.ip }),
  );

  http.get(
    '/v1/agents',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'List agents', response: { 200: z.object({ agents: z.array(Agent) }) } } },
    async (request) => ({ agents: await identity.listAgents(principalOf(request).appId) }),
  );

  http.post(
    '/v1/agents',
    { preHandler: auth.staff('admin'), schema: { tags, summary: 'Create an agent', body: CreateAgentBody, response: { 201: Agent } } },
    async (request, reply) => reply.code(201).send(await identity.createAgent(principalOf(request).appId, request.body)),
  );

  http.get(
    '/v1/agents/:id',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'One agent', params: IdParams, response: { 200: Agent } } },
    (request) => identity.getAgent(principalOf(request).appId, request.params.id),
  );

  http.patch(
    '/v1/agents/:id',
    {
      preHandler: auth.staff('agent'),
      schema: { tags, summary: 'Update an agent (admins: any field; agents: own name and password)', params: IdParams, body: UpdateAgentBody, response: { 200: Agent } },
    },
    (request) => {
      const principal = principalOf(request);
      const isSelf = principal.kind === 'agent' && principal.agentId === request.params.id;
      const isAdmin = principal.kind === 'apiKey' || (principal.kind === 'agent' && principal.role === 'admin');
      const selfFields = Object.keys(request.body).every((k) => k === 'name' || k === 'password');
      if (!isAdmin && !(isSelf && selfFields)) throw new DomainError('FD_AUTH_FORBIDDEN', 'only an admin may change this');
      return identity.updateAgent(principal.appId, request.params.id, request.body);
    },
  );

  http.get(
    '/v1/visitors/:id',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'One visitor', params: IdParams, response: { 200: Visitor } } },
    (request) => identity.getVisitor(principalOf(request).appId, request.params.id),
  );
}
