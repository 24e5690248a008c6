import type { Call, CobrowseData, CobrowseSession, ChannelPublicView, Contact, Conversation, ConversationAgent, HelloReply, Message, Rating, VisitorDetailsInput } from '@frontdesk/protocol';
import type { CallMediaState, DeviceChoice, MediaDeviceLists } from '@frontdesk/sdk-core/calls';
import { createLogger, Emitter, ExponentialBackoffPolicy, type Logger } from '@frontdesk/sdk-core';
import { isMessage, type IncomingFrame } from './frames.ts';
import { HttpClient } from './http.ts';
import { VisitorOutbox } from './outbox.ts';
import { VisitorConnection } from './connection.ts';
import { SeenPositions } from './seen-positions.ts';
import { TypingThrottle } from './typing-throttle.ts';
import { VisitorToken } from './visitor-token.ts';
import { ClientStore, defaultStorage, type OutboxEntry } from './store.ts';
import { UploadLimit } from './upload-limit.ts';
import { VisitorCallApi } from './visitor-call-api.ts';
import type { ContactProfileInput } from './visitor-contact.ts';
import { VisitorSdkError, type CobrowseCommand, type ConnectionState, type HistoryPage, type LocationInput, type MessageStatusEvent, type UploadProgress, type VisitorClientOptions, type VisitorEvents } from './types.ts';

const DEFAULT_TYPING_THROTTLE_MS = 3000;

/**
 * One visitor of one app (and channel). Keeps the visitor token in `storage`, one WebSocket
 * with heartbeats and reconnects, a local outbox of unacknowledged sends, and the last seq
 * seen per conversation, so that nothing is lost or shown twice across reconnects.
 */
export class VisitorClient {
  private readonly log: Logger;
  private readonly emitter: Emitter<VisitorEvents>;
  private readonly http: HttpClient;
  private readonly store: ClientStore;
  private readonly connection: VisitorConnection;
  private readonly outbox: VisitorOutbox;
  private readonly visitorToken: VisitorToken;
  private readonly uploadLimit: UploadLimit;
  private readonly seen = new SeenPositions();
  private readonly agents = new Map<string, Promise<ConversationAgent>>();
  private readonly conversations = new Map<string, Conversation>();
  private currentId: string | null = null;
  private opening: Promise<Conversation> | undefined;
  private readonly typingThrottle: TypingThrottle;
  private clientIdCounter = 0;
  private removeOnlineListener: (() => void) | undefined;
  private readonly calls: VisitorCallApi;

