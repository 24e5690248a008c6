import { DomainError } from '../../platform/errors.ts';

export type ChannelErrorCode = 'FD_CHANNEL_NOT_FOUND' | 'FD_CHANNEL_IS_DEFAULT' | 'FD_FAQ_NOT_FOUND' | 'FD_FAQ_LIMIT_REACHED' | 'FD_QUEUE_NOT_FOUND' | 'FD_REQ_INVALID';
export class ChannelError extends DomainError<ChannelErrorCode> {}
