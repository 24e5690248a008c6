import type { HelloReply } from '@frontdesk/protocol';
import { isHelloReply, parseFrame, type IncomingFrame } from './frames.ts';
import type { Logger } from '@frontdesk/sdk-core';
import type { ReconnectPolicy } from '@frontdesk/sdk-core';
import { VisitorSdkError, type ConnectionState, type WebSocketConstructor, type WebSocketLike } from './types.ts';

/** Close codes of the protocol (packages/protocol errors.ts CLOSE_CODES), as values: only types are imported. */
const CLOSE_ORIGIN_NOT_ALLOWED = 4003;
const CLOSE_KICKED_OUT = 4009;
/** Hello refusals after which retrying the same way cannot help. */
const FATAL_HELLO_CODES = new Set(['FD_AUTH_ORIGIN_NOT_ALLOWED', 'FD_AUTH_FORBIDDEN', 'FD_APP_NOT_FOUND']);
const TOKEN_CODES = new Set(['FD_AUTH_TOKEN_INVALID', 'FD_AUTH_REQUIRED', 'FD_VISITOR_NOT_FOUND']);
const OPEN = 1;
/** A socket that has not opened and answered hello within this is given up and retried. */
const HELLO_TIMEOUT_MS = 15_000;

export interface ConnectionDeps {
  url: string;
  WebSocket: WebSocketConstructor;
  policy: ReconnectPolicy;
  log: Logger;
  /** The visitor token; `renew` asks for a new one (the last one was refused). */
  token(renew: boolean): Promise<string>;
  /** conversationId → last seq the client has, sent with every hello. */
  resumePositions(): Record<string, number>;
  onOpen(reply: HelloReply): void;
  onFrame(frame: IncomingFrame): void;
  onState(state: ConnectionState, previous: ConnectionState): void;
  /** The connection ended for good (kicked out, refused, or the policy gave up). */
  onFatal(error: VisitorSdkError): void;
}

interface Waiter {
  resolve(data: unknown): void;
  reject(error: VisitorSdkError): void;
}

/**
 * One logical connection over successive WebSockets: hello with resume positions, request /
 * reply by id, app-level heartbeats, and reconnects timed by the policy. It knows nothing of
 * conversations; the client above it does.
 */
export class VisitorConnection {
  private current: WebSocketLike | undefined;
  private stateValue: ConnectionState = 'idle';
  private stopped = true;
  private hasBeenOpen = false;
  private renewToken = false;
  private retryCount = 0;
  private lostAt = 0;
  private requestCounter = 0;
  private readonly waiters = new Map<string, Waiter>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFrameAt = 0;
  private openWaiters: { resolve(): void; reject(error: VisitorSdkError): void }[] = [];

  constructor(private readonly deps: ConnectionDeps) {}

  get state(): ConnectionState {
    return this.stateValue;
  }

  get isOpen(): boolean {
    return this.stateValue === 'open';
  }

  /** Starts connecting; resolves once open, rejects if the connection ends for good first. */
  start(): Promise<void> {
    const opened = new Promise<void>((resolve, reject) => this.openWaiters.push({ resolve, reject }));
    if (this.stopped) {
      this.stopped = false;
      this.hasBeenOpen = false;
      this.retryCount = 0;
      this.setState('connecting');
      void this.attempt();
    } else if (this.isOpen) {
      this.settleOpenWaiters();
    }
    return opened;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.dropSocket('disconnected');
    this.setState('closed');
    this.rejectOpenWaiters(new VisitorSdkError('FD_SDK_CLOSED', 'the client was disconnected'));
  }

