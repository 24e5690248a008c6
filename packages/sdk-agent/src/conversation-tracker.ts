import type { Conversation } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import type { Emit } from './agent-events.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { RestClient } from './rest.ts';

export interface ConversationTrackerDeps {
  store: ConversationStore;
  rest: RestClient;
  log: Logger;
  emit: Emit;
  /** Follows conversations from these seqs over the socket (`resume`): their messages then arrive live. */
  follow: (positions: Record<string, number>) => void;
}

/**
 * How many recent messages a conversation this agent does not serve yet (ringing, pooled, waiting
 * for a claim) brings: enough for the inbox's preview and unread count; the rest comes on opening.
 */
export const WATCH_WINDOW = 20;

const WATCHED_ROLES: ReadonlySet<string> = new Set(['offered', 'pool', 'unclaimed']);

export interface TrackOptions {
  /** Why this agent sees it, when the conversation alone does not say (an offer, a pool entry). */
  hint?: { role: 'offered' | 'pool'; offerExpiresAt?: number };
  /** Update the view only: no transfer, access or end events (a state known before, a read receipt). */
  quiet?: boolean;
}

/**
 * Keeps the store in step with the conversations the server sends or answers, and raises the
 * TCCC events each change means for this agent (`transfer` in or out, `userAccessed`,
 * `sessionEnded`, `sessionUpdated`, `sessionsChanged`). It remembers what this client is doing
 * itself (taking, transferring), so that its own actions are not announced as someone else's.
 */
export class ConversationTracker {
  /** conversationId → tab that accepted it (TCCC `userAccessed.tabUUID`). */
  readonly #acceptedBy = new Map<string, string>();
  /** Conversations this client is taking itself (accept, claim): their assignment is not a transfer in. */
  readonly #taking = new Set<string>();
  /** Conversations this agent is transferring away now (its own `transfer` call emits the event). */
  readonly #transferring = new Set<string>();
  readonly #endedAnnounced = new Set<string>();

  constructor(private readonly deps: ConversationTrackerDeps) {}

  /** Applies a conversation as the server sees it, and raises what it means for this agent. */
  track(conversation: Conversation, options: TrackOptions = {}): void {
    const { emit, store } = this.deps;
    const { before, after, view } = store.upsert(conversation, options.hint);
    if (!options.quiet) {
      // Taken away while open (a supervisor's transfer, a requeue): this agent no longer holds it.
      if (before === 'assigned' && after === null && !this.#transferring.has(conversation.id)) {
        emit('transfer', { sessionId: conversation.id, direction: 'out', ...(conversation.agentId ? { toAgentId: conversation.agentId } : {}) });
      }
      if (after === 'assigned' && before !== 'assigned') {
        // Straight to assigned without an offer, pool or claim here: another agent or a supervisor transferred it to us.
        if (before === null && !this.#taking.has(conversation.id)) emit('transfer', { sessionId: conversation.id, direction: 'in' });
        const tabUUID = this.#acceptedBy.get(conversation.id);
        this.#acceptedBy.delete(conversation.id);
        emit('userAccessed', { sessionId: conversation.id, ...(tabUUID ? { tabUUID } : {}) });
      }
      if (after === 'ended' && before !== null && before !== 'ended' && !this.#endedAnnounced.has(conversation.id)) {
        this.#endedAnnounced.add(conversation.id);
        emit('sessionEnded', { sessionId: conversation.id, closeBy: conversation.closeBy });
      }
    }
    if (view) emit('sessionUpdated', { session: view });
    if (before !== after) this.listChanged();
    // Newly ringing, pooled or waiting here: followed, so its preview and unread count are live.
    if (before === null && after !== null && WATCHED_ROLES.has(after)) this.watch([conversation]);
  }

  /**
   * Follows conversations this agent sees but does not serve (offered, pool, unclaimed) from their
   * last WATCH_WINDOW messages, or from their start when it holds none of them yet.
   */
  watch(conversations: readonly Conversation[]): void {
    const positions: Record<string, number> = {};
    for (const c of conversations) {
      if (!WATCHED_ROLES.has(this.deps.store.role(c.id) ?? '') || this.deps.store.oldestSeq(c.id) !== null) continue;
      positions[c.id] = Math.max(0, c.lastSeq - WATCH_WINDOW);
    }
    if (Object.keys(positions).length > 0) this.deps.follow(positions);
  }

  /** One conversation's view changed (messages, outbox, typing, read). */
  updated(conversationId: string): void {
    const view = this.deps.store.get(conversationId);
    if (view) this.deps.emit('sessionUpdated', { session: view });
  }

  /** The list of conversations changed. */
  listChanged(): void {
    this.deps.emit('sessionsChanged', { sessions: this.deps.store.list() });
  }

  /** Runs this client's own taking of a conversation (accept, claim), from `originTab`. */
  async taking<T>(conversationId: string, originTab: string | undefined, take: () => Promise<T>): Promise<T> {
    if (originTab) this.#acceptedBy.set(conversationId, originTab);
    this.#taking.add(conversationId);
    try {
      return await take();
    } finally {
      this.#taking.delete(conversationId);
    }
  }

  /** Runs this agent's own transfer of a conversation away (the server tells this socket it left meanwhile). */
  async transferring<T>(conversationId: string, transfer: () => Promise<T>): Promise<T> {
    this.#transferring.add(conversationId);
    try {
      return await transfer();
    } finally {
      this.#transferring.delete(conversationId);
    }
  }

  /** The conversation from the server, or null (logged) when it cannot be read. */
  async fetch(conversationId: string): Promise<Conversation | null> {
    return this.deps.rest.get<Conversation>(`/v1/conversations/${encodeURIComponent(conversationId)}`).catch((err) => {
      this.deps.log.warn('conversation fetch failed', { conversationId, error: String(err) });
      return null;
    });
  }

  async refresh(conversationId: string): Promise<void> {
    const conversation = await this.fetch(conversationId);
    if (conversation) this.track(conversation);
  }

  /**
   * This agent's conversations that ended within `withinMs` and that it has not dismissed: after a
   * reload or a new login they are listed again as ended (rating, notes, wrap-up), until dismissed.
   */
  async loadRecentlyEnded(withinMs: number, isDismissed: (conversationId: string) => boolean): Promise<void> {
    const { rest, store } = this.deps;
    const list = await rest.get<{ conversations: Conversation[] }>('/v1/conversations', { mine: true, status: 'closed', limit: 50 }).catch(() => null);
    const since = Date.now() - withinMs;
    // Their last messages too, over the socket (the inbox shows the last one).
    const positions: Record<string, number> = {};
    for (const conversation of list?.conversations ?? []) {
      if ((conversation.closedAt ?? 0) < since || store.has(conversation.id) || isDismissed(conversation.id)) continue;
      store.upsert(conversation, { role: 'ended' });
      positions[conversation.id] = Math.max(0, conversation.lastSeq - WATCH_WINDOW);
    }
    if (Object.keys(positions).length > 0) this.deps.follow(positions);
  }

  /** Open conversations nobody routes, which any agent may claim by hand. */
  async loadUnclaimed(): Promise<void> {
    const list = await this.deps.rest.get<{ conversations: Conversation[] }>('/v1/conversations', { status: 'open', limit: 200 }).catch(() => null);
    const unclaimed = (list?.conversations ?? []).filter((c) => c.agentId === null && c.routingState === 'none');
    for (const conversation of unclaimed) this.deps.store.upsert(conversation);
    this.watch(unclaimed);
  }
}
