import type { Agent, AgentState, Conversation, HelloReply, Message, ServerFrame, Visitor } from '@frontdesk/protocol';
import { SdkFailure, SocketConnection, type TerminalReason } from './connection.ts';
import { Outbox } from './outbox.ts';
import { rethrow } from './results.ts';
import type { Logger } from './logger.ts';
import type { RestClient } from './rest.ts';
import { SessionStore, type Transition } from './session-store.ts';
import { statusInfo, toServerStatus } from './status.ts';
import type { AgentEventMap, AgentStatusInfo, ConnectionState, ConversationView, ReconnectPolicy, SettableStatus, WebSocketConstructor } from './types.ts';

/** How many recent messages a session brings when it first appears (older ones: loadHistory). */
const INITIAL_WINDOW = 50;
const TYPING_THROTTLE_MS = 2000;
const VISITOR_TYPING_RESET_MS = 6000;

export type Emit = <E extends keyof AgentEventMap>(event: E, payload: AgentEventMap[E]) => void;

export interface AgentCoreDeps {
  baseUrl: string;
  appId: () => string;
  token: () => string | null;
  rest: RestClient;
  WebSocket: WebSocketConstructor;
  policy: ReconnectPolicy;
  requestTimeoutMs: number;
  log: Logger;
  emit: Emit;
  onTerminal: (reason: TerminalReason) => void;
}

/** A snapshot for a tab joining a shared session (multi-tab). */
export interface CoreSnapshot {
  agent: Agent | null;
  status: AgentStatusInfo;
  sessions: ConversationView[];
  connectionState: ConnectionState;
}

/**
 * The agent's live state and every operation on it: the socket (in the leader tab), the
 * session store, the outbox. The public namespaces (client.ts) call these operations directly,
 * or through the leader tab when this tab is a follower (multi-tab.ts).
 */
export class AgentCore {
  readonly store: SessionStore;
  readonly connection: SocketConnection;
  agent: Agent | null = null;
  status: AgentStatusInfo = statusInfo('offline', null, 0);
  readonly outbox: Outbox;
  #typingSentAt = new Map<string, number>();
  #visitorTypingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** sessionId → tab that accepted it (TCCC `userAccessed.tabUUID`). */
  #acceptedBy = new Map<string, string>();
  /** Sessions this client is taking itself (accept, claim): their assignment is not a transfer in. */
  #taking = new Set<string>();
  /** Sessions this agent is transferring away now (its own `transfer` call emits the event). */
  #transferring = new Set<string>();
  #endedAnnounced = new Set<string>();
  #terminal = false;

  constructor(private readonly deps: AgentCoreDeps) {
    this.store = new SessionStore(() => this.agent?.id ?? null);
    this.connection = new SocketConnection({
      url: () => `${deps.baseUrl.replace(/^http/, 'ws')}/v1/ws?appId=${encodeURIComponent(deps.appId())}`,
      token: deps.token,
      WebSocket: deps.WebSocket,
      policy: deps.policy,
      log: deps.log.child('socket'),
      requestTimeoutMs: deps.requestTimeoutMs,
      positions: () => this.store.positions(),
      onHello: (reply, isReconnect) => this.#inOrder('hello', () => this.#onHello(reply, isReconnect)),
      onFrame: (frame) => this.#inOrder(frame.type, () => this.#onFrame(frame)),
      onState: (state, retryCount, retryInMs) => deps.emit('connectionStateChanged', { state, retryCount, ...(retryInMs !== undefined ? { retryInMs } : {}) }),
      onTerminal: (reason) => this.#onTerminal(reason),
    });
    this.outbox = new Outbox({
      store: this.store,
      connection: this.connection,
      rest: deps.rest,
      stored: (message) => this.#stored(message),
      updated: (conversationId) => this.#updated(conversationId),
    });
  }

  /** Signs the socket in and loads the initial state (sessions, status). Throws SdkFailure. */
  async start(): Promise<Agent> {
    const me = await this.deps.rest.get<{ agent?: Agent }>('/v1/me').catch(rethrow);
    if (!me.agent) throw new SdkFailure('FD_AUTH_FORBIDDEN', 'the token is not an agent session');
    this.agent = me.agent;
    await this.connection.start();
    await this.#processing;
    return me.agent;
  }

