import type { Conversation, Message, MessageKind, MessageLocation, SenderType } from '@frontdesk/protocol';
import type { TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { ConversationError } from './conversations.errors.ts';
import { locationColumns, selectMessagesAfter, toConversation, toFileRef, toMessage, type ConversationRow } from './conversations.repository.ts';

export interface NewMessage {
  clientId: string | null;
  senderType: SenderType;
  senderId: string | null;
  kind: MessageKind;
  text: string;
  fileId?: string;
  location?: MessageLocation;
}

export interface SendResult {
  message: Message;
  /** false when the client id had already been stored: the stored message is returned. */
  created: boolean;
}

/**
 * The message store. Invariant: a message gets seq = its conversation's last_seq + 1 in the
 * transaction that stores it (the conversation row is locked), so seqs have no gaps and an ack
 * means it is stored; a (sender, client id) pair is stored once.
 */
export function createMessageStore({ storage, clock }: { storage: Storage; clock: Clock }) {
  /** The message this sender already stored under `clientId`, if any. */
  async function findByClientId(db: DbOrTx, appId: string, conversationId: string, senderId: string | null, clientId: string): Promise<Message | undefined> {
    const row = await db
      .selectFrom('messages')
      .select('seq')
      .where('app_id', '=', appId)
      .where('conversation_id', '=', conversationId)
      .where('client_id', '=', clientId)
      .where('sender_id', senderId === null ? 'is' : '=', senderId)
      .executeTakeFirst();
    return row && (await selectMessagesAfter(db, appId, conversationId, row.seq - 1, 1))[0];
  }

  return {
    findByClientId,

    /**
     * Appends a message in the caller's transaction and announces it (`message.created`): locks the
     * conversation row, answers the stored message if this sender already used the client id, else
     * takes the next seq. `build` sees the locked row (access checks on the row the send locks).
     */
    async append(ctx: TxContext, appId: string, conversationId: string, build: NewMessage | ((row: ConversationRow) => NewMessage)): Promise<SendResult & { conversation: Conversation }> {
      const { tx } = ctx;
      const row = await storage.forUpdate(tx.selectFrom('conversations').selectAll().where('app_id', '=', appId).where('id', '=', conversationId)).executeTakeFirst();
      if (!row) throw new ConversationError('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
      const input = typeof build === 'function' ? build(row) : build;
      if (input.clientId !== null) {
        const existing = await findByClientId(tx, appId, conversationId, input.senderId, input.clientId);
        if (existing) {
          if (existing.text !== input.text || existing.kind !== input.kind || !isSameLocation(existing.location, input.location ?? null)) {
            throw new ConversationError('FD_MESSAGE_CLIENT_ID_CONFLICT', `client id ${input.clientId} was already used for a different message`);
          }
          return { message: existing, created: false, conversation: toConversation(row) };
        }
      }
      if (row.status !== 'open') throw new ConversationError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
      const now = clock.now();
      const seq = row.last_seq + 1;
      const messageRow = {
        id: newId('msg'),
        app_id: appId,
        conversation_id: conversationId,
        seq,
        client_id: input.clientId,
        sender_type: input.senderType,
        sender_id: input.senderId,
        kind: input.kind,
        text: input.text,
        file_id: input.fileId ?? null,
        ...locationColumns(input.location),
        created_at: now,
      };
      const fromVisitor = input.senderType === 'visitor';
      await tx
        .updateTable('conversations')
        .set({ last_seq: seq, updated_at: now, ...(fromVisitor ? { last_visitor_message_at: now } : {}) })
        .where('app_id', '=', appId)
        .where('id', '=', conversationId)
        .execute();
      await tx.insertInto('messages').values(messageRow).execute();
      const file = input.fileId ? toFileRef(await tx.selectFrom('files').selectAll().where('id', '=', input.fileId).executeTakeFirstOrThrow()) : null;
      const message = toMessage(messageRow, file);
      const conversation = toConversation({ ...row, last_seq: seq, updated_at: now, last_visitor_message_at: fromVisitor ? now : row.last_visitor_message_at });
      await ctx.emit('message.created', { conversation, message, file });
      return { message, created: true, conversation };
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;

function isSameLocation(a: MessageLocation | null, b: MessageLocation | null): boolean {
  return a === b || (a !== null && b !== null && a.latitude === b.latitude && a.longitude === b.longitude && a.name === b.name && a.address === b.address);
}
