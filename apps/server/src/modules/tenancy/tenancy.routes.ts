import { ApiKey, App, CreateApiKeyBody, CreateApiKeyReply, IdParams, RotateAppSecretBody, RotateAppSecretReply, UpdateAppBody } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { TenancyService } from './tenancy.service.ts';

export function registerTenancyRoutes(http: HttpServer, { tenancy, auth }: { tenancy: TenancyService; auth: AuthHooks }) {
  const admin = auth.staff('admin');
  const tags = ['app'];

  http.get('/v1/app', { preHandler: admin, schema: { tags, summary: "The caller's app", response: { 200: App } } }, (request) =>
    tenancy.getApp(principalOf(request).appId),
  );

  http.patch(
    '/v1/app',
    { preHandler: admin, schema: { tags, summary: 'Update name or allowed origins', body: UpdateAppBody, response: { 200: App } } },
    (request) => tenancy.updateApp(principalOf(request).appId, request.body),
  );

  http.post(
    '/v1/app/secrets/rotate',
    {
      preHandler: admin,
      schema: { tags, summary: 'Replace the app token, gateway secret or identity secret; the new one is answered only this once', body: RotateAppSecretBody, response: { 200: RotateAppSecretReply } },
    },
    async (request) => ({ kind: request.body.kind, secret: await tenancy.rotateSecret(principalOf(request).appId, request.body.kind) }),
  );

  http.get(
    '/v1/app/api-keys',
    { preHandler: admin, schema: { tags, summary: 'List server-API keys', response: { 200: z.object({ apiKeys: z.array(ApiKey) }) } } },
    async (request) => ({ apiKeys: await tenancy.listApiKeys(principalOf(request).appId) }),
  );

  http.post(
    '/v1/app/api-keys',
    {
      preHandler: admin,
      schema: { tags, summary: 'Create a server-API key (shown once)', body: CreateApiKeyBody, response: { 201: CreateApiKeyReply } },
    },
    async (request, reply) => reply.code(201).send(await tenancy.createApiKey(principalOf(request).appId, request.body.name)),
  );

  http.delete(
    '/v1/app/api-keys/:id',
    { preHandler: admin, schema: { tags, summary: 'Revoke a server-API key', params: IdParams } },
    async (request, reply) => {
      await tenancy.deleteApiKey(principalOf(request).appId, request.params.id);
      return reply.code(204).send();
    },
  );
}
