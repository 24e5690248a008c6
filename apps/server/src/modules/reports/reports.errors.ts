import { DomainError } from '../../platform/errors.ts';

export type ReportsErrorCode = 'FD_CDR_NOT_FOUND' | 'FD_DATA_PUSH_NOT_CONFIGURED';
export class ReportsError extends DomainError<ReportsErrorCode> {}
