import { DomainError } from '../../platform/errors.ts';

export type TenancyErrorCode = 'FD_APP_NOT_FOUND' | 'FD_APP_ID_TAKEN' | 'FD_REQ_NOT_FOUND';
export class TenancyError extends DomainError<TenancyErrorCode> {}
