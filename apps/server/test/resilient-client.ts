import type { Message } from '@frontdesk/protocol';
import WebSocket from 'ws';

/** Replies that mean "try the same frame again later", not a broken contract. */
const RETRYABLE = new Set(['FD_REQ_RATE_LIMITED', 'FD_STORAGE_UNAVAILABLE', 'FD_BUSY', 'FD_INTERNAL']);

export interface Ack {
  clientId: string;
  /** id and seq the server acknowledged the message with. */
  id: string;
  seq: number;
  /** The stored message's createdAt (server clock). */
  createdAt: number;
  /** When the ack arrived (Date.now()), and how many times the frame had been sent by then. */
  at: number;
  attempts: number;
  /** Which connection (1-based) the ack arrived on. */
  connection: number;
}

interface Outgoing {
  clientId: string;
  text: string;
  attempts: number;
  /** The socket the frame was last written to; a frame is resent only on a newer socket. */
  sentOn: WebSocket | undefined;
}

export interface ResilientClientOptions {
  name: string;
  url: string;
  token: string;
  conversationId: string;
  /** Called after every first ack of a message. */
  onAck?: (ack: Ack) => void;
}

/**
 * A WebSocket client of one conversation that survives server restarts: it reconnects with
 * a small backoff, resumes from the last seq it has seen, and keeps every unacked send in an
 * outbox that it writes again, with the same clientId, on each new connection.
 * It records what it saw; it does not hide what the server did wrong (duplicates, gaps).
 */
export class ResilientClient {
  /** Every `message` event of its conversation, over all connections, in arrival order. */
  readonly seen: Message[] = [];
  /** First ack of each message, in arrival order. */
  readonly acks: Ack[] = [];
  /** Acks that arrived again for an already-acked clientId (allowed, but must match the first). */
  readonly repeatAcks: Ack[] = [];
  /** Contract violations and unexpected errors: must stay empty. */
  readonly problems: string[] = [];
  /** Last seq seen, only ever taken from `message` events. */
  lastSeq = 0;
  connections = 0;
  readonly sentTexts = new Map<string, string>();

  private readonly outbox = new Map<string, Outgoing>();
  private readonly inflight = new Map<string, string>();
  private ws: WebSocket | undefined;
  private deafTo: WebSocket | undefined;
  private ready = false;
  private stopped = false;
  private n = 0;
  private backoffMs = 25;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ResilientClientOptions) {}

  get name(): string {
    return this.options.name;
  }

  get conversationId(): string {
    return this.options.conversationId;
  }

  /** Sends not acked yet (queued or in flight). */
  get unacked(): number {
    return this.outbox.size;
  }

  /** Frames written to the current socket and not answered yet. */
  get inFlight(): number {
    return this.inflight.size;
  }

  start(): void {
    this.connect();
  }

  /** Queues a message; it is written now if connected, else on the next connection. */
  send(clientId: string, text: string): void {
    if (this.sentTexts.has(clientId)) throw new Error(`clientId ${clientId} used twice by the test`);
    this.sentTexts.set(clientId, text);
    const entry: Outgoing = { clientId, text, attempts: 0, sentOn: undefined };
    this.outbox.set(clientId, entry);
    if (this.ready) this.transmit(entry);
  }

  /** Resolves when `predicate` holds, checked on every frame and every 50 ms. */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
      };
      const check = () => {
        if (!predicate()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: timed out waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      this.listeners.add(check);
    });
  }

  /**
   * From now on ignore whatever the current socket receives and send nothing more on it, as
   * if the server's last replies and events were lost with it in a crash. Sends stay in the
   * outbox and go out again on the next connection.
   */
  loseIncoming(): void {
    this.ready = false;
    this.deafTo = this.ws;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.ready = false;
    this.ws?.terminate();
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.options.url);
    this.ws = ws;
    let dead = false;
    const onDead = () => {
      if (dead) return;
      dead = true;
      if (this.ws === ws) {
        this.ready = false;
        this.inflight.clear();
      }
      if (this.stopped) return;
      this.reconnectTimer = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 200);
    };
    ws.on('open', () => {
      this.connections++;
      const id = `h${++this.n}`;
      this.inflight.set(id, '');
      ws.send(JSON.stringify({ type: 'hello', id, token: this.options.token, resume: { [this.options.conversationId]: this.lastSeq } }));
    });
    ws.on('message', (data) => {
      if (this.ws !== ws || this.deafTo === ws) return;
      this.onFrame(ws, JSON.parse(data.toString()));
      for (const l of [...this.listeners]) l();
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      onDead();
    });
    ws.on('error', () => onDead());
    ws.on('close', () => onDead());
  }

  private onFrame(ws: WebSocket, frame: any): void {
    if (frame.type === 'message') {
      const m = frame.message as Message;
      if (m.conversationId !== this.options.conversationId) {
        this.problems.push(`${this.name}: message of another conversation ${m.conversationId}`);
        return;
      }
      if (m.seq !== this.lastSeq + 1) this.problems.push(`${this.name}: got seq ${m.seq} after ${this.lastSeq} (connection ${this.connections})`);
      this.seen.push(m);
      this.lastSeq = Math.max(this.lastSeq, m.seq);
      return;
    }
    if (frame.type !== 'reply') return;
    const clientId = this.inflight.get(frame.id);
    if (clientId === undefined) {
      this.problems.push(`${this.name}: reply to unknown request ${frame.id}`);
      return;
    }
    this.inflight.delete(frame.id);
    if (clientId === '') return this.onHello(ws, frame);
    if (!frame.ok) {
      const code = frame.error?.code as string;
      if (!RETRYABLE.has(code)) {
        this.problems.push(`${this.name}: send ${clientId} refused: ${code} ${frame.error?.message}`);
        return;
      }
      const entry = this.outbox.get(clientId);
      // FD_BUSY says when to come back (a saturated server, e.g. right after a restart).
      setTimeout(() => {
        if (entry && this.outbox.has(clientId) && this.ready && this.ws === ws) this.transmit(entry);
      }, frame.error?.retryAfterMs ?? 50);
      return;
    }
    const m = frame.data as Message;
    const ack: Ack = { clientId, id: m.id, seq: m.seq, createdAt: m.createdAt, at: Date.now(), attempts: this.outbox.get(clientId)?.attempts ?? 0, connection: this.connections };
    if (m.clientId !== clientId || m.text !== this.sentTexts.get(clientId) || m.conversationId !== this.options.conversationId) {
      this.problems.push(`${this.name}: ack for ${clientId} carries another message: ${JSON.stringify(m)}`);
    }
    if (!this.outbox.delete(clientId)) {
      this.repeatAcks.push(ack);
      return;
    }
    this.acks.push(ack);
    this.options.onAck?.(ack);
  }

  private onHello(ws: WebSocket, frame: any): void {
    if (!frame.ok) {
      // e.g. a storage hiccup during startup: drop the socket and try again.
      if (!RETRYABLE.has(frame.error?.code)) this.problems.push(`${this.name}: hello refused: ${frame.error?.code} ${frame.error?.message}`);
      ws.terminate();
      return;
    }
    this.ready = true;
    this.backoffMs = 25;
    for (const entry of this.outbox.values()) this.transmit(entry);
  }

  private transmit(entry: Outgoing): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const id = `s${++this.n}`;
    this.inflight.set(id, entry.clientId);
    entry.attempts++;
    entry.sentOn = ws;
    ws.send(JSON.stringify({ type: 'message.send', id, conversationId: this.options.conversationId, clientId: entry.clientId, text: entry.text }));
  }
}
