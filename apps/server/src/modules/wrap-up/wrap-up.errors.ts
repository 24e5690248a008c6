import { DomainError } from '../../platform/errors.ts';

export type WrapUpErrorCode = 'FD_WRAP_UP_LABEL_NOT_FOUND' | 'FD_WRAP_UP_LABEL_TAKEN' | 'FD_WRAP_UP_LABEL_LIMIT_REACHED' | 'FD_WRAP_UP_LABEL_INVALID';
export class WrapUpError extends DomainError<WrapUpErrorCode> {}
