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
  ActiveSupervision,
  Agent,
  AgentState,
  AgentStatus,
  Call,
  CallKind,
  CannedResponse,
  ChannelSendInput,
  CloseBy,
  CobrowseDataEvent,
  CobrowseInput,
  CobrowseSession,
  Conversation,
  ConversationChannel,
  ConversationNote,
  ErrorCode,
  Message,
  MessageDelivery,
  MessageTemplate,
  PartyRef,
  Rating,
  SupervisionMode,
  SupervisionStep,
  SupervisionTimeline,
  Visitor,
  Wallboard,
  Whisper,
} from '@frontdesk/protocol';
import type { AgentSdkErrorCode, LogLevel, MediaErrorCode, ReconnectPolicy } from '@frontdesk/sdk-core';
import type { CallMediaState, DeviceChoice, MediaConstraintsOption, MediaDeviceLists } from '@frontdesk/sdk-core/calls';
import type { CallEventMap, CallNamespace, DevicesNamespace, VideoNamespace } from './call-types.ts';
import type { ContactsNamespace } from './namespaces/contacts-namespace.ts';
export type { ContactsNamespace } from './namespaces/contacts-namespace.ts';
export type { Contact, ContactTimelineEntry, UpdateContactBody } from '@frontdesk/protocol';
import type { WrapUp, WrapUpLabel } from '@frontdesk/protocol';
export type { WrapUp, WrapUpLabel };
import type { RestClient } from './rest.ts';

export type { Agent, AgentState, AgentStatus, Call, CallKind, CannedResponse, ChannelSendInput, CloseBy, Conversation, ConversationChannel, ConversationNote, Message, MessageDelivery, MessageTemplate, PartyRef, Visitor };
export type { CallMediaState, DeviceChoice, MediaConstraintsOption, MediaDeviceLists };
export type * from './call-types.ts';

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
/** Ours and TCCC's spellings: `notReady` = 示忙, `stopNotReady` = back to free, `arrange` = 话后整理 (wrap-up until another status). */
export type SettableStatus = 'free' | 'rest' | 'not_ready' | 'offline' | 'wrap_up' | 'notReady' | 'stopNotReady' | 'arrange';

export interface AgentStatusInfo {
  status: AgentStatus;
  /** The rest (小休) reason, or a supervisor's reason. */
  reason: string | null;
  /** Easemob state code (SPEC M18): '000000' offline, '002000' free, '001000' busy, not ready or rest, '005000' wrap-up. */
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
  /** What the visitor is writing, before it is sent (only for a channel with typing preview); null otherwise. */
  visitorDraft: string | null;
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
  /** No chime for a visitor's new message in one of the agent's conversations. */
  disableMessageSound: boolean;
  /** No browser notification for such a message while the tab is hidden. */
  disableMessageNotification: boolean;
}

// ── events ──────────────────────────────────────────────────────────────────────

/** Event payloads by name (TCCC `tccc.events.*`, plus the ones a workbench needs); the calls' own are in call-types.ts. */
export interface AgentEventMap extends CallEventMap {
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
  /** The visitor rated a session of this agent (again), during it or after its end; the last rating counts. */
  rated: { sessionId: string; rating: Rating };
  /** Messaging channel sessions: deliveries of its messages moved (sent, delivered, read, failed with the provider's reason). */
  delivery: { sessionId: string; deliveries: MessageDelivery[] };
  /** The visitor read up to `seq`. */
  read: { sessionId: string; seq: number; senderType: 'visitor' | 'agent' | 'bot' | 'system' };
  /** Data pushed by the business backend (transparent channel, base64). */
  transparent: { data: string };
  /** A supervisor whispered in a session: only this agent and supervisors get it, never the visitor (SPEC M28). */
  whisper: { sessionId: string; whisper: Whisper };
  /** A supervision step of a session: a supervisor whispers, barges in, takes over or stops (silent monitoring is not told to the agent). */
  supervision: { sessionId: string; step: SupervisionStep };
  /** A co-browse of a session changed (proposed, live, control asked for or granted, viewers, ended; SPEC M32). */
  cobrowse: { sessionId: string; cobrowse: CobrowseSession };
  /** A batch of the visitor's page for the mirror (only while watching: `Cobrowse.view`). */
  cobrowseData: { cobrowseId: string; data: CobrowseDataEvent };
  /** Another viewer's annotation (pen, highlight). */
  cobrowseInput: { cobrowseId: string; from: string; input: CobrowseInput };
  /** Supervisors and admins: the live wallboard moved (queues, agents, today's service level), pushed by the server. */
  wallboard: { wallboard: Wallboard };
  /** UI namespace state changed (the workbench re-renders on it). */
  uiChanged: UiState;
  /** This tab became (or stopped being) the tab holding the socket (multiTab only). */
  leaderChanged: { isLeader: boolean; tabUUID: string };
}
export type AgentEventName = keyof AgentEventMap;
export type AgentEventListener<E extends AgentEventName> = (payload: AgentEventMap[E]) => void;

