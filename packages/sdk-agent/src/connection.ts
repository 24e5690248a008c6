import type { ClientFrame, ErrorCode, HelloReply, ServerFrame } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import { failure, type SdkFailure } from './results.ts';
import type { ConnectionState, ReconnectPolicy, WebSocketConstructor, WebSocketLike } from './types.ts';

/** What ends the connection for good: the caller must log in again. */
export type TerminalReason = { kind: 'kickedOut'; reason: 'replaced' | 'admin' } | { kind: 'tokenExpired'; message: string };

// Close codes of the protocol (CLOSE_CODES in @frontdesk/protocol; repeated as values so the bundle needs no runtime import).
const CLOSE_NOT_AUTHENTICATED = 4001;
const CLOSE_KICKED_OUT = 4009;
const CLOSE_SESSION_REPLACED = 4011;

const OPEN = 1;

type OutgoingRequest = Extract<ClientFrame, { id: string }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type RequestFrame = DistributiveOmit<Exclude<OutgoingRequest, { type: 'hello' }>, 'id'>;

export interface AgentConnectionDeps {
  url: () => string;
  token: () => string | null;
  WebSocket: WebSocketConstructor;
  policy: ReconnectPolicy;
  log: Logger;
  requestTimeoutMs: number;
  /** conversationId → last seq this client holds, sent with every hello. */
  positions: () => Record<string, number>;
  onHello: (reply: HelloReply, isReconnect: boolean) => void;
  onFrame: (frame: ServerFrame) => void;
  onState: (state: ConnectionState, retryCount: number, retryInMs?: number) => void;
  onTerminal: (reason: TerminalReason) => void;
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (err: SdkFailure) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * A start ends with `SDK_SOCKET_REFUSED` once its sockets have closed before opening this many times
 * in a row, over at least this long: a refusal that lasts, not a busy moment (a 503 while the
 * database is slow) that the next try gets past.
 */
const START_REFUSALS = 3;
const START_REFUSED_FOR_MS = 10_000;

/**
 * The agent's connection: one WebSocket at a time, with hello, request/reply by id, app-level
 * heartbeat and reconnects.
 * After every (re)connect the hello carries the last seq per conversation, so the server sends
 * exactly what was missed.
 */
export class AgentConnection {
  #ws: WebSocketLike | null = null;
  #state: ConnectionState = 'idle';
  #retryCount = 0;
  #disconnectedAt = 0;
  #nextId = 0;
  #pending = new Map<string, Pending>();
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  #lastFrameAt = 0;
  #stopped = false;
  #helloCount = 0;
  #firstHello: { resolve: (reply: HelloReply) => void; reject: (err: SdkFailure) => void } | null = null;
  /** Sockets closed before they opened, one after the other, while starting (no hello yet), since when. */
  #refusedAtStart = 0;
  #firstRefusedAt = 0;

  constructor(private readonly deps: AgentConnectionDeps) {}

  get state(): ConnectionState {
    return this.#state;
  }

  get isOpen(): boolean {
    return this.#state === 'connected';
  }

  /** Connects; resolves with the first hello reply, rejects on a terminal error before it. */
  start(): Promise<HelloReply> {
    this.#stopped = false;
    this.#refusedAtStart = 0;
    return new Promise((resolve, reject) => {
      this.#firstHello = { resolve, reject };
      this.#open();
    });
  }

  stop(): void {
    this.#shutDown('stopped', failure('SDK_DESTROYED', 'the client stopped'));
  }

