import { IdParams } from '@frontdesk/protocol';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import { sendError, type HttpServer } from '../../platform/http/http-server.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import { AVATAR_MAX_BYTES, type AgentAvatars } from './agent-avatars.ts';
import type { IdentityService } from './identity.service.ts';

const AvatarReply = z.object({ avatarUrl: z.string().nullable() });

/**
 * An agent sets its own avatar (an admin or API key any agent's); staff read where it is; anyone
 * fetches the image by its path (visitors' pages show it without a token).
 */
export function registerAgentAvatarRoutes(http: HttpServer, { avatars, identity, auth }: { avatars: AgentAvatars; identity: IdentityService; auth: AuthHooks }) {
  const tags = ['agents'];
  const staff = auth.staff('agent');

  /** The agent of the app whose avatar the caller may change: itself, or any with the admin role. */
  async function changeable(principal: Principal, agentId: string): Promise<void> {
    await identity.getAgent(principal.appId, agentId);
    const isSelf = principal.kind === 'agent' && principal.agentId === agentId;
    if (!isSelf && !hasRole(principal, 'admin')) throw new DomainError('FD_AUTH_FORBIDDEN', "only the agent or an admin changes an agent's avatar");
  }

  http.get(
    '/v1/agents/:id/avatar',
    { preHandler: staff, schema: { tags, summary: "Where an agent's avatar is (null when it has none)", params: IdParams, response: { 200: AvatarReply } } },
    async (request) => {
      const { appId } = principalOf(request);
      await identity.getAgent(appId, request.params.id);
      return { avatarUrl: (await avatars.pathsOf(appId, [request.params.id])).get(request.params.id) ?? null };
    },
  );

  http.delete(
    '/v1/agents/:id/avatar',
    { preHandler: staff, schema: { tags, summary: "Remove an agent's avatar (itself, or an admin)", params: IdParams, response: { 200: AvatarReply } } },
    async (request) => {
      const principal = principalOf(request);
      await changeable(principal, request.params.id);
      await avatars.remove(principal.appId, request.params.id);
      return { avatarUrl: null };
    },
  );

  // The body is the image, up to AVATAR_MAX_BYTES; its type is read from its bytes.
  http.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: AVATAR_MAX_BYTES }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((err: { code?: string }, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'FD_FILE_TOO_LARGE', `an avatar is at most ${AVATAR_MAX_BYTES} bytes`);
      throw err;
    });
    scope.put(
      '/v1/agents/:id/avatar',
      { preHandler: staff, schema: { tags, summary: "Set an agent's avatar: the body is a PNG, JPEG, GIF or WebP image (itself, or an admin)", params: IdParams, response: { 200: AvatarReply } } },
      async (request) => {
        const principal = principalOf(request);
        await changeable(principal, request.params.id);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return { avatarUrl: await avatars.set(principal.appId, request.params.id, bytes) };
      },
    );
  });

  http.get(
    '/v1/avatars/:appId/:agentId',
    { schema: { tags, summary: "An agent's avatar image (public: its path changes with each new image)", params: z.object({ appId: z.string().min(1).max(64), agentId: z.string().min(1).max(64) }) } },
    async (request, reply) => {
      const avatar = await avatars.get(request.params.appId, request.params.agentId);
      if (!avatar) return sendError(reply, 'FD_REQ_NOT_FOUND', 'no avatar');
      return reply
        .header('content-type', avatar.mimeType)
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(avatar.bytes);
    },
  );
}
