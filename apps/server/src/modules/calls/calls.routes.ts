import { AddCallPartyBody, Call, CallJoin, ConversationAgent, ConversationAgentParams, CallList, ConsultCallBody, StartInternalCallBody, TransferCallBody, CallSupervisionJoin, CallSupervisionTimeline, IdParams, LiveCallList, SetCallSupervisionBody } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { CallSupervision } from './call-supervision.ts';
import type { CallsService } from './calls.service.ts';
import { inviteeOf, transferTargetOf } from './calls.errors.ts';

/**
 * Reading calls over REST (placing and answering them is realtime: `call.*` frames), and their
 * supervision (SPEC M28): acting needs the supervisor role (an agent gets 403); the media of a
 * supervisor's join goes over the realtime protocol as a party's does.
 */
export function registerCallRoutes(http: HttpServer, { calls, supervision, auth }: { calls: CallsService; supervision: CallSupervision; auth: AuthHooks }) {
  const tags = ['calls'];
  const supervisor = auth.staff('supervisor');
  http.get(
    '/v1/calls/live',
    { preHandler: supervisor, schema: { tags, summary: 'The live calls of the app and who supervises each (supervisor board; supervisors)', response: { 200: LiveCallList } } },
    async (request) => ({ calls: await supervision.live(principalOf(request)) }),
  );
  http.post(
    '/v1/calls/internal',
    {
      preHandler: auth.staff('agent'),
      schema: { tags, summary: 'Call another agent of the app (internal call; TCCC startInternalCall): it rings; the media goes over the realtime protocol', body: StartInternalCallBody, response: { 200: CallJoin } },
    },
    (request) => calls.startInternal(principalOf(request), request.body.calleeUserId, request.body.kind ?? 'audio'),
  );
  http.get('/v1/calls/:id', { preHandler: auth.anyone, schema: { tags, summary: 'A call (its parties, and supervisors)', params: IdParams, response: { 200: Call } } }, (request) =>
    calls.get(principalOf(request), request.params.id),
  );
  http.get(
    '/v1/conversations/:id/calls',
    { preHandler: auth.anyone, schema: { tags, summary: "A conversation's calls, newest first", params: IdParams, response: { 200: CallList } } },
    async (request) => ({ calls: await calls.ofConversation(principalOf(request), request.params.id) }),
  );
  http.post(
    '/v1/calls/:id/transfer',
    {
      preHandler: auth.staff('agent'),
      schema: { tags, summary: "Blind transfer of the caller's call to an agent (userId, who rings) or a queue (skillGroupId); the visitor waits on hold (the call's agent)", params: IdParams, body: TransferCallBody, response: { 200: Call } },
    },
    (request) => calls.transfer(principalOf(request), request.params.id, transferTargetOf(request.body)),
  );
  http.post(
    '/v1/calls/:id/consult',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'Consult another agent (userId) while the visitor waits on hold (the call\'s agent)', params: IdParams, body: ConsultCallBody, response: { 200: Call } } },
    (request) => calls.consult(principalOf(request), request.params.id, request.body.userId),
  );
  http.get(
    '/v1/calls/:id/agents/:agentId',
    {
      preHandler: auth.anyone,
      schema: { tags, summary: "An agent who is or was in the call, as its parties see it (its name): a third party's window names agents it never chatted with", params: ConversationAgentParams, response: { 200: ConversationAgent } },
    },
    (request) => calls.agentOf(principalOf(request), request.params.id, request.params.agentId),
  );
  http.post(
    '/v1/calls/:id/participants',
    {
      preHandler: auth.staff('agent'),
      schema: { tags, summary: "Invite a third party (userId: an agent, visitorId: a visitor; one of them), who rings; up to 6 parties (the call's agent)", params: IdParams, body: AddCallPartyBody, response: { 200: Call } },
    },
    (request) => calls.addParty(principalOf(request), request.params.id, inviteeOf(request.body)),
  );
  for (const how of ['complete', 'cancel'] as const) {
    http.post(
      `/v1/calls/:id/consult/${how}`,
      {
        preHandler: auth.staff('agent'),
        schema: { tags, summary: how === 'complete' ? 'Warm transfer: the consult becomes three-way; when you hang up the consulted agent keeps the call' : 'End the consult: back to the visitor', params: IdParams, response: { 200: Call } },
      },
      (request) => calls.endConsult(principalOf(request), request.params.id, how),
    );
  }
  http.get(
    '/v1/calls/:id/supervision',
    { preHandler: auth.staff('agent'), schema: { tags, summary: "Who supervises the call now and every supervision step (supervisors; the call's agents see no silent monitoring)", params: IdParams, response: { 200: CallSupervisionTimeline } } },
    (request) => supervision.timeline(principalOf(request), request.params.id),
  );
  http.put(
    '/v1/calls/:id/supervision',
    {
      preHandler: supervisor,
      schema: { tags, summary: 'Monitor (textOnly: without the media), whisper to the agent or barge in: enter a mode or switch (supervisors)', params: IdParams, body: SetCallSupervisionBody, response: { 200: CallSupervisionJoin } },
    },
    (request) => supervision.supervise(principalOf(request), request.params.id, request.body.mode, request.body.textOnly ?? false),
  );
  http.delete(
    '/v1/calls/:id/supervision',
    { preHandler: supervisor, schema: { tags, summary: 'Stop supervising the call (supervisors)', params: IdParams, response: { 200: CallSupervisionJoin } } },
    (request) => supervision.supervise(principalOf(request), request.params.id, 'stop'),
  );
  http.post(
    '/v1/calls/:id/intercept',
    { preHandler: supervisor, schema: { tags, summary: 'Take the call over from its agent, while supervising it (supervisors; TCCC intercept 强拆)', params: IdParams, response: { 200: Call } } },
    (request) => supervision.intercept(principalOf(request), request.params.id),
  );
}
