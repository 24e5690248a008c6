import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { Presence } from './index.ts';

export function registerPresenceRoutes(http: HttpServer, { presence, auth }: { presence: Presence; auth: AuthHooks }) {
  http.get(
    '/v1/presence',
    {
      preHandler: auth.staff('supervisor'),
      schema: { tags: ['routing'], summary: 'Agents and visitors connected now, on every node', response: { 200: z.object({ agents: z.array(z.string()), visitors: z.array(z.string()) }) } },
    },
    (request) => presence.online(principalOf(request).appId),
  );
}
