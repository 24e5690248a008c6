/**
 * @frontdesk/sdk-visitor: the framework-free visitor SDK. The widget is built on it, and a
 * business can use it headless for its own chat UI. Imports only TYPES from
 * @frontdesk/protocol (no zod in the browser bundle), never server code.
 */
export { createVisitorClient, VisitorClient } from './visitor-client.ts';
export type { ContactProfileInput, VisitContext } from './visitor-contact.ts';
export type { Contact } from '@frontdesk/protocol';
export { ExponentialBackoffPolicy, type ExponentialBackoffOptions, type ReconnectContext, type ReconnectPolicy } from '@frontdesk/sdk-core';
export type { LogLevel, LogRecord, LogSink } from '@frontdesk/sdk-core';
export {
  VisitorSdkError,
  type Call,
  type CallEndReason,
  type CallKind,
  type CallMediaState,
  type CallParticipant,
  type CallPhase,
  type ChannelPublicView,
  type CobrowseCommand,
  type CobrowseFrame,
  type CobrowseInput,
  type CobrowseSession,
  type ConnectionState,
  type Conversation,
  type ConversationAgent,
  type DeviceChoice,
  type HistoryPage,
  type KeyValueStorage,
  type LocationInput,
  type Message,
  type MessageStatus,
  type MediaDeviceLists,
  type MessageStatusEvent,
  type PartyRef,
  type QueuePositionData,
  type Rating,
  type ReadEventData,
  type SdkErrorCode,
  type StateChange,
  type TypingEventData,
  type UploadProgress,
  type VisitorClientOptions,
  type VisitorEventName,
  type VisitorEvents,
  type VisitorDetailsInput,
  type VisitorIdentity,
  type WebSocketConstructor,
  type WebSocketLike,
} from './types.ts';
