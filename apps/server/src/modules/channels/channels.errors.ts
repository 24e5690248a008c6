import { DomainError } from '../../platform/errors.ts';

export type ChannelErrorCode = 'FD_CHANNEL_NOT_FOUND' | 'FD_CHANNEL_IS_DEFAULT' | 'FD_FAQ_NOT_FOUND' | 'FD_FAQ_LIMIT_REACHED' | 'FD_QUEUE_NOT_FOUND' | 'FD_REQ_INVALID'
  | 'FD_CHANNEL_SIGNATURE_INVALID'
  | 'FD_CHANNEL_WINDOW_CLOSED'
  | 'FD_CHANNEL_NOT_CONNECTED'
  | 'FD_CHANNEL_TEMPLATE_NOT_FOUND'
  | 'FD_CHANNEL_PROVIDER_FAILED';
export class ChannelError extends DomainError<ChannelErrorCode> {}
