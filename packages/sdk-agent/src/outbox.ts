import type { Message } from '@frontdesk/protocol';
import type { SocketConnection } from './connection.ts';
import type { RestClient } from './rest.ts';
import { asFailure, fail } from './results.ts';
import type { SessionStore } from './session-store.ts';
import type { OutboxEntry, SdkErrorCode, SdkResult } from './types.ts';

export interface OutboxDeps {
  store: SessionStore;
  connection: SocketConnection;
  rest: RestClient;
  /** The stored message came back: add it to its session and tell the listeners. */
  stored: (message: Message) => void;
  /** A session's pending list changed. */
  updated: (conversationId: string) => void;
}

/**
 * Sends not yet acknowledged. A text stays in the outbox ('sending') until the server stores it,
 * across reconnects: it is sent again after every hello with its original clientId, so the server
 * stores it once (Matrix `txnId`). Files go over REST and are kept in memory until uploaded, for a retry.
 */
export class Outbox {
  #waiters = new Map<string, ((result: SdkResult<Message>) => void)[]>();
  #files = new Map<string, Blob>();

  constructor(private readonly deps: OutboxDeps) {}

  /** Resolves once stored (after reconnects if need be), or with the server's refusal. */
  sendText(sessionId: string, text: string, clientId: string): Promise<SdkResult<Message>> {
    const { store } = this.deps;
    if (!store.has(sessionId)) return Promise.resolve(fail('FD_CONVERSATION_NOT_FOUND', `no session ${sessionId} here`));
    const entry: OutboxEntry = { clientId, conversationId: sessionId, kind: 'text', text, createdAt: Date.now(), state: 'sending' };
    store.addPending(entry);
    this.deps.updated(sessionId);
    const result = this.#waitFor(clientId);
    void this.#attemptText(entry);
    return result;
  }

  async sendFile(sessionId: string, file: Blob, name: string, clientId: string): Promise<SdkResult<Message>> {
    const { store } = this.deps;
    if (!store.has(sessionId)) return fail('FD_CONVERSATION_NOT_FOUND', `no session ${sessionId} here`);
    this.#files.set(clientId, file);
    const entry: OutboxEntry = { clientId, conversationId: sessionId, kind: 'file', text: name, fileName: name, createdAt: Date.now(), state: 'sending' };
    store.addPending(entry);
    this.deps.updated(sessionId);
    return this.#attemptFile(entry);
  }

  async retry(clientId: string): Promise<SdkResult<Message>> {
    const entry = this.deps.store.updatePending(clientId, { state: 'sending' });
    if (!entry) return fail('FD_REQ_NOT_FOUND', 'nothing to retry with this clientId');
    this.deps.updated(entry.conversationId);
    if (entry.kind === 'file') return this.#attemptFile(entry);
    const result = this.#waitFor(clientId);
    void this.#attemptText(entry);
    return result;
  }

  discard(clientId: string): void {
    const entry = this.deps.store.removePending(clientId);
    this.#files.delete(clientId);
    if (entry) this.deps.updated(entry.conversationId);
    this.#settle(clientId, fail('SDK_DESTROYED', 'discarded'));
  }

  /** After a (re)connect: every text still 'sending' goes again. */
  resend(): void {
    for (const entry of this.deps.store.pending()) if (entry.state === 'sending' && entry.kind === 'text') void this.#attemptText(entry);
  }

  /** The session ended for good: every waiting send fails. */
  failAll(code: SdkErrorCode | 'FD_AUTH_TOKEN_INVALID', message: string): void {
    for (const clientId of [...this.#waiters.keys()]) this.#settle(clientId, fail(code, message));
  }

  #waitFor(clientId: string): Promise<SdkResult<Message>> {
    return new Promise((resolve) => {
      const list = this.#waiters.get(clientId) ?? [];
      list.push(resolve);
      this.#waiters.set(clientId, list);
    });
  }

  #settle(clientId: string, result: SdkResult<Message>): void {
    const waiters = this.#waiters.get(clientId) ?? [];
    this.#waiters.delete(clientId);
    for (const resolve of waiters) resolve(result);
  }

  async #attemptText(entry: OutboxEntry): Promise<void> {
    const { connection, store } = this.deps;
    // Down: it stays 'sending' and goes with the next hello.
    if (!connection.isOpen) return;
    try {
      const message = await connection.request<Message>({ type: 'message.send', conversationId: entry.conversationId, clientId: entry.clientId, text: entry.text });
      this.deps.stored(message);
      this.#settle(entry.clientId, { status: 'success', data: message });
    } catch (err) {
      const failure = asFailure(err);
      // The socket dropped mid-flight: sent again after the reconnect, with the same clientId.
      if (failure.code === 'SDK_NETWORK' || failure.code === 'SDK_NOT_CONNECTED') return;
      store.updatePending(entry.clientId, { state: 'failed', errorMsg: failure.message });
      this.deps.updated(entry.conversationId);
      this.#settle(entry.clientId, fail(failure.code, failure.message));
    }
  }

  async #attemptFile(entry: OutboxEntry): Promise<SdkResult<Message>> {
    const file = this.#files.get(entry.clientId);
    if (!file) return fail('FD_REQ_NOT_FOUND', 'the file is no longer held');
    try {
      const message = await this.deps.rest.upload<Message>(`/v1/conversations/${encodeURIComponent(entry.conversationId)}/files`, file, { name: entry.fileName ?? 'file', clientId: entry.clientId });
      this.#files.delete(entry.clientId);
      this.deps.stored(message);
      return { status: 'success', data: message };
    } catch (err) {
      const failure = asFailure(err);
      this.deps.store.updatePending(entry.clientId, { state: 'failed', errorMsg: failure.message });
      this.deps.updated(entry.conversationId);
      return fail(failure.code, failure.message);
    }
  }
}
