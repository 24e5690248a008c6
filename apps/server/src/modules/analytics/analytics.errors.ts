import { DomainError } from '../../platform/errors.ts';

export type AnalyticsErrorCode = 'FD_REPORT_RANGE_INVALID' | 'FD_REPORT_RANGE_TOO_LARGE' | 'FD_REPORT_TIMEZONE_INVALID';
export class AnalyticsError extends DomainError<AnalyticsErrorCode> {}
