import { CaptureStored, IdParams, PhotoFailure, PhotoGrant, PhotoRequested } from '@frontdesk/protocol';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import { sendError, type HttpServer } from '../../platform/http/http-server.ts';
import type { CapturesService } from './captures.service.ts';

const PhotoParams = z.object({ id: IdParams.shape.id, requestId: IdParams.shape.id });

/**
 * Snapshots and photos of a video call (SPEC M24). The images are the raw request bodies (JPEG or
 * PNG, up to the upload limit); the replies carry the image message stored in the conversation.
 */
export function registerCapturesRoutes(http: HttpServer, { captures, auth, uploadMaxBytes }: { captures: CapturesService; auth: AuthHooks; uploadMaxBytes: number }) {
  const tags = ['calls'];
  http.post(
    '/v1/calls/:id/photo-requests',
    { preHandler: auth.anyone, schema: { tags, summary: "Ask the visitor's device for a photo from its camera (an agent in the live video call)", params: IdParams, response: { 200: PhotoRequested } } },
    (request) => captures.requestPhoto(principalOf(request), request.params.id),
  );
  http.post(
    '/v1/calls/:id/photos/:requestId/failure',
    {
      preHandler: auth.anyone,
      schema: { tags, summary: "The visitor's page could not take the photo asked for (the agent gets snapShotDisabled)", params: PhotoParams, body: PhotoFailure, response: { 200: z.object({ requestId: z.string() }) } },
    },
    async (request) => {
      const { reason, ...grant } = request.body;
      await captures.photoFailed(principalOf(request), request.params.id, request.params.requestId, grant, reason);
      return { requestId: request.params.requestId };
    },
  );

  // The images: the raw bytes are the body, whatever their declared type (checked from the bytes).
  http.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: uploadMaxBytes }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((err: { code?: string }, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'FD_FILE_TOO_LARGE', `files are limited to ${uploadMaxBytes} bytes`);
      throw err;
    });
    const bytesOf = (body: unknown) => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    scope.post(
      '/v1/calls/:id/snapshots',
      { preHandler: auth.anyone, schema: { tags, summary: "Store a frame of the visitor's video as an image of the conversation (an agent in the live video call)", params: IdParams, response: { 201: CaptureStored } } },
      async (request, reply) => reply.code(201).send(await captures.snapshot(principalOf(request), request.params.id, { bytes: bytesOf(request.body), ip: request.ip })),
    );
    scope.post(
      '/v1/calls/:id/photos/:requestId',
      { preHandler: auth.anyone, schema: { tags, summary: "The visitor's photo for a request, with the request's grant (the call's visitor)", params: PhotoParams, querystring: PhotoGrant, response: { 201: CaptureStored } } },
      async (request, reply) => reply.code(201).send(await captures.storePhoto(principalOf(request), request.params.id, request.params.requestId, request.query, { bytes: bytesOf(request.body), ip: request.ip })),
    );
  });
}
