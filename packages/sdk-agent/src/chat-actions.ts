import type { Conversation, Message, Visitor } from '@frontdesk/protocol';
import type { Emit } from './agent-events.ts';
import type { AgentConnection } from './connection.ts';
import { INITIAL_WINDOW, type ConversationStore } from './conversation-store.ts';
import type { ConversationTracker } from './conversation-tracker.ts';
import type { RestClient } from './rest.ts';
import { failure } from './results.ts';

const TYPING_THROTTLE_MS = 2000;
const VISITOR_TYPING_RESET_MS = 6000;

export interface ChatActionsDeps {
  store: ConversationStore;
  connection: AgentConnection;
  rest: RestClient;
  tracker: ConversationTracker;
  emit: Emit;
}

/**
 * The messages side of a conversation (TCCC `Chat.setTyping`, `markRead`, `loadHistory`,
 * `getVisitor`): typing both ways, read state, older pages, and stored messages into the view.
 * Sends are the outbox's (agent-outbox.ts).
 */
export class ChatActions {
  readonly #typingSentAt = new Map<string, number>();
  readonly #visitorTypingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: ChatActionsDeps) {}

  /** A message of this agent's came back stored: into its conversation, once. */
  stored(message: Message): void {
    if (this.deps.store.addMessage(message)) this.deps.emit('message', { sessionId: message.conversationId, message });
    this.deps.tracker.updated(message.conversationId);
  }

  /** Tells the visitor the agent is typing: at most one `true` frame per 2 s, a `false` only after a `true`. */
  setTyping(conversationId: string, isTyping: boolean): void {
    const last = this.#typingSentAt.get(conversationId);
    const now = Date.now();
    if (isTyping && last !== undefined && now - last < TYPING_THROTTLE_MS) return;
    if (!isTyping && last === undefined) return;
    if (isTyping) this.#typingSentAt.set(conversationId, now);
    else this.#typingSentAt.delete(conversationId);
    this.deps.connection.send({ type: 'typing', conversationId, isTyping });
  }

  /** The visitor's typing indicator, as the server reports it. */
  visitorTyping(conversationId: string, isTyping: boolean, draft?: string): void {
    const timer = this.#visitorTypingTimers.get(conversationId);
    if (timer) clearTimeout(timer);
    this.#visitorTypingTimers.delete(conversationId);
    // A lost "stopped typing" must not leave the indicator on forever.
    if (isTyping) this.#visitorTypingTimers.set(conversationId, setTimeout(() => this.visitorTyping(conversationId, false), VISITOR_TYPING_RESET_MS));
    if (this.deps.store.setVisitorTyping(conversationId, isTyping, draft)) this.deps.tracker.updated(conversationId);
  }

  async markRead(conversationId: string, seq?: number): Promise<void> {
    const { connection, rest, store, tracker } = this.deps;
    const target = seq ?? store.conversation(conversationId)?.lastSeq ?? 0;
    const conversation = connection.isOpen
      ? await connection.request<Conversation>({ type: 'read', conversationId, seq: target })
      : await rest.post<Conversation>(`/v1/conversations/${encodeURIComponent(conversationId)}/read`, { seq: target });
    tracker.track(conversation, { quiet: true });
  }

  /** Loads `limit` messages before the oldest known one into the view. */
  async loadHistory(conversationId: string, limit = INITIAL_WINDOW): Promise<{ messages: Message[]; hasMore: boolean }> {
    const { rest, store, tracker } = this.deps;
    const conversation = store.conversation(conversationId) ?? (await tracker.fetch(conversationId));
    if (!conversation) throw failure('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
    const before = store.oldestSeq(conversationId) ?? conversation.lastSeq + 1;
    if (before <= 1) return { messages: [], hasMore: false };
    const afterSeq = Math.max(0, before - 1 - limit);
    const page = await rest.get<{ messages: Message[] }>(`/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { afterSeq, limit: before - 1 - afterSeq });
    const messages = page.messages.filter((m) => m.seq < before);
    for (const message of messages) store.addMessage(message);
    tracker.updated(conversationId);
    return { messages, hasMore: afterSeq > 0 };
  }

  async getVisitor(conversationId: string): Promise<Visitor> {
    const { rest, store, tracker } = this.deps;
    const conversation = store.conversation(conversationId) ?? (await tracker.fetch(conversationId));
    if (!conversation) throw failure('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
    return rest.get<Visitor>(`/v1/visitors/${encodeURIComponent(conversation.visitorId)}`);
  }

  stop(): void {
    for (const timer of this.#visitorTypingTimers.values()) clearTimeout(timer);
    this.#visitorTypingTimers.clear();
  }
}
