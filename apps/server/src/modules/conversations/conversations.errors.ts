import { DomainError } from '../../platform/errors.ts';

export type ConversationErrorCode =
  | 'FD_CONVERSATION_NOT_FOUND'
  | 'FD_CONVERSATION_CLOSED'
  | 'FD_CONVERSATION_ALREADY_CLAIMED'
  | 'FD_CONVERSATION_NOT_PARTICIPANT'
  | 'FD_MESSAGE_CLIENT_ID_CONFLICT'
  | 'FD_FILE_NOT_FOUND'
  | 'FD_FILE_TOO_LARGE'
  | 'FD_FILE_TYPE_NOT_ALLOWED'
  | 'FD_RATING_NOT_FOUND'
  | 'FD_REQ_INVALID'
  | 'FD_AUTH_FORBIDDEN'
  | 'FD_AGENT_AT_CAPACITY'
  | 'FD_AGENT_NOT_FOUND';
export class ConversationError extends DomainError<ConversationErrorCode> {}