export interface CallInEvent {
  sessionId: string;
  /** 'im': a chat offer; 'voip': an audio call; 'video': a video call; 'internal': another agent calls (TCCC 内部会话呼入). */
  type: 'im' | 'voip' | 'video' | 'internal';
  /** Seconds until the offer rings out (0: does not time out). */
  timeout: number;
  expiresAt: number;
  nickname: string;
  visitorId: string;
  /** The conversation's channel (TCCC `peerSource`); null for calls. */
  peerSource: string | null;
  queueId: string | null;
  remark?: string;
  /** Calls: the visitor (TCCC `userId`) and the call's conversation (null for an internal call). */
  userId?: string;
  conversationId?: string | null;
  /** An internal call: the calling agent (TCCC `peerUserId`), and whether it is audio (voip) or video. */
  peerUserId?: string;
  mediaType?: 'voip' | 'video';
}

// ── namespaces ──────────────────────────────────────────────────────────────────

export interface AgentNamespace {
  /** Go free (TCCC `online`). */
  online(): Promise<SdkResult<AgentStatusInfo>>;
  /** Go offline (TCCC `offline`); the socket stays open for supervisors' messages. */
  offline(): Promise<SdkResult<AgentStatusInfo>>;
  /** Set a status; `restReason` with `rest` (小休); `arrange` (话后整理) is wrap-up until another status. busy is routing's. */
  setStatus(options: { status: SettableStatus; restReason?: string }): Promise<SdkResult<AgentStatusInfo>>;
  /** The last known status (synchronous, like TCCC). */
  getStatus(): AgentStatusInfo;
  /** Status, load and sessions from the server (M21). */
  getState(): Promise<SdkResult<AgentState>>;
  /** The signed-in agent. */
  me(): Agent | null;
  /** The full URL of an agent's avatar (the signed-in agent's by default), null when it has none. */
  getAvatar(options?: { agentId?: string }): Promise<SdkResult<string | null>>;
  /** Set an avatar (PNG, JPEG, GIF or WebP, at most 200 KB): the signed-in agent's, or any agent's for an admin. */
  setAvatar(options: { image: Blob; agentId?: string }): Promise<SdkResult<string | null>>;
  removeAvatar(options?: { agentId?: string }): Promise<SdkResult<string | null>>;
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
  /** Create (no `id`) or change one of the agent's own canned responses (`ownerAgentId` is the agent; only it sees them). */
  saveCannedResponse(options: { id?: string; shortcut: string; title: string; text: string }): Promise<SdkResult<CannedResponse>>;
  /** Delete one of the agent's own canned responses. */
  deleteCannedResponse(options: { id: string }): Promise<SdkResult<undefined>>;
  /** The app's disposition codes and tags (archived ones marked: offer only the others). */
  getWrapUpLabels(): Promise<SdkResult<WrapUpLabel[]>>;
  /** A session's wrap-up, null before one is recorded. */
  getWrapUp(options: { sessionId: string }): Promise<SdkResult<WrapUp | null>>;
  /** Record a session's disposition, tags and note (its agent, or a supervisor); replaces the last one. */
  setWrapUp(options: { sessionId: string; dispositionId: string | null; tagIds?: string[]; note?: string }): Promise<SdkResult<WrapUp>>;
  /** Internal notes of a session, oldest first (staff only, never shown to the visitor). */
  getNotes(options: { sessionId: string }): Promise<SdkResult<ConversationNote[]>>;
  /** Add an internal note. */
  addNote(options: { sessionId: string; text: string }): Promise<SdkResult<ConversationNote>>;
  /** The file URL with access (files are served to participants; the SDK fetches with the token). */
  downloadFile(options: { url: string }): Promise<SdkResult<Blob>>;
  /** A session's messaging channel (WhatsApp, Messenger, Telegram, Viber): the provider, the window's time left, each message's delivery; null for a web chat. */
  getChannel(options: { sessionId: string }): Promise<SdkResult<ConversationChannel | null>>;
  /** A WhatsApp channel's message templates, as last synced. */
  getChannelTemplates(options: { channelId: string }): Promise<SdkResult<MessageTemplate[]>>;
  /** Outside the window: a WhatsApp template with its parameters, or a Messenger text tagged HUMAN_AGENT. */
  sendThroughChannel(options: { sessionId: string; message: ChannelSendInput }): Promise<SdkResult<Message>>;