  constructor(readonly options: VisitorClientOptions) {
    this.log = createLogger('frontdesk.visitor', options.logger);
    this.emitter = new Emitter<VisitorEvents>((name, err) => this.log.error('an event handler threw', { event: String(name), err: String(err) }));
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    const fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.http = new HttpClient({ baseUrl, fetch: fetchFn, locale: options.locale, log: this.log.child('http') });
    this.store = new ClientStore(options.storage ?? defaultStorage(), options.appId, options.channelId, this.log);
    this.visitorToken = new VisitorToken(this.http, this.store, options);
    this.uploadLimit = new UploadLimit(options.uploadMaxBytes);
    const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: VisitorClientOptions['WebSocket'] }).WebSocket;
    this.connection = new VisitorConnection({
      url: `${baseUrl.replace(/^http/, 'ws')}/v1/ws?appId=${encodeURIComponent(options.appId)}`,
      WebSocket: WebSocketImpl ?? missingWebSocket,
      policy: options.reconnectPolicy ?? new ExponentialBackoffPolicy(),
      log: this.log.child('socket'),
      token: async (renew) => (await this.visitorToken.get(renew)).token,
      resumePositions: () => this.seen.resume(),
      onOpen: (reply) => this.onOpen(reply),
      onFrame: (frame) => this.onFrame(frame),
      onState: (state, previous) => this.emitter.emit('state', { state, previous }),
      onFatal: (error) => this.emitter.emit('error', error),
    });
    this.typingThrottle = new TypingThrottle(options.typingThrottleMs ?? DEFAULT_TYPING_THROTTLE_MS, () => this.openConversationId(), (frame) => this.connection.notify(frame));
    this.outbox = new VisitorOutbox({
      store: this.store,
      log: this.log.child('outbox'),
      isOpen: () => this.connection.isOpen,
      transmit: (entry) => this.transmit(entry),
      conversationFor: async () => (await this.ensureConversation()).id,
      conversationClosed: (id) => {
        const known = this.conversations.get(id);
        if (known) this.conversations.set(id, { ...known, status: 'closed' });
      },
      status: (event) => this.emitter.emit('messageStatus', event),
    });
    this.calls = new VisitorCallApi({
      connection: this.connection,
      emitter: this.emitter,
      log: this.log,
      options,
      visitorId: () => this.visitorId,
      conversationId: async () => (await this.ensureConversation()).id,
      http: this.http,
      visitorToken: this.visitorToken,
    });
  }

  /** 'idle' before connect(), then 'connecting' → 'open' ⇄ 'reconnecting'; 'closed' after disconnect() or a fatal error. */
  get state(): ConnectionState {
    return this.connection.state;
  }

  /** The visitor's id once it has a visitor token. */
  get visitorId(): string | null {
    return this.visitorToken.visitorId;
  }

  /** The conversation `send()` writes to (the visitor's open one), or the last one, ended; null before any. */
  get conversation(): Conversation | null {
    return (this.currentId && this.conversations.get(this.currentId)) || null;
  }

  /**
   * The largest file to offer `sendFile`, in bytes: the server's limit (known once `channelInfo()`
   * has answered), lowered by the `uploadMaxBytes` option; null while neither is known. Check it
   * before an upload to refuse a file at once; the server refuses larger ones anyway.
   */
  get uploadMaxBytes(): number | null {
    return this.uploadLimit.maxBytes;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof VisitorEvents>(name: K, handler: (payload: VisitorEvents[K]) => void): () => void {
    return this.emitter.on(name, handler);
  }

  /** Gets a visitor token (or resumes with the stored one) and opens the connection. Resolves once 'open'. */
  connect(): Promise<void> {
    const target = globalThis as { addEventListener?: (type: string, fn: () => void) => void; removeEventListener?: (type: string, fn: () => void) => void };
    if (!this.removeOnlineListener && typeof target.addEventListener === 'function' && typeof target.removeEventListener === 'function') {
      const onOnline = () => this.connection.retryNow();
      target.addEventListener('online', onOnline);
      this.removeOnlineListener = () => target.removeEventListener?.('online', onOnline);
    }
    return this.connection.start();
  }

  /**
   * Tells the business's support team who the visitor is: name, email, phone and custom
   * attributes (`null` clears one), shown on the visitor's contact in the workbench, with where the
   * visitor is now (page, a referrer from another site, language, time zone): `identify({})`
   * reports only that. Unverified: anything the page sets, a visitor can too.
   */
  async identify(profile: ContactProfileInput): Promise<Contact> {
    // NOTE: loaded on first use, like calls: the chat bundle stays within its size budget.
    return (await import('./visitor-contact.ts')).identifyVisitor(this.http, this.visitorToken, profile);
  }

  /** Closes the connection for good ('closed'); unacknowledged sends stay in the outbox for the next connect(). */
  disconnect(): void {
    this.calls.close();
    this.typingThrottle.cancel();
    this.removeOnlineListener?.();
    this.removeOnlineListener = undefined;
    this.connection.stop();
  }

  /**
   * Opens the visitor's conversation on the channel, or returns the one already open. `details`
   * are the answers of the channel's pre-chat form (`channelInfo().preChatForm`); the server
   * refuses a new conversation without a required one (FD_REQ_INVALID).
   */
  startConversation(details?: VisitorDetailsInput): Promise<Conversation> {
    // NOTE: undefined fields are left out by JSON.stringify.
    const body = { channelId: this.options.channelId, details };
    this.opening ??= this.visitorToken.authed<Conversation>((token) => this.http.request({ method: 'POST', path: '/v1/conversations', token, body }))
      .then((conversation) => this.remember(conversation, true))
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  /**
   * Messages after `afterSeq` (default 0), up to `limit` (default 100), of the current
   * conversation unless named. What it returns counts as delivered: no `message` event repeats it.
   */
  async history(conversationId?: string, page: { afterSeq?: number; limit?: number } = {}): Promise<HistoryPage> {
    const id = conversationId ?? this.currentId;
    if (!id) return { messages: [], lastSeq: 0, hasMore: false };
    const afterSeq = page.afterSeq ?? 0;
    const limit = page.limit ?? 100;
    const result = await this.visitorToken.authed<{ messages: Message[]; lastSeq: number }>((token) =>
      this.http.request({ method: 'GET', path: `/v1/conversations/${encodeURIComponent(id)}/messages?afterSeq=${afterSeq}&limit=${limit}`, token }),
    );
    const last = result.messages.at(-1)?.seq ?? afterSeq;
    this.seen.historyRead(id, afterSeq, last);
    return { messages: result.messages, lastSeq: result.lastSeq, hasMore: last < result.lastSeq };
  }

  /**
   * Sends a text. A `messageStatus` 'pending' event fires at once with its client id; the
   * promise resolves with the stored message ('sent') — re-sent with the same client id after
   * reconnects and reloads — or rejects with a VisitorSdkError when the server refuses it ('failed').
   */
  send(text: string, options: { clientId?: string } = {}): Promise<Message> {
    if (typeof text !== 'string' || text.trim() === '') return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', 'a message needs some text'));
    this.typingThrottle.stop();
    return this.outbox.add({ clientId: options.clientId ?? this.newClientId(), conversationId: this.openConversationId(), kind: 'text', text, createdAt: Date.now() });
  }

  /** Sends a location (latitude −90…90, longitude −180…180, optional name and address); outboxed like `send`. */
  sendLocation(location: LocationInput, options: { clientId?: string } = {}): Promise<Message> {
    const { latitude, longitude, name, address } = location;
    if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', 'latitude must be between -90 and 90'));
    if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', 'longitude must be between -180 and 180'));
    // NOTE: blank fields become undefined, which JSON leaves out.
    const place = { latitude, longitude, name: name?.trim() || undefined, address: address?.trim() || undefined };
    const text = place.name ?? place.address ?? `${latitude}, ${longitude}`;
    return this.outbox.add({ clientId: options.clientId ?? this.newClientId(), conversationId: this.openConversationId(), kind: 'location', text, location: place, createdAt: Date.now() });
  }

  /**
   * Uploads a file as a message, with progress. Refusals reject with the server's code:
   * FD_FILE_TOO_LARGE (its message names the limit; see `uploadMaxBytes` to refuse before sending)
   * or FD_FILE_TYPE_NOT_ALLOWED.
   */
  async sendFile(file: Blob, name: string, onProgress?: (progress: UploadProgress) => void, options: { clientId?: string } = {}): Promise<Message> {
    const clientId = options.clientId ?? this.newClientId();
    const base: MessageStatusEvent = { clientId, conversationId: this.openConversationId(), status: 'pending', kind: file.type.startsWith('image/') ? 'image' : 'file', text: name };
    this.emitter.emit('messageStatus', base);
    try {
      const conversation = await this.ensureConversation();
      const path = `/v1/conversations/${encodeURIComponent(conversation.id)}/files?name=${encodeURIComponent(name)}&clientId=${encodeURIComponent(clientId)}`;
      const message = await this.visitorToken.authed<Message>((token) => this.http.upload(path, token, file, onProgress));
      this.emitter.emit('messageStatus', { ...base, conversationId: conversation.id, status: 'sent', message });
      return message;
    } catch (err) {
      const error = err instanceof VisitorSdkError ? err : new VisitorSdkError('FD_SDK_NETWORK', String(err));
      const event: MessageStatusEvent = { ...base, status: 'failed', error };
      this.outbox.addFailed(event, () => this.sendFile(file, name, onProgress, { clientId }));
      this.emitter.emit('messageStatus', event);
      throw error;
    }
  }

  /**
   * The bytes of a file or image message. Files are served only to the conversation's
   * participants, with the visitor token, so a page cannot point an <img> at `file.url`: show
   * it through `URL.createObjectURL(blob)`.
   */
  fetchFile(file: { url: string }): Promise<Blob> {
    // Only a path on this server: the token never goes anywhere else.
    if (!file.url.startsWith('/')) return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', 'a file url is a path on the Frontdesk server'));
    return this.visitorToken.authed((token) => this.http.blob(file.url, token));
  }

  /** Sends a failed message again, with its client id. */
  retry(clientId: string): Promise<Message> {
    return this.outbox.retry(clientId);
  }

  /** Sends waiting for the server (also those restored after a reload) and failed ones, oldest first. */
  pendingMessages(): MessageStatusEvent[] {
    return this.outbox.list();
  }

  /**
   * Tells the agent the visitor is typing: at most one frame per throttle interval; stops by itself after two.
   * `draft` (the text so far, at most 500 characters) goes with it only where the channel's public view has `typingPreview`.
   */
  typing(isTyping: boolean, draft?: string): void {
    if (isTyping) this.typingThrottle.typing(draft);
    else this.typingThrottle.stop();
  }

  /** Marks the conversation read up to `seq` (read state only moves forward). */
  async markRead(seq: number, conversationId?: string): Promise<void> {
    const id = conversationId ?? this.currentId;
    if (!id) throw new VisitorSdkError('FD_SDK_INVALID_INPUT', 'no conversation to mark read');
    if (this.connection.isOpen) {
      await this.connection.request({ type: 'read', conversationId: id, seq });
      return;
    }
    await this.visitorToken.authed((token) => this.http.request({ method: 'POST', path: `/v1/conversations/${encodeURIComponent(id)}/read`, token, body: { seq } }));
  }

  /** Rates the current (or last) conversation: 1–5 stars, optional comment; during or after it, the last rating wins. */
  rate(rating: { stars: number; comment?: string }, conversationId?: string): Promise<Rating> {
    const id = conversationId ?? this.currentId;
    if (!id) return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', 'no conversation to rate'));
    // NOTE: a comment left out is left out by JSON.stringify.
    const body = { stars: rating.stars, comment: rating.comment };
    return this.visitorToken.authed((token) => this.http.request({ method: 'PUT', path: `/v1/conversations/${encodeURIComponent(id)}/rating`, token, body }));
  }

  /**
   * Nobody can answer (no agent, off hours, the wait ran out): leaves a message with a name and an
   * email or a phone to be answered by. It becomes the visitor's open conversation (a new one when
   * the last has ended), kept for agents until one answers; the answer is shown in it when the
   * visitor comes back. Pass the same `clientId` to retry a submit: the message is stored once.
   */
  async leaveMessage(input: { name: string; email?: string; phone?: string; message: string; clientId?: string }): Promise<Conversation> {
    const body = { ...input, clientId: input.clientId ?? this.newClientId(), channelId: this.options.channelId };
    const conversation = await this.visitorToken.authed<Conversation>((token) => this.http.request({ method: 'POST', path: '/v1/conversations/messages-left', token, body }));
    return this.remember(conversation, true);
  }

  /**
   * The visitor's most recent conversation, open or ended, without opening one or making it the
   * current one (null before any):
   * a visitor coming back sees an answer to the message they left even when the agent ended it.
   */
  async lastConversation(): Promise<Conversation | null> {
    return (await this.visitorToken.authed<{ conversations: Conversation[] }>((token) => this.http.request({ method: 'GET', path: '/v1/conversations?limit=1', token }))).conversations[0] ?? null;
  }

  /** The hand-off button: asks for a human; the bot hands the conversation to the channel's queue. */
  async requestHuman(): Promise<Conversation> {
    const { id } = await this.ensureConversation();
    const conversation = await this.visitorToken.authed<Conversation>((token) => this.http.request({ method: 'POST', path: `/v1/conversations/${encodeURIComponent(id)}/handoff`, token }));
    return this.remember(conversation, true);
  }

  /** Ends the current conversation as the visitor (closeBy 'client'). */
  async endConversation(): Promise<Conversation> {
    const id = this.currentId;
    if (!id) throw new VisitorSdkError('FD_SDK_INVALID_INPUT', 'no conversation to end');
    const conversation = await this.visitorToken.authed<Conversation>((token) => this.http.request({ method: 'POST', path: `/v1/conversations/${encodeURIComponent(id)}/close`, token }));
    return this.remember(conversation, true);
  }

  /** The channel as visitors see it: bot name and avatar, open now, off-hours message, next opening, the server's limits. */
  async channelInfo(): Promise<ChannelPublicView> {
    const id = encodeURIComponent(this.options.channelId ?? 'default');
    const view = await this.visitorToken.authed<ChannelPublicView>((token) => this.http.request({ method: 'GET', path: `/v1/channels/${id}/public`, token }));
    this.uploadLimit.learn(view.limits);
    return view;
  }

  /**
   * An agent of a conversation as the visitor may see it (its display name), for an agent message's
   * `senderId` or the conversation's `agentId`; with `callId`, an agent of that call (one invited into
   * it, or the agent of another visitor's call this visitor was invited into). Read once per agent and kept.
   */
  agent(conversationId: string, agentId: string, callId?: string): Promise<ConversationAgent> {
    let found = this.agents.get(agentId);
    if (!found) {
      const path = callId ? `/v1/calls/${encodeURIComponent(callId)}/agents/${encodeURIComponent(agentId)}` : `/v1/conversations/${encodeURIComponent(conversationId)}/agents/${encodeURIComponent(agentId)}`;
      found = this.visitorToken.authed((token) => this.http.request<ConversationAgent>({ method: 'GET', path, token }));
      found.catch(() => this.agents.delete(agentId));
      this.agents.set(agentId, found);
    }
    return found;
  }

  // ── co-browsing (SPEC M32) ───────────────────────────────────────────────────────────────
  /** A co-browse command, answered with the session (`cobrowse.list`: the conversation's sessions, oldest first). */
  cobrowse(command: Extract<CobrowseCommand, { type: 'cobrowse.list' }>): Promise<CobrowseSession[]>;
  cobrowse(command: Exclude<CobrowseCommand, { type: 'cobrowse.list' }>): Promise<CobrowseSession>;
  cobrowse(command: CobrowseCommand): Promise<unknown> {
    return this.connection.request(command);
  }

  /** One batch of the page's capture (a `cobrowse.data` frame, relayed to the viewers); false when the socket is not open. */
  cobrowseSend(frame: CobrowseData & { type: 'cobrowse.data' }): boolean {
    return this.connection.notify(frame);
  }

  /** Sends base64 data (≤ 8192 characters) to the business backend (transparent channel); needs an open connection. */
  async sendTransparent(base64: string): Promise<void> {
    await this.connection.request({ type: 'transparent.send', data: base64 });
  }

  // ── calls (README "Calls"): the call code loads with the first call ─────────────────────────

  /** The visitor's current call (live, else the last one), as the last `call` event gave it. */
  get call(): Call | null {
    return this.calls.call;
  }
  /** WebRTC, getUserMedia and a secure context (https or localhost) are here. */
  isCallSupported(): boolean {
    return this.calls.isSupported();
  }
  /** Calls the agent from the current conversation (opened if needed); the microphone (and camera) open first. */
  startCall(options: { video?: boolean } = {}): Promise<Call> {
    return this.calls.start(options.video === true);
  }
  /** Answers a ringing call (an agent calling the visitor). */
  acceptCall(callId?: string): Promise<Call> {
    return this.calls.accept(callId);
  }
  /** Refuses a ringing call; `busy`: the visitor cannot take it now (Easemob videoBusyMark). */
  refuseCall(options: { callId?: string; busy?: boolean } = {}): Promise<void> {
    return this.calls.refuse(options.callId, options.busy === true);
  }
  hangUp(callId?: string): Promise<Call> {
    return this.calls.hangUp(callId);
  }
  /**
   * Shares a screen in the call: the browser asks which screen or window (a cancelled picker rejects
   * with FD_SDK_MEDIA_PERMISSION_DENIED and nothing is shared). Ends with `stopScreenShare` or the
   * browser's own "Stop sharing"; `remoteScreen` shows the others' screens.
   */
  shareScreen(callId?: string): Promise<MediaStream> {
    return this.calls.shareScreen(callId);
  }
  stopScreenShare(callId?: string): Promise<void> {
    return this.calls.stopScreenShare(callId);
  }
  /** "Not now" to the agent's invitation to share (`unavailable`: this browser cannot share screens). */
  declineScreenShare(options: { callId?: string; reason?: 'refused' | 'unavailable' } = {}): Promise<void> {
    return this.calls.declineScreenShare(options.callId, options.reason ?? 'refused');
  }
  /** Whether a screen is shared in the call now (Easemob isShareState). */
  isShareState(callId?: string): Promise<boolean> {
    return this.calls.isShareState(callId);
  }
  setMicMuted(muted: boolean, callId?: string): Promise<void> {
    return this.calls.setMicMuted(muted, callId);
  }
  setCameraOff(off: boolean, callId?: string): Promise<void> {
    return this.calls.setCameraOff(off, callId);
  }
  /** Microphone and/or camera for calls: switched at once in a live call, kept for the next ones. */
  switchDevices(choice: DeviceChoice): Promise<void> {
    return this.calls.switchDevices(choice);
  }
  listDevices(): Promise<MediaDeviceLists> {
    return this.calls.listDevices();
  }
  /** A call's streams and flags; null before its media started. */
  callMedia(callId?: string): CallMediaState | null {
    return this.calls.media(callId);
  }
  /**
   * The calls of a conversation (the current one unless named), newest first, ended ones included:
   * what a transcript shows of them (started, ended, why, how long). Works without the call code.
   */
  async callHistory(conversationId?: string): Promise<Call[]> {
    const id = conversationId ?? this.currentId;
    if (!id) return [];
    const list = await this.visitorToken.authed<{ calls: Call[] }>((token) => this.http.request({ method: 'GET', path: `/v1/conversations/${encodeURIComponent(id)}/calls`, token }));
    return list.calls;
  }

  // ------------------------------------------------------------------------------------------

  private onOpen(reply: HelloReply): void {
    for (const conversation of reply.conversations) {
      const previous = this.conversations.get(conversation.id);
      // Unseen conversations start at their newest seq: `history()` gives what came before.
      this.seen.follow(conversation.id, conversation.lastSeq);
      this.conversations.set(conversation.id, conversation);
      // A change while the socket was down (a server's clock may stand still: its notice moves the seq).
      const changed = previous ? previous.updatedAt !== conversation.updatedAt || previous.lastSeq !== conversation.lastSeq : conversation.status === 'open';
      if (changed) this.emitter.emit('conversation', conversation);
    }
    const current = this.currentId ? this.conversations.get(this.currentId) : undefined;
    if (!current || current.status !== 'open') {
      const open = reply.conversations.find((c) => c.status === 'open');
      if (open) this.currentId = open.id;
      else if (!current) this.currentId = reply.conversations[0]?.id ?? null;
    }
    this.outbox.flush();
    this.calls.onHello(reply);
  }

  private onFrame(frame: IncomingFrame): void {
    switch (frame.type) {
      case 'call':
      case 'call.ice':
      case 'call.publisher':
      case 'call.ice-failed':
      case 'call.photo-request':
      case 'call.share':
      case 'call.share.ice':
      case 'call.share.ice-failed':
        return this.calls.onFrame(frame);
      case 'message':
        return this.onMessage(frame.message);
      case 'conversation':
        return this.emitter.emit('conversation', this.remember(frame.conversation, frame.conversation.status === 'open', true));
      case 'typing':
      case 'read': {
        const { type, ...data } = frame;
        return type === 'typing' ? this.emitter.emit('typing', data as VisitorEvents['typing']) : this.emitter.emit('read', data as VisitorEvents['read']);
      }
      case 'queue.position': {
        const { type: _type, ...data } = frame;
        return this.emitter.emit('queuePosition', data);
      }
      case 'transparent':
        return this.emitter.emit('transparent', { data: frame.data });
      case 'cobrowse':
      case 'cobrowse.snapshot-request':
      case 'cobrowse.input':
        return this.emitter.emit('cobrowse', frame);
    }
  }

  /** Each seq once and in order: older ones are repeats (a resume overlap); a gap asks the server to send again from the last one seen. */
  private onMessage(message: Message): void {
    const id = message.conversationId;
    const arrival = this.seen.arrived(id, message.seq);
    if (!arrival.deliver) {
      const position = arrival.resumeFrom;
      if (position === undefined) return;
      this.log.info('gap in messages: resuming', { conversationId: id, position, seq: message.seq });
      this.connection.request({ type: 'resume', positions: { [id]: position } }).catch(() => undefined).finally(() => this.seen.resumed(id));
      return;
    }
    const known = this.conversations.get(id);
    if (known && known.lastSeq < message.seq) this.conversations.set(id, { ...known, lastSeq: message.seq });
    this.emitter.emit('message', message);
  }

  /**
   * Records a conversation as it now stands, and returns it; a new one is followed from its first
   * message. A frame is the latest word on it; an answer read before a frame that came first (a
   * claim while the panel's opening request was on its way) is older: the frame's state stays.
   */
  private remember(incoming: Conversation, makeCurrent: boolean, live = false): Conversation {
    const held = this.conversations.get(incoming.id);
    const conversation = !live && held && isNewer(held, incoming) ? held : incoming;
    this.conversations.set(conversation.id, conversation);
    const current = this.currentId ? this.conversations.get(this.currentId) : undefined;
    if (makeCurrent || !current || (current.status !== 'open' && conversation.status === 'open')) this.currentId = conversation.id;
    if (this.seen.follow(conversation.id, 0)) {
      if (this.connection.isOpen) this.connection.request({ type: 'resume', positions: { [conversation.id]: 0 } }).catch((err) => this.log.warn('resume failed', { err: String(err) }));
    }
    return conversation;
  }

  private openConversationId(): string | null {
    const current = this.conversation;
    return current && current.status === 'open' ? current.id : null;
  }

  private async ensureConversation(): Promise<Conversation> {
    const current = this.conversation;
    return current && current.status === 'open' ? current : this.startConversation();
  }

  private transmit(entry: OutboxEntry & { conversationId: string }): Promise<Message> {
    const common = { conversationId: entry.conversationId, clientId: entry.clientId };
    const frame = entry.kind === 'location' ? { type: 'location.send', ...common, location: entry.location } : { type: 'message.send', ...common, text: entry.text };
    return this.connection.request(frame).then((data) => {
      if (!isMessage(data)) throw new VisitorSdkError('FD_SDK_BAD_FRAME', 'the server acknowledged a send with an unexpected shape');
      return data;
    });
  }

  private newClientId(): string {
    const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    return `v-${random}-${++this.clientIdCounter}`.slice(0, 64);
  }
}

const missingWebSocket = class {
  constructor() {
    throw new Error('no WebSocket implementation: pass one as `WebSocket` (e.g. from the "ws" package on Node 20)');
  }
} as unknown as NonNullable<VisitorClientOptions['WebSocket']>;

export function createVisitorClient(options: VisitorClientOptions): VisitorClient {
  return new VisitorClient(options);
}

/** Whether `a` is a later state of the conversation than `b`: more messages, or the same and changed later. */
function isNewer(a: Conversation, b: Conversation): boolean {
  return a.lastSeq > b.lastSeq || (a.lastSeq === b.lastSeq && a.updatedAt > b.updatedAt);
}
