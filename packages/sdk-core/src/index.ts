/**
 * @frontdesk/sdk-core: the pieces both browser SDKs (visitor and agent) are built from: the error
 * model, named loggers, a typed event emitter, the reconnect policy and the outbox's resend policy.
 * Framework-free, no dependencies, no runtime imports. The call side (WebRTC) is the `./calls`
 * subpath (calls.ts), apart so that an SDK loads it only when it needs it.
 */
export { Emitter } from './emitter.ts';
export {
  AGENT_SDK_ERROR_CODES,
  isConnectionLost,
  isTransientRefusal,
  MEDIA_ERROR_CODES,
  SdkError,
  toSdkError,
  TRANSIENT_SERVER_CODES,
  VISITOR_SDK_ERROR_CODES,
  type AgentSdkErrorCode,
  type MediaErrorCode,
  type VisitorSdkErrorCode,
} from './errors.ts';
export { createLogger, type LogLevel, type LogRecord, type LogSink, type Logger } from './logger.ts';
export { Outbox, type OutboxItem, type OutboxOptions, type OutboxStorage } from './outbox.ts';
export { ExponentialBackoffPolicy, type ExponentialBackoffOptions, type ReconnectContext, type ReconnectPolicy } from './reconnect-policy.ts';
