import { DomainError } from '../../platform/errors.ts';

export type SupervisionErrorCode = 'FD_AUTH_FORBIDDEN' | 'FD_CONVERSATION_CLOSED' | 'FD_MESSAGE_CLIENT_ID_CONFLICT' | 'FD_SUPERVISION_NOT_ACTIVE' | 'FD_SUPERVISION_NOT_ALLOWED';
export class SupervisionError extends DomainError<SupervisionErrorCode> {}
