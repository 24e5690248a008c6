import { DomainError } from '../../platform/errors.ts';

export type ReportsErrorCode = 'FD_CDR_NOT_FOUND' | 'FD_DATA_PUSH_NOT_CONFIGURED' | 'FD_DATA_PUSH_DELIVERY_NOT_FOUND';
export class ReportsError extends DomainError<ReportsErrorCode> {}
