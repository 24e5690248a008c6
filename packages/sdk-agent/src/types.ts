/**
 * The public types of the agent SDK. Shaped like the TCCC agent Web SDK (seed 004):
 * namespaces `Agent`, `Chat`, `Call`, `Video`, `Devices`, `UI`, `on`/`off` events, and calls that
 * resolve to `{ status: 'success', data } | { status: 'error', errorMsg, errorCode }` (they never reject).
 *
 * Vocabulary (packages/protocol/README.md): a TCCC `sessionId`, and "session" in the TCCC-named
 * events and methods below, is a Frontdesk conversation; `skillGroupId` is a queue id; `userId`
 * (transfer target) is an agent id. The agent's signed-in session is its login.
 *
 * NOTE: only `import type` from @frontdesk/protocol here and everywhere in this package, so the
 * browser bundle never pulls zod.
 */
import type {
  Agent,
  AgentState,
  AgentStatus,
  Call,
  CallKind,
  CallNoticeEvent,
  CannedResponse,
  CloseBy,
  Conversation,
  ConversationNote,
  ErrorCode,
  Message,
  PartyRef,
  Visitor,
} from '@frontdesk/protocol';
import type { AgentSdkErrorCode, LogLevel, MediaErrorCode, ReconnectPolicy } from '@frontdesk/sdk-core';
import type { CallMediaState, DeviceChoice, MediaConstraintsOption, MediaDeviceLists } from '@frontdesk/sdk-core/calls';
import type { RestClient } from './rest.ts';

export type { Agent, AgentState, AgentStatus, Call, CallKind, CannedResponse, CloseBy, Conversation, ConversationNote, Message, PartyRef, Visitor };
export type { CallMediaState, DeviceChoice, MediaConstraintsOption, MediaDeviceLists };

// ── results ─────────────────────────────────────────────────────────────────────

/** What every SDK call resolves to (TCCC `CommonSDKResponse`, plus `data`). Calls never reject. */
export type SdkResult<T = undefined> =
  | { status: 'success'; data: T; errorMsg?: undefined }
  | {
      status: 'error';
      /** Human-readable, for logs and toasts. */
      errorMsg: string;
      /** A server code from the protocol catalogue, or one of the SDK's own codes. */
      errorCode: ErrorCode | SdkErrorCode;
      data?: undefined;
    };

/**
 * Errors raised by the SDK itself, not the server (listed, with what each means, in
 * @frontdesk/sdk-core `AGENT_SDK_ERROR_CODES`): SDK_NOT_STARTED, SDK_NOT_CONNECTED, SDK_NETWORK,
 * SDK_TIMEOUT, SDK_NOT_SUPPORTED, SDK_DESTROYED, SDK_KICKED_OUT; and a call's media, shared with the
 * visitor SDK (`MEDIA_ERROR_CODES`): FD_SDK_MEDIA_UNSUPPORTED, _PERMISSION_DENIED, _NO_MICROPHONE,
 * _NO_CAMERA, _DEVICE_BUSY, _FAILED.
 */
export type SdkErrorCode = AgentSdkErrorCode | MediaErrorCode;

// ── options ─────────────────────────────────────────────────────────────────────

/** How the client signs in. A `token` is used as is (e.g. from the SDK login URL exchange). */
export type AgentCredentials =
  | { email: string; password: string }
  /** A single-use SDK login token (`POST /v1/agents/:id/sdk-login`), exchanged at `start()`. */
  | { sdkLoginToken: string };

/** Minimal Web Storage; `localStorage` in browsers. Keeps the login token and the browser's device id. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The WebSocket constructor (browser global, or `ws` in Node). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type { LogLevel };
/** Forward SDK logs to your own logger. `context` never holds tokens or passwords. */
export type LogSink = (level: LogLevel, name: string, message: string, context?: Record<string, unknown>) => void;

/** When to retry a lost socket (null = give up); shared with the visitor SDK. */
export type { ReconnectPolicy };

