import {
  Channel,
  ChannelFaq,
  ChannelFaqParams,
  ChannelIdentitySecret,
  ChannelList,
  ChannelPublicView,
  CreateChannelBody,
  CreateFaqBody,
  DEFAULT_CHANNEL_ALIAS,
  FaqList,
  Id,
  IdParams,
  SetChannelIdentitySecretBody,
  UpdateChannelBody,
  UpdateFaqBody,
} from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { bearerOf, principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { ChannelsService } from './channels.service.ts';

/**
 * Channel settings and FAQs: admins (or API keys) only. The public view is for any principal
 * of the app, visitors included. In every `:id`, `default` names the app's default channel.
 */
export function registerChannelRoutes(
  http: HttpServer,
  {
    channels,
    auth,
    clock,
    uploadMaxBytes,
    appExists,
  }: { channels: ChannelsService; auth: AuthHooks; clock: Clock; uploadMaxBytes: number; appExists: (appId: string) => Promise<boolean> },
) {
  const admin = auth.staff('admin');
  const tags = ['channels'];
  const channelIdOf = async (appId: string, id: string) => (id === DEFAULT_CHANNEL_ALIAS ? (await channels.resolveChannel(appId)).id : id);

  http.get(
    '/v1/channels',
    { preHandler: admin, schema: { tags, summary: "The app's channels (the default one is created if missing)", response: { 200: ChannelList } } },
    async (request) => ({ channels: await channels.listChannels(principalOf(request).appId) }),
  );

  http.post(
    '/v1/channels',
    { preHandler: admin, schema: { tags, summary: 'Create a channel; every setting left out gets its default', body: CreateChannelBody, response: { 201: Channel } } },
    async (request, reply) => reply.code(201).send(await channels.createChannel(principalOf(request).appId, request.body)),
  );

  http.get(
    '/v1/channels/:id',
    { preHandler: admin, schema: { tags, summary: 'One channel (`default`: the default channel)', params: IdParams, response: { 200: Channel } } },
    async (request) => {
      const { appId } = principalOf(request);
      return channels.resolveChannel(appId, await channelIdOf(appId, request.params.id));
    },
  );

  http.patch(
    '/v1/channels/:id',
    {
      preHandler: admin,
      schema: { tags, summary: 'Change settings: fields left out are kept; bot, queueReminder and idleEnd merge; hours are replaced', params: IdParams, body: UpdateChannelBody, response: { 200: Channel } },
    },
    async (request) => {
      const { appId } = principalOf(request);
      return channels.updateChannel(appId, await channelIdOf(appId, request.params.id), request.body);
    },
  );

  http.delete(
    '/v1/channels/:id',
    { preHandler: admin, schema: { tags, summary: 'Delete a channel and its FAQs (not the default channel)', params: IdParams } },
    async (request, reply) => {
      const { appId } = principalOf(request);
      await channels.deleteChannel(appId, await channelIdOf(appId, request.params.id));
      return reply.code(204).send();
    },
  );

  http.get(
    '/v1/channels/:id/identity-secret',
    {
      preHandler: admin,
      schema: { tags, summary: "The channel's visitor identity secret (hmac and auth-v2 modes); admins only", params: IdParams, response: { 200: ChannelIdentitySecret } },
    },
    async (request) => {
      const { appId } = principalOf(request);
      return { secret: await channels.identitySecret(appId, await channelIdOf(appId, request.params.id)) };
    },
  );

  http.post(
    '/v1/channels/:id/identity-secret/rotate',
    {
      preHandler: admin,
      schema: { tags, summary: 'Replace the identity secret: user hashes and signatures made with the old one stop working', params: IdParams, response: { 200: ChannelIdentitySecret } },
    },
    async (request) => {
      const { appId } = principalOf(request);
      return { secret: await channels.rotateIdentitySecret(appId, await channelIdOf(appId, request.params.id)) };
    },
  );

  http.put(
    '/v1/channels/:id/identity-secret',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Set the identity secret the business already has (its Huawei auth-v2 secretKey: 43 of A-Z a-z 0-9); the old one stops working',
        params: IdParams,
        body: SetChannelIdentitySecretBody,
        response: { 200: ChannelIdentitySecret },
      },
    },
    async (request) => {
      const { appId } = principalOf(request);
      return { secret: await channels.setIdentitySecret(appId, await channelIdOf(appId, request.params.id), request.body.secret) };
    },
  );

  http.get(
    '/v1/channels/:id/faqs',
    { preHandler: admin, schema: { tags, summary: "The channel's FAQs, oldest first", params: IdParams, response: { 200: FaqList } } },
    async (request) => {
      const { appId } = principalOf(request);
      return { faqs: await channels.listFaqs(appId, await channelIdOf(appId, request.params.id)) };
    },
  );

  http.post(
    '/v1/channels/:id/faqs',
    { preHandler: admin, schema: { tags, summary: 'Add an FAQ the bot answers', params: IdParams, body: CreateFaqBody, response: { 201: ChannelFaq } } },
    async (request, reply) => {
      const { appId } = principalOf(request);
      return reply.code(201).send(await channels.createFaq(appId, await channelIdOf(appId, request.params.id), request.body));
    },
  );

  http.patch(
    '/v1/channels/:id/faqs/:faqId',
    { preHandler: admin, schema: { tags, summary: 'Change an FAQ: fields left out are kept', params: ChannelFaqParams, body: UpdateFaqBody, response: { 200: ChannelFaq } } },
    async (request) => {
      const { appId } = principalOf(request);
      return channels.updateFaq(appId, await channelIdOf(appId, request.params.id), request.params.faqId, request.body);
    },
  );

  http.delete(
    '/v1/channels/:id/faqs/:faqId',
    { preHandler: admin, schema: { tags, summary: 'Delete an FAQ', params: ChannelFaqParams } },
    async (request, reply) => {
      const { appId } = principalOf(request);
      await channels.deleteFaq(appId, await channelIdOf(appId, request.params.id), request.params.faqId);
      return reply.code(204).send();
    },
  );

  http.get(
    '/v1/channels/:id/public',
    {
      // No token needed: the widget reads how to identify its visitor before it has a session.
      // With one, the token's app; without, `?appId=`. Nothing here is secret.
      preHandler: async (request) => {
        if (bearerOf(request)) await auth.anyone(request);
      },
      schema: {
        tags,
        summary: "Visitors' view of a channel (no token needed: give appId): bot name and avatar, open now or not, off-hours message, identity mode, the server's upload limit",
        security: [],
        params: IdParams,
        querystring: z.object({ appId: Id.optional() }),
        response: { 200: ChannelPublicView },
      },
    },
    async (request): Promise<ChannelPublicView> => {
      const appId = request.principal?.appId ?? request.query.appId;
      if (!appId) throw new DomainError('FD_REQ_INVALID', 'appId is required without a token');
      if (!request.principal && !(await appExists(appId))) throw new DomainError('FD_APP_NOT_FOUND', `app ${appId} not found`);
      const id = request.params.id;
      const view = await channels.publicView(appId, id === DEFAULT_CHANNEL_ALIAS ? undefined : id, clock.now());
      // The server's limits, not the channel's settings: the widget refuses early with these numbers.
      return { ...view, limits: { uploadMaxBytes } };
    },
  );
}
