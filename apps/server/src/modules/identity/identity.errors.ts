import { DomainError } from '../../platform/errors.ts';

export type IdentityErrorCode =
  | 'FD_AUTH_INVALID_CREDENTIALS'
  | 'FD_AUTH_TOKEN_INVALID'
  | 'FD_AGENT_NOT_FOUND'
  | 'FD_AGENT_EMAIL_TAKEN'
  | 'FD_AGENT_DISABLED'
  | 'FD_VISITOR_NOT_FOUND'
  | 'FD_AUTH_ORIGIN_NOT_ALLOWED'
  // agent sessions and SDK login (agent-sessions.ts, sdk-login.ts)
  | 'FD_AUTH_SESSION_REPLACED'
  | 'FD_AUTH_SDK_LOGIN_TOKEN_INVALID'
  // visitor identity modes (identity.ts of the protocol)
  | 'FD_IDENTITY_REQUIRED'
  | 'FD_IDENTITY_MODE_MISMATCH'
  | 'FD_IDENTITY_INVALID'
  | 'FD_IDENTITY_EXPIRED'
  | 'FD_IDENTITY_REPLAYED'
  | 'FD_IDENTITY_NOT_CONFIGURED'
  | 'FD_IDENTITY_VALIDATE_FAILED'
  | 'FD_IDENTITY_VALIDATE_URL_NOT_ALLOWED';
export class IdentityError extends DomainError<IdentityErrorCode> {}
