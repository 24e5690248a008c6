import type { Events } from '../../events.ts';
import type { ConversationsService } from './conversations.service.ts';

/** What conversations do when other modules announce something. */
export function registerConversationListeners(events: Events, conversations: ConversationsService): void {
  // Routing decides; the conversation rows follow in the same transaction.
  events.onInTransaction('routing.decided', 'conversations: apply routing decisions', (decided, ctx) => conversations.applyRoutingDecisions(ctx, decided));
  // NOTE: a listener rather than code in the message store: whatever path stores a message, its
  // words are searchable in the same transaction.
  events.onInTransactionBatch('message.created', 'conversations: search index', (created, ctx) => conversations.indexMessages(ctx, created));
}
