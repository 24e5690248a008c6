import {
  AgentSkills,
  type Conversation,
  AgentState,
  AgentStatusHistory,
  Area,
  AreaList,
  ConversationRouting,
  CreateAreaBody,
  CreateQueueBody,
  CreateQueueGroupBody,
  IdParams,
  Queue,
  QueueGroup,
  QueueGroupList,
  QueueList,
  RoutingOverview,
  SetAgentSkillsBody,
  SetAgentStatusBody,
  TransferBody,
  UpdateQueueBody,
  UpdateQueueGroupBody,
} from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { Principal } from '../../platform/principal.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { RoutingService } from './routing.service.ts';

/** REST surfaces of routing (SPEC M15–M21). Reads are for staff; configuration for admins. */
export function registerRoutingRoutes(
  http: HttpServer,
  { routing, auth, conversationOf }: { routing: RoutingService; auth: AuthHooks; conversationOf: (principal: Principal, id: string) => Promise<Conversation> },
) {
  const tags = ['routing'];
  const ok = z.object({ ok: z.literal(true) });

  http.post('/v1/queues', { preHandler: auth.staff('admin'), schema: { tags, summary: 'Create a skill queue (its overflow and escalation included)', body: CreateQueueBody, response: { 200: Queue } } }, (request) =>
    routing.createQueue(principalOf(request).appId, request.body),
  );
  http.get('/v1/queues', { preHandler: auth.staff('agent'), schema: { tags, summary: 'List queues', response: { 200: QueueList } } }, async (request) => ({
    queues: await routing.listQueues(principalOf(request).appId),
  }));
  http.get('/v1/queues/:id', { preHandler: auth.staff('agent'), schema: { tags, summary: 'One queue', params: IdParams, response: { 200: Queue } } }, (request) =>
    routing.getQueue(principalOf(request).appId, request.params.id),
  );
  http.patch(
    '/v1/queues/:id',
    { preHandler: auth.staff('admin'), schema: { tags, summary: 'Change queue fields', params: IdParams, body: UpdateQueueBody, response: { 200: Queue } } },
    (request) => routing.updateQueue(principalOf(request).appId, request.params.id, request.body),
  );

  http.delete(
    '/v1/queues/:id',
    { preHandler: auth.staff('admin'), schema: { tags, summary: 'Delete a queue that nothing uses any more (409 lists what still does)', params: IdParams, response: { 200: ok } } },
    async (request) => {
      await routing.deleteQueue(principalOf(request).appId, request.params.id);
      return { ok: true as const };
    },
  );

  http.patch('/v1/areas/:id', { preHandler: auth.staff('admin'), schema: { tags, summary: 'Rename a service area', params: IdParams, body: CreateAreaBody, response: { 200: Area } } }, (request) =>
    routing.renameArea(principalOf(request).appId, request.params.id, request.body.name),
  );
  http.delete('/v1/areas/:id', { preHandler: auth.staff('admin'), schema: { tags, summary: 'Delete a service area no queue belongs to', params: IdParams, response: { 200: ok } } }, async (request) => {
    await routing.deleteArea(principalOf(request).appId, request.params.id);
    return { ok: true as const };
  });

  http.post('/v1/areas', { preHandler: auth.staff('admin'), schema: { tags, summary: 'Create a service area (营业厅)', body: CreateAreaBody, response: { 200: Area } } }, (request) =>
    routing.createArea(principalOf(request).appId, request.body.name, request.body.numericId),
  );
  http.get('/v1/areas', { preHandler: auth.staff('agent'), schema: { tags, summary: 'List service areas', response: { 200: AreaList } } }, async (request) => ({
    areas: await routing.listAreas(principalOf(request).appId),
  }));

  http.post('/v1/queue-groups', { preHandler: auth.staff('admin'), schema: { tags, summary: 'Create a queue group (队列组)', body: CreateQueueGroupBody, response: { 200: QueueGroup } } }, (request) =>
    routing.createQueueGroup(principalOf(request).appId, request.body),
  );
  http.get('/v1/queue-groups', { preHandler: auth.staff('agent'), schema: { tags, summary: 'List queue groups', response: { 200: QueueGroupList } } }, async (request) => ({
    queueGroups: await routing.listQueueGroups(principalOf(request).appId),
  }));
  http.patch(
    '/v1/queue-groups/:id',
    { preHandler: auth.staff('admin'), schema: { tags, summary: "Rename a queue group or change its queues (its agents' skills follow)", params: IdParams, body: UpdateQueueGroupBody, response: { 200: QueueGroup } } },
    (request) => routing.updateQueueGroup(principalOf(request).appId, request.params.id, request.body),
  );
  http.delete('/v1/queue-groups/:id', { preHandler: auth.staff('admin'), schema: { tags, summary: 'Delete a queue group', params: IdParams, response: { 200: ok } } }, async (request) => {
    await routing.deleteQueueGroup(principalOf(request).appId, request.params.id);
    return { ok: true as const };
  });

  http.put(
    '/v1/agents/:id/skills',
    { preHandler: auth.staff('admin'), schema: { tags, summary: "Replace an agent's skills (queues with levels 1–5)", params: IdParams, body: SetAgentSkillsBody, response: { 200: AgentSkills } } },
    (request) => routing.setSkills(principalOf(request).appId, request.params.id, request.body),
  );
  http.get('/v1/agents/:id/skills', { preHandler: auth.staff('agent'), schema: { tags, summary: "An agent's skills", params: IdParams, response: { 200: AgentSkills } } }, (request) =>
    routing.getSkills(principalOf(request).appId, request.params.id),
  );

  http.put(
    '/v1/agents/:id/status',
    {
      preHandler: auth.staff('agent'),
      schema: { tags, summary: 'Set an agent status: your own, or any agent as a supervisor (forced)', params: IdParams, body: SetAgentStatusBody, response: { 200: AgentState } },
    },
    (request) => {
      const principal = principalOf(request);
      const agentId = request.params.id === 'me' && principal.kind === 'agent' ? principal.agentId : request.params.id;
      return routing.setStatus(principal, agentId, request.body.status, request.body.reason);
    },
  );
  http.get(
    '/v1/agents/:id/state',
    { preHandler: auth.staff('agent'), schema: { tags, summary: "An agent's status, load and sessions", params: IdParams, response: { 200: AgentState } } },
    (request) => {
      const principal = principalOf(request);
      return routing.agentState(principal.appId, request.params.id === 'me' && principal.kind === 'agent' ? principal.agentId : request.params.id);
    },
  );
  http.get(
    '/v1/agents/:id/status-history',
    {
      preHandler: auth.staff('supervisor'),
      schema: { tags, summary: 'Status changes of an agent, oldest first', params: IdParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }), response: { 200: AgentStatusHistory } },
    },
    async (request) => ({ changes: await routing.statusHistory(principalOf(request).appId, request.params.id, request.query.limit) }),
  );

  http.post(
    '/v1/conversations/:id/accept',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'Accept an offer (push) or take a waiting conversation (pool)', params: IdParams, response: { 200: ok } } },
    async (request) => {
      await routing.accept(principalOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  http.post(
    '/v1/conversations/:id/decline',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'Decline an offer: it goes to the next agent', params: IdParams, response: { 200: ok } } },
    async (request) => {
      await routing.decline(principalOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  http.post(
    '/v1/conversations/:id/transfer',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'Transfer to a queue or an agent, with a note', params: IdParams, body: TransferBody, response: { 200: ok } } },
    async (request) => {
      const { queueId, agentId, note } = request.body;
      await routing.transfer(principalOf(request), request.params.id, queueId ? { queueId } : { agentId: agentId! }, note);
      return { ok: true as const };
    },
  );
  http.get(
    '/v1/conversations/:id/routing',
    { preHandler: auth.anyone, schema: { tags, summary: 'Routing steps, queue position and wait estimate of a conversation', params: IdParams, response: { 200: ConversationRouting } } },
    async (request) => {
      const principal = principalOf(request);
      const conversation = await conversationOf(principal, request.params.id);
      const { position, estimatedWaitMs, history } = await routing.conversationRouting(principal.appId, conversation.id);
      // Visitors see where they are, not the agents and queues they passed through.
      return {
        conversation,
        position,
        estimatedWaitSeconds: estimatedWaitMs === undefined ? null : Math.ceil(estimatedWaitMs / 1000),
        history: principal.kind === 'visitor' ? [] : history,
      };
    },
  );
  http.get('/v1/routing/overview', { preHandler: auth.staff('agent'), schema: { tags, summary: 'Live queues, areas and agents', response: { 200: RoutingOverview } } }, (request) =>
    routing.overview(principalOf(request).appId),
  );
}
