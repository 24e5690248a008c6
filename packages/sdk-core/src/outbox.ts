import { isConnectionLost, isTransientRefusal, retryDelayOf, SdkError, toSdkError } from './errors.ts';
import type { Logger } from './logger.ts';

/** What the outbox needs of an entry: the id the server deduplicates it by. */
export interface OutboxItem {
  readonly clientId: string;
}

/** Where the entries waiting for an acknowledgement are kept (memory, `localStorage`…). */
export interface OutboxStorage<E extends OutboxItem> {
  /** The entries left by an earlier page load, oldest first. */
  load(): E[];
  /** Called after every change, with the entries still waiting, oldest first. */
  save(entries: readonly E[]): void;
}

export interface OutboxOptions<E extends OutboxItem, R> {
  log: Logger;
  /** Default: memory only. */
  storage?: OutboxStorage<E>;
  /** Whether the connection is up now; while it is down, entries wait for `flush()`. */
  isOpen(): boolean;
  /** Writes the entry on the current connection; resolves with the server's acknowledgement. */
  transmit(entry: E): Promise<R>;
  /** Makes an entry sendable before each attempt (opens the conversation it goes to…); the result is kept. */
  prepare?(entry: E): Promise<E>;
  /**
   * A refusal the SDK can repair once per entry (the conversation was closed meanwhile: a new one);
   * returns the entry to send again, or null to fail it.
   */
  repair?(entry: E, error: SdkError): E | null;
  /** Acknowledged (also when the entry was discarded while on its way: the server has it). */
  onSent?(entry: E, result: R): void;
  /** Refused for good: the entry left the outbox. */
  onFailed?(entry: E, error: SdkError): void;
  /** Wait before sending again after a transient refusal. Default 1000. */
  retryDelayMs?: number;
  /** Code for a non-SDK failure of `transmit`. */
  networkErrorCode: string;
}

interface Waiter<R> {
  resolve(result: R): void;
  reject(error: SdkError): void;
}

/**
 * The one resend policy of both SDKs: a send stays in the outbox, under the client id it was given,
 * until the server acknowledges it. It is written again with the same client id on every new
 * connection (`flush`), so nothing acknowledged is lost and the server, which stores a (sender,
 * clientId) once, never stores it twice (Matrix `txnId`).
 * - connection lost before the answer: it waits for the next connection;
 * - transient refusal (rate limited, storage down, shutting down): sent again after `retryDelayMs`;
 *   FD_BUSY (a saturated server) after its `retryAfterMs`, with ±50 % jitter (`retryDelayOf`);
 * - a refusal `repair` can fix: sent again, once;
 * - any other refusal: it leaves the outbox and its promise rejects with the server's code.
 * Storage may differ per SDK (the visitor's survives a reload); the policy may not.
 */
export class Outbox<E extends OutboxItem, R> {
  readonly #entries = new Map<string, E>();
  readonly #inFlight = new Set<string>();
  readonly #repaired = new Set<string>();
  readonly #waiters = new Map<string, Waiter<R>[]>();

  constructor(private readonly options: OutboxOptions<E, R>) {
    for (const entry of options.storage?.load() ?? []) this.#entries.set(entry.clientId, entry);
  }

  /** Entries waiting for an acknowledgement, oldest first. */
  entries(): E[] {
    return [...this.#entries.values()];
  }

  has(clientId: string): boolean {
    return this.#entries.has(clientId);
  }

  /**
   * Queues a send (or re-queues one under the same client id) and sends it now if connected.
   * Resolves with the acknowledgement; rejects with an SdkError when refused for good.
   */
  add(entry: E): Promise<R> {
    this.#entries.delete(entry.clientId);
    this.#entries.set(entry.clientId, entry);
    this.#repaired.delete(entry.clientId);
    this.#save();
    const done = this.#waitFor(entry.clientId);
    if (this.options.isOpen()) void this.#send(entry.clientId);
    return done;
  }

  /** After every (re)connection: each waiting entry goes again, oldest first. */
  flush(): void {
    for (const clientId of this.#entries.keys()) void this.#send(clientId);
  }

  /** Takes an entry out (discarded); its promise rejects with `error`. */
  remove(clientId: string, error: SdkError): E | undefined {
    const entry = this.#entries.get(clientId);
    if (entry) {
      this.#entries.delete(clientId);
      this.#save();
    }
    this.#settle(clientId, (w) => w.reject(error));
    return entry;
  }

  /** The client is done for good (signed out): every waiting promise rejects; the entries stay. */
  rejectAll(error: SdkError): void {
    for (const clientId of [...this.#waiters.keys()]) this.#settle(clientId, (w) => w.reject(error));
  }

  async #send(clientId: string): Promise<void> {
    let entry = this.#entries.get(clientId);
    if (!entry || this.#inFlight.has(clientId)) return;
    this.#inFlight.add(clientId);
    let result: R;
    try {
      if (this.options.prepare) {
        entry = await this.options.prepare(entry);
        if (this.#entries.has(clientId)) {
          this.#entries.set(clientId, entry);
          this.#save();
        }
      }
      result = await this.options.transmit(entry);
    } catch (err) {
      this.#inFlight.delete(clientId);
      this.#refused(entry, toSdkError(err, this.options.networkErrorCode));
      return;
    }
    this.#inFlight.delete(clientId);
    if (this.#entries.delete(clientId)) this.#save();
    this.#repaired.delete(clientId);
    this.options.onSent?.(entry, result);
    this.#settle(clientId, (w) => w.resolve(result));
  }

  #refused(entry: E, error: SdkError): void {
    const { clientId } = entry;
    if (!this.#entries.has(clientId)) return;
    const { log } = this.options;
    if (isConnectionLost(error.code)) return log.debug('send waits for the next connection', { clientId });
    if (isTransientRefusal(error.code)) {
      // NOTE: the server's hint grows with its queue; the jitter spreads the clients it turned away.
      log.info('send refused for now, retrying', { clientId, code: error.code });
      setTimeout(() => {
        if (this.options.isOpen()) void this.#send(clientId);
      }, retryDelayOf(error, this.options.retryDelayMs ?? 1000));
      return;
    }
    const repaired = this.#repaired.has(clientId) ? null : (this.options.repair?.(entry, error) ?? null);
    if (repaired) {
      this.#repaired.add(clientId);
      this.#entries.set(clientId, repaired);
      this.#save();
      if (this.options.isOpen()) void this.#send(clientId);
      return;
    }
    this.#entries.delete(clientId);
    this.#repaired.delete(clientId);
    this.#save();
    this.options.onFailed?.(entry, error);
    this.#settle(clientId, (w) => w.reject(error));
  }

  #waitFor(clientId: string): Promise<R> {
    const done = new Promise<R>((resolve, reject) => {
      const list = this.#waiters.get(clientId) ?? [];
      list.push({ resolve, reject });
      this.#waiters.set(clientId, list);
    });
    // A caller that follows sends through events only must not get an unhandled rejection.
    done.catch(() => undefined);
    return done;
  }

  #settle(clientId: string, fn: (w: Waiter<R>) => void): void {
    const list = this.#waiters.get(clientId) ?? [];
    this.#waiters.delete(clientId);
    for (const w of list) fn(w);
  }

  #save(): void {
    this.options.storage?.save([...this.#entries.values()]);
  }
}
