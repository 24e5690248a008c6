import { ActiveSupervision, Conversation, IdParams, Message, SetSupervisionBody, SupervisionTimeline, SupervisorTextBody, Whisper, WhisperList } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { SupervisionService } from './supervision.service.ts';

/**
 * REST surfaces of chat supervision (SPEC M28). Acting needs the supervisor role (an agent gets
 * 403); reading the timeline and whispers is for the app's staff. Another app's conversation is
 * not found (404).
 */
export function registerSupervisionRoutes(http: HttpServer, { supervision, auth }: { supervision: SupervisionService; auth: AuthHooks }) {
  const tags = ['supervision'];
  const supervisor = auth.staff('supervisor');
  const staff = auth.staff('agent');

  http.get(
    '/v1/conversations/:id/supervision',
    { preHandler: staff, schema: { tags, summary: 'Who supervises the conversation now, every supervision step and whisper (staff)', params: IdParams, response: { 200: SupervisionTimeline } } },
    (request) => supervision.timeline(principalOf(request), request.params.id),
  );
  http.put(
    '/v1/conversations/:id/supervision',
    {
      preHandler: supervisor,
      schema: { tags, summary: 'Monitor, whisper or barge in: enter a mode, or switch to another (supervisors)', params: IdParams, body: SetSupervisionBody, response: { 200: ActiveSupervision } },
    },
    async (request) => (await supervision.setMode(principalOf(request), request.params.id, request.body.mode))!,
  );
  http.delete(
    '/v1/conversations/:id/supervision',
    { preHandler: supervisor, schema: { tags, summary: 'Stop supervising the conversation (supervisors)', params: IdParams, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request) => {
      await supervision.setMode(principalOf(request), request.params.id, 'stop');
      return { ok: true as const };
    },
  );
  http.get(
    '/v1/conversations/:id/whispers',
    { preHandler: staff, schema: { tags, summary: "What supervisors whispered to the conversation's agent, oldest first (staff; never the visitor)", params: IdParams, response: { 200: WhisperList } } },
    async (request) => ({ whispers: await supervision.whispers(principalOf(request), request.params.id) }),
  );
  http.post(
    '/v1/conversations/:id/whispers',
    { preHandler: supervisor, schema: { tags, summary: 'Whisper to the agent: only the agent (and supervisors) see it (supervisors)', params: IdParams, body: SupervisorTextBody, response: { 200: Whisper, 201: Whisper } } },
    async (request, reply) => {
      const result = await supervision.whisper(principalOf(request), request.params.id, request.body);
      return reply.code(result.created ? 201 : 200).send(result.whisper);
    },
  );
  http.post(
    '/v1/conversations/:id/barge',
    { preHandler: supervisor, schema: { tags, summary: 'Write to the visitor as yourself, joining the conversation (supervisors)', params: IdParams, body: SupervisorTextBody, response: { 200: Message, 201: Message } } },
    async (request, reply) => {
      const result = await supervision.barge(principalOf(request), request.params.id, request.body);
      return reply.code(result.created ? 201 : 200).send(result.message);
    },
  );
  http.post(
    '/v1/conversations/:id/intercept',
    { preHandler: supervisor, schema: { tags, summary: 'Take the conversation over from its agent, while supervising it (supervisors; TCCC intercept)', params: IdParams, response: { 200: Conversation } } },
    (request) => supervision.intercept(principalOf(request), request.params.id),
  );
}
