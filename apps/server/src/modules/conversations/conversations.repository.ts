import type { Conversation, FileRef, Message, MessageKind, MessageLocation, SenderType } from '@frontdesk/protocol';
import { sql } from 'kysely';
import type { Database } from '../../platform/storage/schema.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { DbOrTx } from '../../platform/storage/storage.ts';

export type ConversationRow = Database['conversations'];
type MessageRow = Database['messages'];
type FileRow = Database['files'];

/**
 * The minute of a time (ms since 1970): what the indexes of a conversation's activity hold, so that a
 * message moves its entries only when the minute turns (migration 0034). Readers order by the minute,
 * then the exact time.
 */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}

/** A change of a conversation at `ms`: its activity time and the minute its indexes hold. */
export function activityAt(ms: number): Pick<ConversationRow, 'updated_at' | 'updated_minute'> {
  return { updated_at: ms, updated_minute: minuteOf(ms) };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    appId: row.app_id,
    visitorId: row.visitor_id,
    agentId: row.agent_id,
    status: row.status as Conversation['status'],
    lastSeq: row.last_seq,
    visitorReadSeq: row.visitor_read_seq,
    agentReadSeq: row.agent_read_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    channelId: row.channel_id,
    queueId: row.queue_id,
    routingState: row.routing_state as Conversation['routingState'],
    closeBy: row.close_by as Conversation['closeBy'],
    lastVisitorMessageAt: row.last_visitor_message_at,
    visitorDetails: row.visitor_name === null && row.visitor_email === null && row.visitor_phone === null ? null : { name: row.visitor_name, email: row.visitor_email, phone: row.visitor_phone },
    messageLeftAt: row.message_left_at,
  };
}

export function toFileRef(row: Pick<FileRow, 'id' | 'name' | 'mime_type' | 'size_bytes'>): FileRef {
  return { id: row.id, name: row.name, mimeType: row.mime_type, sizeBytes: row.size_bytes, url: `/v1/files/${row.id}` };
}

export function toMessage(row: MessageRow, file: FileRef | null): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    clientId: row.client_id,
    senderType: row.sender_type as SenderType,
    senderId: row.sender_id,
    kind: row.kind as MessageKind,
    text: row.text,
    file,
    location: toLocation(row),
    createdAt: row.created_at,
  };
}

function toLocation(row: MessageRow): MessageLocation | null {
  if (row.location_latitude === null || row.location_longitude === null) return null;
  // Number(): a driver set to return floating-point columns as strings still gives numbers here.
  return { latitude: Number(row.location_latitude), longitude: Number(row.location_longitude), name: row.location_name, address: row.location_address };
}

/** The columns of a message's place (all null when it has none). */
export function locationColumns(location: MessageLocation | null | undefined) {
  return {
    location_latitude: location?.latitude ?? null,
    location_longitude: location?.longitude ?? null,
    location_name: location?.name ?? null,
    location_address: location?.address ?? null,
  };
}

function selectMessagesWithFiles(db: DbOrTx) {
  return db
    .selectFrom('messages')
    .leftJoin('files', 'files.id', 'messages.file_id')
    .selectAll('messages')
    .select(['files.name as file_name', 'files.mime_type as file_mime_type', 'files.size_bytes as file_size_bytes']);
}

/** Messages of one conversation after `afterSeq`, in seq order, with their files. */
export async function selectMessagesAfter(db: DbOrTx, appId: string, conversationId: string, afterSeq: number, limit: number): Promise<Message[]> {
  const rows = await selectMessagesWithFiles(db)
    .where('messages.app_id', '=', appId)
    .where('messages.conversation_id', '=', conversationId)
    .where('messages.seq', '>', afterSeq)
    .orderBy('messages.seq')
    .limit(limit)
    .execute();
  return toMessages(rows);
}

/** Who stored a message under a client id: the messages' unique key (conversation, sender, client id). */
export interface ClientIdKey {
  appId: string;
  conversationId: string;
  senderId: string;
  clientId: string;
}

const selectByClientId = compiledOnce<ClientIdKey, MessageWithFileRow>((db, a) =>
  selectMessagesWithFiles(db)
    .where('messages.app_id', '=', a.appId)
    .where('messages.conversation_id', '=', a.conversationId)
    .where('messages.sender_id', '=', a.senderId)
    .where('messages.client_id', '=', a.clientId),
);

/**
 * PostgreSQL, a batch: the messages stored under the asked keys, in one statement of a fixed text
 * (the keys as arrays), so it is prepared once per connection (pg-prepared.ts).
 */
const selectByClientIdsPostgres = compiledOnce<{ appIds: string[]; conversationIds: string[]; senderIds: string[]; clientIds: string[] }, MessageWithFileRow>(
  (_db, a) => sql`select m.*, f.name as file_name, f.mime_type as file_mime_type, f.size_bytes as file_size_bytes
    from unnest(${a.appIds}::text[], ${a.conversationIds}::text[], ${a.senderIds}::text[], ${a.clientIds}::text[]) as asked(app_id, conversation_id, sender_id, client_id)
    join messages m on m.app_id = asked.app_id and m.conversation_id = asked.conversation_id and m.sender_id = asked.sender_id and m.client_id = asked.client_id
    left join files f on f.id = m.file_id`,
);

/**
 * The messages stored under these keys, with their files (a batch of sends). On PostgreSQL in one
 * statement; on SQLite a compiled statement per key (in process: cheaper than one statement whose
 * `in` lists it evaluates as every conversation with every client id). NOTE: each read names the
 * whole unique key, sender included: read by conversation and client id alone, it walked every
 * message of the conversation (the sender comes before the client id in the key), and a send in a
 * conversation of 500 messages cost twice the CPU of one in a new conversation.
 */
export async function selectMessagesByClientIds(db: DbOrTx, dialect: 'sqlite' | 'postgres', asked: readonly ClientIdKey[]): Promise<Message[]> {
  if (dialect === 'postgres' && asked.length > 1) {
    const { rows } = await selectByClientIdsPostgres(db, {
      appIds: asked.map((a) => a.appId),
      conversationIds: asked.map((a) => a.conversationId),
      senderIds: asked.map((a) => a.senderId),
      clientIds: asked.map((a) => a.clientId),
    });
    return toMessages(rows);
  }
  const rows: MessageWithFileRow[] = [];
  for (const a of asked) rows.push(...(await selectByClientId(db, a)).rows);
  return toMessages(rows);
}

export type MessageWithFileRow = MessageRow & { file_name: string | null; file_mime_type: string | null; file_size_bytes: number | null };

/** Messages read with their files' columns (`file_name`, …). */
export function toMessages(rows: readonly MessageWithFileRow[]): Message[] {
  return rows.map(({ file_name, file_mime_type, file_size_bytes, ...row }) =>
    toMessage(
      row,
      row.file_id && file_name !== null
        ? toFileRef({ id: row.file_id, name: file_name, mime_type: file_mime_type!, size_bytes: file_size_bytes! })
        : null,
    ),
  );
}
