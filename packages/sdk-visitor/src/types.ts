import type { Call, CallShareEvent, CobrowseInput, CobrowseSession, CallEndReason, CallKind, CallParticipant, CallPhase, ChannelPublicView, Conversation, ConversationAgent, Message, PartyRef, Rating, SenderType, VisitorDetailsInput, VisitorIdentity } from '@frontdesk/protocol';
import { SdkError, type LogSink, type MediaErrorCode, type ReconnectPolicy, type VisitorSdkErrorCode } from '@frontdesk/sdk-core';
import type { CallMediaState, DeviceChoice, MediaConstraintsOption, MediaDeviceLists } from '@frontdesk/sdk-core/calls';

/** Where the visitor token lives between page loads (the shape of `localStorage`). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The parts of the standard WebSocket the SDK uses (browsers, Node ≥ 22, the `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface VisitorClientOptions {
  /** The Frontdesk server, e.g. `https://chat.example.com` (no trailing path). */
  baseUrl: string;
  appId: string;
  /** The web channel conversations open in; the app's default channel when left out. */
  channelId?: string;
  /** Who the visitor is (anonymous, hmac, token, auth-v2, vtc), passed verbatim to `POST /v1/visitor/session`. */
  identity?: VisitorIdentity;
  /** Display name of an anonymous visitor. */
  name?: string;
  /** BCP 47 tag ('zh', 'en', 'ar'…), sent as `Accept-Language`. */
  locale?: string;
  /** Default: `localStorage` when present, else memory (a reload starts a new visitor). */
  storage?: KeyValueStorage;
  /** Default: the global `WebSocket`; Node 20 needs one injected (e.g. from the `ws` package). */
  WebSocket?: WebSocketConstructor;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: exponential backoff with jitter, never giving up (see `ExponentialBackoffPolicy`). */
  reconnectPolicy?: ReconnectPolicy;
  /** Receives every SDK log record; nothing is logged when left out. */
  logger?: LogSink;
  /**
   * A lower file size limit for this client, in bytes (see `VisitorClient.uploadMaxBytes`). The
   * server's own (`limits.uploadMaxBytes` of the channel's public view) always applies: a higher
   * value here changes nothing.
   */
  uploadMaxBytes?: number;
  /** Minimum gap between two `typing: true` frames. Default 3000. */
  typingThrottleMs?: number;
  /**
   * Extra constraints for the microphone and camera of calls, e.g. `{ audio: { echoCancellation: false } }`;
   * the chosen devices (`switchDevices`) apply over them.
   */
  mediaConstraints?: MediaConstraintsOption;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Life of a message the visitor sent: queued locally, stored by the server, or refused. */
export type MessageStatus = 'pending' | 'sent' | 'failed';

export interface LocationInput {
  /** −90 … 90 */
  latitude: number;
  /** −180 … 180 */
  longitude: number;
  name?: string;
  address?: string;
}

/** What the SDK knows of a message the visitor is sending. */
export interface MessageStatusEvent {
  clientId: string;
  conversationId: string | null;
  status: MessageStatus;
  kind: 'text' | 'location' | 'file' | 'image';
  /** The text, the file name, or the location's name. */
  text: string;
  /** The stored message, once `sent`. */
  message?: Message;
  /** Why it `failed`. */
  error?: VisitorSdkError;
}

export interface TypingEventData {
  conversationId: string;
  senderType: SenderType;
  senderId: string;
  isTyping: boolean;
}

export interface ReadEventData {
  conversationId: string;
  senderType: SenderType;
  senderId: string;
  seq: number;
}

export interface QueuePositionData {
  conversationId: string;
  position: number;
  estimatedWaitSeconds: number | null;
  /** The channel's reminder text with its placeholders filled in. */
  text: string;
}

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
}

