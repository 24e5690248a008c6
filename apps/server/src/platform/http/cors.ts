import type { HttpServer } from './http-server.ts';

/**
 * CORS for the REST API, so the widget and the visitor SDK work on the business's own site (another
 * origin). Every /v1 route authenticates with a bearer token, never a cookie, so a page of any
 * origin can only act with a token it already holds: the answer echoes the caller's origin, without
 * credentials. Which sites may start a visitor session is the app's `allowedOrigins`, checked by
 * `POST /v1/visitor/session` and by the WebSocket upgrade.
 */
export function registerRestCors(http: HttpServer) {
  http.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !request.url.startsWith('/v1/')) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type, accept-language')
        .header('access-control-max-age', '600')
        .send();
    }
  });
}
