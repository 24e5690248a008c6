import fs from 'node:fs';
import type { HttpServer } from '../platform/http/http-server.ts';
import { DEMO_APP_ID } from './demo-data.ts';

const VISITOR_PAGE = new URL('./visitor.html', import.meta.url);
const AGENT_PAGE = new URL('./agent.html', import.meta.url);

const LOCALES = new Set(['zh', 'en', 'ar', 'es', 'pt', 'fr']);
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo: a shop page with the real widget (its snippet, apps/widget), and a minimal agent page
 * over the realtime protocol until the workbench replaces it.
 */
export function registerDemoRoutes(http: HttpServer, { isDemoOn }: { isDemoOn: boolean }) {
  const csp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' blob: data:";
  // The widget shows bot avatars from any https host.
  const visitorCsp = csp.replace("img-src 'self' blob: data:", "img-src 'self' blob: data: https:");
  const visitorPage = fs.readFileSync(VISITOR_PAGE, 'utf8');
  const agentPage = fs.readFileSync(AGENT_PAGE, 'utf8');

  http.get('/demo', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { appId?: unknown; locale?: unknown };
    const appId = typeof query.appId === 'string' && /^[\w-]{1,64}$/.test(query.appId) ? query.appId : 'demo';
    const locale = typeof query.locale === 'string' && LOCALES.has(query.locale) ? query.locale : 'en';
    const origin = `${request.protocol}://${request.host}`;
    const html = visitorPage.replaceAll('{{APP_ID}}', escapeHtml(appId)).replaceAll('{{LOCALE}}', locale).replaceAll('{{ORIGIN}}', escapeHtml(origin));
    return reply.type('text/html; charset=utf-8').header('content-security-policy', visitorCsp).send(html);
  });
  http.get('/demo/agent', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', csp).send(agentPage));
  // A newcomer opening the server lands on the agent workbench's sign-in (the demo app filled in).
  const home = isDemoOn ? `/workbench/?appId=${DEMO_APP_ID}` : '/workbench/';
  http.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(home));
  http.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).send());
}