export interface VisitorEvents {
  /** A message of one of the visitor's conversations, once, in seq order per conversation. */
  message: Message;
  messageStatus: MessageStatusEvent;
  /** The agent (or bot) started or stopped typing. */
  typing: TypingEventData;
  /** The agent read up to `seq`. */
  read: ReadEventData;
  /** The conversation changed: an agent was assigned (`agentId`), it ended (`status`, `closeBy`)… */
  conversation: Conversation;
  queuePosition: QueuePositionData;
  /** Data the business backend pushed (transparent channel), base64. */
  transparent: { data: string };
  /**
   * Co-browsing (SPEC M32): a session changed (`cobrowse`: proposed, live, control asked for,
   * ended), a viewer asks the page for a fresh snapshot, or a viewer's annotation or granted
   * control action arrived (`cobrowse.input`).
   */
  cobrowse: CobrowseFrame;
  state: StateChange;
  error: VisitorSdkError;
  /**
   * A call of the visitor changed: every view the server sends. An agent calling the visitor rings
   * with the visitor's leg `ringing` (answer with `acceptCall`, or `refuseCall`).
   */
  call: Call;
  /** A call's phase changed: requested → queued → ringing → connecting → active ⇄ held → ended. */
  callState: { call: Call; phase: CallPhase; previous: CallPhase | null };
  /** A call ended (once), with its reason (`visitor_hung_up`, `agent_hung_up`, `media_failure`…) and who ended it. */
  callEnded: { call: Call; reason: CallEndReason | null; hungUpSide: Call['hungUpSide'] };
  /** The agent's (or another party's) media to render in a `<video>`; null once it stopped (render nothing). */
  remoteStream: { callId: string; party: PartyRef; stream: MediaStream | null };
  /** The visitor's own camera and microphone (a self view: mute the element), or null once the call's media stopped. */
  localStream: { callId: string; stream: MediaStream | null };
  /** The call's media failed (it could not be published or rejoined); the call goes on until it is hung up. */
  callError: { callId: string; error: VisitorSdkError };
  /**
   * The agent took a photo with the visitor's camera (asked in a video call; the SDK takes and
   * uploads it): its image message and size. Tell the visitor (the widget writes a notice).
   */
  photoTaken: { callId: string; requestId: string; message: Message; width: number; height: number };
  /** The agent asked for a photo and this page could not take one (no camera, the camera off or refused): the agent was told. */
  photoFailed: { callId: string; requestId: string; reason: string };
  /**
   * Screen share in a call (`event`): `invited` — the agent asks the visitor to share a screen: ask
   * for consent, then `shareScreen()` (the browser's picker follows) or `declineScreenShare()`; `open`
   * / `close` — a screen is shared / no more (`by` says whose; `shares` what is shared now).
   */
  screenShare: CallShareEvent;
  /** Another party's shared screen to render (a second video beside the camera's), or null once it closed. */
  remoteScreen: { callId: string; party: PartyRef; stream: MediaStream | null };
  /** The visitor's own shared screen (show "you are sharing" and a Stop button), or null once it stopped. */
  localScreen: { callId: string; stream: MediaStream | null };
}
export type VisitorEventName = keyof VisitorEvents;

/** A co-browse command of the visitor (`VisitorClient.cobrowse`). */
export type CobrowseCommand =
  | { type: 'cobrowse.start'; conversationId: string }
  | { type: 'cobrowse.consent'; sessionId: string; accept: boolean }
  | { type: 'cobrowse.control'; sessionId: string; action: 'grant' | 'deny' | 'revoke' }
  | { type: 'cobrowse.end'; sessionId: string }
  | { type: 'cobrowse.list'; conversationId: string };

/** What the server says of the visitor's co-browse (the `cobrowse` event). */
export type CobrowseFrame =
  | { type: 'cobrowse'; session: CobrowseSession }
  | { type: 'cobrowse.snapshot-request'; sessionId: string }
  | { type: 'cobrowse.input'; sessionId: string; from: string; input: CobrowseInput };

export interface HistoryPage {
  messages: Message[];
  /** The conversation's newest seq when the page was read. */
  lastSeq: number;
  /** True when more messages follow this page: ask again with `afterSeq` = the last seq of this page. */
  hasMore: boolean;
}

export interface UploadProgress {
  loadedBytes: number;
  totalBytes: number;
}

export type { ChannelPublicView, CobrowseInput, CobrowseSession, Conversation, ConversationAgent, Message, Rating, VisitorDetailsInput, VisitorIdentity };
export type { Call, CallEndReason, CallKind, CallMediaState, CallParticipant, CallPhase, DeviceChoice, MediaConstraintsOption, MediaDeviceLists, PartyRef };

/** Error codes the SDK adds to the server's `FD_…` catalogue (listed in @frontdesk/sdk-core). */
export type SdkErrorCode = VisitorSdkErrorCode | MediaErrorCode;

/**
 * Every failure the SDK reports, `{ code, message, status? }`: a server error code
 * (`FD_FILE_TOO_LARGE`…) or an SDK one. The published name of sdk-core's `SdkError`, the one error
 * class of both SDKs.
 */
export const VisitorSdkError = SdkError;
export type VisitorSdkError = SdkError;
