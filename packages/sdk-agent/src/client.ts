import type { Agent, Conversation } from '@frontdesk/protocol';
import { AgentCore, type CoreSnapshot } from './agent-core.ts';
import { AgentData } from './agent-data.ts';
import { appOfToken, browserDeviceId, defaultStorage, isTokenExpired, randomId, safeStorage } from './browser-session.ts';
import type { TerminalReason } from './connection.ts';
import { createDevices } from './devices.ts';
import { Emitter } from '@frontdesk/sdk-core';
import { createLogger } from './logger.ts';
import { TabCoordinator, type ChannelLike, type LockManagerLike, type TabMessage } from './multi-tab.ts';
import { DefaultReconnectPolicy } from './reconnect-policy.ts';
import { RestClient } from './rest.ts';
import { asFailure, fail, run } from './results.ts';
import { statusInfo } from './status.ts';
import type {
  AgentClient,
  AgentClientOptions,
  AgentEventMap,
  AgentEventName,
  AgentStatusInfo,
  CallNamespace,
  ChatNamespace,
  ConnectionState,
  ConversationView,
  SdkResult,
  VideoNamespace,
  WebSocketConstructor,
} from './types.ts';
import { createUiController } from './ui.ts';

type LoginReply = { token: string; expiresAt: number; agent: Agent };

const EVENTS = {
  ready: 'ready',
  tokenExpired: 'tokenExpired',
  callIn: 'callIn',
  userAccessed: 'userAccessed',
  autoTransfer: 'autoTransfer',
  offerWithdrawn: 'offerWithdrawn',
  sessionEnded: 'sessionEnded',
  transfer: 'transfer',
  statusChanged: 'statusChanged',
  agentStatus: 'agentStatus',
  conversationUpdated: 'conversationUpdated',
  kickedOut: 'kickedOut',
  connectionStateChanged: 'connectionStateChanged',
  sessionsChanged: 'sessionsChanged',
  message: 'message',
  sessionUpdated: 'sessionUpdated',
  typing: 'typing',
  read: 'read',
  transparent: 'transparent',
  uiChanged: 'uiChanged',
  leaderChanged: 'leaderChanged',
} as const satisfies { [E in AgentEventName]: E };

/** Events about this tab only: never relayed to the other tabs. */
const TAB_LOCAL_EVENTS = new Set<AgentEventName>(['ready', 'leaderChanged', 'uiChanged']);

/** Operations that need the leader tab (the socket or the shared session list). */
type LeaderOp =
  | 'Agent.setStatus'
  | 'Chat.accept'
  | 'Chat.decline'
  | 'Chat.claim'
  | 'Chat.end'
  | 'Chat.transfer'
  | 'Chat.send'
  | 'Chat.sendFile'
  | 'Chat.retry'
  | 'Chat.discard'
  | 'Chat.dismiss'
  | 'Chat.setTyping'
  | 'Chat.markRead'
  | 'Chat.loadHistory';

