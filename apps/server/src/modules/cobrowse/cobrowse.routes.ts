import { CobrowseSessionList, IdParams } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { CobrowseService } from './cobrowse.service.ts';

/** REST read of a conversation's co-browse sessions (its visitor and the app's staff); commands go over the WebSocket. */
export function registerCobrowseRoutes(http: HttpServer, { cobrowse, auth }: { cobrowse: CobrowseService; auth: AuthHooks }) {
  http.get(
    '/v1/conversations/:id/cobrowse',
    { preHandler: auth.anyone, schema: { tags: ['cobrowse'], summary: "The conversation's co-browse sessions, oldest first (its visitor, the app's staff)", params: IdParams, response: { 200: CobrowseSessionList } } },
    async (request) => ({ sessions: await cobrowse.list(principalOf(request), request.params.id) }),
  );
}
