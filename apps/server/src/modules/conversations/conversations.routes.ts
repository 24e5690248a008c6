import fs from 'node:fs';
import {
  Conversation,
  ConversationAgent,
  ConversationAgentParams,
  ConversationList,
  IdParams,
  ConversationSearchList,
  ListConversationsQuery,
  ListMessagesQuery,
  Message,
  MessageList,
  ReadBody,
  SearchConversationsQuery,
  SendLocationBody,
  SendMessageBody,
  UploadFileQuery,
} from '@frontdesk/protocol';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { UrlSigner } from '../../platform/crypto/index.ts';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import { sendError, type HttpServer } from '../../platform/http/http-server.ts';
import type { ConversationsService } from './conversations.service.ts';

export function registerConversationRoutes(
  http: HttpServer,
  {
    conversations,
    auth,
    uploadMaxBytes,
    fileUrls,
    clock,
  }: { conversations: ConversationsService; auth: AuthHooks; uploadMaxBytes: number; fileUrls: Pick<UrlSigner, 'isValid'>; clock: Clock },
) {
  const tags = ['conversations'];
  const anyone = auth.anyone;
  const isSigned = (query: { expires?: string | undefined; signature?: string | undefined }) => query.expires !== undefined || query.signature !== undefined;

  http.get(
    '/v1/conversations',
    { preHandler: anyone, schema: { tags, summary: 'List conversations the caller may see', querystring: ListConversationsQuery, response: { 200: ConversationList } } },
    async (request) => ({ conversations: await conversations.listConversations(principalOf(request), request.query) }),
  );

  http.get(
    '/v1/conversations/search',
    {
      preHandler: auth.staff('agent'),
      schema: {
        tags,
        summary: "Staff: the workbench's lists (filter mine, unassigned, queue, all, closed) and full-text search of message texts and visitor names (q, Chinese and other languages)",
        querystring: SearchConversationsQuery,
        response: { 200: ConversationSearchList },
      },
    },
    async (request) => ({ results: await conversations.search(principalOf(request), request.query) }),
  );

  http.get(
    '/v1/conversations/:id',
    { preHandler: anyone, schema: { tags, summary: 'One conversation', params: IdParams, response: { 200: Conversation } } },
    (request) => conversations.getConversation(principalOf(request), request.params.id),
  );

  http.get(
    '/v1/conversations/:id/agents/:agentId',
    {
      preHandler: anyone,
      schema: { tags, summary: "An agent of the conversation (assigned, or who wrote in it): the name the visitor's window shows", params: ConversationAgentParams, response: { 200: ConversationAgent } },
    },
    (request) => conversations.conversationAgent(principalOf(request), request.params.id, request.params.agentId),
  );

  http.get(
    '/v1/conversations/:id/messages',
    { preHandler: anyone, schema: { tags, summary: 'Messages after a seq, in order', params: IdParams, querystring: ListMessagesQuery, response: { 200: MessageList } } },
    (request) => conversations.listMessages(principalOf(request), request.params.id, request.query.afterSeq, request.query.limit),
  );

  http.post(
    '/v1/conversations/:id/messages',
    {
      preHandler: anyone,
      schema: { tags, summary: 'Send a text message (idempotent by clientId)', params: IdParams, body: SendMessageBody, response: { 200: Message, 201: Message } },
    },
    async (request, reply) => {
      const result = await conversations.sendText(principalOf(request), request.params.id, request.body);
      return reply.code(result.created ? 201 : 200).send(result.message);
    },
  );

  http.post(
    '/v1/conversations/:id/locations',
    {
      preHandler: anyone,
      schema: { tags, summary: 'Send a location message (idempotent by clientId); latitude −90…90, longitude −180…180', params: IdParams, body: SendLocationBody, response: { 200: Message, 201: Message } },
    },
    async (request, reply) => {
      const result = await conversations.sendLocation(principalOf(request), request.params.id, request.body);
      return reply.code(result.created ? 201 : 200).send(result.message);
    },
  );

  http.post(
    '/v1/conversations/:id/read',
    { preHandler: anyone, schema: { tags, summary: 'Mark read up to a seq', params: IdParams, body: ReadBody, response: { 200: Conversation } } },
    (request) => conversations.markRead(principalOf(request), request.params.id, request.body.seq),
  );

  // Uploads: the raw bytes are the body, whatever their type, up to the configured limit.
  http.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: uploadMaxBytes }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((err: any, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'FD_FILE_TOO_LARGE', `files are limited to ${uploadMaxBytes} bytes`);
      throw err;
    });
    scope.post(
      '/v1/conversations/:id/files',
      {
        preHandler: anyone,
        schema: {
          tags,
          summary: 'Upload a file or image as a message: the body is the file, its type is checked from its bytes',
          params: IdParams,
          querystring: UploadFileQuery,
          response: { 200: Message, 201: Message },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await conversations.sendFile(principalOf(request), request.params.id, {
          clientId: request.query.clientId,
          name: request.query.name,
          declaredType: request.headers['content-type'],
          bytes,
          ip: request.ip,
        });
        return reply.code(result.created ? 201 : 200).send(result.message);
      },
    );
  });

  http.get(
    '/v1/files/:id',
    {
      // A signed URL (`expires` + `signature`, e.g. an AnyChat fileurl) opens its file without a token until it expires.
      preHandler: async (request) => {
        if (!isSigned(request.query)) return anyone(request);
        if (!fileUrls.isValid(request.url.split('?')[0]!, request.query, clock.now())) throw new DomainError('FD_AUTH_TOKEN_INVALID', 'the link is invalid or expired');
      },
      schema: {
        tags,
        summary: "Download a file (its conversation's participants and staff only, or anyone with a signed link until it expires)",
        params: IdParams,
        querystring: z.object({ expires: z.string().max(20).optional(), signature: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      const file = isSigned(request.query) ? await conversations.openFileById(request.params.id) : await conversations.openFile(principalOf(request), request.params.id);
      return reply
        .header('content-type', file.ref.mimeType)
        .header('content-length', file.ref.sizeBytes)
        .header('content-disposition', `${file.disposition}; filename*=UTF-8''${encodeURIComponent(file.ref.name)}`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(fs.createReadStream(file.path));
    },
  );
}
