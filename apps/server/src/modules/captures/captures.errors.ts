import { DomainError } from '../../platform/errors.ts';

export type CapturesErrorCode = 'FD_CALL_NOT_FOUND' | 'FD_CALL_NOT_PARTICIPANT' | 'FD_CALL_NOT_ALLOWED' | 'FD_CALL_ENDED' | 'FD_CAPTURE_GRANT_INVALID' | 'FD_FILE_TYPE_NOT_ALLOWED' | 'FD_AUTH_FORBIDDEN';

export class CapturesError extends DomainError<CapturesErrorCode> {}
