import type { ErrorCode } from '@frontdesk/protocol';
import { assertNever } from '../errors.ts';

/** Every catalogued code has one HTTP status; a new code that is not mapped here does not compile. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'FD_REQ_INVALID':
    case 'FD_MESSAGE_CLIENT_ID_CONFLICT':
    case 'FD_WS_UNKNOWN_FRAME':
    case 'FD_WEBHOOK_URL_INVALID':
    case 'FD_WEBHOOK_URL_NOT_ALLOWED':
    case 'FD_IDENTITY_MODE_MISMATCH':
    case 'FD_IDENTITY_VALIDATE_URL_NOT_ALLOWED':
      return 400;
    case 'FD_AUTH_REQUIRED':
    case 'FD_AUTH_INVALID_CREDENTIALS':
    case 'FD_AUTH_TOKEN_INVALID':
    case 'FD_WS_NOT_AUTHENTICATED':
    case 'FD_WS_KICKED_OUT':
    case 'FD_AUTH_SESSION_REPLACED':
    case 'FD_AUTH_SDK_LOGIN_TOKEN_INVALID':
    case 'FD_IDENTITY_REQUIRED':
    case 'FD_IDENTITY_INVALID':
    case 'FD_IDENTITY_EXPIRED':
    case 'FD_IDENTITY_REPLAYED':
      return 401;
    case 'FD_AUTH_FORBIDDEN':
    case 'FD_AUTH_ORIGIN_NOT_ALLOWED':
    case 'FD_AGENT_DISABLED':
    case 'FD_CONVERSATION_NOT_PARTICIPANT':
      return 403;
    case 'FD_REQ_NOT_FOUND':
    case 'FD_APP_NOT_FOUND':
    case 'FD_AGENT_NOT_FOUND':
    case 'FD_VISITOR_NOT_FOUND':
    case 'FD_CONVERSATION_NOT_FOUND':
    case 'FD_FILE_NOT_FOUND':
    case 'FD_RATING_NOT_FOUND':
    case 'FD_CANNED_RESPONSE_NOT_FOUND':
    case 'FD_CHANNEL_NOT_FOUND':
    case 'FD_FAQ_NOT_FOUND':
    case 'FD_QUEUE_NOT_FOUND':
    case 'FD_QUEUE_GROUP_NOT_FOUND':
    case 'FD_AREA_NOT_FOUND':
    case 'FD_ROUTING_QUEUE_NOT_FOUND':
    case 'FD_ROUTING_AGENT_NOT_FOUND':
    case 'FD_ROUTING_SESSION_NOT_FOUND':
    case 'FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND':
    case 'FD_WEBHOOK_DELIVERY_NOT_FOUND':
    case 'FD_CDR_NOT_FOUND':
    case 'FD_DATA_PUSH_NOT_CONFIGURED':
    case 'FD_DATA_PUSH_DELIVERY_NOT_FOUND':
      return 404;
    case 'FD_APP_ID_TAKEN':
    case 'FD_NUMERIC_ID_TAKEN':
    case 'FD_AGENT_EMAIL_TAKEN':
    case 'FD_CONVERSATION_CLOSED':
    case 'FD_CONVERSATION_ALREADY_CLAIMED':
    case 'FD_CANNED_RESPONSE_SHORTCUT_TAKEN':
    case 'FD_AGENT_AT_CAPACITY':
    case 'FD_CHANNEL_IS_DEFAULT':
    case 'FD_FAQ_LIMIT_REACHED':
    case 'FD_QUEUE_IN_USE':
    case 'FD_AREA_IN_USE':
    case 'FD_ROUTING_SESSION_EXISTS':
    case 'FD_ROUTING_OFFER_NOT_HELD':
    case 'FD_ROUTING_AGENT_UNAVAILABLE':
    case 'FD_ROUTING_SESSION_ENDED':
    case 'FD_WEBHOOK_SUBSCRIPTION_LIMIT_REACHED':
    case 'FD_IDENTITY_NOT_CONFIGURED':
      return 409;
    case 'FD_REQ_PAYLOAD_TOO_LARGE':
    case 'FD_FILE_TOO_LARGE':
      return 413;
    case 'FD_REQ_UNSUPPORTED_MEDIA_TYPE':
    case 'FD_FILE_TYPE_NOT_ALLOWED':
      return 415;
    case 'FD_REQ_RATE_LIMITED':
      return 429;
    case 'FD_INTERNAL':
      return 500;
    case 'FD_IDENTITY_VALIDATE_FAILED':
      return 502;
    case 'FD_STORAGE_UNAVAILABLE':
    case 'FD_SERVER_SHUTTING_DOWN':
      return 503;
    default:
      return assertNever(code);
  }
}
