import { createLogger, Emitter } from '@frontdesk/sdk-core';
import { AgentCore } from './agent-core.ts';
import { AgentData } from './agent-data.ts';
import { EVENTS } from './agent-events.ts';
import { appOfToken, defaultStorage, randomId, safeStorage } from './browser-storage.ts';
import type { TerminalReason } from './connection.ts';
import { createLeaderOps, type LeaderOp } from './leader-ops.ts';
import { logIn } from './login.ts';
import { createAgentNamespace } from './namespaces/agent-namespace.ts';
import { createCallNamespaces } from './namespaces/call-namespaces.ts';
import { createChatNamespace } from './namespaces/chat-namespace.ts';
import { createCobrowseNamespace } from './namespaces/cobrowse-namespace.ts';
import { createDevices } from './namespaces/devices-namespace.ts';
import { createContactsNamespace } from './namespaces/contacts-namespace.ts';
import type { NamespaceContext } from './namespaces/namespace-context.ts';
import { createUiController } from './namespaces/ui-namespace.ts';
import { DefaultReconnectPolicy } from './reconnect-policy.ts';
import { RestClient } from './rest.ts';
import { asFailure, fail, failure, run } from './results.ts';
import { TabSharing } from './tab-sharing.ts';
import type { AgentClient, AgentClientOptions, AgentEventMap, AgentEventName, ConnectionState, SdkResult, WebSocketConstructor } from './types.ts';

