import fs from 'node:fs';
import type { HttpServer } from '../platform/http/http-server.ts';

const pages = {
  visitor: new URL('./visitor.html', import.meta.url),
  agent: new URL('./agent.html', import.meta.url),
};

/** Minimal test pages over the realtime protocol, until the widget and workbench replace them. */
export function registerDemoRoutes(http: HttpServer) {
  const csp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' blob: data:";
  for (const [name, file] of Object.entries(pages)) {
    const html = fs.readFileSync(file, 'utf8');
    const url = name === 'visitor' ? '/demo' : `/demo/${name}`;
    http.get(url, { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', csp).send(html));
  }
  http.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/demo'));
  http.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).send());
}
