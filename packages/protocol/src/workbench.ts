import { z } from 'zod';
import { Id, MAX_TEXT_LENGTH, TimestampMs } from './model.ts';

/**
 * The agent's tools in the workbench: canned responses (per app, inserted by typing
 * `/shortcut` in the composer) and internal notes (per conversation, staff only: never
 * sent to the visitor).
 */

/** Letters, digits, `-` and `_`, stored lowercase; typed after a `/` in the composer. */
export const CannedShortcut = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { message: 'a shortcut is 1–32 letters, digits, - or _' })
  .transform((s) => s.toLowerCase());

export const CreateCannedResponseBody = z.object({
  shortcut: CannedShortcut,
  title: z.string().trim().min(1).max(100),
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
});
export const UpdateCannedResponseBody = CreateCannedResponseBody.partial();
export type CreateCannedResponseBody = z.input<typeof CreateCannedResponseBody>;

export const CannedResponse = z.object({
  id: Id,
  appId: Id,
  /** The agent whose personal response this is (only that agent sees it); null when the app's, shared by every agent. */
  ownerAgentId: Id.nullable(),
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type CannedResponse = z.infer<typeof CannedResponse>;
export const CannedResponseList = z.object({ cannedResponses: z.array(CannedResponse) });
/** How many personal canned responses one agent may keep. */
export const MAX_PERSONAL_CANNED_RESPONSES = 200;

export const MAX_NOTE_LENGTH = 4000;
export const CreateNoteBody = z.object({ text: z.string().trim().min(1).max(MAX_NOTE_LENGTH) });

/** An internal note on a conversation: seen by the app's staff, never by the visitor. */
export const ConversationNote = z.object({
  id: Id,
  conversationId: Id,
  /** The agent who wrote it; null when written with an API key. */
  authorId: Id.nullable(),
  text: z.string(),
  createdAt: TimestampMs,
});
export type ConversationNote = z.infer<typeof ConversationNote>;
export const ConversationNoteList = z.object({ notes: z.array(ConversationNote) });
