import type { Message } from '@frontdesk/protocol';
import type { Logger } from './logger.ts';
import type { ClientStore, OutboxEntry } from './store.ts';
import { VisitorSdkError, type MessageStatusEvent } from './types.ts';

/** Refusals that mean "send the same frame again later", not "this message is wrong". */
const RETRYABLE = new Set(['FD_REQ_RATE_LIMITED', 'FD_STORAGE_UNAVAILABLE', 'FD_INTERNAL', 'FD_SERVER_SHUTTING_DOWN']);
/** The socket went away: the entry stays and goes out again on the next connection. */
const DISCONNECTED = new Set(['FD_SDK_NETWORK', 'FD_SDK_NOT_CONNECTED']);
const RETRY_DELAY_MS = 1000;

export interface OutboxDeps {
  store: ClientStore;
  log: Logger;
  isOpen(): boolean;
  /** Writes the entry's frame on the current socket and resolves with the stored message. */
  transmit(entry: OutboxEntry & { conversationId: string }): Promise<Message>;
  /** The conversation an entry without one goes to (opened if needed). */
  conversationFor(entry: OutboxEntry): Promise<string>;
  /** The server said the entry's conversation is closed: forget it as the current one. */
  conversationClosed(conversationId: string): void;
  status(event: MessageStatusEvent): void;
}

interface Waiter {
  resolve(message: Message): void;
  reject(error: VisitorSdkError): void;
}

/**
 * Sends the server has not acknowledged, kept in storage so that neither a dropped socket nor a
 * reload loses them. Each is written again with the same clientId on every new connection until
 * acknowledged; the server stores a (sender, clientId) once, so a re-send never duplicates.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly failed = new Map<string, { event: MessageStatusEvent; resend: () => Promise<Message> }>();
  private readonly inFlight = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** Entries already moved once to a new conversation after theirs was closed. */
  private readonly rebound = new Set<string>();

  constructor(private readonly deps: OutboxDeps) {
    for (const entry of deps.store.loadOutbox()) this.entries.set(entry.clientId, entry);
  }

  /** Queues a send; resolves with the stored message, rejects when the server refuses it. */
  add(entry: OutboxEntry): Promise<Message> {
    if (this.entries.has(entry.clientId) || this.failed.has(entry.clientId)) {
      return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', `client id ${entry.clientId} is already in use`));
    }
    this.entries.set(entry.clientId, entry);
    this.persist();
    const done = this.waitFor(entry.clientId);
    this.deps.status(this.statusOf(entry, 'pending'));
    if (this.deps.isOpen()) void this.send(entry);
    return done;
  }

  /** Keeps a failed send (a file, whose bytes cannot be stored) so that `retry` can send it again. */
  addFailed(event: MessageStatusEvent, resend: () => Promise<Message>): void {
    this.failed.set(event.clientId, { event, resend });
  }

  /** Sends a failed message again with its client id. */
  retry(clientId: string): Promise<Message> {
    const failed = this.failed.get(clientId);
    if (!failed) return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', `no failed message with client id ${clientId}`));
    this.failed.delete(clientId);
    return failed.resend();
  }

  /** Re-adds a failed outbox entry (text, location) for `retry`. */
  requeue(entry: OutboxEntry): Promise<Message> {
    this.rebound.delete(entry.clientId);
    return this.add(entry);
  }

  /** Writes every unacknowledged entry on the (new) socket, oldest first. */
  flush(): void {
    for (const entry of this.entries.values()) if (!this.inFlight.has(entry.clientId)) void this.send(entry);
  }

  /** Pending and failed sends, oldest first: what a UI shows after a reload. */
  list(): MessageStatusEvent[] {
    return [...[...this.entries.values()].map((e) => this.statusOf(e, 'pending')), ...[...this.failed.values()].map((f) => f.event)];
  }

  private async send(entry: OutboxEntry): Promise<void> {
    if (this.inFlight.has(entry.clientId)) return;
    this.inFlight.add(entry.clientId);
    try {
      if (entry.conversationId === null) {
        entry.conversationId = await this.deps.conversationFor(entry);
        this.persist();
      }
      const message = await this.deps.transmit(entry as OutboxEntry & { conversationId: string });
      this.inFlight.delete(entry.clientId);
      if (!this.entries.delete(entry.clientId)) return;
      this.persist();
      this.deps.status({ ...this.statusOf(entry, 'sent'), message });
      this.settle(entry.clientId, (w) => w.resolve(message));
    } catch (err) {
      this.inFlight.delete(entry.clientId);
      const error = err instanceof VisitorSdkError ? err : new VisitorSdkError('FD_SDK_NETWORK', String(err));
      this.onRefused(entry, error);
    }
  }

  private onRefused(entry: OutboxEntry, error: VisitorSdkError): void {
    if (!this.entries.has(entry.clientId)) return;
    if (DISCONNECTED.has(error.code)) return this.deps.log.debug('send waits for the next connection', { clientId: entry.clientId });
    if (RETRYABLE.has(error.code)) {
      this.deps.log.info('send refused for now, retrying', { clientId: entry.clientId, code: error.code });
      setTimeout(() => {
        if (this.entries.has(entry.clientId) && this.deps.isOpen()) void this.send(entry);
      }, RETRY_DELAY_MS);
      return;
    }
    // The conversation ended (agent, idle end) while this was on its way: what the visitor
    // typed goes to a new conversation, as a send after the end would.
    if (error.code === 'FD_CONVERSATION_CLOSED' && entry.conversationId && !this.rebound.has(entry.clientId)) {
      this.rebound.add(entry.clientId);
      this.deps.conversationClosed(entry.conversationId);
      entry.conversationId = null;
      this.persist();
      if (this.deps.isOpen()) void this.send(entry);
      return;
    }
    this.entries.delete(entry.clientId);
    this.rebound.delete(entry.clientId);
    this.persist();
    const event = { ...this.statusOf(entry, 'failed'), error };
    this.failed.set(entry.clientId, { event, resend: () => this.requeue({ ...entry }) });
    this.deps.status(event);
    this.settle(entry.clientId, (w) => w.reject(error));
  }

  private waitFor(clientId: string): Promise<Message> {
    const done = new Promise<Message>((resolve, reject) => {
      const list = this.waiters.get(clientId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(clientId, list);
    });
    // A caller that only listens to `messageStatus` must not get an unhandled rejection.
    done.catch(() => undefined);
    return done;
  }

  private settle(clientId: string, fn: (w: Waiter) => void): void {
    const list = this.waiters.get(clientId) ?? [];
    this.waiters.delete(clientId);
    for (const w of list) fn(w);
  }

  private statusOf(entry: OutboxEntry, status: MessageStatusEvent['status']): MessageStatusEvent {
    return { clientId: entry.clientId, conversationId: entry.conversationId, status, kind: entry.kind, text: entry.text };
  }

  private persist(): void {
    this.deps.store.saveOutbox([...this.entries.values()]);
  }
}