export interface AgentClientOptions {
  /** Server origin, e.g. `https://support.example.com` (no trailing slash needed). */
  baseUrl: string;
  /** The app (tenant) id; needed for a password login and the socket URL. Read from the login token otherwise. */
  appId?: string;
  /** An agent login token already obtained (password login or SDK login exchange). */
  token?: string;
  credentials?: AgentCredentials;
  /** Defaults to `globalThis.WebSocket`; pass `ws` in Node. */
  WebSocket?: WebSocketConstructor;
  /** Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Defaults to `localStorage` when present, else memory. */
  storage?: KeyValueStorage;
  /**
   * Tabs of one browser share one login and one socket (TCCC `enableShared`): one tab is elected
   * leader (Web Locks, BroadcastChannel) and relays. Without it, a login in another tab or browser
   * kicks this one out (`kickedOut`).
   */
  multiTab?: boolean;
  logger?: LogSink;
  /** Minimum level passed to `logger` (default 'info'). */
  logLevel?: LogLevel;
  reconnectPolicy?: ReconnectPolicy;
  /** A request over the socket without a reply after this fails with SDK_TIMEOUT (default 15000). */
  requestTimeoutMs?: number;
  /** Extra constraints for the microphone and camera of calls, e.g. `{ audio: { echoCancellation: false } }`. */
  mediaConstraints?: MediaConstraintsOption;
}

// ── state ───────────────────────────────────────────────────────────────────────

/** `reconnecting` is what a "reconnecting…" banner shows; `disconnected` is final (stopped, kicked, token expired). */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** TCCC setStatus values, plus ours. `notReady` = `not_ready` (示忙), `stopNotReady` = free. */
export type SettableStatus = 'free' | 'rest' | 'not_ready' | 'offline' | 'notReady' | 'stopNotReady';

export interface AgentStatusInfo {
  status: AgentStatus;
  /** The rest (小休) reason, or a supervisor's reason. */
  reason: string | null;
  /** Easemob state code (SPEC M18): '000000' offline, '002000' free, '001000' busy, '005000' wrap-up, '003000'… */
  easemobCode: string;
  at: number;
}

/** A conversation this agent is offered, serving, or sees in a pool; with the live message cache. */
export interface ConversationView {
  conversation: Conversation;
  /** 'offered': ringing for this agent until `offerExpiresAt`; 'pool': anyone of the queue may take it (accept); 'unclaimed': not routed, taken by hand (claim); 'ended': closed while this client watched. */
  role: 'offered' | 'pool' | 'unclaimed' | 'assigned' | 'ended';
  offerExpiresAt: number | null;
  /** Messages known locally, ascending by seq, deduplicated. Older ones come with `Chat.loadHistory`. */
  messages: readonly Message[];
  /** Sends not yet acknowledged, in order (each retried with the same clientId after a reconnect). */
  pending: readonly OutboxEntry[];
  /** Messages with seq > conversation.agentReadSeq that are not the agent's own. */
  unreadCount: number;
  /** Whether the visitor is typing now. */
  isVisitorTyping: boolean;
  /** true when the oldest known message is seq 1 (nothing older to load). */
  hasFullHistory: boolean;
}

export interface OutboxEntry {
  clientId: string;
  conversationId: string;
  kind: 'text' | 'file';
  text: string;
  fileName?: string;
  createdAt: number;
  state: 'sending' | 'failed';
  errorMsg?: string;
}

export interface UiState {
  visible: boolean;
  floatButtonVisible: boolean;
  workbenchVisible: boolean;
  notificationBarVisible: boolean;
  settings: UserCustomSettings;
}
export interface UserCustomSettings {
  disableRingtone: boolean;
  disableNotification: boolean;
}

// ── events ──────────────────────────────────────────────────────────────────────

