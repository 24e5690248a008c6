/**
 * Identity owns agents, visitors and session tokens: password hashes (scrypt), JWT
 * sessions, and the resolution of any bearer (agent, visitor, API key) to a principal.
 */
export { createIdentityService, type IdentityService } from './identity.service.ts';
export { createTokenSigner, type TokenSigner } from './tokens.ts';
export { registerIdentityRoutes } from './identity.routes.ts';
