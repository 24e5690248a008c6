import type { Conversation, FileRef, Message, MessageKind, MessageLocation, SenderType } from '@frontdesk/protocol';
import { sql } from 'kysely';
import type { TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { DbOrTx, Storage, Tx } from '../../platform/storage/storage.ts';
import { ConversationError } from './conversations.errors.ts';
import { locationColumns, minuteOf, selectMessagesAfter, selectMessagesByClientIds, toConversation, toFileRef, toMessage, toMessages, type ConversationRow, type MessageWithFileRow } from './conversations.repository.ts';
import { insertTokens, type IndexEntry } from './message-search.ts';
import { queueForIndex } from './search-indexer.ts';
import { messageTokens } from './search-tokens.ts';

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
   * The sender and client id `build` will give, when known before the row is read (a send): on
   * PostgreSQL a batch reads the messages stored under them with the lock, in one statement
   * instead of two.
   */
  expected?: { senderId: string; clientId: string };
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

type MessageRow = Database['messages'];

/**
 * Every column of a message, with its PostgreSQL type for a batch's arrays: both inserts name their
 * columns from here (a column added to the table and not here fails to type-check).
 */
const MESSAGE_COLUMN_TYPES = {
  id: 'text',
  app_id: 'text',
  conversation_id: 'text',
  seq: 'bigint',
  client_id: 'text',
  sender_type: 'text',
  sender_id: 'text',
  kind: 'text',
  text: 'text',
  file_id: 'text',
  location_latitude: 'float8',
  location_longitude: 'float8',
  location_name: 'text',
  location_address: 'text',
  created_at: 'bigint',
} satisfies Record<keyof MessageRow, string>;
const MESSAGE_COLUMNS = Object.keys(MESSAGE_COLUMN_TYPES) as (keyof MessageRow)[];

/** A batch of one (a channel's message, a quiet moment's send): its statements compiled once (compiled-query.ts). */
const insertOneMessage = compiledOnce<MessageRow>((db, r) => db.insertInto('messages').values(Object.fromEntries(MESSAGE_COLUMNS.map((c) => [c, r[c]])) as MessageRow));
// A conversation's last_seq and activity times. NOTE: the minutes are set only when they turned: SQLite
// rewrites the entries of every index holding a column the statement sets, even to the same value.
const moveOneLastSeq = compiledOnce<{ appId: string; id: string; seq: number; now: number }>((db, a) => db.updateTable('conversations').set({ last_seq: a.seq, updated_at: a.now }).where('app_id', '=', a.appId).where('id', '=', a.id));
const moveOneLastSeqFromVisitor = compiledOnce<{ appId: string; id: string; seq: number; now: number }>((db, a) =>
  db.updateTable('conversations').set({ last_seq: a.seq, updated_at: a.now, last_visitor_message_at: a.now }).where('app_id', '=', a.appId).where('id', '=', a.id),
);
const moveOneLastSeqAndMinutes = compiledOnce<Pick<ConversationRow, 'app_id' | 'id' | 'last_seq' | 'updated_at' | 'last_visitor_message_at' | 'updated_minute' | 'last_activity_minute'>>((db, a) =>
  db
    .updateTable('conversations')
    .set({ last_seq: a.last_seq, updated_at: a.updated_at, last_visitor_message_at: a.last_visitor_message_at, updated_minute: a.updated_minute, last_activity_minute: a.last_activity_minute })
    .where('app_id', '=', a.app_id)
    .where('id', '=', a.id),
);

// PostgreSQL, a batch of several: statements whose text does not depend on the batch's size (the
// rows as arrays, `= any`, `unnest`), so each is prepared once per connection (pg-prepared.ts)
// instead of parsed and planned for every batch.
interface ClientIdsAsked {
  askedAppIds: string[];
  askedConversationIds: string[];
  askedSenderIds: string[];
  askedClientIds: string[];
}
/**
 * The batch's conversations locked (in id order), each with the messages already stored under the
 * batch's senders and client ids (`AppendRequest.expected`), in one statement: one round trip, not two.
 * NOTE: the messages are read in the statement's snapshot, taken before any lock wait, so a copy
 * that another node committed while this batch waited for the lock is not seen here. Its insert
 * then fails on the unique key (conversation, sender, client id), and the group commit stores the
 * batch again one request per transaction, where the read follows the lock (group-commit.ts).
 */
const lockManyPostgres = compiledOnce<{ appIds: string[]; ids: string[] } & ClientIdsAsked, ConversationRow & { stored: MessageWithFileRow[] | null }>(
  (_db, a) => sql`with locked as materialized (
      select * from conversations where app_id = any(${a.appIds}::text[]) and id = any(${a.ids}::text[]) order by id for update
    ), stored as materialized (
      select m.*, f.name as file_name, f.mime_type as file_mime_type, f.size_bytes as file_size_bytes
      from unnest(${a.askedAppIds}::text[], ${a.askedConversationIds}::text[], ${a.askedSenderIds}::text[], ${a.askedClientIds}::text[]) as asked(app_id, conversation_id, sender_id, client_id)
      join messages m on m.app_id = asked.app_id and m.conversation_id = asked.conversation_id and m.sender_id = asked.sender_id and m.client_id = asked.client_id
      left join files f on f.id = m.file_id
    )
    select l.*, (select json_agg(s) from stored s where s.conversation_id = l.id) as stored from locked l`,
);
type MessageColumns = { [C in keyof MessageRow]: MessageRow[C][] };
interface LastSeqs {
  convAppIds: string[];
  convIds: string[];
  convSeqs: number[];
  convFromVisitor: boolean[];
  now: number;
  minute: number;
}
/** Search index entries (none when the batch's messages are queued for the indexer); tokens space-separated. */
interface IndexEntries {
  entryIds: string[];
  entryAppIds: string[];
  entryCreatedAts: number[];
  entryTokens: string[];
}
/**
 * A batch's messages, its conversations' new last_seq (and activity times) and the messages' search
 * index entries, in one statement, whose answer is not waited for: the in-transaction listeners'
 * reads go out with it, one round trip for all (compiled-query.ts). NOTE: the minutes are set whether
 * they turned or not: PostgreSQL compares an indexed column's old and new values, and an update that
 * changes none of them may stay on the row's page (HOT) without writing any index.
 */
const appendManyPostgres = compiledOnce<MessageColumns & LastSeqs & IndexEntries>(
  (_db, a) => sql`with moved as (
      update conversations as c
      set last_seq = v.seq, updated_at = cast(${a.now} as bigint), updated_minute = cast(${a.minute} as bigint),
        last_visitor_message_at = case when v.from_visitor then cast(${a.now} as bigint) else c.last_visitor_message_at end,
        last_activity_minute = case when v.from_visitor then cast(${a.minute} as bigint) else c.last_activity_minute end
      from unnest(${a.convAppIds}::text[], ${a.convIds}::text[], ${a.convSeqs}::bigint[], ${a.convFromVisitor}::boolean[]) as v(app_id, id, seq, from_visitor)
      where c.app_id = v.app_id and c.id = v.id
    ), indexed as (
      insert into message_search (message_id, app_id, created_at, tokens)
      select id, app_id, created_at, string_to_array(tokens, ' ')
      from unnest(${a.entryIds}::text[], ${a.entryAppIds}::text[], ${a.entryCreatedAts}::bigint[], ${a.entryTokens}::text[]) as entry(id, app_id, created_at, tokens)
    )
    insert into messages (${sql.join(MESSAGE_COLUMNS.map((c) => sql.ref(c)))})
    select * from unnest(${sql.join(MESSAGE_COLUMNS.map((c) => sql`${a[c]}::${sql.raw(MESSAGE_COLUMN_TYPES[c])}[]`))})`,
  { answerUnread: true },
);

/**
 * The message store. Invariant: a message gets seq = its conversation's last_seq + 1 in the
 * transaction that stores it (the conversation row is locked), so seqs have no gaps and an ack
 * means it is stored; a (sender, client id) pair is stored once.
 */
export function createMessageStore({ storage, clock, searchIndexInTransactionFrom }: { storage: Storage; clock: Clock; searchIndexInTransactionFrom: number }) {
  // NOTE: SQLite runs in this process: a compiled statement per row costs less than one statement
  // per table whose `in` lists and `case` it must evaluate for every row (measured: 20 vs 42 µs a
  // row for the last_seq update of 4 conversations, 6 vs 11 µs a row for the lock's read). On
  // PostgreSQL every statement is a round trip, so a batch has as few as it can.
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
   * Appends a batch of messages in the caller's transaction, in two statements on PostgreSQL (a
   * compiled statement per row on SQLite, see `perRow`): locks the batch's conversation rows (in id
   * order, so two batches never deadlock) and reads the client ids already stored, gives seqs in
   * request order, then inserts every message, moves every conversation's last_seq and writes the
   * search index in one statement, and announces them (`message.created`, one `emitAll`). A request
   * refused (not found, not readable, closed, a client id reused for another text) fails alone,
   * before anything is written.
   */
  async function appendBatch(ctx: TxContext, requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const { tx } = ctx;
    const { rows, stored: storedWithLock } = await lockConversations(tx, requests);
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
    const stored = await existingByClientId(tx, requests, inputs, storedWithLock);
    const now = clock.now();
    const minute = minuteOf(now);
    const fresh: { index: number; row: MessageRow; fileId: string | undefined }[] = [];
    /** Conversations whose activity minutes this batch turns (their index entries move). */
    const turned = new Set<string>();
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
      const next: ConversationRow = {
        ...row,
        last_seq: row.last_seq + 1,
        updated_at: now,
        updated_minute: minute,
        last_visitor_message_at: fromVisitor ? now : row.last_visitor_message_at,
        last_activity_minute: fromVisitor ? minute : row.last_activity_minute,
      };
      if (next.updated_minute !== row.updated_minute || next.last_activity_minute !== row.last_activity_minute) turned.add(request.conversationId);
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
      const appended = fresh.map((f) => f.row);
      // PostgreSQL: the search index is written here, in the messages' transaction (SQLite's is written
      // by a listener, right after the commit: search-indexer.ts); below `searchIndexInTransactionFrom`
      // messages, they are queued for the indexer instead.
      const isPostgres = storage.dialect === 'postgres';
      const indexNow = isPostgres && appended.length >= searchIndexInTransactionFrom;
      const entries = indexNow ? indexEntries(appended) : [];
      if (fresh.length === 1 || perRow) {
        for (const [id, { appId, seq, fromVisitor }] of lastSeqs(appended)) {
          if (turned.has(id)) await moveOneLastSeqAndMinutes(tx, rows.get(id)!);
          else await (fromVisitor ? moveOneLastSeqFromVisitor : moveOneLastSeq)(tx, { appId, id, seq, now });
        }
        for (const row of appended) await insertOneMessage(tx, row);
        await insertTokens(tx, isPostgres, entries);
      } else {
        const last = [...lastSeqs(appended)];
        await appendManyPostgres(tx, {
          ...(Object.fromEntries(MESSAGE_COLUMNS.map((c) => [c, appended.map((row) => row[c])])) as MessageColumns),
          convAppIds: last.map(([, v]) => v.appId),
          convIds: last.map(([id]) => id),
          convSeqs: last.map(([, v]) => v.seq),
          convFromVisitor: last.map(([, v]) => v.fromVisitor),
          now,
          minute,
          entryIds: entries.map((e) => e.id),
          entryAppIds: entries.map((e) => e.appId),
          entryCreatedAts: entries.map((e) => e.createdAt),
          entryTokens: entries.map((e) => e.tokens.join(' ')),
        });
      }
      if (isPostgres && !indexNow) await queueForIndex(tx, appended.filter((row) => row.kind !== 'system').map((row) => row.id));
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

  /**
   * The batch's conversation rows, locked until the transaction ends (in id order, so two batches
   * never deadlock); PostgreSQL, several: with the messages stored under the requests' `expected` keys.
   */
  async function lockConversations(tx: Tx, requests: readonly AppendRequest[]): Promise<{ rows: Map<string, ConversationRow>; stored: Message[] | undefined }> {
    const distinct = new Map(requests.map((r) => [`${r.conversationId}\u0000${r.appId}`, { appId: r.appId, id: r.conversationId }]));
    const pairs = [...distinct.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const locked = new Map<string, ConversationRow>();
    if (pairs.length > 1 && !perRow) {
      const asked = requests.flatMap((r) => (r.expected && !r.copyFailsOnUniqueKey ? [{ appId: r.appId, conversationId: r.conversationId, ...r.expected }] : []));
      const { rows } = await lockManyPostgres(tx, {
        appIds: [...new Set(pairs.map((p) => p.appId))],
        ids: [...new Set(pairs.map((p) => p.id))],
        askedAppIds: asked.map((r) => r.appId),
        askedConversationIds: asked.map((r) => r.conversationId),
        askedSenderIds: asked.map((r) => r.senderId),
        askedClientIds: asked.map((r) => r.clientId),
      });
      const stored: Message[] = [];
      for (const { stored: messages, ...row } of rows) {
        locked.set(row.id, row);
        if (messages) stored.push(...toMessages(messages));
      }
      return { rows: locked, stored };
    }
    for (const pair of pairs) for (const row of (await lockOne(tx, pair)).rows) locked.set(row.id, row);
    return { rows: locked, stored: undefined };
  }

  /**
   * Messages already stored under the client ids of the batch, by conversation, sender and client
   * id: those read with the lock (`stored`: the requests' `expected` keys), and the others read now.
   * NOTE: a message without a sender has no key to look up by (its client id, if any, is not unique:
   * the key's null sender never equals another).
   */
  async function existingByClientId(tx: Tx, requests: readonly AppendRequest[], inputs: readonly (NewMessage | undefined)[], stored: Message[] | undefined): Promise<Map<string, Message>> {
    const asked = requests.flatMap((request, i) => {
      const input = inputs[i];
      if (!input || input.clientId === null || input.senderId === null || request.copyFailsOnUniqueKey) return [];
      const readWithLock = stored && request.expected?.clientId === input.clientId && request.expected.senderId === input.senderId;
      return readWithLock ? [] : [{ appId: request.appId, conversationId: request.conversationId, senderId: input.senderId, clientId: input.clientId }];
    });
    const found = new Map<string, Message>();
    const read = asked.length > 0 ? await selectMessagesByClientIds(tx, storage.dialect, asked) : [];
    for (const message of [...(stored ?? []), ...read]) found.set(clientKey(message.conversationId, message.senderId, message.clientId!), message);
    return found;
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

/** Each conversation's new last_seq, and whether one of its new messages is the visitor's. */
function lastSeqs(appended: readonly MessageRow[]): Map<string, { appId: string; seq: number; fromVisitor: boolean }> {
  const last = new Map<string, { appId: string; seq: number; fromVisitor: boolean }>();
  for (const row of appended) {
    const before = last.get(row.conversation_id);
    last.set(row.conversation_id, { appId: row.app_id, seq: row.seq, fromVisitor: (before?.fromVisitor ?? false) || row.sender_type === 'visitor' });
  }
  return last;
}

/** The messages' search index entries (a system notice has none, nor a text without words). */
function indexEntries(rows: readonly MessageRow[]): IndexEntry[] {
  return rows.flatMap((row) => {
    const tokens = messageTokens(row);
    return tokens.length === 0 ? [] : [{ id: row.id, appId: row.app_id, createdAt: row.created_at, tokens }];
  });
}

function clientKey(conversationId: string, senderId: string | null, clientId: string): string {
  return `${conversationId}\u0000${senderId ?? '\u0001'}\u0000${clientId}`;
}

function isSameLocation(a: MessageLocation | null, b: MessageLocation | null): boolean {
  return a === b || (a !== null && b !== null && a.latitude === b.latitude && a.longitude === b.longitude && a.name === b.name && a.address === b.address);
}
