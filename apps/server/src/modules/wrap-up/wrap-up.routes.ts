import { CreateWrapUpLabelBody, IdParams, SetWrapUpBody, UpdateWrapUpLabelBody, WrapUp, WrapUpLabel, WrapUpLabelList, WrapUpReply } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { WrapUpService } from './wrap-up.service.ts';

/** Every agent reads the labels and wraps up its conversations; supervisors and admins (or API keys) keep the labels. */
export function registerWrapUpRoutes(http: HttpServer, { wrapUp, auth }: { wrapUp: WrapUpService; auth: AuthHooks }) {
  const tags = ['wrap-up'];
  const agent = auth.staff('agent');
  const manager = auth.staff('supervisor');

  http.get(
    '/v1/wrap-up/labels',
    { preHandler: agent, schema: { tags, summary: "The app's disposition codes and tags (archived ones marked)", response: { 200: WrapUpLabelList } } },
    async (request) => ({ labels: await wrapUp.listLabels(principalOf(request).appId) }),
  );

  http.post(
    '/v1/wrap-up/labels',
    { preHandler: manager, schema: { tags, summary: 'Add a disposition code or a tag (the name is unique per kind)', body: CreateWrapUpLabelBody, response: { 201: WrapUpLabel } } },
    async (request, reply) => reply.code(201).send(await wrapUp.createLabel(principalOf(request).appId, request.body)),
  );

  http.patch(
    '/v1/wrap-up/labels/:id',
    { preHandler: manager, schema: { tags, summary: 'Rename, archive or restore a disposition code or tag', params: IdParams, body: UpdateWrapUpLabelBody, response: { 200: WrapUpLabel } } },
    (request) => wrapUp.updateLabel(principalOf(request).appId, request.params.id, request.body),
  );

  http.get(
    '/v1/conversations/:id/wrap-up',
    { preHandler: agent, schema: { tags, summary: "A conversation's wrap-up (null before one is recorded)", params: IdParams, response: { 200: WrapUpReply } } },
    async (request) => ({ wrapUp: await wrapUp.getWrapUp(principalOf(request), request.params.id) }),
  );

  http.put(
    '/v1/conversations/:id/wrap-up',
    { preHandler: agent, schema: { tags, summary: "Record a conversation's disposition, tags and note (its agent, or a supervisor)", params: IdParams, body: SetWrapUpBody, response: { 200: WrapUp } } },
    (request) => wrapUp.setWrapUp(principalOf(request), request.params.id, request.body),
  );
}
