import type { Conversation } from '@frontdesk/protocol';
import type { Emit } from './agent-events.ts';
import type { AgentConnection } from './connection.ts';
import { INITIAL_WINDOW, type ConversationStore } from './conversation-store.ts';
import type { ConversationTracker } from './conversation-tracker.ts';
import type { DismissedConversations } from './dismissed-conversations.ts';
import type { RestClient } from './rest.ts';
import { failure } from './results.ts';

export interface RoutingActionsDeps {
  store: ConversationStore;
  dismissed: DismissedConversations;
  connection: AgentConnection;
  rest: RestClient;
  tracker: ConversationTracker;
  emit: Emit;
}

const path = (conversationId: string, action: string) => `/v1/conversations/${encodeURIComponent(conversationId)}/${action}`;

/**
 * What an agent does with an offer or a conversation (TCCC `Chat.accept`, `decline`, `claim`,
 * `end`, `transfer`, and the workbench's `dismiss`): over the socket when the frame exists and the
 * socket is up, else over REST.
 */
export class RoutingActions {
  constructor(private readonly deps: RoutingActionsDeps) {}

  /** Accepts an offer or takes a conversation from the pool; `originTab` is the tab that asked (multi-tab). */
  accept(conversationId: string, originTab?: string): Promise<void> {
    const { connection, rest, tracker } = this.deps;
    return tracker.taking(conversationId, originTab, async () => {
      if (connection.isOpen) await connection.request({ type: 'offer.accept', conversationId });
      else await rest.post(path(conversationId, 'accept'));
      await tracker.refresh(conversationId);
    });
  }

  async decline(conversationId: string): Promise<void> {
    const { connection, rest } = this.deps;
    if (connection.isOpen) await connection.request({ type: 'offer.decline', conversationId });
    else await rest.post(path(conversationId, 'decline'));
  }

  /** Takes an open conversation nobody routes, by hand. */
  async claim(conversationId: string, originTab?: string): Promise<Conversation> {
    const { connection, rest, store, tracker } = this.deps;
    const conversation = await tracker.taking(conversationId, originTab, async () => {
      const claimed = await rest.post<Conversation>(path(conversationId, 'claim'));
      tracker.track(claimed);
      return claimed;
    });
    // The socket follows it from here: its recent messages, then live ones.
    if (connection.isOpen) {
      const position = store.positions()[conversationId] ?? Math.max(0, conversation.lastSeq - INITIAL_WINDOW);
      await connection.request({ type: 'resume', positions: { [conversationId]: position } }).catch(() => undefined);
    }
    return conversation;
  }

  async end(conversationId: string): Promise<Conversation> {
    const conversation = await this.deps.rest.post<Conversation>(path(conversationId, 'close'));
    this.deps.tracker.track(conversation);
    return conversation;
  }

  /** To a queue (TCCC `skillGroupId`) or an agent (TCCC `userId`): exactly one. */
  async transfer(conversationId: string, to: { skillGroupId?: string | undefined; userId?: string | undefined }, note?: string): Promise<void> {
    const { rest, store, tracker, emit } = this.deps;
    if ((to.skillGroupId === undefined) === (to.userId === undefined)) throw failure('FD_REQ_INVALID', 'give exactly one of skillGroupId or userId');
    const body = { ...(to.skillGroupId ? { queueId: to.skillGroupId } : { agentId: to.userId }), ...(note ? { note } : {}) };
    // The server tells this socket it left while the request runs; the event below is the one for it.
    await tracker.transferring(conversationId, () => rest.post(path(conversationId, 'transfer'), body));
    store.remove(conversationId);
    emit('transfer', { sessionId: conversationId, direction: 'out', ...(to.skillGroupId ? { toQueueId: to.skillGroupId } : { toAgentId: to.userId! }) });
    tracker.listChanged();
  }

  /** Drops an ended conversation from the list (the workbench's "close tab"). */
  dismiss(conversationId: string): void {
    const { store, tracker } = this.deps;
    if (store.role(conversationId) !== 'ended') return;
    store.remove(conversationId);
    this.deps.dismissed.add(conversationId);
    tracker.listChanged();
  }
}
