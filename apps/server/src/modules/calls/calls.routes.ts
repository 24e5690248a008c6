import { Call, CallList, IdParams } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { CallsService } from './calls.service.ts';

/** Reading calls over REST (placing and answering them is realtime: `call.*` frames). */
export function registerCallRoutes(http: HttpServer, { calls, auth }: { calls: CallsService; auth: AuthHooks }) {
  const tags = ['calls'];
  http.get('/v1/calls/:id', { preHandler: auth.anyone, schema: { tags, summary: 'A call (its parties, and supervisors)', params: IdParams, response: { 200: Call } } }, (request) =>
    calls.get(principalOf(request), request.params.id),
  );
  http.get(
    '/v1/conversations/:id/calls',
    { preHandler: auth.anyone, schema: { tags, summary: "A conversation's calls, newest first", params: IdParams, response: { 200: CallList } } },
    async (request) => ({ calls: await calls.ofConversation(principalOf(request), request.params.id) }),
  );
}
