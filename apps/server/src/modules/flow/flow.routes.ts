import { Conversation, IdParams, LeaveMessageBody, OpenConversationBody } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { ConversationFlow } from './conversation-flow.ts';

/** The lifecycle commands of a conversation (the rest of /v1/conversations is the conversations module's). */
export function registerFlowRoutes(http: HttpServer, { flow, auth }: { flow: ConversationFlow; auth: AuthHooks }) {
  const tags = ['conversations'];
  const anyone = auth.anyone;

  http.post(
    '/v1/conversations',
    { preHandler: anyone, schema: { tags, summary: "Visitor: open (or get) the visitor's conversation, in a channel (default: the app's default channel)", body: OpenConversationBody, response: { 200: Conversation } } },
    (request) => flow.open(principalOf(request), request.body ?? {}),
  );

  http.post(
    '/v1/conversations/messages-left',
    {
      preHandler: anyone,
      schema: {
        tags,
        summary: "Visitor: leave a message when nobody can answer (a name, an email or a phone, the message); it becomes the visitor's open conversation, kept for agents until answered",
        body: LeaveMessageBody,
        response: { 200: Conversation },
      },
    },
    (request) => flow.leaveMessage(principalOf(request), request.body),
  );

  http.post(
    '/v1/conversations/:id/claim',
    { preHandler: auth.staff('agent'), schema: { tags, summary: 'Agent: take an open, unassigned conversation', params: IdParams, response: { 200: Conversation } } },
    (request) => flow.claim(principalOf(request), request.params.id),
  );

  http.post(
    '/v1/conversations/:id/handoff',
    { preHandler: anyone, schema: { tags, summary: 'Visitor: ask for a human (the hand-off button); the bot hands the conversation to its queue', params: IdParams, response: { 200: Conversation } } },
    (request) => flow.handOff(principalOf(request), request.params.id),
  );

  http.post(
    '/v1/conversations/:id/close',
    { preHandler: anyone, schema: { tags, summary: 'End a conversation (participant or supervisor)', params: IdParams, response: { 200: Conversation } } },
    (request) => flow.close(principalOf(request), request.params.id),
  );
}
