import { DomainError } from '../../platform/errors.ts';

export type CobrowseErrorCode = 'FD_AUTH_FORBIDDEN' | 'FD_CONVERSATION_CLOSED' | 'FD_COBROWSE_NOT_FOUND' | 'FD_COBROWSE_ACTIVE' | 'FD_COBROWSE_NOT_ALLOWED' | 'FD_COBROWSE_ENDED';
export class CobrowseError extends DomainError<CobrowseErrorCode> {}