  // ── supervision (SPEC M28; supervisors and admins act, the server answers FD_AUTH_FORBIDDEN to agents) ──
  /** What supervisors whispered in a session, oldest first (the agent's own sessions; staff only). */
  getWhispers(options: { sessionId: string }): Promise<SdkResult<Whisper[]>>;
  /** Who supervises a session now, every step and whisper (agents do not see silent monitoring). */
  getSupervision(options: { sessionId: string }): Promise<SdkResult<SupervisionTimeline>>;
  /** Enter a mode or switch to another: `monitor`, `whisper`, `barge` (joins the conversation as yourself). */
  setSupervision(options: { sessionId: string; mode: SupervisionMode }): Promise<SdkResult<ActiveSupervision>>;
  /** TCCC `Call.monitor({ sessionId, textOnly })` for chats: follow the session without anyone being told. */
  monitor(options: { sessionId: string }): Promise<SdkResult<ActiveSupervision>>;
  /** Say something to the session's agent only (enters whisper mode). */
  whisper(options: { sessionId: string; text: string; clientId?: string }): Promise<SdkResult<Whisper>>;
  /** Write to the visitor as yourself (enters barge mode; the visitor sees you join). */
  barge(options: { sessionId: string; text: string; clientId?: string }): Promise<SdkResult<Message>>;
  /** TCCC `Call.intercept({ sessionId })` for chats: take the session over from its agent; only while supervising it. */
  intercept(options: { sessionId: string }): Promise<SdkResult<Conversation>>;
  /** Stop supervising the session. */
  stopSupervision(options: { sessionId: string }): Promise<SdkResult>;
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
  /** The seed's own spelling of showFloatButton (`tccc.UI.showfloatButton`). */
  showfloatButton(): void;
  /** The seed's own spelling of hideFloatButton (`tccc.UI.hidefloatButton`). */
  hidefloatButton(): void;
  showWorkbench(): void;
  hideWorkbench(): void;
  showNotificationBar(): void;
  hideNotificationBar(): void;
  /** Incremental: only the given settings change. */
  updateUserCustomSettings(settings: Partial<UserCustomSettings>): void;
  getState(): UiState;
}

/**
 * Co-browsing (SPEC M32): propose one to the visitor of a session, watch its mirror (the agent of
 * the session and supervisors), annotate, ask for control (the visitor grants it), end it.
 * `cobrowseId` is the co-browse session's id; `sessionId` the conversation's (TCCC's name).
 */
export interface CobrowseNamespace {
  /** Propose a co-browse to the session's visitor (the agent holding it); the visitor accepts or rejects. */
  propose(options: { sessionId: string }): Promise<SdkResult<CobrowseSession>>;
  /** Start (again: a fresh snapshot is sent) or stop watching; the data arrives as `cobrowseData` events. */
  view(options: { cobrowseId: string; viewing: boolean }): Promise<SdkResult<CobrowseSession>>;
  /** Ask the visitor for control; `release` gives it back. */
  requestControl(options: { cobrowseId: string }): Promise<SdkResult<CobrowseSession>>;
  releaseControl(options: { cobrowseId: string }): Promise<SdkResult<CobrowseSession>>;
  end(options: { cobrowseId: string }): Promise<SdkResult<CobrowseSession>>;
  /** An annotation, or (with control granted) a click, scroll or typing, for the visitor's page. */
  input(options: { cobrowseId: string; input: CobrowseInput }): void;
  /** The co-browse sessions of a conversation, oldest first. */
  list(options: { sessionId: string }): Promise<SdkResult<CobrowseSession[]>>;
}

export interface AgentClient {
  Agent: AgentNamespace;
  Chat: ChatNamespace;
  Cobrowse: CobrowseNamespace;
  Call: CallNamespace;
  Video: VideoNamespace;
  Devices: DevicesNamespace;
  /** Contacts: a visitor's profile and its conversations (namespaces/contacts-namespace.ts). */
  Contacts: ContactsNamespace;
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
