/**
 * Conversations own conversations, messages and files. Invariant: every message gets
 * seq = the next number of its conversation in the transaction that stores it, and a
 * (sender, client id) pair is stored once. Events are published after commit.
 */
export { createConversationsService, type ConversationsService } from './conversations.service.ts';
export { registerConversationRoutes } from './conversations.routes.ts';
/** CSAT: one rating per conversation, by its visitor, the last one wins. */
export { createRatingsService, type RatingsService } from './ratings.ts';
export { registerRatingRoutes } from './ratings.routes.ts';
/** Internal notes: staff-only notes on a conversation, never sent to the visitor. */
export { createNotesService, type NotesService } from './notes.ts';
export { registerNoteRoutes } from './notes.routes.ts';
