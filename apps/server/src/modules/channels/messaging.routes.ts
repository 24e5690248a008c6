import { ChannelConnection, ChannelConnectionList, ChannelSendBody, ChannelSendLog, ChannelSendLogQuery, ConnectChannelBody, ConnectedChannel, ConversationChannel, IdParams, Message, MessageTemplateList, RotateCredentialsBody, SendTestMessageBody, SendTestMessageResult } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { ChannelOutbound } from './channel-outbound.ts';
import type { Connections } from './connections.ts';

/** Admins connect channels to messaging providers; the credentials are answered once, by the connect. */
export function registerMessagingRoutes(http: HttpServer, { connections, auth }: { connections: Connections; auth: AuthHooks }) {
  const admin = auth.staff('admin');
  const tags = ['channels'];

  http.post(
    '/v1/channel-connections',
    { preHandler: admin, schema: { tags, summary: 'Connect a new channel to WhatsApp, Messenger, Telegram or Viber (the credentials are shown in this answer only)', body: ConnectChannelBody, response: { 201: ConnectedChannel } } },
    async (request, reply) => reply.code(201).send(await connections.connect(principalOf(request).appId, request.body)),
  );

  http.get(
    '/v1/channel-connections',
    { preHandler: admin, schema: { tags, summary: "The app's channels connected to messaging providers (credential names only)", response: { 200: ChannelConnectionList } } },
    async (request) => ({ connections: await connections.list(principalOf(request).appId) }),
  );

  http.get(
    '/v1/channel-connections/:id',
    { preHandler: admin, schema: { tags, summary: "A channel's provider connection (credential names only)", params: IdParams, response: { 200: ChannelConnection } } },
    async (request) => connections.get(principalOf(request).appId, request.params.id),
  );

  http.put(
    '/v1/channel-connections/:id/credentials',
    { preHandler: admin, schema: { tags, summary: "Rotate a connection's credentials: those given replace theirs, the others are kept (the whole set is shown in this answer only)", params: IdParams, body: RotateCredentialsBody, response: { 200: ConnectedChannel } } },
    async (request) => connections.rotateCredentials(principalOf(request).appId, request.params.id, request.body),
  );
}

/** Agents: a conversation's messaging channel (window, deliveries), templates, and the legal path outside the window. */
export function registerChannelSendRoutes(http: HttpServer, { outbound, auth }: { outbound: ChannelOutbound; auth: AuthHooks }) {
  const tags = ['channels'];
  const agent = auth.staff('agent');
  const admin = auth.staff('admin');

  http.get(
    '/v1/conversations/:id/channel',
    { preHandler: agent, schema: { tags, summary: "A conversation's messaging channel (null for a web chat): provider, the user's id, the window's time left, each message's delivery (failed with the provider's reason)", params: IdParams, response: { 200: z.object({ channel: ConversationChannel.nullable() }) } } },
    async (request) => ({ channel: await outbound.conversationChannel(principalOf(request), request.params.id) }),
  );

  http.post(
    '/v1/conversations/:id/channel-send',
    { preHandler: agent, schema: { tags, summary: 'Agent: outside the window, a WhatsApp template with its parameters, or a Messenger text tagged HUMAN_AGENT', params: IdParams, body: ChannelSendBody, response: { 200: z.object({ message: Message }) } } },
    async (request) => ({ message: (await outbound.sendSpecial(principalOf(request), request.params.id, request.body)).message }),
  );

  http.get(
    '/v1/channel-connections/:id/templates',
    { preHandler: agent, schema: { tags, summary: "A WhatsApp channel's message templates, as last synced", params: IdParams, response: { 200: MessageTemplateList } } },
    async (request) => ({ templates: await outbound.listTemplates(principalOf(request), request.params.id) }),
  );

  http.post(
    '/v1/channel-connections/:id/templates/sync',
    { preHandler: admin, schema: { tags, summary: "Admin: read a WhatsApp channel's message templates from the provider", params: IdParams, response: { 200: MessageTemplateList } } },
    async (request) => ({ templates: await outbound.syncTemplates(principalOf(request).appId, request.params.id) }),
  );

  http.get(
    '/v1/channel-connections/:id/sends',
    { preHandler: admin, schema: { tags, summary: "Admin: the channel's send log, newest first: each send and its attempts (the provider's status code, error, latency)", params: IdParams, querystring: ChannelSendLogQuery, response: { 200: ChannelSendLog } } },
    async (request) => outbound.sendLog(principalOf(request).appId, request.params.id, request.query.limit),
  );

  http.post(
    '/v1/channel-connections/:id/test-message',
    { preHandler: admin, schema: { tags, summary: 'Admin: send a test message through the channel to a user id (phone number, PSID, chat id, Viber id)', params: IdParams, body: SendTestMessageBody, response: { 200: SendTestMessageResult } } },
    async (request) => outbound.sendTestMessage(principalOf(request).appId, request.params.id, request.body),
  );
}
