import type { Writable } from 'node:stream';
import type { Message, ServerFrame } from '@frontdesk/protocol';
import type { WebSocket } from 'ws';
import { newId } from '../platform/ids.ts';
import type { Principal } from '../platform/principal.ts';

/** How far a socket has been sent one conversation, and what waits behind a gap. */
interface Cursor {
  deliveredSeq: number;
  filling: boolean;
  pending: Message[];
  /** Catch-up reads that failed in a row. */
  failures: number;
}

export type FetchAfter = (conversationId: string, afterSeq: number, limit: number) => Promise<Message[]>;

const FILL_PAGE = 500;
/**
 * When to ask storage again after `failures` refusals in a row (busy or away): 1 s doubling up to
 * 30 s, jittered, and never before the refusal's own hint. NOTE: many sockets are refused together
 * (a reconnect storm); asked again at the busy pool's hint, they kept it busy.
 */
export function storageRetryDelayMs(failures: number, err: unknown): number {
  const hint = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  const backoffMs = Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random());
  return Math.max(typeof hint === 'number' ? hint : 0, backoffMs);
}
/** A socket whose unsent output grows past this is closed; the client resumes from its last seq. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Streams corked in this event-loop turn, uncorked together when it ends. */
const corked = new Set<Writable>();

function uncorkAll(): void {
  for (const stream of corked) stream.uncork();
  corked.clear();
}

/**
 * NOTE: every frame was its own write system call (40% of the server's busy time under load in the
 * profile): a batch of messages sends many frames to one agent, and a send's reply and its message
 * go to the same visitor. The TCP socket under a WebSocket (the one its upgrade handed to ws) is
 * corked on its first frame of a turn and uncorked once the turn ends, so the frames of one turn
 * leave in one write.
 */
function corkForThisTurn(stream: Writable): void {
  if (corked.has(stream)) return;
  if (corked.size === 0) setImmediate(uncorkAll);
  stream.cork();
  corked.add(stream);
}

/**
 * One client socket. Messages reach it exactly once and in seq order per conversation:
 * live events advance the cursor when they are the next seq; a gap (a reconnect, or events
 * that overtook each other) is filled from storage before anything after it is sent.
 */
export class Connection {
  readonly id = newId('sock');
  principal: Principal | null = null;
  lastFrameAt: number;
  readonly openedAt: number;
  private readonly cursors = new Map<string, Cursor>();
  /** What runs when the socket closes (call legs opened through it). */
  readonly closeListeners: (() => void)[] = [];
  private tokens: number;
  private tokensAt: number;

  constructor(
    readonly socket: WebSocket,
    readonly appId: string,
    now: number,
    private readonly fetchAfter: FetchAfter,
    private readonly onFillError: (err: unknown) => void,
    private readonly rate: { perSecond: number; burst: number },
    /** The client's address (the TCP peer), for the per-address socket cap. */
    readonly address = '',
    /** The stream the WebSocket writes to (its upgrade's socket): corked per turn; none in unit tests. */
    private readonly wire?: Writable,
  ) {
    this.lastFrameAt = now;
    this.openedAt = now;
    this.tokens = rate.burst;
    this.tokensAt = now;
  }

  send(frame: ServerFrame | string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.wire) corkForThisTurn(this.wire);
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Token bucket: false when the client sends faster than allowed. */
  takeToken(now: number): boolean {
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.tokensAt) / 1000) * this.rate.perSecond);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  isFollowing(conversationId: string): boolean {
    return this.cursors.has(conversationId);
  }

  /**
   * Starts following a conversation from `deliveredSeq`; anything after it is sent from storage.
   * `upToDate`: the caller knows nothing was stored after it (no read of storage needed).
   */
  follow(conversationId: string, deliveredSeq: number, upToDate = false): void {
    const cursor = this.cursors.get(conversationId);
    if (cursor) {
      if (deliveredSeq >= cursor.deliveredSeq || cursor.filling) return;
      // Asked to go back (a resume below what this socket was sent): send it again from there.
      cursor.deliveredSeq = deliveredSeq;
    } else {
      this.cursors.set(conversationId, { deliveredSeq, filling: false, pending: [], failures: 0 });
      if (upToDate) return;
    }
    void this.fill(conversationId);
  }

  /** A live message event. `serialized` is shared by every socket it goes to. */
  deliver(message: Message, serialized: string): void {
    let cursor = this.cursors.get(message.conversationId);
    if (!cursor) {
      // The first event of a conversation this socket did not follow yet: live from here.
      cursor = { deliveredSeq: message.seq - 1, filling: false, pending: [], failures: 0 };
      this.cursors.set(message.conversationId, cursor);
    }
    if (cursor.filling) {
      cursor.pending.push(message);
      return;
    }
    if (message.seq <= cursor.deliveredSeq) return;
    if (message.seq === cursor.deliveredSeq + 1 && cursor.pending.length === 0) {
      this.send(serialized);
      cursor.deliveredSeq = message.seq;
      return;
    }
    cursor.pending.push(message);
    void this.fill(message.conversationId);
  }

  private async fill(conversationId: string): Promise<void> {
    const cursor = this.cursors.get(conversationId);
    if (!cursor || cursor.filling) return;
    cursor.filling = true;
    try {
      for (;;) {
        const page = await this.fetchAfter(conversationId, cursor.deliveredSeq, FILL_PAGE);
        this.sendInOrder(cursor, page);
        if (page.length === FILL_PAGE) continue;
        const pending = cursor.pending.sort((a, b) => a.seq - b.seq);
        cursor.pending = [];
        this.sendInOrder(cursor, pending);
        cursor.pending = pending.filter((m) => m.seq > cursor.deliveredSeq + 1);
        // A gap storage could not fill yet: wait for the next event instead of spinning.
        if (cursor.pending.length === 0 || page.length === 0) break;
      }
      cursor.failures = 0;
    } catch (err) {
      // NOTE: tried again, not left for the conversation's next event: in a quiet conversation
      // there may be none, and what the read missed would never reach this socket.
      if (cursor.failures === 0) this.onFillError(err);
      const delayMs = storageRetryDelayMs(cursor.failures, err);
      cursor.failures += 1;
      setTimeout(() => this.socket.readyState === this.socket.OPEN && void this.fill(conversationId), delayMs).unref();
    } finally {
      cursor.filling = false;
    }
  }

  private sendInOrder(cursor: Cursor, messages: Message[]): void {
    for (const message of messages) {
      if (message.seq !== cursor.deliveredSeq + 1) continue;
      this.send({ type: 'message', message });
      cursor.deliveredSeq = message.seq;
    }
  }
}
