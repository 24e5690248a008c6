import type { FastifyRequest } from 'fastify';
import type { Role } from '@frontdesk/protocol';
import { DomainError } from '../errors.ts';
import { hasRole, type Principal } from '../principal.ts';

export type ResolvePrincipal = (bearer: string) => Promise<Principal>;

export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Builds preHandlers that resolve `request.principal` from the bearer token and check it. */
export function createAuthHooks(resolve: ResolvePrincipal) {
  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const token = bearerOf(request);
    if (!token) throw new DomainError('FD_AUTH_REQUIRED', 'missing Authorization: Bearer token');
    request.principal = await resolve(token);
    return request.principal;
  }
  return {
    /** Any principal: agent, visitor or API key. */
    anyone: async (request: FastifyRequest) => {
      await authenticate(request);
    },
    /** Staff: an agent of at least `role`, or an API key. */
    staff:
      (role: Role = 'agent') =>
      async (request: FastifyRequest) => {
        const principal = await authenticate(request);
        if (principal.kind === 'visitor' || !hasRole(principal, role)) {
          throw new DomainError('FD_AUTH_FORBIDDEN', `requires the ${role} role`);
        }
      },
  };
}

export type AuthHooks = ReturnType<typeof createAuthHooks>;

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('FD_AUTH_REQUIRED', 'not authenticated');
  return request.principal;
}
