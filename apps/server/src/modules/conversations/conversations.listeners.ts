import type { Events } from '../../events.ts';
import type { ConversationsService } from './conversations.service.ts';

/** What conversations do when other modules announce something. */
export function registerConversationListeners(events: Events, conversations: ConversationsService): void {
  // Routing decides; the conversation rows follow in the same transaction.
  events.onInTransaction('routing.decided', 'conversations: apply routing decisions', (decided, ctx) => conversations.applyRoutingDecisions(ctx, decided));
  // NOTE: listeners rather than code in the message store: whatever path stores a message, its
  // words are indexed, in the same transaction (PostgreSQL) or right after it commits (SQLite,
  // where a one-message transaction paid +25–57 % for its own FTS5 write; see docs/search.md).
  events.onInTransactionBatch('message.created', 'conversations: search index', (created, ctx) => conversations.indexMessages(ctx, created));
  events.onAfterCommit('message.created', 'conversations: search index soon', () => conversations.indexSoon());
}