/** Event payloads by name (TCCC `tccc.events.*`, plus the ones a workbench needs). */
export interface AgentEventMap {
  /** Signed in and connected; safe to call everything. `tabUUID` identifies this tab (new on reload). */
  ready: { tabUUID: string; agent: Agent; isLeader: boolean };
  /** The login token is expired or revoked; log in again. */
  tokenExpired: { message: string };
  /**
   * A session rings for this agent (TCCC 会话呼入): a chat offer (`type: 'im'`, `sessionId` = the
   * conversation), or an audio or video call (`type: 'voip' | 'video'`, `sessionId` = the call;
   * answer with `Call.accept` / `Video.accept`). `timeout` in seconds.
   */
  callIn: CallInEvent;
  /** This agent now serves the session (accepted an offer, took it from a pool, claimed, or got a transfer). */
  userAccessed: { sessionId: string; tabUUID?: string };
  /** The offer rang out and routing gave the session to the next agent (TCCC 会话超时转接). */
  autoTransfer: { sessionId: string };
  /** An offer or pool entry went away without this agent taking it (declined, taken, ended…). */
  offerWithdrawn: { sessionId: string; reason: 'declined' | 'timed_out' | 'taken' | 'ended' | 'unavailable' };
  /**
   * A session this agent served or was offered ended; for a call (`type` voip or video) also its
   * TCCC end status (`ok`, `userReject`, `notAnswer`, `busy`, `callerCancel`, `error`…).
   */
  sessionEnded: { sessionId: string; closeBy: CloseBy | null; type?: 'voip' | 'video'; endStatus?: string };
  /** A call this agent made rings the visitor (TCCC 外呼成功; `tabUUID`: the tab that called out). */
  callOuted: { sessionId: string; type: 'voip' | 'video'; conversationId: string | null; tabUUID?: string };
  /** The visitor answered this agent's call (TCCC 外呼对方接听). */
  calloutAccepted: { sessionId: string };
  /** A call this agent is in (or is rung for) changed: every view the server sends. */
  callUpdated: { call: Call };
  /**
   * Each transition of this agent's part in a call, with the Easemob state code (seed v190307:
   * 004000 ringing, 006013 answered, 005007 the visitor hung up…), the code before it, and the TCCC
   * event that goes with it (what `callIn`, `callOuted`… above are made of). `IMClient` is built on it.
   */
  callNotice: {
    sessionId: string;
    conversationId: string | null;
    code: string;
    previous: string | null;
    tccc: CallNoticeEvent['tccc'];
    about: PartyRef | null;
  };
  /** Another party's media to render (this tab only: streams do not travel between tabs), or null once gone. */
  remoteStream: { sessionId: string; party: PartyRef; stream: MediaStream | null };
  /** The agent's own camera and microphone in a call (this tab only), or null once its media stopped. */
  localStream: { sessionId: string; stream: MediaStream | null };
  /** A call's media failed (publishing gave up, a rejoin failed); the call goes on until it is hung up. */
  callError: { sessionId: string; errorCode: string; errorMsg: string };
  /** A session was transferred away from this agent ('out') or to it ('in'). */
  transfer: { sessionId: string; direction: 'in' | 'out'; toQueueId?: string; toAgentId?: string };
  /** This agent's status changed (by the agent, a supervisor or routing). */
  statusChanged: AgentStatusInfo & { from: AgentStatus };
  /** Supervisors and admins: any agent's status changed (the server sends them every agent's `agent.status`). */
  agentStatus: { agentId: string; from: AgentStatus; status: AgentStatus; reason: string | null; at: number };
  /** A conversation frame arrived (supervisors and admins get one for every routed conversation of the app). */
  conversationUpdated: { conversation: Conversation };
  /**
   * The login ended from elsewhere; the client stops (state `disconnected`) and must log in again.
   * 'replaced': a newer login of this agent in another browser (TCCC multi-login); 'admin': kicked by the server API.
   */
  kickedOut: { reason: 'replaced' | 'admin' };
  /** Socket state for a "reconnecting…" banner. `retryInMs` is set while waiting to retry. */
  connectionStateChanged: { state: ConnectionState; retryCount: number; retryInMs?: number };
  /** The list of sessions (offered, pool, assigned) changed; read `Chat.list()`. */
  sessionsChanged: { sessions: readonly ConversationView[] };
  /** A new message in a session (delivered once per seq, also after resume). */
  message: { sessionId: string; message: Message };
  /** One session's view changed (message, outbox, typing, read, conversation fields). */
  sessionUpdated: { session: ConversationView };
  typing: { sessionId: string; isTyping: boolean; senderType: 'visitor' | 'agent' | 'bot' | 'system' };
  /** The visitor read up to `seq`. */
  read: { sessionId: string; seq: number; senderType: 'visitor' | 'agent' | 'bot' | 'system' };
  /** Data pushed by the business backend (transparent channel, base64). */
  transparent: { data: string };
  /** UI namespace state changed (the workbench re-renders on it). */
  uiChanged: UiState;
  /** This tab became (or stopped being) the tab holding the socket (multiTab only). */
  leaderChanged: { isLeader: boolean; tabUUID: string };
}
export type AgentEventName = keyof AgentEventMap;
export type AgentEventListener<E extends AgentEventName> = (payload: AgentEventMap[E]) => void;

export interface CallInEvent {
  sessionId: string;
  /** 'im': a chat offer; 'voip': an audio call; 'video': a video call. */
  type: 'im' | 'voip' | 'video';
  /** Seconds until the offer rings out (0: does not time out). */
  timeout: number;
  expiresAt: number;
  nickname: string;
  visitorId: string;
  /** The conversation's channel (TCCC `peerSource`); null for calls. */
  peerSource: string | null;
  queueId: string | null;
  remark?: string;
  /** Calls: the visitor (TCCC `userId`) and the call's conversation. */
  userId?: string;
  conversationId?: string | null;
}

// ── namespaces ──────────────────────────────────────────────────────────────────

