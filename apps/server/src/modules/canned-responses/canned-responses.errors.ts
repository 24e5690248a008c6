import { DomainError } from '../../platform/errors.ts';

export type CannedResponseErrorCode = 'FD_CANNED_RESPONSE_NOT_FOUND' | 'FD_CANNED_RESPONSE_SHORTCUT_TAKEN' | 'FD_CANNED_RESPONSE_LIMIT_REACHED';
export class CannedResponseError extends DomainError<CannedResponseErrorCode> {}
