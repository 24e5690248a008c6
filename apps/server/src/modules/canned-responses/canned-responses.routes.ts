import { CannedResponse, CannedResponseList, CreateCannedResponseBody, IdParams, UpdateCannedResponseBody } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { CannedResponsesService } from './canned-responses.service.ts';

/** Every agent of the app reads the canned responses; supervisors and admins (or API keys) manage them. */
export function registerCannedResponseRoutes(http: HttpServer, { cannedResponses, auth }: { cannedResponses: CannedResponsesService; auth: AuthHooks }) {
  const tags = ['canned responses'];
  const agent = auth.staff('agent');
  const manager = auth.staff('supervisor');

  http.get(
    '/v1/canned-responses',
    { preHandler: agent, schema: { tags, summary: "The app's canned responses, by shortcut", response: { 200: CannedResponseList } } },
    async (request) => ({ cannedResponses: await cannedResponses.listCannedResponses(principalOf(request).appId) }),
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
