import type { Message } from '@frontdesk/protocol';
import { Outbox, type Logger } from '@frontdesk/sdk-core';
import type { ClientStore, OutboxEntry } from './store.ts';
import { VisitorSdkError, type MessageStatusEvent } from './types.ts';

export interface VisitorOutboxDeps {
  store: ClientStore;
  log: Logger;
  isOpen(): boolean;
  /** Writes the entry's frame on the current connection and resolves with the stored message. */
  transmit(entry: OutboxEntry & { conversationId: string }): Promise<Message>;
  /** The conversation an entry without one goes to (opened if needed). */
  conversationFor(entry: OutboxEntry): Promise<string>;
  /** The server said the entry's conversation is closed: forget it as the current one. */
  conversationClosed(conversationId: string): void;
  status(event: MessageStatusEvent): void;
}

/**
 * The visitor's sends the server has not acknowledged: sdk-core's resend policy (the same client id
 * on every new connection until acknowledged), over the client's storage, so that neither a dropped
 * socket nor a reload loses them. Adds what the visitor needs: `messageStatus` events, a send
 * without a conversation opening one, and failed sends (files too) kept for `retry`.
 */
export class VisitorOutbox {
  private readonly queue: Outbox<OutboxEntry, Message>;
  private readonly failed = new Map<string, { event: MessageStatusEvent; resend: () => Promise<Message> }>();

  constructor(private readonly deps: VisitorOutboxDeps) {
    this.queue = new Outbox<OutboxEntry, Message>({
      log: deps.log,
      networkErrorCode: 'FD_SDK_NETWORK',
      storage: { load: () => deps.store.loadOutbox(), save: (entries) => deps.store.saveOutbox([...entries]) },
      isOpen: deps.isOpen,
      prepare: async (entry) => (entry.conversationId === null ? { ...entry, conversationId: await deps.conversationFor(entry) } : entry),
      transmit: (entry) => deps.transmit(entry as OutboxEntry & { conversationId: string }),
      // The conversation ended (agent, idle end) while this was on its way: what the visitor
      // typed goes to a new conversation, as a send after the end would.
      repair: (entry, error) => {
        if (error.code !== 'FD_CONVERSATION_CLOSED' || !entry.conversationId) return null;
        deps.conversationClosed(entry.conversationId);
        return { ...entry, conversationId: null };
      },
      onSent: (entry, message) => deps.status({ ...statusOf(entry, 'sent'), message }),
      onFailed: (entry, error) => {
        const event = { ...statusOf(entry, 'failed'), error };
        this.failed.set(entry.clientId, { event, resend: () => this.add({ ...entry }) });
        deps.status(event);
      },
    });
  }

  /** Queues a send; resolves with the stored message, rejects when the server refuses it. */
  add(entry: OutboxEntry): Promise<Message> {
    if (this.queue.has(entry.clientId) || this.failed.has(entry.clientId)) {
      return Promise.reject(new VisitorSdkError('FD_SDK_INVALID_INPUT', `client id ${entry.clientId} is already in use`));
    }
    this.deps.status(statusOf(entry, 'pending'));
    return this.queue.add(entry);
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

  /** Writes every unacknowledged entry on the (new) connection, oldest first. */
  flush(): void {
    this.queue.flush();
  }

  /** Pending and failed sends, oldest first: what a UI shows after a reload. */
  list(): MessageStatusEvent[] {
    return [...this.queue.entries().map((e) => statusOf(e, 'pending')), ...[...this.failed.values()].map((f) => f.event)];
  }
}

function statusOf(entry: OutboxEntry, status: MessageStatusEvent['status']): MessageStatusEvent {
  return { clientId: entry.clientId, conversationId: entry.conversationId, status, kind: entry.kind, text: entry.text };
}
