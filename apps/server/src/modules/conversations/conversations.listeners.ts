import type { Events } from '../../events.ts';
import type { ConversationsService } from './conversations.service.ts';

/** What conversations do when other modules announce something. */
export function registerConversationListeners(events: Events, conversations: ConversationsService): void {
  // Routing decides; the conversation rows follow in the same transaction.
  events.onInTransaction('routing.decided', 'conversations: apply routing decisions', (decided, ctx) => conversations.applyRoutingDecisions(ctx, decided));
  // NOTE: listeners rather than code in the message store: whatever path stores a message, its
  // words are indexed right after it commits (PostgreSQL queues its id in the transaction); in the
  // transaction, a message sent alone paid +25–60 % for its index write (docs/search.md).
  events.onInTransactionBatch('message.created', 'conversations: search index', (created, ctx) => conversations.indexMessages(ctx, created));
  events.onAfterCommit('message.created', 'conversations: search index soon', () => conversations.indexSoon());
}
