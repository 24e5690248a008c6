import { DomainError } from '../../platform/errors.ts';

export type WebhookErrorCode =
  | 'FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND'
  | 'FD_WEBHOOK_SUBSCRIPTION_LIMIT_REACHED'
  | 'FD_WEBHOOK_URL_INVALID'
  | 'FD_WEBHOOK_URL_NOT_ALLOWED'
  | 'FD_WEBHOOK_DELIVERY_NOT_FOUND'
  | 'FD_REQ_INVALID';
export class WebhookError extends DomainError<WebhookErrorCode> {}
