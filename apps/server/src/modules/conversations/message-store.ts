import type { Conversation, FileRef, Message, MessageKind, MessageLocation, SenderType } from '@frontdesk/protocol';
import { sql } from 'kysely';
import type { TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { DbOrTx, Storage, Tx } from '../../platform/storage/storage.ts';
import { ConversationError } from './conversations.errors.ts';
import { locationColumns, selectMessagesAfter, selectMessagesByClientIds, toConversation, toFileRef, toMessage, type ConversationRow } from './conversations.repository.ts';

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

export type AppendResult = SendResult & { conversation: Conversation };

/** One message to append; `build` sees the locked row (access checks on the row the send locks). */
export interface AppendRequest {
  appId: string;
  conversationId: string;
  build: NewMessage | ((row: ConversationRow) => NewMessage);
  /**
   * A copy is refused in this transaction by a unique key (the messages' own on conversation,
   * sender and client id, and the caller's, e.g. a channel's provider message id): the read of the
   * client ids already stored is skipped, and a copy fails as a unique violation instead of being
   * answered as stored (`created: false`).
   */
  copyFailsOnUniqueKey?: boolean;
}

/** What became of one request of a batch: each request succeeds or fails on its own. */
export type AppendOutcome = { ok: true; value: AppendResult } | { ok: false; error: unknown };

/** Rows per multi-row insert (SQLite binds at most 32,766 parameters; 15 columns a row). */
const ROWS_PER_INSERT = 500;

type MessageRow = Database['messages'];

/** A batch of one (a channel's message, a quiet moment's send): its statements compiled once (compiled-query.ts). */
const insertOneMessage = compiledOnce<MessageRow>((db, r) =>
  db.insertInto('messages').values({
    id: r.id,
    app_id: r.app_id,
    conversation_id: r.conversation_id,
    seq: r.seq,
    client_id: r.client_id,
    sender_type: r.sender_type,
    sender_id: r.sender_id,
    kind: r.kind,
    text: r.text,
    file_id: r.file_id,
    location_latitude: r.location_latitude,
    location_longitude: r.location_longitude,
    location_name: r.location_name,
    location_address: r.location_address,
    created_at: r.created_at,
    // Every column (a column added to the table and not here fails to type-check).
  } satisfies MessageRow),
);
const moveOneLastSeq = compiledOnce<{ appId: string; id: string; seq: number; now: number }>((db, a) => db.updateTable('conversations').set({ last_seq: a.seq, updated_at: a.now }).where('app_id', '=', a.appId).where('id', '=', a.id));
const moveOneLastSeqFromVisitor = compiledOnce<{ appId: string; id: string; seq: number; now: number }>((db, a) =>
  db.updateTable('conversations').set({ last_seq: a.seq, updated_at: a.now, last_visitor_message_at: a.now }).where('app_id', '=', a.appId).where('id', '=', a.id),
);

/**
 * The message store. Invariant: a message gets seq = its conversation's last_seq + 1 in the
 * transaction that stores it (the conversation row is locked), so seqs have no gaps and an ack
 * means it is stored; a (sender, client id) pair is stored once.
 */
export function createMessageStore({ storage, clock }: { storage: Storage; clock: Clock }) {
  // NOTE: SQLite runs in this process: a compiled statement per row costs less than one statement
  // per table whose `in` lists and `case` it must evaluate for every row (measured: 20 vs 42 µs a
  // row for the last_seq update of 4 conversations, 6 vs 11 µs a row for the lock's read). On
  // PostgreSQL every statement is a round trip, so a batch has one per table.
  const perRow = storage.dialect === 'sqlite';
  const lockOne = compiledOnce<{ appId: string; id: string }, ConversationRow>((db, a) => storage.forUpdate(db.selectFrom('conversations').selectAll().where('app_id', '=', a.appId).where('id', '=', a.id)));
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

  /**
   * Appends a batch of messages in the caller's transaction, with one statement per table on
   * PostgreSQL (a compiled statement per row on SQLite, see `perRow`): locks
   * the batch's conversation rows (in id order, so two batches never deadlock), reads the client
   * ids already stored in one query, gives seqs in request order, inserts every message in one
   * statement and moves every conversation's last_seq in one statement, then announces them
   * (`message.created`, one `emitAll`). A request refused (not found, not readable, closed, a
   * client id reused for another text) fails alone, before anything is written.
   */
  async function appendBatch(ctx: TxContext, requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const { tx } = ctx;
    const rows = await lockConversations(tx, requests);
    const outcomes: (AppendOutcome | undefined)[] = new Array(requests.length);
    const inputs: (NewMessage | undefined)[] = requests.map((request, i) => {
      const row = rows.get(request.conversationId);
      if (!row || row.app_id !== request.appId) {
        outcomes[i] = { ok: false, error: new ConversationError('FD_CONVERSATION_NOT_FOUND', `conversation ${request.conversationId} not found`) };
        return undefined;
      }
      try {
        return typeof request.build === 'function' ? request.build(row) : request.build;
      } catch (error) {
        outcomes[i] = { ok: false, error };
        return undefined;
      }
    });
    const stored = await existingByClientId(tx, requests, inputs);
    const now = clock.now();
    const fresh: { index: number; row: MessageRow; fileId: string | undefined }[] = [];
    for (const [i, request] of requests.entries()) {
      const input = inputs[i];
      if (!input) continue;
      const row = rows.get(request.conversationId)!;
      const key = input.clientId === null ? undefined : clientKey(request.conversationId, input.senderId, input.clientId);
      const existing = key && stored.get(key);
      if (existing) {
        const same = existing.text === input.text && existing.kind === input.kind && isSameLocation(existing.location, input.location ?? null);
        outcomes[i] = same
          ? { ok: true, value: { message: existing, created: false, conversation: toConversation(row) } }
          : { ok: false, error: new ConversationError('FD_MESSAGE_CLIENT_ID_CONFLICT', `client id ${input.clientId} was already used for a different message`) };
        continue;
      }
      if (row.status !== 'open') {
        outcomes[i] = { ok: false, error: new ConversationError('FD_CONVERSATION_CLOSED', 'the conversation is closed') };
        continue;
      }
      const fromVisitor = input.senderType === 'visitor';
      // The row in the map moves with the batch: the next request of this conversation sees this seq.
      const next: ConversationRow = { ...row, last_seq: row.last_seq + 1, updated_at: now, last_visitor_message_at: fromVisitor ? now : row.last_visitor_message_at };
      rows.set(request.conversationId, next);
      const messageRow: MessageRow = {
        id: newTimeOrderedId('msg', now),
        app_id: request.appId,
        conversation_id: request.conversationId,
        seq: next.last_seq,
        client_id: input.clientId,
        sender_type: input.senderType,
        sender_id: input.senderId,
        kind: input.kind,
        text: input.text,
        file_id: input.fileId ?? null,
        ...locationColumns(input.location),
        created_at: now,
      };
      fresh.push({ index: i, row: messageRow, fileId: input.fileId });
      // A later request of this batch with the same client id finds this one (it was not in storage yet).
      if (key) stored.set(key, toMessage(messageRow, null));
    }
    if (fresh.length > 0) {
      await moveLastSeqs(tx, fresh.map((f) => f.row), now);
      if (fresh.length === 1 || perRow) for (const { row } of fresh) await insertOneMessage(tx, row);
      else for (let i = 0; i < fresh.length; i += ROWS_PER_INSERT) {
        await tx.insertInto('messages').values(fresh.slice(i, i + ROWS_PER_INSERT).map((f) => f.row)).execute();
      }
      const files = await filesOf(tx, fresh.flatMap((f) => (f.fileId ? [f.fileId] : [])));
      const created = fresh.map(({ index, row, fileId }) => {
        const file = fileId ? (files.get(fileId) ?? null) : null;
        const conversation = toConversation({ ...rows.get(row.conversation_id)!, last_seq: row.seq });
        const message = toMessage(row, file);
        outcomes[index] = { ok: true, value: { message, created: true, conversation } };
        return { conversation, message, file };
      });
      await ctx.emitAll('message.created', created);
    }
    return outcomes as AppendOutcome[];
  }

  /** The batch's conversation rows, locked until the transaction ends (PostgreSQL: in id order). */
  async function lockConversations(tx: Tx, requests: readonly AppendRequest[]): Promise<Map<string, ConversationRow>> {
    const ids = [...new Set(requests.map((r) => r.conversationId))].sort();
    const appIds = [...new Set(requests.map((r) => r.appId))];
    if (appIds.length === 1 && (ids.length === 1 || perRow)) {
      const locked = new Map<string, ConversationRow>();
      for (const id of ids) for (const row of (await lockOne(tx, { appId: appIds[0]!, id })).rows) locked.set(row.id, row);
      return locked;
    }
    const query = tx
      .selectFrom('conversations')
      .selectAll()
      .where('app_id', appIds.length === 1 ? '=' : 'in', appIds.length === 1 ? appIds[0]! : appIds)
      .where('id', ids.length === 1 ? '=' : 'in', ids.length === 1 ? ids[0]! : ids)
      .orderBy('id');
    const found = await storage.forUpdate(query).execute();
    return new Map(found.map((row) => [row.id, row]));
  }

  /** Messages already stored under the client ids of the batch, by conversation, sender and client id. */
  async function existingByClientId(tx: Tx, requests: readonly AppendRequest[], inputs: readonly (NewMessage | undefined)[]): Promise<Map<string, Message>> {
    const asked = requests.flatMap((request, i) => {
      const input = inputs[i];
      return input && input.clientId !== null && !request.copyFailsOnUniqueKey ? [{ appId: request.appId, conversationId: request.conversationId, clientId: input.clientId }] : [];
    });
    const found = new Map<string, Message>();
    if (asked.length === 0) return found;
    for (const message of await selectMessagesByClientIds(tx, asked, perRow)) found.set(clientKey(message.conversationId, message.senderId, message.clientId!), message);
    return found;
  }

  /** One UPDATE for every conversation of the batch: its new last_seq, and the visitor's last message time. */
  async function moveLastSeqs(tx: Tx, appended: readonly MessageRow[], now: number): Promise<void> {
    const last = new Map<string, { appId: string; seq: number; fromVisitor: boolean }>();
    for (const row of appended) {
      const before = last.get(row.conversation_id);
      last.set(row.conversation_id, { appId: row.app_id, seq: row.seq, fromVisitor: (before?.fromVisitor ?? false) || row.sender_type === 'visitor' });
    }
    const entries = [...last];
    if (entries.length === 1 || perRow) {
      for (const [id, { appId, seq, fromVisitor }] of entries) await (fromVisitor ? moveOneLastSeqFromVisitor : moveOneLastSeq)(tx, { appId, id, seq, now });
      return;
    }
    // NOTE: cast, so PostgreSQL types the CASE as the bigint columns (bound parameters are text to it).
    const seqCases = sql.join(entries.map(([id, { seq }]) => sql`when ${id} then cast(${seq} as bigint)`), sql` `);
    const visitorIds = entries.filter(([, v]) => v.fromVisitor).map(([id]) => id);
    const visitorAt = visitorIds.length > 0 ? sql`case when id in (${sql.join(visitorIds)}) then cast(${now} as bigint) else last_visitor_message_at end` : sql`last_visitor_message_at`;
    const appIds = [...new Set(entries.map(([, v]) => v.appId))];
    await sql`update conversations set last_seq = case id ${seqCases} end, updated_at = ${now}, last_visitor_message_at = ${visitorAt}
      where app_id in (${sql.join(appIds)}) and id in (${sql.join(entries.map(([id]) => id))})`.execute(tx);
  }

  async function filesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, FileRef>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.selectFrom('files').select(['id', 'name', 'mime_type', 'size_bytes']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((row) => [row.id, toFileRef(row)]));
  }

  return {
    findByClientId,
    appendBatch,

    /** Appends one message in the caller's transaction (a batch of one); a refusal is thrown. */
    async append(ctx: TxContext, appId: string, conversationId: string, build: AppendRequest['build'], options: Pick<AppendRequest, 'copyFailsOnUniqueKey'> = {}): Promise<AppendResult> {
      const [outcome] = await appendBatch(ctx, [{ appId, conversationId, build, ...options }]);
      if (!outcome!.ok) throw outcome!.error;
      return outcome!.value;
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;

function clientKey(conversationId: string, senderId: string | null, clientId: string): string {
  return `${conversationId}\u0000${senderId ?? '\u0001'}\u0000${clientId}`;
}

function isSameLocation(a: MessageLocation | null, b: MessageLocation | null): boolean {
  return a === b || (a !== null && b !== null && a.latitude === b.latitude && a.longitude === b.longitude && a.name === b.name && a.address === b.address);
}
