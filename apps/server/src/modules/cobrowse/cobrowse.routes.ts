import { CobrowseCode, CobrowseJoinBody, CobrowseJoined, CobrowseSessionList, IdParams } from '@frontdesk/protocol';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { CobrowseService } from './cobrowse.service.ts';

/** REST read of a conversation's co-browse sessions (its visitor and the app's staff); commands go over the WebSocket. */
export function registerCobrowseRoutes(
  http: HttpServer,
  { cobrowse, auth, visitorSession }: { cobrowse: CobrowseService; auth: AuthHooks; visitorSession: (appId: string, visitorId: string) => Promise<{ token: string } | undefined> },
) {
  http.get(
    '/v1/conversations/:id/cobrowse',
    { preHandler: auth.anyone, schema: { tags: ['cobrowse'], summary: "The conversation's co-browse sessions, oldest first (its visitor, the app's staff)", params: IdParams, response: { 200: CobrowseSessionList } } },
    async (request) => ({ sessions: await cobrowse.list(principalOf(request), request.params.id) }),
  );
  http.post(
    '/v1/conversations/:id/cobrowse/code',
    { preHandler: auth.staff('agent'), schema: { tags: ['cobrowse'], summary: 'A short code to read out to the visitor, for the browser extension (the agent holding the conversation)', params: IdParams, response: { 201: CobrowseCode } } },
    async (request, reply) => reply.code(201).send(await cobrowse.createCode(principalOf(request), request.params.id)),
  );
  // NOTE: no authentication: the code is the credential (single use, 10 minutes, ~40 bits), and
  // guesses are limited per client address like the logins'.
  http.post(
    '/v1/cobrowse/join',
    {
      config: { rateLimit: { max: 20, timeWindow: 60_000, hook: 'preHandler' } },
      schema: { tags: ['cobrowse'], summary: "The browser extension redeems a co-browse code: a session of the conversation's visitor", body: CobrowseJoinBody, response: { 200: CobrowseJoined } },
    },
    async (request) => {
      const { conversationId, visitorId } = await cobrowse.redeemCode(request.body.appId, request.body.code);
      const session = await visitorSession(request.body.appId, visitorId);
      if (!session) throw new DomainError('FD_COBROWSE_NOT_FOUND', 'this code is not valid (wrong, used or expired)');
      return { token: session.token, conversationId, visitorId };
    },
  );
}
