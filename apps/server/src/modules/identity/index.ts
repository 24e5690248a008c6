/**
 * Identity owns agents, visitors and session tokens: password hashes (scrypt), JWT
 * sessions, and the resolution of any bearer (agent, visitor, API key) to a principal. An agent
 * login replaces the agent's sessions of other browsers (agent-sessions.ts); SDK login URLs are
 * single-use and live 10 minutes (sdk-login.ts). Visitors are identified per channel mode
 * (anonymous, hmac, token, auth-v2, vtc: visitor-sessions.ts) before any session is given; an
 * identified visitor is the app's one visitor per external id; VTC third-party users live here too.
 */
export { createIdentityService, type IdentityService } from './identity.service.ts';
export { createTokenSigner, type TokenSigner } from './tokens.ts';
export { createLoginThrottle, type LoginThrottle } from './login-throttle.ts';
export { registerIdentityRoutes } from './identity.routes.ts';
/** Agents' avatars: one small raster image each, served publicly by a versioned path. */
export { createAgentAvatars, type AgentAvatars } from './agent-avatars.ts';
export { registerAgentAvatarRoutes } from './agent-avatars.routes.ts';
export { createAgentSessions, type AgentSessions } from './agent-sessions.ts';
export { createSdkLogin, registerSdkLoginRoutes, type SdkLogin } from './sdk-login.ts';
export { checkValidateUrl } from './token-validator.ts';
export { signAuthV2, verifyAuthV2, formatAuthV2Timestamp, AUTH_V2_CONTENT_TYPE, AUTH_V2_URI } from './auth-v2.ts';
export { userHashOf } from './user-hash.ts';
export type { IdentityEvents } from './identity.events.ts';
