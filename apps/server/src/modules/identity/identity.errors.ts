import { DomainError } from '../../platform/errors.ts';

export type IdentityErrorCode =
  | 'FD_AUTH_INVALID_CREDENTIALS'
  | 'FD_AUTH_TOKEN_INVALID'
  | 'FD_AGENT_NOT_FOUND'
  | 'FD_AGENT_EMAIL_TAKEN'
  | 'FD_AGENT_DISABLED'
  | 'FD_VISITOR_NOT_FOUND'
  | 'FD_AUTH_ORIGIN_NOT_ALLOWED';
export class IdentityError extends DomainError<IdentityErrorCode> {}
