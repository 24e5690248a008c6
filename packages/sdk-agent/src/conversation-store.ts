import type { Conversation, Message } from '@frontdesk/protocol';
import type { ConversationView, OutboxEntry } from './types.ts';

type Role = ConversationView['role'];

/** How many recent messages a conversation brings when it first appears (older ones: loadHistory). */
export const INITIAL_WINDOW = 50;

interface Entry {
  conversation: Conversation;
  role: Role;
  offerExpiresAt: number | null;
  messages: Message[];
  pending: OutboxEntry[];
  isVisitorTyping: boolean;
  visitorDraft: string | null;
}

/** What changed when a conversation was applied, for the events the client raises. */
export interface Transition {
  before: Role | null;
  after: Role | null;
  view: ConversationView | null;
}

/**
 * The conversations this agent sees (offered, pool, unclaimed, assigned, ended; each a TCCC
 * "session") with their messages: deduplicated and ordered by seq, and the sends not yet
 * acknowledged (matched to their stored message by clientId). Pure data: no I/O, no timers.
 */
export class ConversationStore {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly agentId: () => string | null) {}

  /** Applies a conversation as seen by the server. `hint` says why this agent sees it (offer, pool). */
  upsert(conversation: Conversation, hint?: { role: 'offered' | 'pool' | 'ended'; offerExpiresAt?: number }): Transition {
    const entry = this.#entries.get(conversation.id);
    const before = entry?.role ?? null;
    const after = this.#roleOf(conversation, entry, hint);
    if (after === null) {
      this.#entries.delete(conversation.id);
      return { before, after, view: null };
    }
    const next: Entry = entry ?? { conversation, role: after, offerExpiresAt: null, messages: [], pending: [], isVisitorTyping: false, visitorDraft: null };
    // Updates may overtake each other: never go back to an older state of the conversation.
    if (!entry || conversation.updatedAt >= entry.conversation.updatedAt || conversation.status === 'closed') next.conversation = conversation;
    next.role = after;
    next.offerExpiresAt = after === 'offered' ? (hint?.offerExpiresAt ?? next.offerExpiresAt) : null;
    if (after === 'ended') {
      next.isVisitorTyping = false;
      next.visitorDraft = null;
    }
    this.#entries.set(conversation.id, next);
    return { before, after, view: this.#view(next) };
  }

  #roleOf(c: Conversation, entry: Entry | undefined, hint?: { role: 'offered' | 'pool' | 'ended' }): Role | null {
    const me = this.agentId();
    // A closed one stays listed when it was (it ended here) or is brought back (ended lately, not dismissed).
    if (c.status === 'closed') return entry || hint?.role === 'ended' ? 'ended' : null;
    if (hint?.role === 'ended') return null;
    if (me !== null && c.agentId === me) return 'assigned';
    if (hint) return hint.role;
    if (c.agentId === null && c.routingState === 'none') return 'unclaimed';
    // Still ringing or pooled for this agent: routing moves it on with offer/pool frames.
    if (entry && (entry.role === 'offered' || entry.role === 'pool') && (c.routingState === 'offered' || c.routingState === 'queued')) return entry.role;
    return null;
  }

  remove(conversationId: string): boolean {
    return this.#entries.delete(conversationId);
  }

  has(conversationId: string): boolean {
    return this.#entries.has(conversationId);
  }

  role(conversationId: string): Role | null {
    return this.#entries.get(conversationId)?.role ?? null;
  }

  conversation(conversationId: string): Conversation | null {
    return this.#entries.get(conversationId)?.conversation ?? null;
  }

  /** Adds a message once (by seq); settles the outbox entry with the same clientId. Returns false for a duplicate. */
  addMessage(message: Message): boolean {
    const entry = this.#entries.get(message.conversationId);
    if (!entry) return false;
    if (message.clientId !== null) entry.pending = entry.pending.filter((p) => p.clientId !== message.clientId);
    const list = entry.messages;
    if (list.some((m) => m.seq === message.seq)) return false;
    let i = list.length;
    while (i > 0 && list[i - 1]!.seq > message.seq) i -= 1;
    list.splice(i, 0, message);
    if (message.seq > entry.conversation.lastSeq) entry.conversation = { ...entry.conversation, lastSeq: message.seq };
    if (message.senderType === 'visitor') {
      entry.isVisitorTyping = false;
      entry.visitorDraft = null;
    }
    return true;
  }

  addPending(entry: OutboxEntry): void {
    const target = this.#entries.get(entry.conversationId);
    if (!target) return;
    target.pending = [...target.pending.filter((p) => p.clientId !== entry.clientId), entry];
  }

  updatePending(clientId: string, patch: Partial<OutboxEntry>): OutboxEntry | null {
    for (const entry of this.#entries.values()) {
      const index = entry.pending.findIndex((p) => p.clientId === clientId);
      if (index < 0) continue;
      const next = { ...entry.pending[index]!, ...patch };
      entry.pending = entry.pending.map((p, i) => (i === index ? next : p));
      return next;
    }
    return null;
  }

  removePending(clientId: string): OutboxEntry | null {
    for (const entry of this.#entries.values()) {
      const found = entry.pending.find((p) => p.clientId === clientId);
      if (!found) continue;
      entry.pending = entry.pending.filter((p) => p.clientId !== clientId);
      return found;
    }
    return null;
  }

  pending(): OutboxEntry[] {
    return [...this.#entries.values()].flatMap((e) => e.pending);
  }

  /** `draft`: what the visitor is writing, when its channel shows it (cleared when it stops). */
  setVisitorTyping(conversationId: string, isTyping: boolean, draft?: string): boolean {
    const entry = this.#entries.get(conversationId);
    const nextDraft = isTyping ? (draft ?? entry?.visitorDraft ?? null) : null;
    if (!entry || (entry.isVisitorTyping === isTyping && entry.visitorDraft === nextDraft)) return false;
    entry.isVisitorTyping = isTyping;
    entry.visitorDraft = nextDraft;
    return true;
  }

  setVisitorRead(conversationId: string, seq: number): void {
    const entry = this.#entries.get(conversationId);
    if (entry && seq > entry.conversation.visitorReadSeq) entry.conversation = { ...entry.conversation, visitorReadSeq: seq };
  }

  /** conversationId → highest seq held, for the hello's resume (only conversations with messages). */
  positions(): Record<string, number> {
    const positions: Record<string, number> = {};
    for (const [id, entry] of this.#entries) {
      const last = entry.messages.at(-1);
      if (last && entry.role !== 'ended') positions[id] = last.seq;
    }
    return positions;
  }

  oldestSeq(conversationId: string): number | null {
    return this.#entries.get(conversationId)?.messages[0]?.seq ?? null;
  }

  get(conversationId: string): ConversationView | null {
    const entry = this.#entries.get(conversationId);
    return entry ? this.#view(entry) : null;
  }

  /** Newest activity first: a change of the conversation or its newest message, whichever is later. */
  list(): ConversationView[] {
    const activity = (e: Entry) => Math.max(e.conversation.updatedAt, e.messages.at(-1)?.createdAt ?? 0);
    return [...this.#entries.values()].sort((a, b) => activity(b) - activity(a)).map((e) => this.#view(e));
  }

  ids(): string[] {
    return [...this.#entries.keys()];
  }

  clear(): void {
    this.#entries.clear();
  }

  #view(entry: Entry): ConversationView {
    const me = this.agentId();
    const readSeq = entry.conversation.agentReadSeq;
    return {
      conversation: entry.conversation,
      role: entry.role,
      offerExpiresAt: entry.offerExpiresAt,
      messages: [...entry.messages],
      pending: [...entry.pending],
      unreadCount: entry.messages.filter((m) => m.seq > readSeq && !(m.senderType === 'agent' && m.senderId === me)).length,
      isVisitorTyping: entry.isVisitorTyping,
      visitorDraft: entry.visitorDraft,
      hasFullHistory: entry.conversation.lastSeq === 0 || entry.messages[0]?.seq === 1,
    };
  }
}
