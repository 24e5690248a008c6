import { DomainError } from '../../platform/errors.ts';

export type RecordingsErrorCode = 'FD_RECORDING_NOT_FOUND' | 'FD_RECORDING_NOT_READY' | 'FD_RECORDING_LINK_INVALID' | 'FD_REQ_INVALID';

export class RecordingsError extends DomainError<RecordingsErrorCode> {}
