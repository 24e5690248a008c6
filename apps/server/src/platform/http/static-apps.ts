import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { HttpServer } from './http-server.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');

/**
 * The browser apps, served from their Vite builds (`npm run build`, run by `npm start` and `npm test`):
 *   /widget/…     the visitor widget (loader and lazy panel), embedded in other sites' pages
 *   /workbench/…  the agent workbench and admin console, also loaded into businesses' CRM pages by the
 *                 SDK login script (/sdk/login.js)
 * Both are loaded by dynamic import from other origins, so they are served with
 * `Access-Control-Allow-Origin: *` (static files only: the API authorizes by bearer token, never by
 * cookie). A missing build answers 503 with the command that makes it, instead of a bare 404.
 */
const STATIC_APPS = [
  { prefix: '/widget/', dir: path.join(repoRoot, 'apps/widget/dist') },
  { prefix: '/workbench/', dir: path.join(repoRoot, 'apps/workbench/dist') },
] as const;

/**
 * The policy of the apps' own HTML pages (the workbench's index.html): scripts only from this server,
 * so markup that slipped into the page could not run; styles inline (the apps inject theirs).
 */
const APP_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' blob: data: https:; media-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

export async function registerStaticApps(http: HttpServer) {
  for (const app of STATIC_APPS) {
    if (!fs.existsSync(app.dir)) {
      http.get(`${app.prefix}*`, { schema: { hide: true } }, async (_request, reply) =>
        reply.code(503).type('text/plain; charset=utf-8').send(`${app.prefix} is not built: run npm run build`),
      );
      continue;
    }
    await http.register(fastifyStatic, {
      root: app.dir,
      prefix: app.prefix,
      decorateReply: false,
      cacheControl: false,
      // The widget's build writes .br and .gz next to its scripts (apps/widget/scripts/compress.mjs).
      preCompressed: true,
      setHeaders: (res, filePath) => {
        // Hashed file names never change; entry points and HTML must be revalidated.
        const hashed = /-[A-Za-z0-9_-]{8,}\.(js|css)(\.br|\.gz)?$/.test(filePath);
        res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.header('x-content-type-options', 'nosniff');
        res.header('access-control-allow-origin', '*');
        if (filePath.endsWith('.html')) res.header('content-security-policy', APP_PAGE_CSP);
      },
    });
  }
}
