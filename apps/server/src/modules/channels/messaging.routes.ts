import { ChannelConnection, ChannelConnectionList, ConnectChannelBody, ConnectedChannel, IdParams } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
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
}
