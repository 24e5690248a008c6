import type { Message } from '@frontdesk/protocol';
import { Outbox, SdkError, type Logger } from '@frontdesk/sdk-core';
import type { AgentConnection } from './connection.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { RestClient } from './rest.ts';
import { asFailure, fail, type FailureCode } from './results.ts';
import type { OutboxEntry, SdkResult } from './types.ts';

export interface AgentOutboxDeps {
  store: ConversationStore;
  connection: AgentConnection;
  rest: RestClient;
  log: Logger;
  /** The stored message came back: add it to its conversation and tell the listeners. */
  stored: (message: Message) => void;
  /** A conversation's pending list changed. */
  updated: (conversationId: string) => void;
}

/**
 * The agent's sends not yet acknowledged, shown as `pending` in their conversation's view. Texts
 * follow sdk-core's resend policy over the socket: 'sending' until the server stores one, written
 * again with its clientId after every hello (in memory: a reload starts afresh), so the server stores
 * it once. Files go over REST and are kept in memory until uploaded, for a retry.
 */
export class AgentOutbox {
  readonly #texts: Outbox<OutboxEntry, Message>;
  readonly #files = new Map<string, Blob>();

  constructor(private readonly deps: AgentOutboxDeps) {
    this.#texts = new Outbox<OutboxEntry, Message>({
      log: deps.log,
      networkErrorCode: 'SDK_NETWORK',
      isOpen: () => deps.connection.isOpen,
      transmit: (entry) => deps.connection.request<Message>({ type: 'message.send', conversationId: entry.conversationId, clientId: entry.clientId, text: entry.text }),
      onSent: (_entry, message) => deps.stored(message),
      onFailed: (entry, error) => this.#markFailed(entry, error.message),
    });
  }

  /** Resolves once stored (after reconnects if need be), or with the server's refusal. */
  sendText(conversationId: string, text: string, clientId: string): Promise<SdkResult<Message>> {
    if (!this.deps.store.has(conversationId)) return Promise.resolve(fail('FD_CONVERSATION_NOT_FOUND', `no conversation ${conversationId} here`));
    const entry: OutboxEntry = { clientId, conversationId, kind: 'text', text, createdAt: Date.now(), state: 'sending' };
    this.deps.store.addPending(entry);
    this.deps.updated(conversationId);
    return asResult(this.#texts.add(entry));
  }

  async sendFile(conversationId: string, file: Blob, name: string, clientId: string): Promise<SdkResult<Message>> {
    if (!this.deps.store.has(conversationId)) return fail('FD_CONVERSATION_NOT_FOUND', `no conversation ${conversationId} here`);
    this.#files.set(clientId, file);
    const entry: OutboxEntry = { clientId, conversationId, kind: 'file', text: name, fileName: name, createdAt: Date.now(), state: 'sending' };
    this.deps.store.addPending(entry);
    this.deps.updated(conversationId);
    return this.#upload(entry);
  }

  async retry(clientId: string): Promise<SdkResult<Message>> {
    const entry = this.deps.store.updatePending(clientId, { state: 'sending' });
    if (!entry) return fail('FD_REQ_NOT_FOUND', 'nothing to retry with this clientId');
    this.deps.updated(entry.conversationId);
    if (entry.kind === 'file') return this.#upload(entry);
    return asResult(this.#texts.add(entry));
  }

  discard(clientId: string): void {
    const entry = this.deps.store.removePending(clientId);
    this.#files.delete(clientId);
    if (entry) this.deps.updated(entry.conversationId);
    this.#texts.remove(clientId, new SdkError('SDK_DESTROYED', 'discarded'));
  }

  /** After a (re)connect: every text still 'sending' goes again. */
  resend(): void {
    this.#texts.flush();
  }

  /** The login ended for good: every waiting send fails. */
  failAll(code: FailureCode, message: string): void {
    this.#texts.rejectAll(new SdkError(code, message));
  }

  #markFailed(entry: OutboxEntry, errorMsg: string): void {
    this.deps.store.updatePending(entry.clientId, { state: 'failed', errorMsg });
    this.deps.updated(entry.conversationId);
  }

  async #upload(entry: OutboxEntry): Promise<SdkResult<Message>> {
    const file = this.#files.get(entry.clientId);
    if (!file) return fail('FD_REQ_NOT_FOUND', 'the file is no longer held');
    try {
      const message = await this.deps.rest.upload<Message>(`/v1/conversations/${encodeURIComponent(entry.conversationId)}/files`, file, { name: entry.fileName ?? 'file', clientId: entry.clientId });
      this.#files.delete(entry.clientId);
      this.deps.stored(message);
      return { status: 'success', data: message };
    } catch (err) {
      const { code, message } = asFailure(err);
      this.#markFailed(entry, message);
      return fail(code, message);
    }
  }
}

function asResult(sent: Promise<Message>): Promise<SdkResult<Message>> {
  return sent.then(
    (data) => ({ status: 'success', data }),
    (err: unknown) => {
      const { code, message } = asFailure(err);
      return fail(code, message);
    },
  );
}