/**
 * Create an agent client. Nothing happens on the network until `start()`.
 *
 * ```ts
 * const sdk = createAgentClient({ baseUrl: 'https://support.example.com', appId: 'acme', credentials: { email, password } });
 * sdk.on('callIn', ({ sessionId }) => sdk.Chat.accept({ sessionId }));
 * const ready = await sdk.start();
 * ```
 *
 * This function only wires the parts: the login (login.ts), the live state and its actions
 * (agent-core.ts), the sharing between tabs (tab-sharing.ts) and the TCCC-shaped namespaces (namespaces/).
 */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const sink = options.logger;
  const log = createLogger('frontdesk.agent', sink && ((record) => sink(record.level, record.logger, record.message, record.context)), options.logLevel ?? 'info');
  const storage = options.storage ?? defaultStorage();
  const tabUUID = randomId();
  const emitter = new Emitter<AgentEventMap>((event, err) => log.error('listener failed', { event: String(event), error: String(err) }));
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const tokenKey = `frontdesk.agent.token:${baseUrl}|${options.appId ?? ''}`;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;

  let token: string | null = options.token ?? null;
  let appId: string | null = options.appId ?? null;
  /** The login ended (kicked out, token expired, logged out): every call fails from now on. */
  let terminal = false;
  let starting: Promise<SdkResult<AgentEventMap['ready']>> | null = null;

  const emitLocal = <E extends AgentEventName>(event: E, payload: AgentEventMap[E]) => {
    if (event === 'kickedOut' || event === 'tokenExpired') terminal = true;
    emitter.emit(event, payload);
  };
  const emit = <E extends AgentEventName>(event: E, payload: AgentEventMap[E]) => {
    emitLocal(event, payload);
    tabs.relay(event, payload);
  };

  const rest = new RestClient({
    baseUrl,
    getToken: () => token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onUnauthorized: (error) => {
      if (terminal || token === null) return;
      if (error.code === 'FD_AUTH_SESSION_REPLACED') endLogin({ kind: 'kickedOut', reason: 'replaced' });
      else if (error.code === 'FD_AUTH_TOKEN_INVALID') endLogin({ kind: 'tokenExpired', message: error.message });
    },
  });

  const core = new AgentCore({
    baseUrl,
    appId: () => appId ?? '',
    token: () => token,
    rest,
    WebSocket: WebSocketImpl ?? missingWebSocket,
    policy: options.reconnectPolicy ?? new DefaultReconnectPolicy(),
    requestTimeoutMs,
    log,
    emit,
    onTerminal: (reason) => announceEnd(reason),
    mediaConstraints: options.mediaConstraints,
    storage,
  });

  const tabs = new TabSharing({
    multiTab: options.multiTab ?? false,
    tabUUID,
    core,
    ops: createLeaderOps(core),
    log,
    rpcTimeoutMs: requestTimeoutMs + 5_000,
    emitLocal,
    isActive: () => starting !== null && !terminal,
    reloadToken: () => {
      token = safeStorage(() => storage.getItem(tokenKey)) ?? token;
    },
  });

  function announceEnd(reason: TerminalReason): void {
    if (options.multiTab) safeStorage(() => storage.removeItem(tokenKey));
    if (reason.kind === 'kickedOut') emit('kickedOut', { reason: reason.reason });
    else emit('tokenExpired', { message: reason.message });
  }

  /** The login ended, learned from a REST 401. */
  function endLogin(reason: TerminalReason): void {
    if (tabs.isLeader) core.terminate(reason);
    else {
      // A follower learned it first: tell this tab; the leader's socket tells the rest.
      if (reason.kind === 'kickedOut') emitLocal('kickedOut', { reason: reason.reason });
      else emitLocal('tokenExpired', { message: reason.message });
    }
  }

  const context: NamespaceContext = {
    invoke<T>(op: LeaderOp, ...args: unknown[]): Promise<SdkResult<T>> {
      if (terminal) return Promise.resolve(fail('SDK_DESTROYED', 'the login ended'));
      if (!starting) return Promise.resolve(fail('SDK_NOT_STARTED', 'call start() first'));
      return tabs.run<T>(op, args);
    },
    local<T>(fn: () => Promise<T>): Promise<SdkResult<T>> {
      if (!starting) return Promise.resolve(fail('SDK_NOT_STARTED', 'call start() first'));
      return run(fn);
    },
    snapshot: () => tabs.snapshot(),
  };

  async function startOnce(): Promise<SdkResult<AgentEventMap['ready']>> {
    try {
      if (!WebSocketImpl) throw failure('SDK_NOT_SUPPORTED', 'no WebSocket: pass options.WebSocket');
      token = await logIn({ options, token, appId, rest, storage, tokenKey });
      appId ??= appOfToken(token);
      if (!appId) throw failure('FD_AUTH_TOKEN_INVALID', 'the token names no app');
      const agent = await tabs.start(`frontdesk-agent:${baseUrl}|${appId}`);
      const ready = { tabUUID, agent, isLeader: tabs.isLeader };
      emitLocal('ready', ready);
      return { status: 'success', data: ready };
    } catch (err) {
      const { code, message } = asFailure(err);
      // TCCC raises tokenExpired when the login ticket is refused at start; a wrong password is only the result.
      if (code === 'FD_AUTH_TOKEN_INVALID' || code === 'FD_AUTH_SDK_LOGIN_TOKEN_INVALID') {
        if (!terminal) emitLocal('tokenExpired', { message });
      }
      return fail(code, message);
    }
  }

  const calls = createCallNamespaces(context, core);
  const client: AgentClient = {
    Agent: createAgentNamespace(context, core, rest),
    Chat: createChatNamespace(context, { core, data: new AgentData(rest), rest }),
    Cobrowse: createCobrowseNamespace(context, rest),
    Call: calls.Call,
    Video: calls.Video,
    Devices: createDevices(context),
    Contacts: createContactsNamespace(context, rest),
    UI: createUiController(storage, (state) => emitLocal('uiChanged', state)),
    api: rest,
    start() {
      starting ??= startOnce();
      return starting;
    },
    stop() {
      tabs.stop();
      core.stop();
    },
    async logout() {
      const result = tabs.isLeader && core.connection.isOpen ? await context.invoke('Agent.setStatus', 'offline') : ({ status: 'success', data: undefined } as const);
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
      return tabs.connectionState;
    },
    get token() {
      return token;
    },
    tabUUID,
    get isLeader() {
      return tabs.isLeader;
    },
  };
  return client;
}

const missingWebSocket = class {
  constructor() {
    throw new Error('no WebSocket implementation');
  }
} as unknown as WebSocketConstructor;
