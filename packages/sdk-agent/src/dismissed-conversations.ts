import { safeStorage } from './browser-storage.ts';
import type { KeyValueStorage } from './types.ts';

/** The newest dismissals kept per agent: older ones ended long before the recent window anyway. */
const MAX_KEPT = 200;

/**
 * The ended conversations this agent closed in the list (`Chat.dismiss`), remembered in the
 * browser's storage, so that a reload or a new login brings back only the ended conversations
 * still to be closed. Storage that fails is as if empty (they come back once).
 */
export class DismissedConversations {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: () => string | null,
  ) {}

  has(conversationId: string): boolean {
    return this.#read().includes(conversationId);
  }

  add(conversationId: string): void {
    const key = this.key();
    if (!key) return;
    const ids = [...this.#read().filter((id) => id !== conversationId), conversationId].slice(-MAX_KEPT);
    safeStorage(() => this.storage.setItem(key, JSON.stringify(ids)));
  }

  #read(): string[] {
    const key = this.key();
    const raw = key ? safeStorage(() => this.storage.getItem(key)) : null;
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }
}
