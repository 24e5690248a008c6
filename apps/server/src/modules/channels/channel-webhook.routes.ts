import { ChannelProvider } from '@frontdesk/protocol';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendError, type HttpServer } from '../../platform/http/http-server.ts';
import { PayloadError, SignatureError, type Provider } from './adapters/channel-adapter.ts';
import type { ChannelInbound } from './channel-inbound.ts';

const Params = z.object({ provider: ChannelProvider, channelId: z.string().min(1).max(64) });
const HandshakeQuery = z.object({ 'hub.mode': z.string().max(100).optional(), 'hub.verify_token': z.string().max(500).optional(), 'hub.challenge': z.string().max(500).optional() }).passthrough();

/** Meta's providers (WhatsApp, Messenger) verify a webhook URL with a GET handshake before using it. */
const META: readonly Provider[] = ['whatsapp', 'messenger'];

/**
 * The fixed webhook endpoints of messaging providers, outside /v1 (their URLs are given to the
 * providers once): `GET|POST /channels/:provider/:channelId/webhook`. The body is read raw: the
 * signature is over the exact bytes. A bad or missing signature answers 401 and stores nothing;
 * a delivery is answered 200 once what it carries is stored (a provider retries anything else).
 */
export function registerChannelWebhookRoutes(http: HttpServer, { inbound }: { inbound: ChannelInbound }) {
  void http.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.get('/channels/:provider/:channelId/webhook', { schema: { tags: ['channels'], summary: "Meta's webhook verification (WhatsApp, Messenger): echoes hub.challenge when hub.verify_token is the channel's", params: Params, querystring: HandshakeQuery } }, async (request, reply) => {
      const { provider, channelId } = request.params;
      if (!META.includes(provider)) return sendError(reply, 'FD_REQ_NOT_FOUND', `${provider} has no verification handshake`);
      const challenge = await inbound.handshake(provider, channelId, request.query as Record<string, string | undefined>);
      if (challenge === null) return sendError(reply, 'FD_AUTH_FORBIDDEN', 'wrong hub.mode or hub.verify_token');
      return reply.code(200).type('text/plain').send(challenge);
    });

    scope.post('/channels/:provider/:channelId/webhook', { schema: { tags: ['channels'], summary: 'A messaging provider delivers messages and statuses (signed: X-Hub-Signature-256, X-Telegram-Bot-Api-Secret-Token, X-Viber-Content-Signature)', params: Params } }, async (request, reply) => {
      const { provider, channelId } = request.params;
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      try {
        const result = await inbound.receive(provider, channelId, body, request.headers);
        return reply.code(200).send(result);
      } catch (err) {
        if (err instanceof SignatureError) return sendError(reply, 'FD_CHANNEL_SIGNATURE_INVALID', err.message);
        if (err instanceof PayloadError) return sendError(reply, 'FD_REQ_INVALID', err.message);
        throw err;
      }
    });
  });
}
