/**
 * Conversations own conversations, messages, files, ratings and internal notes. Invariant: every
 * message gets seq = the next number of its conversation in the transaction that stores it, and a
 * (sender, client id) pair is stored once. Every change is announced as a domain event
 * (`conversations.events.ts`) in its transaction; routing's decisions reach the rows through the
 * in-transaction listener of `routing.decided` (`conversations.listeners.ts`).
 */
export { COBROWSE_ENDED, COBROWSE_STARTED, createConversationsService, SUPERVISOR_JOINED, type AgentProfile, type ChannelChoice, type ConversationsService, type LeftMessage, type SendResult } from './conversations.service.ts';
export type { ConversationEvents } from './conversations.events.ts';
export { registerConversationListeners } from './conversations.listeners.ts';
export { conversationFrames } from './conversations.frames.ts';
export { registerConversationRoutes } from './conversations.routes.ts';
/** CSAT: one rating per conversation, by its visitor, the last one wins. */
export { createRatingsService, type RatingsService } from './ratings.ts';
export { registerRatingRoutes } from './ratings.routes.ts';
/** Internal notes: staff-only notes on a conversation, never sent to the visitor. */
export { createNotesService, type NotesService } from './notes.ts';
export { registerNoteRoutes } from './notes.routes.ts';