export interface AgentNamespace {
  /** Go free (TCCC `online`). */
  online(): Promise<SdkResult<AgentStatusInfo>>;
  /** Go offline (TCCC `offline`); the socket stays open for supervisors' messages. */
  offline(): Promise<SdkResult<AgentStatusInfo>>;
  /** Set a status; `restReason` with `rest` (小休). busy and wrap-up are routing's. */
  setStatus(options: { status: SettableStatus; restReason?: string }): Promise<SdkResult<AgentStatusInfo>>;
  /** The last known status (synchronous, like TCCC). */
  getStatus(): AgentStatusInfo;
  /** Status, load and sessions from the server (M21). */
  getState(): Promise<SdkResult<AgentState>>;
  /** The signed-in agent. */
  me(): Agent | null;
}

export interface ChatNamespace {
  /** Accept a ringing offer, or take a session from the pool. */
  accept(options: { sessionId: string }): Promise<SdkResult>;
  /** Decline a ringing offer (it goes to the next agent). */
  decline(options: { sessionId: string }): Promise<SdkResult>;
  /** Take an open unrouted conversation by hand. */
  claim(options: { sessionId: string }): Promise<SdkResult<Conversation>>;
  /** End the session (closeBy 'seat'; 'admin' for a supervisor). */
  end(options: { sessionId: string }): Promise<SdkResult<Conversation>>;
  /** Remove an ended session from the list (the workbench's "close tab"). */
  dismiss(options: { sessionId: string }): void;
  /** Transfer to a queue (`skillGroupId`) or an agent (`userId`), exactly one, with an optional note. */
  transfer(options: { sessionId: string; skillGroupId?: string; userId?: string; note?: string }): Promise<SdkResult>;

  /** Sessions offered to, pooled for, or served by this agent, newest activity first (a snapshot). */
  list(): readonly ConversationView[];
  get(options: { sessionId: string }): ConversationView | null;
  /** Send text: shown at once as pending, retried with the same clientId until acknowledged. */
  send(options: { sessionId: string; text: string; clientId?: string }): Promise<SdkResult<Message>>;
  /** Upload a file or image as a message (REST; type checked by the server). */
  sendFile(options: { sessionId: string; file: Blob; name: string; clientId?: string }): Promise<SdkResult<Message>>;
  /** Retry a failed outbox entry. */
  retry(options: { clientId: string }): Promise<SdkResult<Message>>;
  /** Drop a failed outbox entry. */
  discard(options: { clientId: string }): void;
  /** Tell the visitor the agent is typing (throttled by the SDK to one frame per 2 s while typing). */
  setTyping(options: { sessionId: string; isTyping: boolean }): void;
  /** Mark read up to `seq` (default: the newest known). */
  markRead(options: { sessionId: string; seq?: number }): Promise<SdkResult>;
  /** Load older messages before the oldest known one into the view. */
  loadHistory(options: { sessionId: string; limit?: number }): Promise<SdkResult<{ messages: Message[]; hasMore: boolean }>>;
  /** Conversations of this agent from the server (also closed ones), e.g. for a history tab. */
  search(options?: { status?: 'open' | 'closed'; limit?: number }): Promise<SdkResult<Conversation[]>>;
  /** The visitor of a session. */
  getVisitor(options: { sessionId: string }): Promise<SdkResult<Visitor>>;
  /**
   * The app's canned responses (`GET /v1/canned-responses`), fetched once and cached; with `query`,
   * those whose shortcut starts with it or whose title or text contains it (case-insensitive).
   * `refresh: true` fetches again (after an admin changed them).
   */
  getCannedResponses(options?: { query?: string; refresh?: boolean }): Promise<SdkResult<CannedResponse[]>>;
  /** Internal notes of a session, oldest first (staff only, never shown to the visitor). */
  getNotes(options: { sessionId: string }): Promise<SdkResult<ConversationNote[]>>;
  /** Add an internal note. */
  addNote(options: { sessionId: string; text: string }): Promise<SdkResult<ConversationNote>>;
  /** The file URL with access (files are served to participants; the SDK fetches with the token). */
  downloadFile(options: { url: string }): Promise<SdkResult<Blob>>;
}

/**
 * TCCC `tccc.Call` for audio calls (and any call: a video call answered here gets its camera too).
 * A call's `sessionId` is its call id (from `callIn`, `callOuted`, `callUpdated`); left out, the
 * agent's only live call. Phone-number methods answer SDK_NOT_SUPPORTED.
 */
