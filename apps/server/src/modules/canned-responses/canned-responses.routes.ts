import { CannedResponse, CannedResponseList, CreateCannedResponseBody, IdParams, UpdateCannedResponseBody } from '@frontdesk/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { CannedResponsesService } from './canned-responses.service.ts';

/**
 * Every agent of the app reads the canned responses; supervisors and admins (or API keys) manage
 * the app's; each agent manages its own (`/v1/canned-responses/personal`).
 */
export function registerCannedResponseRoutes(http: HttpServer, { cannedResponses, auth }: { cannedResponses: CannedResponsesService; auth: AuthHooks }) {
  const tags = ['canned responses'];
  const agent = auth.staff('agent');
  const manager = auth.staff('supervisor');

  http.get(
    '/v1/canned-responses',
    { preHandler: agent, schema: { tags, summary: "The app's canned responses and the caller's own, by shortcut", response: { 200: CannedResponseList } } },
    async (request) => {
      const principal = principalOf(request);
      return { cannedResponses: await cannedResponses.listCannedResponses(principal.appId, principal.kind === 'agent' ? principal.agentId : undefined) };
    },
  );

  const ownerOf = (request: FastifyRequest) => {
    const principal = principalOf(request);
    if (principal.kind !== 'agent') throw new DomainError('FD_AUTH_FORBIDDEN', 'personal canned responses belong to an agent: sign in as one');
    return principal;
  };

  http.post(
    '/v1/canned-responses/personal',
    { preHandler: agent, schema: { tags, summary: "Create one of the caller's own canned responses (only the caller sees it)", body: CreateCannedResponseBody, response: { 201: CannedResponse } } },
    async (request, reply) => {
      const owner = ownerOf(request);
      return reply.code(201).send(await cannedResponses.personal.create(owner.appId, owner.agentId, request.body));
    },
  );

  http.patch(
    '/v1/canned-responses/personal/:id',
    { preHandler: agent, schema: { tags, summary: "Change one of the caller's own canned responses", params: IdParams, body: UpdateCannedResponseBody, response: { 200: CannedResponse } } },
    (request) => {
      const owner = ownerOf(request);
      return cannedResponses.personal.update(owner.appId, owner.agentId, request.params.id, request.body);
    },
  );

  http.delete(
    '/v1/canned-responses/personal/:id',
    { preHandler: agent, schema: { tags, summary: "Delete one of the caller's own canned responses", params: IdParams, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request) => {
      const owner = ownerOf(request);
      await cannedResponses.personal.remove(owner.appId, owner.agentId, request.params.id);
      return { ok: true as const };
    },
  );

  http.post(
    '/v1/canned-responses',
    { preHandler: manager, schema: { tags, summary: 'Create a canned response (the shortcut is unique in the app)', body: CreateCannedResponseBody, response: { 201: CannedResponse } } },
    async (request, reply) => reply.code(201).send(await cannedResponses.createCannedResponse(principalOf(request).appId, request.body)),
  );

  http.patch(
    '/v1/canned-responses/:id',
    { preHandler: manager, schema: { tags, summary: 'Change a canned response', params: IdParams, body: UpdateCannedResponseBody, response: { 200: CannedResponse } } },
    (request) => cannedResponses.updateCannedResponse(principalOf(request).appId, request.params.id, request.body),
  );

  http.delete(
    '/v1/canned-responses/:id',
    { preHandler: manager, schema: { tags, summary: 'Delete a canned response', params: IdParams, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request) => {
      await cannedResponses.deleteCannedResponse(principalOf(request).appId, request.params.id);
      return { ok: true as const };
    },
  );
}
