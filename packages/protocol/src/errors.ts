/**
 * The one catalogue of error codes, grouped by area. A code is never reused for a
 * different error once published. The server maps each code to an HTTP status in
 * one exhaustive switch; WebSocket replies carry the same `{ code, message }`.
 */
export const ERROR_CODES = [
  // request shape
  'FD_REQ_INVALID',
  'FD_REQ_NOT_FOUND',
  'FD_REQ_PAYLOAD_TOO_LARGE',
  'FD_REQ_UNSUPPORTED_MEDIA_TYPE',
  'FD_REQ_RATE_LIMITED',
  // authentication and authorization
  'FD_AUTH_REQUIRED',
  'FD_AUTH_INVALID_CREDENTIALS',
  'FD_AUTH_TOKEN_INVALID',
  'FD_AUTH_FORBIDDEN',
  'FD_AUTH_ORIGIN_NOT_ALLOWED',
  /** The agent session was replaced by a newer login of the same agent (SPEC M6, TCCC kickedOut). */
  'FD_AUTH_SESSION_REPLACED',
  /** An SDK login token that is unknown, already used, expired or for another app (one answer for all). */
  'FD_AUTH_SDK_LOGIN_TOKEN_INVALID',
  // tenancy and identity
  'FD_APP_NOT_FOUND',
  'FD_APP_ID_TAKEN',
  'FD_AGENT_NOT_FOUND',
  'FD_AGENT_EMAIL_TAKEN',
  'FD_AGENT_DISABLED',
  'FD_AGENT_AT_CAPACITY',
  'FD_VISITOR_NOT_FOUND',
  /** A numeric alias (app SdkAppId, queue or area objectid, staff number) already used by another. */
  'FD_NUMERIC_ID_TAKEN',
  // visitor identity (channel identity modes, VTC third-party users)
  'FD_IDENTITY_REQUIRED',
  'FD_IDENTITY_MODE_MISMATCH',
  'FD_IDENTITY_INVALID',
  'FD_IDENTITY_EXPIRED',
  'FD_IDENTITY_REPLAYED',
  'FD_IDENTITY_NOT_CONFIGURED',
  'FD_IDENTITY_VALIDATE_FAILED',
  'FD_IDENTITY_VALIDATE_URL_NOT_ALLOWED',
  // conversations
  'FD_CONVERSATION_NOT_FOUND',
  'FD_CONVERSATION_CLOSED',
  'FD_CONVERSATION_ALREADY_CLAIMED',
  'FD_CONVERSATION_NOT_PARTICIPANT',
  'FD_MESSAGE_CLIENT_ID_CONFLICT',
  'FD_FILE_NOT_FOUND',
  'FD_FILE_TOO_LARGE',
  'FD_FILE_TYPE_NOT_ALLOWED',
  'FD_RATING_NOT_FOUND',
  // workbench: canned responses
  'FD_CANNED_RESPONSE_NOT_FOUND',
  'FD_CANNED_RESPONSE_SHORTCUT_TAKEN',
  /** An agent already keeps MAX_PERSONAL_CANNED_RESPONSES personal canned responses. */
  'FD_CANNED_RESPONSE_LIMIT_REACHED',
  // contacts
  'FD_CONTACT_NOT_FOUND',
  /** A contact merged with itself, or with one already merged away. */
  'FD_CONTACT_MERGE_INVALID',
  /** More custom attributes than a contact may hold (MAX_CONTACT_ATTRIBUTES). */
  'FD_CONTACT_ATTRIBUTES_LIMIT',
  // wrap-up: disposition codes and tags
  'FD_WRAP_UP_LABEL_NOT_FOUND',
  'FD_WRAP_UP_LABEL_TAKEN',
  'FD_WRAP_UP_LABEL_LIMIT_REACHED',
  /** A wrap-up names an archived label, or a tag as the disposition (or the reverse). */
  'FD_WRAP_UP_LABEL_INVALID',
  // channels
  'FD_CHANNEL_NOT_FOUND',
  'FD_CHANNEL_IS_DEFAULT',
  'FD_FAQ_NOT_FOUND',
  'FD_FAQ_LIMIT_REACHED',
  // channels: messaging providers (WhatsApp, Messenger, Telegram, Viber)
  'FD_CHANNEL_SIGNATURE_INVALID',
  'FD_CHANNEL_WINDOW_CLOSED',
  'FD_CHANNEL_NOT_CONNECTED',
  'FD_CHANNEL_TEMPLATE_NOT_FOUND',
  'FD_CHANNEL_PROVIDER_FAILED',
  // routing
  'FD_QUEUE_NOT_FOUND',
  'FD_QUEUE_GROUP_NOT_FOUND',
  'FD_QUEUE_IN_USE',
  'FD_AREA_IN_USE',
  'FD_AREA_NOT_FOUND',
  'FD_ROUTING_QUEUE_NOT_FOUND',
  'FD_ROUTING_AGENT_NOT_FOUND',
  'FD_ROUTING_SESSION_NOT_FOUND',
  'FD_ROUTING_SESSION_EXISTS',
  'FD_ROUTING_OFFER_NOT_HELD',
  'FD_ROUTING_AGENT_UNAVAILABLE',
  'FD_ROUTING_SESSION_ENDED',
  // calls
  'FD_CALL_NOT_FOUND',
  'FD_CALL_EXISTS',
  'FD_CALL_ENDED',
  'FD_CALL_AGENT_AT_CAPACITY',
  'FD_CALL_VISITOR_IN_CALL',
  'FD_CALL_CONVERSATION_IN_CALL',
  'FD_CALL_NOT_PARTICIPANT',
  'FD_CALL_ALREADY_PARTICIPANT',
  'FD_CALL_NOT_ALLOWED',
  'FD_CALL_INVITE_PENDING',
  'FD_CALL_PARTICIPANT_LIMIT',
  /** The channel does not offer this kind of call. */
  'FD_CALL_NOT_ENABLED',
  /** Nobody can take the call now: no queue for calls and no agent in the conversation. */
  'FD_CALL_NO_AGENT',
  /** The media server is down or unreachable; chat is unaffected. */
  'FD_CALL_MEDIA_UNAVAILABLE',
  // call captures (snapshots, photos)
  /** A photo upload whose request grant was altered, expired, or names another call. */
  'FD_CAPTURE_GRANT_INVALID',
  /** The agent to transfer a call to (or to call) is in another call or cannot take one now. */
  'FD_CALL_AGENT_BUSY',
  /** The agent called (internal call) is signed out. */
  'FD_CALL_AGENT_OFFLINE',
  // recordings
  'FD_RECORDING_NOT_FOUND',
  /** The recording's files are not made yet (the call is on, or post-processing runs). */
  'FD_RECORDING_NOT_READY',
  /** A download link that expired, was altered, or names another app's recording. */
  'FD_RECORDING_LINK_INVALID',
  // supervision
  /** Intercept needs the supervisor to be supervising the conversation (TCCC: 被强拆的会话必须处于被监听状态). */
  'FD_SUPERVISION_NOT_ACTIVE',
  /** Nobody to whisper to or take over from (no agent holds it), or the supervisor holds it already. */
  'FD_SUPERVISION_NOT_ALLOWED',
  // co-browse
  'FD_COBROWSE_NOT_FOUND',
  /** The conversation has a co-browse going on already (one at a time). */
  'FD_COBROWSE_ACTIVE',
  /** Not this principal's step in this session's state (control before consent, a viewer who may not watch…). */
  'FD_COBROWSE_NOT_ALLOWED',
  'FD_COBROWSE_ENDED',
  // webhooks
  'FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND',
  'FD_WEBHOOK_SUBSCRIPTION_LIMIT_REACHED',
  'FD_WEBHOOK_URL_INVALID',
  'FD_WEBHOOK_URL_NOT_ALLOWED',
  'FD_WEBHOOK_DELIVERY_NOT_FOUND',
  // reports
  'FD_CDR_NOT_FOUND',
  'FD_DATA_PUSH_NOT_CONFIGURED',
  'FD_DATA_PUSH_DELIVERY_NOT_FOUND',
  // analytics
  /** `from` or `to` is neither ms since the epoch nor ISO 8601, or `to` is not after `from`. */
  'FD_REPORT_RANGE_INVALID',
  /** The range is longer than a report covers (400 days, or more buckets than 2,000). */
  'FD_REPORT_RANGE_TOO_LARGE',
  /** `tz` is not an IANA time zone. */
  'FD_REPORT_TIMEZONE_INVALID',
  // realtime
  'FD_WS_NOT_AUTHENTICATED',
  'FD_WS_KICKED_OUT',
  'FD_WS_UNKNOWN_FRAME',
  // platform
  'FD_STORAGE_UNAVAILABLE',
  /** The server is saturated: nothing was done; send the same request again after `retryAfterMs`. */
  'FD_BUSY',
  'FD_SERVER_SHUTTING_DOWN',
  'FD_INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** FD_BUSY: how long to wait before sending the same request again (ms). */
  retryAfterMs?: number;
}

/** WebSocket close codes (4000–4999); the close reason is the error code string. */
export const CLOSE_CODES = {
  notAuthenticated: 4001,
  originNotAllowed: 4003,
  kickedOut: 4009,
  idleTimeout: 4010,
  /** A newer login of the same agent replaced this session (reason FD_AUTH_SESSION_REPLACED). */
  sessionReplaced: 4011,
  protocolError: 4400,
  rateLimited: 4429,
  slowConsumer: 4408,
  serverShutdown: 4503,
} as const;
