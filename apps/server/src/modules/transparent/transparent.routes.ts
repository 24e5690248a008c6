import { IdParams, TransparentPushBody } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { TransparentChannel } from './index.ts';

/** Server API: push transparent data to a user, kick a user out. */
export function registerTransparentRoutes(http: HttpServer, { transparent, auth }: { transparent: TransparentChannel; auth: AuthHooks }) {
  const tags = ['users'];
  const ok = z.object({ ok: z.literal(true) });
  http.post(
    '/v1/users/:id/transparent',
    { preHandler: auth.staff('admin'), schema: { tags, summary: 'Send base64 data (≤ 8192 characters) to a connected visitor or agent (transparent channel)', params: IdParams, body: TransparentPushBody, response: { 200: ok } } },
    async (request) => {
      await transparent.push(principalOf(request).appId, request.params.id, request.body.data);
      return { ok: true as const };
    },
  );
  http.post(
    '/v1/users/:id/kick',
    { preHandler: auth.staff('admin'), schema: { tags, summary: 'Close every socket of a visitor or agent (kick out)', params: IdParams, response: { 200: ok } } },
    async (request) => {
      await transparent.kick(principalOf(request).appId, request.params.id);
      return { ok: true as const };
    },
  );
}