  /** Stops for good: no more retries or heartbeats, the socket closed, pending requests failed. */
  #shutDown(closeReason: string, error: SdkFailure): void {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopHeartbeat();
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      detach(ws);
      try {
        ws.close(1000, closeReason);
      } catch {
        // already closed
      }
    }
    this.#failPending(error);
    this.#setState('disconnected');
  }

  /** A request with a reply; fails fast with SDK_NOT_CONNECTED while the socket is down. */
  request<T>(frame: RequestFrame): Promise<T> {
    const ws = this.#ws;
    if (!ws || this.#state !== 'connected' || ws.readyState !== OPEN) return Promise.reject(failure('SDK_NOT_CONNECTED', 'not connected'));
    return this.#request<T>(ws, frame as OutgoingRequest);
  }

  /** Fire and forget (typing, a call's trickled candidates); dropped while the socket is down. */
  send(frame: Extract<ClientFrame, { type: 'typing' | 'call.ice' | 'call.share.ice' | 'cobrowse.input' }>): void {
    if (this.#ws && this.#state === 'connected' && this.#ws.readyState === OPEN) this.#ws.send(JSON.stringify(frame));
  }

  #request<T>(ws: WebSocketLike, frame: Omit<OutgoingRequest, 'id'>): Promise<T> {
    const id = `r${++this.#nextId}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(failure('SDK_TIMEOUT', `no reply to ${frame.type} within ${this.deps.requestTimeoutMs} ms`));
      }, this.deps.requestTimeoutMs);
      this.#pending.set(id, { resolve: resolve as (data: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  #open(): void {
    if (this.#stopped) return;
    const token = this.deps.token();
    if (!token) return this.#terminal({ kind: 'tokenExpired', message: 'no login token' });
    this.#setState(this.#helloCount === 0 && this.#retryCount === 0 ? 'connecting' : 'reconnecting');
    let ws: WebSocketLike;
    try {
      ws = new this.deps.WebSocket(this.deps.url());
    } catch (err) {
      this.deps.log.warn('socket could not be created', { error: String(err) });
      return this.#scheduleRetry();
    }
    this.#ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.#refusedAtStart = 0;
      this.#lastFrameAt = Date.now();
      this.#request<HelloReply>(ws, { type: 'hello', token, protocolVersion: 1, resume: this.deps.positions() } as Omit<OutgoingRequest, 'id'>).then(
        (reply) => this.#helloed(ws, reply),
        (err: SdkFailure) => this.#helloFailed(ws, err),
      );
    };
    ws.onmessage = (ev) => this.#onMessage(ev.data);
    ws.onerror = () => {
      // onclose follows and decides.
    };
    ws.onclose = (ev) => {
      if (!opened && ws === this.#ws && this.#refusedWhileStarting()) return;
      this.#onClose(ws, ev.code, ev.reason);
    };
  }

  /**
   * A socket that never opened, while starting. The third in a row, 10 s or more after the first,
   * ends the start with SDK_SOCKET_REFUSED: the REST sign-in worked, so the server is there and
   * refuses the upgrade (the page's address is not one the app allows) or something between drops
   * it (a proxy without WebSockets); waiting would only leave the user with a spinner. After the
   * first hello, retries go on.
   */
  #refusedWhileStarting(): boolean {
    const first = this.#firstHello;
    if (!first || this.#helloCount > 0) return false;
    if (++this.#refusedAtStart === 1) this.#firstRefusedAt = Date.now();
    if (this.#refusedAtStart < START_REFUSALS || Date.now() - this.#firstRefusedAt < START_REFUSED_FOR_MS) return false;
    this.#firstHello = null;
    const refused = failure('SDK_SOCKET_REFUSED', `the live connection was refused ${this.#refusedAtStart} times in a row: the page's address is not one the app allows, or a proxy does not pass WebSockets`);
    this.#shutDown('refused', refused);
    first.reject(refused);
    return true;
  }

  #helloed(ws: WebSocketLike, reply: HelloReply): void {
    if (ws !== this.#ws) return;
    const isReconnect = this.#helloCount > 0;
    this.#helloCount += 1;
    this.#retryCount = 0;
    this.#setState('connected');
    this.#startHeartbeat(ws, reply.heartbeatIntervalMs);
    this.deps.onHello(reply, isReconnect);
    const first = this.#firstHello;
    this.#firstHello = null;
    first?.resolve(reply);
  }

  #helloFailed(ws: WebSocketLike, err: SdkFailure): void {
    if (ws !== this.#ws) return;
    if (err.code === 'FD_AUTH_SESSION_REPLACED') return this.#terminal({ kind: 'kickedOut', reason: 'replaced' });
    if (err.code === 'FD_AUTH_TOKEN_INVALID' || err.code === 'FD_AGENT_DISABLED' || err.code === 'FD_AUTH_FORBIDDEN') return this.#terminal({ kind: 'tokenExpired', message: err.message });
    // Storage down, timeout…: the socket is closed by the server or by us, then retried.
    this.deps.log.warn('hello failed, retrying', { code: err.code });
    try {
      ws.close(4000, 'hello failed');
    } catch {
      // closing anyway
    }
  }

  #onMessage(data: unknown): void {
    this.#lastFrameAt = Date.now();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data)) as ServerFrame;
    } catch {
      this.deps.log.warn('unparsable frame');
      return;
    }
    if (frame.type === 'reply') {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.ok) pending.resolve(frame.data);
      else pending.reject(failure(frame.error.code as ErrorCode, frame.error.message, frame.error.retryAfterMs));
      return;
    }
    if (frame.type === 'pong') return;
    if (frame.type === 'kicked') {
      // The close (4011 or 4009) follows; decide now so no reconnect is attempted.
      return this.#terminal({ kind: 'kickedOut', reason: frame.reason });
    }
    this.deps.onFrame(frame);
  }

  #onClose(ws: WebSocketLike, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = null;
    this.#stopHeartbeat();
    this.#failPending(failure('SDK_NETWORK', `socket closed (${code})`));
    if (this.#stopped) return;
    if (code === CLOSE_SESSION_REPLACED || reason === 'FD_AUTH_SESSION_REPLACED') return this.#terminal({ kind: 'kickedOut', reason: 'replaced' });
    if (code === CLOSE_KICKED_OUT) return this.#terminal({ kind: 'kickedOut', reason: 'admin' });
    if (code === CLOSE_NOT_AUTHENTICATED && this.#firstHello === null && this.#helloCount === 0) return this.#terminal({ kind: 'tokenExpired', message: 'not authenticated' });
    this.deps.log.info('socket closed, reconnecting', { code });
    this.#scheduleRetry(code);
  }

  #scheduleRetry(closeCode?: number): void {
    if (this.#stopped) return;
    if (this.#disconnectedAt === 0 || this.#retryCount === 0) this.#disconnectedAt = Date.now();
    const delayMs = this.deps.policy.nextRetryDelayMs({ retryCount: this.#retryCount, elapsedMs: Date.now() - this.#disconnectedAt, ...(closeCode !== undefined ? { closeCode } : {}) });
    if (delayMs === null) return this.#terminal({ kind: 'tokenExpired', message: 'gave up reconnecting' });
    this.#retryCount += 1;
    this.#setState('reconnecting', delayMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, delayMs);
  }

  #terminal(reason: TerminalReason): void {
    if (this.#stopped) return;
    const ended = reason.kind === 'kickedOut' ? failure('SDK_KICKED_OUT', 'replaced by a newer login') : failure('FD_AUTH_TOKEN_INVALID', reason.message);
    this.#shutDown('done', ended);
    const first = this.#firstHello;
    this.#firstHello = null;
    first?.reject(ended);
    this.deps.onTerminal(reason);
  }

  // NOTE: pings are app-level frames: browsers can neither send nor observe WebSocket pings.
  #startHeartbeat(ws: WebSocketLike, intervalMs: number): void {
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => {
      if (Date.now() - this.#lastFrameAt > 2.5 * intervalMs) {
        this.deps.log.warn('socket silent, reconnecting');
        try {
          ws.close(4000, 'silent');
        } catch {
          // ignore
        }
        // Some environments never fire onclose for a dead socket: act as if it had.
        this.#onClose(ws, 4000, 'silent');
        return;
      }
      if (ws.readyState === OPEN) ws.send('{"type":"ping"}');
    }, intervalMs);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  #failPending(err: SdkFailure): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(err);
      this.#pending.delete(id);
    }
  }

  #setState(state: ConnectionState, retryInMs?: number): void {
    if (state === this.#state && retryInMs === undefined) return;
    this.#state = state;
    this.deps.onState(state, this.#retryCount, retryInMs);
  }
}

function detach(ws: WebSocketLike): void {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onerror = null;
  ws.onclose = null;
}
