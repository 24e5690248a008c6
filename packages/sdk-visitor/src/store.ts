import type { MessageLocation } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import type { KeyValueStorage } from './types.ts';

/** What survives a reload, per app and channel: the visitor token and the unacknowledged sends. */
export interface StoredVisitorToken {
  token: string;
  expiresAt: number;
  visitorId: string;
}

/** A send the server has not acknowledged yet (texts and locations; files are not kept). */
export interface OutboxEntry {
  clientId: string;
  /** null: no conversation was open yet; one is opened before it is sent. */
  conversationId: string | null;
  kind: 'text' | 'location';
  text: string;
  location?: Omit<MessageLocation, 'name' | 'address'> & { name?: string; address?: string };
  createdAt: number;
}

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/** `localStorage` when the page may use it (it throws in some sandboxed iframes and private modes). */
export function defaultStorage(): KeyValueStorage {
  try {
    const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    if (storage) {
      const probe = '__frontdesk_probe__';
      storage.setItem(probe, '1');
      storage.removeItem(probe);
      return storage;
    }
  } catch {
    // fall through to memory
  }
  return memoryStorage();
}

/** Typed, namespaced, failure-tolerant access to the storage: a full or broken storage never breaks the chat. */
export class ClientStore {
  private readonly prefix: string;

  constructor(
    private readonly storage: KeyValueStorage,
    appId: string,
    channelId: string | undefined,
    private readonly log: Logger,
  ) {
    this.prefix = `frontdesk:visitor:${appId}:${channelId ?? 'default'}`;
  }

  // NOTE: stored under the key 'session' (documented, and in visitors' browsers): the wire's name
  // for it (`POST /v1/visitor/session`), kept although the client calls it the visitor token.
  loadToken(): StoredVisitorToken | undefined {
    const value = this.read<StoredVisitorToken>('session');
    return value && typeof value.token === 'string' && typeof value.visitorId === 'string' ? value : undefined;
  }

  saveToken(token: StoredVisitorToken | undefined): void {
    this.write('session', token);
  }

  loadOutbox(): OutboxEntry[] {
    const value = this.read<OutboxEntry[]>('outbox');
    return Array.isArray(value) ? value.filter((e) => e && typeof e.clientId === 'string' && typeof e.text === 'string' && (e.kind === 'text' || e.kind === 'location')) : [];
  }

  saveOutbox(entries: OutboxEntry[]): void {
    this.write('outbox', entries.length ? entries : undefined);
  }

  private read<T>(name: string): T | undefined {
    try {
      const raw = this.storage.getItem(`${this.prefix}:${name}`);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch (err) {
      this.log.warn('could not read storage', { name, err: String(err) });
      return undefined;
    }
  }

  private write(name: string, value: unknown): void {
    try {
      if (value === undefined) this.storage.removeItem(`${this.prefix}:${name}`);
      else this.storage.setItem(`${this.prefix}:${name}`, JSON.stringify(value));
    } catch (err) {
      this.log.warn('could not write storage', { name, err: String(err) });
    }
  }
}