/**
 * Create an agent client. Nothing happens on the network until `start()`.
 *
 * ```ts
 * const sdk = createAgentClient({ baseUrl: 'https://support.example.com', appId: 'acme', credentials: { email, password } });
 * sdk.on('callIn', ({ sessionId }) => sdk.Chat.accept({ sessionId }));
 * const ready = await sdk.start();
 * ```
 */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const log = createLogger('frontdesk.agent', options.logger, options.logLevel);
  const storage = options.storage ?? defaultStorage();
  const tabUUID = randomId();
  const emitter = new Emitter<AgentEventMap>((event, err) => log.error('listener failed', { event: String(event), error: String(err) }));
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const tokenKey = `frontdesk.agent.token:${baseUrl}|${options.appId ?? ''}`;

  let token: string | null = options.token ?? null;
  let appId: string | null = options.appId ?? null;
  let terminal = false;
  let starting: Promise<SdkResult<AgentEventMap['ready']>> | null = null;
  let coordinator: TabCoordinator | null = null;
  let isLeader = !options.multiTab;
  // What a follower tab knows, from the leader's events.
  let mirror: CoreSnapshot = { agent: null, status: statusInfo('offline', null, 0), sessions: [], connectionState: 'idle' };

  const emitLocal = <E extends AgentEventName>(event: E, payload: AgentEventMap[E]) => {
    if (event === 'kickedOut' || event === 'tokenExpired') terminal = true;
    emitter.emit(event, payload);
  };
  const emit = <E extends AgentEventName>(event: E, payload: AgentEventMap[E]) => {
    emitLocal(event, payload);
    if (coordinator && isLeader && !TAB_LOCAL_EVENTS.has(event)) coordinator.post({ kind: 'event', name: event, payload });
  };

  const rest = new RestClient({
    baseUrl,
    getToken: () => token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onUnauthorized: (error) => {
      if (terminal || token === null) return;
      if (error.code === 'FD_AUTH_SESSION_REPLACED') endSession({ kind: 'kickedOut', reason: 'replaced' });
      else if (error.code === 'FD_AUTH_TOKEN_INVALID') endSession({ kind: 'tokenExpired', message: error.message });
    },
  });

  const core = new AgentCore({
    baseUrl,
    appId: () => appId ?? '',
    token: () => token,
    rest,
    WebSocket: WebSocketImpl ?? missingWebSocket,
    policy: options.reconnectPolicy ?? new DefaultReconnectPolicy(),
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    log,
    emit,
    onTerminal: (reason) => announceEnd(reason),
  });

  const data = new AgentData(rest);

  function announceEnd(reason: TerminalReason): void {
    if (options.multiTab) safeStorage(() => storage.removeItem(tokenKey));
    if (reason.kind === 'kickedOut') emit('kickedOut', { reason: reason.reason });
    else emit('tokenExpired', { message: reason.message });
  }

  function endSession(reason: TerminalReason): void {
    if (isLeader) core.terminate(reason);
    else {
      // A follower learned it first (a REST 401): tell this tab; the leader's socket tells the rest.
      if (reason.kind === 'kickedOut') emitLocal('kickedOut', { reason: reason.reason });
      else emitLocal('tokenExpired', { message: reason.message });
    }
  }

  // ── operations: run here when leading, else in the leader tab ─────────────────────

  const leaderOps: Record<LeaderOp, (args: unknown[], origin: string) => Promise<SdkResult<unknown>>> = {
    'Agent.setStatus': ([status, reason]) => run(() => core.setStatus(status as never, reason as string | undefined)),
    'Chat.accept': ([sessionId], origin) => run(() => core.accept(sessionId as string, origin)),
    'Chat.decline': ([sessionId]) => run(() => core.decline(sessionId as string)),
    'Chat.claim': ([sessionId], origin) => run(() => core.claim(sessionId as string, origin)),
    'Chat.end': ([sessionId]) => run(() => core.end(sessionId as string)),
    'Chat.transfer': ([sessionId, to, note]) => run(() => core.transfer(sessionId as string, to as { skillGroupId?: string; userId?: string }, note as string | undefined)),
    'Chat.send': ([sessionId, text, clientId]) => core.outbox.sendText(sessionId as string, text as string, clientId as string),
    'Chat.sendFile': ([sessionId, file, name, clientId]) => core.outbox.sendFile(sessionId as string, file as Blob, name as string, clientId as string),
    'Chat.retry': ([clientId]) => core.outbox.retry(clientId as string),
    'Chat.discard': ([clientId]) => run(async () => core.outbox.discard(clientId as string)),
    'Chat.dismiss': ([sessionId]) => run(async () => core.dismiss(sessionId as string)),
    'Chat.setTyping': ([sessionId, isTyping]) => run(async () => core.setTyping(sessionId as string, isTyping as boolean)),
    'Chat.markRead': ([sessionId, seq]) => run(() => core.markRead(sessionId as string, seq as number | undefined)),
    'Chat.loadHistory': ([sessionId, limit]) => run(() => core.loadHistory(sessionId as string, limit as number | undefined)),
  };

  function invoke<T>(op: LeaderOp, ...args: unknown[]): Promise<SdkResult<T>> {
    if (terminal) return Promise.resolve(fail('SDK_DESTROYED', 'the session ended'));
    if (!starting) return Promise.resolve(fail('SDK_NOT_STARTED', 'call start() first'));
    if (isLeader) return leaderOps[op](args, tabUUID) as Promise<SdkResult<T>>;
    return coordinator!.rpc(op, args) as Promise<SdkResult<T>>;
  }

  /** REST-only calls: any tab runs them itself with the shared token. */
  function local<T>(fn: () => Promise<T>): Promise<SdkResult<T>> {
    if (!starting) return Promise.resolve(fail('SDK_NOT_STARTED', 'call start() first'));
    return run(fn);
  }

  const snapshot = (): CoreSnapshot => (isLeader ? core.snapshot() : mirror);

  // ── multi-tab ────────────────────────────────────────────────────────────────────

  function onTabMessage(message: TabMessage): void {
    switch (message.kind) {
      case 'join':
        if (isLeader && core.agent) coordinator!.post({ kind: 'snapshot', to: message.from, leader: tabUUID, snapshot: core.snapshot() });
        return;
      case 'snapshot':
        if (isLeader) return;
        mirror = message.snapshot;
        followerReady?.(message.snapshot);
        emitLocal('sessionsChanged', { sessions: mirror.sessions });
        return;
      case 'rpc':
        if (!isLeader || !(message.op in leaderOps)) return;
        void leaderOps[message.op as LeaderOp](message.args, message.from).then((result) => coordinator!.post({ kind: 'rpc-result', id: message.id, to: message.from, result }));
        return;
      case 'event':
        if (isLeader) return;
        applyToMirror(message.name, message.payload);
        emitLocal(message.name, message.payload as never);
        return;
      default:
        return;
    }
  }

  function applyToMirror(name: AgentEventName, payload: unknown): void {
    if (name === 'sessionsChanged') mirror = { ...mirror, sessions: [...(payload as AgentEventMap['sessionsChanged']).sessions] };
    else if (name === 'sessionUpdated') {
      const view = (payload as AgentEventMap['sessionUpdated']).session;
      const at = mirror.sessions.findIndex((s) => s.conversation.id === view.conversation.id);
      mirror = { ...mirror, sessions: at < 0 ? [view, ...mirror.sessions] : mirror.sessions.map((s, i) => (i === at ? view : s)) };
    } else if (name === 'statusChanged') {
      const { from: _from, ...status } = payload as AgentEventMap['statusChanged'];
      mirror = { ...mirror, status };
    } else if (name === 'connectionStateChanged') mirror = { ...mirror, connectionState: (payload as AgentEventMap['connectionStateChanged']).state };
  }

  let followerReady: ((snapshot: CoreSnapshot) => void) | null = null;

  /** This tab starts the socket (alone, or elected leader). */
  async function lead(): Promise<Agent> {
    isLeader = true;
    const agent = await core.start();
    coordinator?.post({ kind: 'snapshot', to: '*', leader: tabUUID, snapshot: core.snapshot() });
    return agent;
  }

  // ── start ───────────────────────────────────────────────────────────────────────

  async function signIn(): Promise<void> {
    if (token) {
      // Given a token (SDK login): the other tabs of this browser take it over from here.
      if (options.multiTab) safeStorage(() => storage.setItem(tokenKey, token!));
      return;
    }
    if (options.multiTab) {
      const stored = safeStorage(() => storage.getItem(tokenKey));
      if (stored && !isTokenExpired(stored)) {
        token = stored;
        return;
      }
    }
    const credentials = options.credentials;
    if (!credentials) throw asFailure({ code: 'SDK_NOT_STARTED', message: 'give a token or credentials' });
    const deviceId = options.multiTab ? browserDeviceId(storage) : undefined;
    let reply: LoginReply;
    if ('sdkLoginToken' in credentials) {
      reply = await rest.post<LoginReply>('/v1/auth/sdk-login', { token: credentials.sdkLoginToken, ...(appId ? { appId } : {}), ...(deviceId ? { deviceId } : {}) });
    } else {
      if (!appId) throw asFailure({ code: 'FD_REQ_INVALID', message: 'appId is needed for a password login' });
      reply = await rest.post<LoginReply>('/v1/auth/login', { appId, email: credentials.email, password: credentials.password, ...(deviceId ? { deviceId } : {}) });
    }
    token = reply.token;
    if (options.multiTab) safeStorage(() => storage.setItem(tokenKey, reply.token));
  }

  async function startOnce(): Promise<SdkResult<AgentEventMap['ready']>> {
    try {
      if (!WebSocketImpl) throw asFailure({ code: 'SDK_NOT_SUPPORTED', message: 'no WebSocket: pass options.WebSocket' });
      await signIn();
      appId ??= appOfToken(token!);
      if (!appId) throw asFailure({ code: 'FD_AUTH_TOKEN_INVALID', message: 'the token names no app' });
      let agent: Agent;
      const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
      const Channel = (globalThis as { BroadcastChannel?: new (name: string) => ChannelLike }).BroadcastChannel;
      if (options.multiTab && locks && Channel) {
        coordinator = new TabCoordinator({
          name: `frontdesk-agent:${baseUrl}|${appId}`,
          tabUUID,
          locks,
          channel: new Channel(`frontdesk-agent:${baseUrl}|${appId}`),
          log: log.child('tabs'),
          rpcTimeoutMs: (options.requestTimeoutMs ?? 15_000) + 5_000,
          onLeader: async () => {
            if (!starting || terminal) return;
            if (agentKnown) {
              // A follower taking over from a closed leader tab: same session, same token.
              token = safeStorage(() => storage.getItem(tokenKey)) ?? token;
              await lead();
              emitLocal('leaderChanged', { isLeader: true, tabUUID });
            }
          },
          onMessage: onTabMessage,
        });
        isLeader = false;
        const leads = await coordinator.start();
        if (leads) agent = await lead();
        else {
          const joined = new Promise<CoreSnapshot>((resolve) => (followerReady = resolve));
          coordinator.post({ kind: 'join', from: tabUUID });
          const first = await joined;
          followerReady = null;
          if (!first.agent) throw asFailure({ code: 'SDK_NOT_CONNECTED', message: 'the leader tab has no session' });
          agent = first.agent;
        }
      } else {
        if (options.multiTab) log.warn('multi-tab sharing needs Web Locks and BroadcastChannel: this tab connects alone');
        agent = await lead();
      }
      agentKnown = true;
      const ready = { tabUUID, agent, isLeader };
      emitLocal('ready', ready);
      return { status: 'success', data: ready };
    } catch (err) {
      const failure = asFailure(err);
      // TCCC raises tokenExpired when the login ticket is refused at start; a wrong password is only the result.
      if (failure.code === 'FD_AUTH_TOKEN_INVALID' || failure.code === 'FD_AUTH_SDK_LOGIN_TOKEN_INVALID') {
        if (!terminal) emitLocal('tokenExpired', { message: failure.message });
      }
      return fail(failure.code, failure.message);
    }
  }
  let agentKnown = false;

  // ── namespaces ──────────────────────────────────────────────────────────────────

  const notSupported = <T>(): Promise<SdkResult<T>> => Promise.resolve(fail('SDK_NOT_SUPPORTED', 'calls are not available yet'));

  const Chat: ChatNamespace = {
    accept: ({ sessionId }) => invoke('Chat.accept', sessionId),
    decline: ({ sessionId }) => invoke('Chat.decline', sessionId),
    claim: ({ sessionId }) => invoke<Conversation>('Chat.claim', sessionId),
    end: ({ sessionId }) => invoke<Conversation>('Chat.end', sessionId),
    transfer: ({ sessionId, skillGroupId, userId, note }) => invoke('Chat.transfer', sessionId, { skillGroupId, userId }, note),
    dismiss: ({ sessionId }) => void invoke('Chat.dismiss', sessionId),
    list: () => snapshot().sessions as readonly ConversationView[],
    get: ({ sessionId }) => snapshot().sessions.find((s) => s.conversation.id === sessionId) ?? null,
    send: ({ sessionId, text, clientId }) => invoke('Chat.send', sessionId, text, clientId ?? randomId()),
    sendFile: ({ sessionId, file, name, clientId }) => invoke('Chat.sendFile', sessionId, file, name, clientId ?? randomId()),
    retry: ({ clientId }) => invoke('Chat.retry', clientId),
    discard: ({ clientId }) => void invoke('Chat.discard', clientId),
    setTyping: ({ sessionId, isTyping }) => void invoke('Chat.setTyping', sessionId, isTyping),
    markRead: ({ sessionId, seq }) => invoke('Chat.markRead', sessionId, seq),
    loadHistory: ({ sessionId, limit }) => invoke('Chat.loadHistory', sessionId, limit),
    search: (opts = {}) => local(() => data.search(opts)),
    getVisitor: ({ sessionId }) => local(() => core.getVisitor(sessionId)),
    getCannedResponses: (opts = {}) => local(() => data.cannedResponses(opts.query, opts.refresh ?? false)),
    getNotes: ({ sessionId }) => local(() => data.notes(sessionId)),
    addNote: ({ sessionId, text }) => local(() => data.addNote(sessionId, text)),
    downloadFile: ({ url }) => local(() => rest.blob(url)),
  };

  const Call: CallNamespace = {
    startOutboundCall: notSupported,
    accept: notSupported,
    hungUp: notSupported,
    muteMic: notSupported,
    unmuteMic: notSupported,
    isMicMuted: notSupported,
    transfer: notSupported,
    hold: notSupported,
    unHold: notSupported,
    sendDigits: notSupported,
  };
  const Video: VideoNamespace = {
    accept: notSupported,
    end: notSupported,
    muteMic: notSupported,
    unmuteMic: notSupported,
    muteVideo: notSupported,
    unmuteVideo: notSupported,
    transfer: notSupported,
  };

  const UI = createUiController(storage, (state) => emitLocal('uiChanged', state));

  const client: AgentClient = {
    Agent: {
      online: () => invoke<AgentStatusInfo>('Agent.setStatus', 'free'),
      offline: () => invoke<AgentStatusInfo>('Agent.setStatus', 'offline'),
      setStatus: ({ status, restReason }) => invoke<AgentStatusInfo>('Agent.setStatus', status, restReason),
      getStatus: () => snapshot().status,
      getState: () => local(() => core.getState()),
      me: () => snapshot().agent,
    },
    Chat,
    Call,
    Video,
    Devices: createDevices(),
    UI,
    api: rest,
    start() {
      starting ??= startOnce();
      return starting;
    },
    stop() {
      coordinator?.stop();
      coordinator = null;
      core.stop();
    },
    async logout() {
      const result = isLeader && core.connection.isOpen ? await invoke('Agent.setStatus', 'offline') : ({ status: 'success', data: undefined } as const);
      client.stop();
      token = null;
      safeStorage(() => storage.removeItem(tokenKey));
      terminal = true;
      return result.status === 'success' ? { status: 'success', data: undefined } : result;
    },
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    events: EVENTS,
    get connectionState(): ConnectionState {
      return isLeader ? core.connection.state : mirror.connectionState;
    },
    get token() {
      return token;
    },
    tabUUID,
    get isLeader() {
      return isLeader;
    },
  };
  return client;
}

const missingWebSocket = class {
  constructor() {
    throw new Error('no WebSocket implementation');
  }
} as unknown as WebSocketConstructor;