  /** A request over the socket; rejects with FD_SDK_NOT_CONNECTED when not open, FD_SDK_NETWORK when the socket is lost first. */
  request(frame: Record<string, unknown>): Promise<unknown> {
    const ws = this.current;
    if (!this.isOpen || !ws) return Promise.reject(new VisitorSdkError('FD_SDK_NOT_CONNECTED', 'not connected'));
    const id = `r${++this.requestCounter}`;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      this.write(ws, { ...frame, id });
    });
  }

  /** A frame without reply (typing, ping); dropped when not open. */
  notify(frame: Record<string, unknown>): boolean {
    if (!this.isOpen || !this.current) return false;
    this.write(this.current, frame);
    return true;
  }

  /** The network came back (browser `online`): skip the remaining backoff. */
  retryNow(): void {
    if (this.stopped || this.current || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.attempt();
  }

  private async attempt(): Promise<void> {
    this.retryTimer = undefined;
    let token: string;
    try {
      token = await this.deps.token(this.renewToken);
      this.renewToken = false;
    } catch (err) {
      const error = err instanceof VisitorSdkError ? err : new VisitorSdkError('FD_SDK_NETWORK', String(err));
      // A refused visitor token (bad identity, unknown app, origin not allowed) will not change by retrying.
      if (error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) return this.fail(error);
      return this.scheduleRetry(`visitor token: ${error.code}`);
    }
    if (this.stopped) return;
    let ws: WebSocketLike;
    try {
      ws = new this.deps.WebSocket(this.deps.url);
    } catch (err) {
      return this.fail(new VisitorSdkError('FD_SDK_NETWORK', `cannot open a WebSocket to ${this.deps.url}: ${String(err)}`));
    }
    this.current = ws;
    const helloId = `h${++this.requestCounter}`;
    clearTimeout(this.helloTimer);
    const helloTimer = (this.helloTimer = setTimeout(() => {
      if (this.current !== ws || this.isOpen) return;
      this.deps.log.info('no hello reply in time: retrying', { timeoutMs: HELLO_TIMEOUT_MS });
      this.onLost(0, 'hello timeout');
    }, HELLO_TIMEOUT_MS));
    ws.onopen = () => {
      if (this.current !== ws) return;
      this.lastFrameAt = Date.now();
      this.write(ws, { type: 'hello', id: helloId, token, protocolVersion: 1, resume: this.deps.resumePositions() });
    };
    ws.onmessage = (event) => {
      if (this.current !== ws) return;
      this.lastFrameAt = Date.now();
      const frame = parseFrame(event.data);
      // NOTE: debug, not warn: a newer server may send frames this SDK does not know yet.
      if (!frame) return this.deps.log.debug('ignored a frame the client does not understand', { data: String(event.data).slice(0, 200) });
      if (frame.type === 'reply' && frame.id === helloId) {
        clearTimeout(helloTimer);
        return this.onHelloReply(ws, frame);
      }
      if (frame.type === 'reply') {
        const waiter = this.waiters.get(frame.id);
        this.waiters.delete(frame.id);
        if (frame.ok) waiter?.resolve(frame.data);
        else waiter?.reject(new VisitorSdkError(frame.error.code, frame.error.message, undefined, frame.error.retryAfterMs));
        return;
      }
      if (frame.type !== 'pong' && frame.type !== 'kicked') this.deps.onFrame(frame);
    };
    ws.onerror = () => this.deps.log.debug('socket error', { url: this.deps.url });
    ws.onclose = (event) => {
      clearTimeout(helloTimer);
      if (this.current !== ws) return;
      this.onLost(event.code, event.reason);
    };
  }

  private onHelloReply(ws: WebSocketLike, frame: Extract<IncomingFrame, { type: 'reply' }>): void {
    if (!frame.ok) {
      const { code, message } = frame.error;
      this.deps.log.warn('hello refused', { code, message });
      if (TOKEN_CODES.has(code)) this.renewToken = true;
      if (FATAL_HELLO_CODES.has(code)) return this.fail(new VisitorSdkError(code, message));
      // The server closes the socket after a refused hello; onclose schedules the retry.
      return;
    }
    if (!isHelloReply(frame.data)) return this.fail(new VisitorSdkError('FD_SDK_BAD_FRAME', 'the server answered hello with an unexpected shape'));
    this.retryCount = 0;
    this.hasBeenOpen = true;
    this.startHeartbeat(ws, frame.data.heartbeatIntervalMs);
    this.deps.log.info('connected', { heartbeatIntervalMs: frame.data.heartbeatIntervalMs, conversations: frame.data.conversations.length });
    this.setState('open');
    this.deps.onOpen(frame.data);
    this.settleOpenWaiters();
  }

  /**
   * NOTE: pings are app-level frames because browsers can neither send nor observe WebSocket
   * pings. A socket silent for 2.5 intervals (the server answers every ping) is treated as
   * dead: on a lost network no close event may come for minutes.
   */
  private startHeartbeat(ws: WebSocketLike, intervalMs: number): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (this.current !== ws) return;
      if (Date.now() - this.lastFrameAt > intervalMs * 2.5) {
        this.deps.log.info('no frame for 2.5 heartbeat intervals: reconnecting', { intervalMs });
        this.dropSocket('heartbeat timeout');
        return this.onLost(0, 'heartbeat timeout');
      }
      this.write(ws, { type: 'ping' });
    }, intervalMs);
  }

  private onLost(code: number, reason: string): void {
    this.dropSocket(reason || `closed (${code})`);
    if (this.stopped) return;
    if (code === CLOSE_KICKED_OUT) return this.fail(new VisitorSdkError('FD_WS_KICKED_OUT', 'the visitor was signed out by the business'));
    if (code === CLOSE_ORIGIN_NOT_ALLOWED) return this.fail(new VisitorSdkError('FD_AUTH_ORIGIN_NOT_ALLOWED', 'this page may not connect to the app'));
    this.scheduleRetry(reason || `closed (${code})`);
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    if (this.retryCount === 0) this.lostAt = Date.now();
    this.setState(this.hasBeenOpen ? 'reconnecting' : 'connecting');
    const delayMs = this.deps.policy.nextRetryDelayMs({ retryCount: this.retryCount, elapsedMs: Date.now() - this.lostAt, reason });
    if (delayMs === null) return this.fail(new VisitorSdkError('FD_SDK_RECONNECT_GAVE_UP', `gave up reconnecting after ${this.retryCount} attempts (${reason})`));
    this.retryCount++;
    this.deps.log.info('reconnecting', { reason, delayMs, retryCount: this.retryCount });
    this.retryTimer = setTimeout(() => void this.attempt(), delayMs);
  }

  /** Forgets the current socket: its late events are ignored, its requests fail (callers re-send). */
  private dropSocket(reason: string): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.helloTimer);
    const ws = this.current;
    this.current = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.onerror = () => undefined;
      try {
        ws.close(1000);
      } catch {
        // already closing
      }
    }
    const waiters = [...this.waiters.values()];
    this.waiters.clear();
    for (const waiter of waiters) waiter.reject(new VisitorSdkError('FD_SDK_NETWORK', `connection lost: ${reason}`));
  }

  private fail(error: VisitorSdkError): void {
    this.deps.log.warn('connection ended for good', { code: error.code, message: error.message });
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.dropSocket(error.code);
    this.setState('closed');
    this.rejectOpenWaiters(error);
    this.deps.onFatal(error);
  }

  private setState(state: ConnectionState): void {
    const previous = this.stateValue;
    if (previous === state) return;
    this.stateValue = state;
    this.deps.onState(state, previous);
  }

  private settleOpenWaiters(): void {
    const waiters = this.openWaiters;
    this.openWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private rejectOpenWaiters(error: VisitorSdkError): void {
    const waiters = this.openWaiters;
    this.openWaiters = [];
    for (const w of waiters) w.reject(error);
  }

  private write(ws: WebSocketLike, frame: Record<string, unknown>): void {
    if (ws.readyState !== OPEN) return;
    try {
      ws.send(JSON.stringify(frame));
    } catch (err) {
      this.deps.log.debug('send failed', { err: String(err) });
    }
  }
}