  /**
   * Hello replies and server frames are handled one at a time, in arrival order, although some
   * need a REST read first (an offer's conversation): an `offer.withdrawn` must never overtake its `offer`.
   */
  #processing: Promise<void> = Promise.resolve();
  #inOrder(what: string, handle: () => Promise<void>): void {
    this.#processing = this.#processing.then(handle).catch((err) => this.deps.log.warn('frame handling failed', { type: what, error: String(err) }));
  }

  stop(): void {
    this.connection.stop();
    for (const timer of this.#visitorTypingTimers.values()) clearTimeout(timer);
    this.#visitorTypingTimers.clear();
  }

  snapshot(): CoreSnapshot {
    return { agent: this.agent, status: this.status, sessions: this.store.list(), connectionState: this.connection.state };
  }

  // ── socket events ─────────────────────────────────────────────────────────────────

  async #onHello(reply: HelloReply, isReconnect: boolean): Promise<void> {
    const { emit } = this.deps;
    const known = new Set(this.store.ids());
    const fresh: Record<string, number> = {};
    for (const conversation of reply.conversations) {
      const hadMessages = this.store.oldestSeq(conversation.id) !== null;
      this.#apply(this.store.upsert(conversation), conversation, { quiet: !isReconnect || known.has(conversation.id) });
      known.delete(conversation.id);
      if (!hadMessages && conversation.lastSeq > 0) fresh[conversation.id] = Math.max(0, conversation.lastSeq - INITIAL_WINDOW);
    }
    // Backfill the recent window of sessions this client has no messages of yet.
    if (Object.keys(fresh).length > 0) await this.connection.request({ type: 'resume', positions: fresh }).catch((err) => this.deps.log.warn('backfill failed', { error: String(err) }));
    await Promise.all([
      this.#refreshStatus(),
      this.#loadUnclaimed(),
      // Sessions held before the outage but not assigned now: closed or moved meanwhile.
      ...[...known].filter((id) => this.store.role(id) === 'assigned').map((id) => this.#refreshConversation(id)),
    ]);
    // The outbox: every unacknowledged send again, with its clientId (the server dedupes).
    this.outbox.resend();
    emit('sessionsChanged', { sessions: this.store.list() });
  }

  async #onFrame(frame: ServerFrame): Promise<void> {
    const { emit } = this.deps;
    switch (frame.type) {
      case 'message': {
        if (!this.store.has(frame.message.conversationId)) await this.#refreshConversation(frame.message.conversationId);
        if (this.store.addMessage(frame.message)) {
          emit('message', { sessionId: frame.message.conversationId, message: frame.message });
          this.#updated(frame.message.conversationId);
        }
        return;
      }
      case 'conversation':
        emit('conversationUpdated', { conversation: frame.conversation });
        return this.#apply(this.store.upsert(frame.conversation), frame.conversation);
      case 'offer': {
        const conversation = await this.#fetchConversation(frame.conversationId);
        if (!conversation) return;
        this.#apply(this.store.upsert(conversation, { role: 'offered', offerExpiresAt: frame.expiresAt }), conversation);
        const visitor = await this.deps.rest.get<Visitor>(`/v1/visitors/${encodeURIComponent(conversation.visitorId)}`).catch(() => null);
        emit('callIn', {
          sessionId: conversation.id,
          type: 'im',
          timeout: Math.max(0, Math.ceil((frame.expiresAt - Date.now()) / 1000)),
          expiresAt: frame.expiresAt,
          nickname: visitor?.name ?? 'Visitor',
          visitorId: conversation.visitorId,
          peerSource: conversation.channelId,
          queueId: conversation.queueId,
        });
        return;
      }
      case 'offer.withdrawn': {
        if (this.store.role(frame.conversationId) !== 'offered') return;
        this.store.remove(frame.conversationId);
        emit('offerWithdrawn', { sessionId: frame.conversationId, reason: frame.reason });
        if (frame.reason === 'timed_out') emit('autoTransfer', { sessionId: frame.conversationId });
        emit('sessionsChanged', { sessions: this.store.list() });
        return;
      }
      case 'pool': {
        if (!frame.visible) {
          if (this.store.role(frame.conversationId) === 'pool' && this.store.remove(frame.conversationId)) emit('sessionsChanged', { sessions: this.store.list() });
          return;
        }
        const conversation = await this.#fetchConversation(frame.conversationId);
        if (conversation) this.#apply(this.store.upsert(conversation, { role: 'pool' }), conversation);
        return;
      }
      case 'agent.status': {
        emit('agentStatus', { agentId: frame.agentId, from: frame.from, status: frame.status, reason: frame.reason, at: frame.at });
        if (frame.agentId !== this.agent?.id) return;
        this.status = statusInfo(frame.status, frame.reason, frame.at);
        emit('statusChanged', { ...this.status, from: frame.from });
        return;
      }
      case 'typing': {
        if (frame.senderType !== 'visitor') return;
        this.#setVisitorTyping(frame.conversationId, frame.isTyping);
        emit('typing', { sessionId: frame.conversationId, isTyping: frame.isTyping, senderType: frame.senderType });
        return;
      }
      case 'read': {
        if (frame.senderType !== 'visitor') return;
        this.store.setVisitorRead(frame.conversationId, frame.seq);
        emit('read', { sessionId: frame.conversationId, seq: frame.seq, senderType: frame.senderType });
        this.#updated(frame.conversationId);
        return;
      }
      case 'transparent':
        return emit('transparent', { data: frame.data });
      default:
        return;
    }
  }

  /** Raises the events a conversation change means for this agent. */
  #apply(transition: Transition, conversation: Conversation, options: { quiet?: boolean; origin?: string } = {}): void {
    const { emit } = this.deps;
    const { before, after, view } = transition;
    if (!options.quiet) {
      // Taken away while open (a supervisor's transfer, a requeue): this agent no longer holds it.
      if (before === 'assigned' && after === null && !this.#transferring.has(conversation.id)) {
        emit('transfer', { sessionId: conversation.id, direction: 'out', ...(conversation.agentId ? { toAgentId: conversation.agentId } : {}) });
      }
      if (after === 'assigned' && before !== 'assigned') {
        // Straight to assigned without an offer, pool or claim here: another agent or a supervisor transferred it to us.
        if (before === null && !this.#taking.has(conversation.id)) emit('transfer', { sessionId: conversation.id, direction: 'in' });
        const tabUUID = this.#acceptedBy.get(conversation.id) ?? options.origin;
        this.#acceptedBy.delete(conversation.id);
        emit('userAccessed', { sessionId: conversation.id, ...(tabUUID ? { tabUUID } : {}) });
      }
      if (after === 'ended' && before !== null && before !== 'ended' && !this.#endedAnnounced.has(conversation.id)) {
        this.#endedAnnounced.add(conversation.id);
        emit('sessionEnded', { sessionId: conversation.id, closeBy: conversation.closeBy });
      }
    }
    if (view) emit('sessionUpdated', { session: view });
    if (before !== after) emit('sessionsChanged', { sessions: this.store.list() });
  }

  #updated(conversationId: string): void {
    const view = this.store.get(conversationId);
    if (view) this.deps.emit('sessionUpdated', { session: view });
  }

  #onTerminal(reason: TerminalReason): void {
    if (this.#terminal) return;
    this.#terminal = true;
    this.outbox.failAll(reason.kind === 'kickedOut' ? 'SDK_KICKED_OUT' : 'FD_AUTH_TOKEN_INVALID', 'the session ended');
    this.deps.onTerminal(reason);
  }

  /** A REST call failed with 401: the same endings as the socket's. */
  terminate(reason: TerminalReason): void {
    this.connection.stop();
    this.#onTerminal(reason);
  }

  // ── agent ─────────────────────────────────────────────────────────────────────────

  async setStatus(status: SettableStatus, restReason?: string): Promise<AgentStatusInfo> {
    const serverStatus = toServerStatus(status);
    const reason = serverStatus === 'rest' ? restReason : undefined;
    const frame = { type: 'agent.status.set' as const, status: serverStatus, ...(reason ? { reason } : {}) };
    const state = this.connection.isOpen
      ? await this.connection.request<AgentState>(frame)
      : await this.deps.rest.put<AgentState>('/v1/agents/me/status', { status: serverStatus, ...(reason ? { reason } : {}) }).catch(rethrow);
    this.status = statusInfo(state.status, state.reason, Date.now());
    return this.status;
  }

  async getState(): Promise<AgentState> {
    return this.deps.rest.get<AgentState>('/v1/agents/me/state').catch(rethrow);
  }

  async #refreshStatus(): Promise<void> {
    const state = await this.getState().catch(() => null);
    if (state && (this.status.at === 0 || state.status !== this.status.status || state.reason !== this.status.reason)) {
      const wasKnown = this.status.at !== 0;
      const from = this.status.status;
      this.status = statusInfo(state.status, state.reason, Date.now());
      // Changed while the socket was down (a supervisor, the sign-out timer): say so.
      if (wasKnown) this.deps.emit('statusChanged', { ...this.status, from });
    }
  }

  // ── chat: routing ─────────────────────────────────────────────────────────────────

  async accept(sessionId: string, originTab?: string): Promise<void> {
    if (originTab) this.#acceptedBy.set(sessionId, originTab);
    this.#taking.add(sessionId);
    try {
      if (this.connection.isOpen) await this.connection.request({ type: 'offer.accept', conversationId: sessionId });
      else await this.deps.rest.post(`/v1/conversations/${encodeURIComponent(sessionId)}/accept`).catch(rethrow);
      await this.#refreshConversation(sessionId);
    } finally {
      this.#taking.delete(sessionId);
    }
  }

  async decline(sessionId: string): Promise<void> {
    if (this.connection.isOpen) await this.connection.request({ type: 'offer.decline', conversationId: sessionId });
    else await this.deps.rest.post(`/v1/conversations/${encodeURIComponent(sessionId)}/decline`).catch(rethrow);
  }

  async claim(sessionId: string, originTab?: string): Promise<Conversation> {
    if (originTab) this.#acceptedBy.set(sessionId, originTab);
    this.#taking.add(sessionId);
    let conversation: Conversation;
    try {
      conversation = await this.deps.rest.post<Conversation>(`/v1/conversations/${encodeURIComponent(sessionId)}/claim`).catch(rethrow);
      this.#apply(this.store.upsert(conversation), conversation);
    } finally {
      this.#taking.delete(sessionId);
    }
    // The socket follows it from here: its recent messages, then live ones.
    if (this.connection.isOpen) await this.connection.request({ type: 'resume', positions: { [sessionId]: this.store.positions()[sessionId] ?? Math.max(0, conversation.lastSeq - INITIAL_WINDOW) } }).catch(() => undefined);
    return conversation;
  }

  async end(sessionId: string): Promise<Conversation> {
    const conversation = await this.deps.rest.post<Conversation>(`/v1/conversations/${encodeURIComponent(sessionId)}/close`).catch(rethrow);
    this.#apply(this.store.upsert(conversation), conversation);
    return conversation;
  }

  async transfer(sessionId: string, to: { skillGroupId?: string | undefined; userId?: string | undefined }, note?: string): Promise<void> {
    if ((to.skillGroupId === undefined) === (to.userId === undefined)) throw new SdkFailure('FD_REQ_INVALID', 'give exactly one of skillGroupId or userId');
    const body = { ...(to.skillGroupId ? { queueId: to.skillGroupId } : { agentId: to.userId }), ...(note ? { note } : {}) };
    // The server tells this socket it left while the request runs; the event below is the one for it.
    this.#transferring.add(sessionId);
    await this.deps.rest.post(`/v1/conversations/${encodeURIComponent(sessionId)}/transfer`, body).catch(rethrow).finally(() => this.#transferring.delete(sessionId));
    this.store.remove(sessionId);
    this.deps.emit('transfer', { sessionId, direction: 'out', ...(to.skillGroupId ? { toQueueId: to.skillGroupId } : { toAgentId: to.userId! }) });
    this.deps.emit('sessionsChanged', { sessions: this.store.list() });
  }

  dismiss(sessionId: string): void {
    if (this.store.role(sessionId) !== 'ended') return;
    this.store.remove(sessionId);
    this.deps.emit('sessionsChanged', { sessions: this.store.list() });
  }

  // ── chat: messages ────────────────────────────────────────────────────────────────

  #stored(message: Message): void {
    if (this.store.addMessage(message)) this.deps.emit('message', { sessionId: message.conversationId, message });
    this.#updated(message.conversationId);
  }

  setTyping(sessionId: string, isTyping: boolean): void {
    const last = this.#typingSentAt.get(sessionId);
    const now = Date.now();
    if (isTyping && last !== undefined && now - last < TYPING_THROTTLE_MS) return;
    if (!isTyping && last === undefined) return;
    if (isTyping) this.#typingSentAt.set(sessionId, now);
    else this.#typingSentAt.delete(sessionId);
    this.connection.send({ type: 'typing', conversationId: sessionId, isTyping });
  }

  #setVisitorTyping(conversationId: string, isTyping: boolean): void {
    const timer = this.#visitorTypingTimers.get(conversationId);
    if (timer) clearTimeout(timer);
    this.#visitorTypingTimers.delete(conversationId);
    // A lost "stopped typing" must not leave the indicator on forever.
    if (isTyping) this.#visitorTypingTimers.set(conversationId, setTimeout(() => this.#setVisitorTyping(conversationId, false), VISITOR_TYPING_RESET_MS));
    if (this.store.setVisitorTyping(conversationId, isTyping)) this.#updated(conversationId);
  }

  async markRead(sessionId: string, seq?: number): Promise<void> {
    const target = seq ?? this.store.conversation(sessionId)?.lastSeq ?? 0;
    const conversation = this.connection.isOpen
      ? await this.connection.request<Conversation>({ type: 'read', conversationId: sessionId, seq: target })
      : await this.deps.rest.post<Conversation>(`/v1/conversations/${encodeURIComponent(sessionId)}/read`, { seq: target }).catch(rethrow);
    this.#apply(this.store.upsert(conversation), conversation, { quiet: true });
  }

  async loadHistory(sessionId: string, limit = INITIAL_WINDOW): Promise<{ messages: Message[]; hasMore: boolean }> {
    const conversation = this.store.conversation(sessionId) ?? (await this.#fetchConversation(sessionId));
    if (!conversation) throw new SdkFailure('FD_CONVERSATION_NOT_FOUND', `conversation ${sessionId} not found`);
    const before = this.store.oldestSeq(sessionId) ?? conversation.lastSeq + 1;
    if (before <= 1) return { messages: [], hasMore: false };
    const afterSeq = Math.max(0, before - 1 - limit);
    const page = await this.deps.rest
      .get<{ messages: Message[] }>(`/v1/conversations/${encodeURIComponent(sessionId)}/messages`, { afterSeq, limit: before - 1 - afterSeq })
      .catch(rethrow);
    const messages = page.messages.filter((m) => m.seq < before);
    for (const message of messages) this.store.addMessage(message);
    this.#updated(sessionId);
    return { messages, hasMore: afterSeq > 0 };
  }

  async getVisitor(sessionId: string): Promise<Visitor> {
    const conversation = this.store.conversation(sessionId) ?? (await this.#fetchConversation(sessionId));
    if (!conversation) throw new SdkFailure('FD_CONVERSATION_NOT_FOUND', `conversation ${sessionId} not found`);
    return this.deps.rest.get<Visitor>(`/v1/visitors/${encodeURIComponent(conversation.visitorId)}`).catch(rethrow);
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────

  async #fetchConversation(id: string): Promise<Conversation | null> {
    return this.deps.rest.get<Conversation>(`/v1/conversations/${encodeURIComponent(id)}`).catch((err) => {
      this.deps.log.warn('conversation fetch failed', { conversationId: id, error: String(err) });
      return null;
    });
  }

  async #refreshConversation(id: string): Promise<void> {
    const conversation = await this.#fetchConversation(id);
    if (conversation) this.#apply(this.store.upsert(conversation), conversation);
  }

  async #loadUnclaimed(): Promise<void> {
    const list = await this.deps.rest.get<{ conversations: Conversation[] }>('/v1/conversations', { status: 'open', limit: 200 }).catch(() => null);
    for (const conversation of list?.conversations ?? []) {
      if (conversation.agentId === null && conversation.routingState === 'none') this.store.upsert(conversation);
    }
  }
}