export interface CallNamespace {
  startOutboundCall(options: { phoneNumber: string; callerPhoneNumber?: string; uui?: string }): Promise<SdkResult<{ sessionId: string }>>;
  /** Answers a ringing call: the microphone (and camera, for video) opens first, then the media connects. */
  accept(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /** Hangs up (or declines a ringing call). */
  hungUp(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  /** Removes an ended call from `list()`. */
  deleteCall(options: { sessionId: string }): void;
  muteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  unmuteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  isMicMuted(options?: { sessionId?: string }): Promise<SdkResult<boolean>>;
  transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<SdkResult>;
  /** Puts the call on hold: neither side hears or sees the other (enforced at the media server). */
  hold(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  unHold(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  sendDigits(options: { sessionId?: string; dtmfText: string }): Promise<SdkResult>;
  /** Calls the visitor of a conversation this agent serves (`sessionId` = the conversation), audio only. */
  inviteCurrentVisitor(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /** The calls this agent is in or rung for, live first (a snapshot). */
  list(): readonly Call[];
  get(options: { sessionId: string }): Call | null;
  /** A call's streams and mute/camera flags, in the tab holding the connection; null elsewhere or before its media started. */
  getMedia(options?: { sessionId?: string }): CallMediaState | null;
}

/** TCCC `tccc.Video`: the same calls, with the camera. */
export interface VideoNamespace {
  accept(options: { sessionId: string }): Promise<SdkResult<Call>>;
  end(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  muteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  unmuteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  /** Turns the camera off: the visitor's picture of the agent stops (enforced at the media server). */
  muteVideo(options?: { sessionId?: string }): Promise<SdkResult>;
  unmuteVideo(options?: { sessionId?: string }): Promise<SdkResult>;
  transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<SdkResult>;
  /** Calls the visitor of a conversation this agent serves, with video (Easemob videoInviteCurrentVisitor). */
  inviteCurrentVisitor(options: { sessionId: string }): Promise<SdkResult<Call>>;
}

export interface DevicesNamespace {
  /** WebSocket, fetch, and (for calls) getUserMedia, RTCPeerConnection and a secure context are present. */
  isBrowserSupported(): boolean;
  getMicrophones(): Promise<MediaDeviceInfo[]>;
  /** Play remote audio on one with `HTMLMediaElement.setSinkId` (the SDK draws nothing). */
  getSpeakers(): Promise<MediaDeviceInfo[]>;
  getCameras(): Promise<MediaDeviceInfo[]>;
  /** The microphone calls use: switched at once in live calls, kept for the next ones. */
  selectMicrophone(options: { deviceId: string }): Promise<SdkResult>;
  selectCamera(options: { deviceId: string }): Promise<SdkResult>;
}

/**
 * UI control (TCCC `tccc.UI`). The SDK draws nothing: it keeps this state, persists the settings,
 * and emits `uiChanged`; the workbench renders accordingly.
 */
export interface UiNamespace {
  hide(): void;
  show(): void;
  showFloatButton(): void;
  hideFloatButton(): void;
  showWorkbench(): void;
  hideWorkbench(): void;
  showNotificationBar(): void;
  hideNotificationBar(): void;
  /** Incremental: only the given settings change. */
  updateUserCustomSettings(settings: Partial<UserCustomSettings>): void;
  getState(): UiState;
}

export interface AgentClient {
  Agent: AgentNamespace;
  Chat: ChatNamespace;
  Call: CallNamespace;
  Video: VideoNamespace;
  Devices: DevicesNamespace;
  UI: UiNamespace;
  /** Authenticated REST for everything else (admin console, supervisor board). Throws `ApiError`. */
  api: RestClient;

  /** Sign in (when credentials are given), connect, and resolve once `ready` fired. */
  start(): Promise<SdkResult<AgentEventMap['ready']>>;
  /** Close the socket and stop reconnecting; the login stays valid (another start() resumes). */
  stop(): void;
  /** stop(), forget the stored login token, and set the agent offline. */
  logout(): Promise<SdkResult>;

  /** Subscribe; returns the unsubscribe function. */
  on<E extends AgentEventName>(event: E, listener: AgentEventListener<E>): () => void;
  off<E extends AgentEventName>(event: E, listener: AgentEventListener<E>): void;
  /** Event names, as in TCCC `tccc.events.ready`. */
  readonly events: { readonly [E in AgentEventName]: E };

  readonly connectionState: ConnectionState;
  /** The current login token, or null before login. */
  readonly token: string | null;
  /** This tab's id (TCCC `tabUUID`). */
  readonly tabUUID: string;
  /** Whether this tab holds the socket (always true without multiTab). */
  readonly isLeader: boolean;
}
