import type { Events } from '../../events.ts';
import type { ConversationsService } from './conversations.service.ts';

/** What conversations do when other modules announce something. */
export function registerConversationListeners(events: Events, conversations: ConversationsService): void {
  // Routing decides; the conversation rows follow in the same transaction.
  events.onInTransaction('routing.decided', 'conversations: apply routing decisions', (decided, ctx) => conversations.applyRoutingDecisions(ctx, decided));
  // NOTE: listeners rather than code in the message store: whatever path stores a message, its
  // words are indexed, in its transaction (PostgreSQL) or right after it commits (SQLite, where a
  // message sent alone paid +58–91 % for its own FTS5 write in the transaction; docs/search.md).
  events.onInTransactionBatch('message.created', 'conversations: search index', (created, ctx) => conversations.indexMessages(ctx, created));
  events.onAfterCommit('message.created', 'conversations: search index soon', () => conversations.indexSoon());
}
