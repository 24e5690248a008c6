import type { Events } from '../../events.ts';
import type { ConversationsService } from './conversations.service.ts';

/** What conversations do when other modules announce something. */
export function registerConversationListeners(events: Events, conversations: ConversationsService): void {
  // Routing decides; the conversation rows follow in the same transaction.
  events.onInTransaction('routing.decided', 'conversations: apply routing decisions', (decided, ctx) => conversations.applyRoutingDecisions(ctx, decided));
  // NOTE: SQLite's search index: right after the messages commit (a message sent alone paid +58–91 %
  // for its own FTS5 write in the transaction; docs/search.md), or in the transaction of a large
  // batch. PostgreSQL's is written by the message store, in the statement that stores the messages.
  events.onInTransactionBatch('message.created', 'conversations: search index', (created, ctx) => conversations.indexMessages(ctx, created));
  events.onAfterCommit('message.created', 'conversations: search index soon', () => conversations.indexSoon());
}
