import type { ConversationNote } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Principal } from '../../platform/principal.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { ConversationError } from './conversations.errors.ts';
import type { ConversationsService } from './conversations.service.ts';

/**
 * Internal notes: what agents write on a conversation for each other (before a transfer, for a
 * supervisor). Only the app's staff read or write them; they are never messages, so they never
 * reach the visitor, webhooks or the transcript.
 */
export function createNotesService({ storage, clock, conversations }: { storage: Storage; clock: Clock; conversations: Pick<ConversationsService, 'readable'> }) {
  const { db } = storage;

  async function staffConversation(principal: Principal, conversationId: string) {
    if (principal.kind === 'visitor') throw new ConversationError('FD_AUTH_FORBIDDEN', 'internal notes are for staff only');
    return conversations.readable(principal, conversationId);
  }

  return {
    async addNote(principal: Principal, conversationId: string, text: string): Promise<ConversationNote> {
      const conversation = await staffConversation(principal, conversationId);
      const row: Database['conversation_notes'] = {
        id: newId('note'),
        app_id: principal.appId,
        conversation_id: conversation.id,
        author_agent_id: principal.kind === 'agent' ? principal.agentId : null,
        text,
        created_at: clock.now(),
      };
      await db.insertInto('conversation_notes').values(row).execute();
      return toNote(row);
    },

    async listNotes(principal: Principal, conversationId: string): Promise<ConversationNote[]> {
      const conversation = await staffConversation(principal, conversationId);
      const rows = await db
        .selectFrom('conversation_notes')
        .selectAll()
        .where('app_id', '=', principal.appId)
        .where('conversation_id', '=', conversation.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toNote);
    },
  };
}

function toNote(row: Database['conversation_notes']): ConversationNote {
  return { id: row.id, conversationId: row.conversation_id, authorId: row.author_agent_id, text: row.text, createdAt: Number(row.created_at) };
}

export type NotesService = ReturnType<typeof createNotesService>;
