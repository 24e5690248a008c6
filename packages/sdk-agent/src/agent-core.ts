import type { Agent, Call } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import type { MediaConstraintsOption } from '@frontdesk/sdk-core/calls';
import { AgentOutbox } from './agent-outbox.ts';
import { AgentStatusKeeper } from './agent-status.ts';
import { CallActions } from './call-actions.ts';
import type { Emit } from './agent-events.ts';
import { ChatActions } from './chat-actions.ts';
import { AgentConnection, type TerminalReason } from './connection.ts';
import { ConversationStore } from './conversation-store.ts';
import { ConversationTracker } from './conversation-tracker.ts';
import type { RestClient } from './rest.ts';
import { failure } from './results.ts';
import { RoutingActions } from './routing-actions.ts';
import { ServerEvents } from './server-events.ts';
import { DismissedConversations } from './dismissed-conversations.ts';
import type { AgentStatusInfo, ConnectionState, ConversationView, KeyValueStorage, ReconnectPolicy, WebSocketConstructor } from './types.ts';

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
  mediaConstraints?: MediaConstraintsOption | undefined;
  /** The browser's storage (dismissed conversations are remembered there). */
  storage: KeyValueStorage;
}

/** What a tab joining a shared login learns from the leader (multi-tab). */
export interface CoreSnapshot {
  agent: Agent | null;
  status: AgentStatusInfo;
  conversations: ConversationView[];
  connectionState: ConnectionState;
  /** The calls this agent is in or rung for. */
  calls: Call[];
}

/**
 * The agent's live state, in the tab that holds the connection: the connection itself, the
 * conversations (store and tracker), the agent's status, the outbox, and the actions on them
 * (routing, chat). The public namespaces (namespaces/) call these actions directly, or through the
 * leader tab when this tab is a follower (tab-sharing.ts).
 */
export class AgentCore {
  readonly store: ConversationStore;
  readonly connection: AgentConnection;
  readonly tracker: ConversationTracker;
  readonly status: AgentStatusKeeper;
  readonly routing: RoutingActions;
  readonly chat: ChatActions;
  readonly outbox: AgentOutbox;
  readonly calls: CallActions;
  agent: Agent | null = null;
  readonly #serverEvents: ServerEvents;
  #terminal = false;

  constructor(private readonly deps: AgentCoreDeps) {
    const { rest, log, emit } = deps;
    this.store = new ConversationStore(() => this.agent?.id ?? null);
    this.connection = new AgentConnection({
      url: () => `${deps.baseUrl.replace(/^http/, 'ws')}/v1/ws?appId=${encodeURIComponent(deps.appId())}`,
      token: deps.token,
      WebSocket: deps.WebSocket,
      policy: deps.policy,
      log: log.child('socket'),
      requestTimeoutMs: deps.requestTimeoutMs,
      positions: () => this.store.positions(),
      onHello: (reply, isReconnect) => this.#inOrder('hello', () => this.#serverEvents.onHello(reply, isReconnect)),
      onFrame: (frame) => this.#inOrder(frame.type, () => this.#serverEvents.onFrame(frame)),
      onState: (state, retryCount, retryInMs) => emit('connectionStateChanged', { state, retryCount, ...(retryInMs !== undefined ? { retryInMs } : {}) }),
      onTerminal: (reason) => this.#onTerminal(reason),
    });
    const { store, connection } = this;
    const dismissed = new DismissedConversations(deps.storage, () => (this.agent ? `frontdesk.agent.dismissed:${deps.baseUrl}|${this.agent.appId}|${this.agent.id}` : null));
    this.tracker = new ConversationTracker({
      store,
      rest,
      log,
      emit,
      follow: (positions) => {
        if (!connection.isOpen) return;
        connection.request({ type: 'resume', positions }).catch((err) => log.warn('follow failed', { error: String(err) }));
      },
    });
    this.status = new AgentStatusKeeper({ connection, rest, emit, agentId: () => this.agent?.id ?? null });
    this.routing = new RoutingActions({ store, dismissed, connection, rest, tracker: this.tracker, emit });
    this.chat = new ChatActions({ store, connection, rest, tracker: this.tracker, emit });
    this.outbox = new AgentOutbox({
      store,
      connection,
      rest,
      log: log.child('outbox'),
      stored: (message) => this.chat.stored(message),
      updated: (conversationId) => this.tracker.updated(conversationId),
    });
    this.calls = new CallActions({ connection, rest, emit, log, agentId: () => this.agent?.id ?? null, constraints: deps.mediaConstraints });
    this.#serverEvents = new ServerEvents({ store, dismissed, connection, rest, tracker: this.tracker, status: this.status, chat: this.chat, outbox: this.outbox, calls: this.calls, log, emit });
  }

  /** Reads who the token is, connects, and applies the first hello. Throws an SdkError. */
  async start(): Promise<Agent> {
    const me = await this.deps.rest.get<{ agent?: Agent }>('/v1/me');
    if (!me.agent) throw failure('FD_AUTH_FORBIDDEN', 'the token is not an agent login');
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
    this.chat.stop();
    this.calls.stop();
  }

  snapshot(): CoreSnapshot {
    return { agent: this.agent, status: this.status.current, conversations: this.store.list(), connectionState: this.connection.state, calls: this.calls.list() };
  }

  /** A REST call failed with 401: the same endings as the socket's. */
  terminate(reason: TerminalReason): void {
    this.connection.stop();
    this.#onTerminal(reason);
  }

  #onTerminal(reason: TerminalReason): void {
    if (this.#terminal) return;
    this.#terminal = true;
    this.outbox.failAll(reason.kind === 'kickedOut' ? 'SDK_KICKED_OUT' : 'FD_AUTH_TOKEN_INVALID', 'the login ended');
    this.deps.onTerminal(reason);
  }
}
