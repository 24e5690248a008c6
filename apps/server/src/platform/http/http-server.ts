import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { PROTOCOL_VERSION, refineWellFormedText, type ErrorCode } from '@frontdesk/protocol';
import Fastify, {
  LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { BusyError, DomainError } from '../errors.ts';
import { isStorageUnavailable } from '../storage/storage.ts';
import type { Principal } from '../principal.ts';
import { httpStatusOf } from './error-status.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type HttpServer = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, ZodTypeProvider>;

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, retryAfterMs?: number) {
  if (retryAfterMs === undefined) return reply.code(httpStatusOf(code)).send({ error: { code, message } });
  // Retry-After counts whole seconds; the body says it to the millisecond.
  reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return reply.code(httpStatusOf(code)).send({ error: { code, message, retryAfterMs } });
}

/**
 * The Fastify app: zod validation at the edge, one error handler that maps catalogued
 * codes to statuses, the OpenAPI document at /openapi.json and its docs page at /docs.
 */
export async function createHttpServer({
  log,
  bodyLimitBytes,
  requestTimeoutMs,
  onStorageError = () => {},
}: {
  log: Logger;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  /** Told of every storage error answered 503 (`/healthz` remembers a full disk). */
  onStorageError?: (err: unknown) => void;
}): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    // A slow body (or headers) cannot hold a connection for ever: 408 and closed after this.
    requestTimeout: requestTimeoutMs,
    // NOTE: Node checks the timeout only every `connectionsCheckingInterval` (30 s by default), and
    // not at all while `headersTimeout` (60 s by default) is longer than `requestTimeout`.
    http: { connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(requestTimeoutMs / 4))), headersTimeout: Math.min(60_000, requestTimeoutMs) },
  }).withTypeProvider<ZodTypeProvider>();
  // Every body, query string and path parameter is checked for NUL and lone surrogates first (the
  // protocol's one refinement), whatever its route's schema: a clear 400, never a 500 or a U+FFFD.
  app.setValidatorCompiler(({ schema, ...rest }) => validatorCompiler({ ...rest, schema: z.unknown().superRefine(refineWellFormedText).pipe(schema as z.ZodType) }));
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);

  // Closing lets requests in flight finish, then closes their connections too: Node closes only the
  // connections idle when close starts, and keep-alive (72 s in Fastify) would hold the others open.
  // After 10 s every connection is cut.
  app.addHook('preClose', (done) => {
    const idle = setInterval(() => app.server.closeIdleConnections(), 100).unref();
    const all = setTimeout(() => app.server.closeAllConnections(), 10_000).unref();
    app.server.once('close', () => {
      clearInterval(idle);
      clearTimeout(all);
    });
    done();
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  app.setErrorHandler((err: any, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof BusyError) return sendError(reply, err.code, err.message, err.retryAfterMs);
    if (err instanceof DomainError) return sendError(reply, err.code, err.message);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const detail = err.validation.map((v: any) => `${v.instancePath || err.validationContext}: ${v.message}`).join('; ');
      return sendError(reply, 'FD_REQ_INVALID', `invalid request ${err.validationContext ?? ''}: ${detail}`.trim());
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'FD_REQ_PAYLOAD_TOO_LARGE', 'request body is too large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 'FD_REQ_UNSUPPORTED_MEDIA_TYPE', 'unsupported content type');
    if (err.statusCode === 429) return sendError(reply, 'FD_REQ_RATE_LIMITED', 'too many requests, retry later');
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, 'FD_REQ_INVALID', err.message);
    }
    if (isStorageUnavailable(err)) {
      onStorageError(err);
      request.log.error({ err: { message: err.message, code: err.code } }, 'storage unavailable');
      return sendError(reply, 'FD_STORAGE_UNAVAILABLE', 'storage is unavailable, try again shortly');
    }
    request.log.error({ err, method: request.method, url: request.routeOptions?.url }, 'unexpected error');
    return sendError(reply, 'FD_INTERNAL', 'internal error');
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 'FD_REQ_NOT_FOUND', 'no such route'));

  // Opt-in per route (`config.rateLimit`), keyed by client address.
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Frontdesk API',
        version: `1 (protocol ${PROTOCOL_VERSION})`,
        description:
          'Server API of Frontdesk. Authenticate with `Authorization: Bearer <token>`: an agent session token ' +
          '(POST /v1/auth/login), a visitor token (POST /v1/visitor/session) or an app API key (`fdk_…`). ' +
          'Errors are `{ "error": { "code", "message" } }`. Realtime: WebSocket at /v1/ws?appId=….',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
