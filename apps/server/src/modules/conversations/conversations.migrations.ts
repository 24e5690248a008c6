import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { searchTokens } from './search-tokens.ts';
import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The conversations module's steps of each migration (a step never changes once published: add a new one). */
export const conversationsMigrations: ModuleMigrations = {
  '0001_foundation': async (db) => {
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id'))
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull().references('visitors.id'))
      .addColumn('agent_id', 'varchar(64)', (c) => c.references('agents.id'))
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('visitor_read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('agent_read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .execute();
    // One open conversation per (app, visitor), even under concurrent creates.
    await db.schema
      .createIndex('conversations_one_open')
      .on('conversations')
      .columns(['app_id', 'visitor_id'])
      .unique()
      .where(sql.ref('status'), '=', 'open')
      .execute();
    // A visitor's conversations (hello, lists): the partial index above covers only open ones.
    await db.schema.createIndex('conversations_visitor').on('conversations').columns(['app_id', 'visitor_id']).execute();
    await db.schema.createIndex('conversations_app_status').on('conversations').columns(['app_id', 'status', 'updated_at']).execute();
    await db.schema.createIndex('conversations_agent').on('conversations').columns(['agent_id', 'status']).execute();
    await db.schema
      .createTable('messages')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('client_id', 'varchar(64)')
      .addColumn('sender_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('sender_id', 'varchar(64)')
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('file_id', 'varchar(64)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
      .addUniqueConstraint('messages_client_id', ['conversation_id', 'sender_id', 'client_id'])
      .execute();
    await db.schema
      .createTable('files')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('mime_type', 'varchar(100)', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  '0002_routing': async (db) => {
    await db.schema.alterTable('conversations').addColumn('channel_id', 'varchar(64)').execute();
    await db.schema.alterTable('conversations').addColumn('queue_id', 'varchar(64)').execute();
    await db.schema.alterTable('conversations').addColumn('routing_state', 'varchar(20)', (c) => c.notNull().defaultTo('none')).execute();
    await db.schema.alterTable('conversations').addColumn('close_by', 'varchar(20)').execute();
    await db.schema.alterTable('conversations').addColumn('last_visitor_message_at', 'bigint').execute();
  },
  '0004_ratings': async (db) => {
    // CSAT (conversations module): one row per conversation, replaced by each new rating.
    await db.schema
      .createTable('ratings')
      .addColumn('conversation_id', 'varchar(64)', (c) => c.primaryKey().references('conversations.id'))
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('stars', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ratings_app').on('ratings').columns(['app_id', 'updated_at']).execute();
  },
  /** Location messages (SPEC M9): a message may carry a place; null on every other kind. */
  '0012_message_location': async (db) => {
    await db.schema.alterTable('messages').addColumn('location_latitude', 'double precision').execute();
    await db.schema.alterTable('messages').addColumn('location_longitude', 'double precision').execute();
    await db.schema.alterTable('messages').addColumn('location_name', 'text').execute();
    await db.schema.alterTable('messages').addColumn('location_address', 'text').execute();
  },
  /** Internal notes per conversation (staff only). */
  '0013_workbench': async (db) => {
    await db.schema
      .createTable('conversation_notes')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('conversation_id', 'varchar(64)', (c) => c.notNull().references('conversations.id'))
      .addColumn('author_agent_id', 'varchar(64)')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('conversation_notes_conversation').on('conversation_notes').columns(['app_id', 'conversation_id', 'created_at']).execute();
  },
  /** Seed fidelity (AnyChat file methods): who uploaded each file, and from which address. */
  '0018_compat_fidelity': async (db) => {
    await db.schema.alterTable('files').addColumn('uploader_type', 'varchar(16)').execute();
    await db.schema.alterTable('files').addColumn('uploader_id', 'varchar(64)').execute();
    await db.schema.alterTable('files').addColumn('uploader_ip', 'varchar(64)').execute();
  },
  /**
   * No visitor left behind (SPEC M11): the details a visitor gave in a widget form (pre-chat or
   * leave-a-message) and when they left a message; the inbox lists what waits oldest first.
   */
  '0020_inbox': async (db) => {
    await db.schema.alterTable('conversations').addColumn('visitor_name', 'varchar(100)').execute();
    await db.schema.alterTable('conversations').addColumn('visitor_email', 'varchar(254)').execute();
    await db.schema.alterTable('conversations').addColumn('visitor_phone', 'varchar(32)').execute();
    await db.schema.alterTable('conversations').addColumn('message_left_at', 'bigint').execute();
  },
  /**
   * Full-text search of messages (SPEC M8): see `message_search` in conversations.schema.ts. Messages
   * stored before are indexed here, a page at a time.
   */
  '0021_inbox_search': async (db) => {
    const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
    if (isPostgres) {
      await sql`create table message_search (message_id varchar(64) primary key, app_id varchar(64) not null, created_at bigint not null, tokens text[] not null)`.execute(db);
      await sql`create index message_search_tokens on message_search using gin (tokens)`.execute(db);
      await sql`create index message_search_app_time on message_search (app_id, created_at)`.execute(db);
    } else {
      // NOTE: contentless (the text is in messages) and keyed by the message's rowid: the index holds
      // tokens only. detail=none and columnsize=0: queries are conjunctions of tokens (no phrases, no
      // NEAR, no ranking), so neither positions nor sizes are kept. Without contentless_delete (messages
      // are not deleted; a deletion would send FTS5's 'delete' command with the message's tokens). Each
      // halves the cost of a one-message transaction (measured 2.1 → 1.0 ms on 200,000 rows, loaded machine).
      await sql`create virtual table message_search using fts5(tokens, content='', detail=none, columnsize=0, tokenize='unicode61 remove_diacritics 0')`.execute(db);
      // Merge work per write bounded (measured: 0.36 → 0.19 ms per one-message transaction on 1M messages,
      // queries unchanged); more segments wait per level before they are merged.
      await sql`insert into message_search (message_search, rank) values ('automerge', 16)`.execute(db);
    }
    // Name search reads only conversations with a name typed in a form (few of them).
    // The "Everything" list: every conversation of the app by newest activity, without a sort.
    await db.schema.createIndex('conversations_app_updated').on('conversations').columns(['app_id', 'updated_at']).execute();
    await db.schema.createIndex('conversations_visitor_named').on('conversations').columns(['app_id', 'updated_at']).where(sql.ref('visitor_name'), 'is not', null).execute();
    await backfillMessageSearch(db, isPostgres);
  },
  /** Call snapshots and photos (SPEC M24): which files are one (AnyChat filetype 2, the snapshot record flag). */
  '0025_conversations_captures': async (db) => {
    await db.schema.alterTable('files').addColumn('capture', 'varchar(16)').execute();
  },
  /**
   * The search index is written right after the messages commit (search-indexer.ts): on SQLite up
   * to the mark kept here (every message stored so far was indexed in its transaction: the mark
   * starts at the last one); on PostgreSQL from the ids queued by the messages' transactions.
   */
  '0028_conversations_search_after_commit': async (db) => {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      // PostgreSQL: the ids of messages stored and not yet indexed, queued by their transactions.
      await sql`create table message_search_pending (message_id varchar(64) primary key)`.execute(db);
      return;
    }
    await sql`create table message_search_progress (id integer primary key check (id = 1), last_rowid integer not null)`.execute(db);
    await sql`insert into message_search_progress (id, last_rowid) select 1, coalesce(max(rowid), 0) from messages`.execute(db);
  },
  /**
   * An agent's open conversations (every hello) by app, agent and status: the index on agent and
   * status alone lost to (app, status, updated_at) in SQLite's planner, which read every open
   * conversation of the app for each agent's hello (bench/README.md, 19,900 sockets).
   */
  '0029_conversations_agent_open': async (db) => {
    await db.schema.dropIndex('conversations_agent').execute();
    await db.schema.createIndex('conversations_app_agent').on('conversations').columns(['app_id', 'agent_id', 'status']).execute();
  },
  /**
   * PostgreSQL: the search index's list of pending entries is merged into the index by the insert
   * that finds it full, inside that message's transaction: at the default 4 MB, a batch of sends
   * waited 118–156 ms every 3–9 s at 3,000–4,000 msgs/s; with a 256 kB list, merged more often and
   * each time less, the slowest such insert took 22–49 ms (bench/README.md, round 3).
   */
  '0030_conversations_search_pending_list': async (db) => {
    if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`alter index message_search_tokens set (gin_pending_list_limit = 256)`.execute(db);
  },
  /**
   * The idle sweep (every 30 s) read every conversation, closed ones included, in id order to find
   * the open ones silent for a minute: in the loaded bench server (20,000 open conversations) three
   * pages of 34–51 ms in one turn of the event loop, 191 ms in which no message moved; alone, with
   * 200,000 closed conversations besides, 245–285 ms a page. It now
   * reads only the silent open ones, oldest activity first (conversations.service.ts, `idleConversations`).
   */
  '0031_conversations_idle_sweep': async (db) => {
    await sql`create index conversations_idle on conversations ((coalesce(last_visitor_message_at, created_at)), id) where status = 'open' and message_left_at is null`.execute(db);
  },
  /**
   * SQLite: FTS5 merged the index's segments inside the pass that added the 16th segment of a level,
   * all of that level at once (`crisismerge`, 16 by default, met `automerge` 16): indexing 200,000
   * messages in passes of 500, pass p99 10–36 ms and max 33–88 ms against a p50 of 3–5 ms, longer
   * as history grows. The indexer now merges after each pass, a bounded amount of work in a
   * transaction of its own (search-indexer.ts, `mergeSegments`): p99 5–9 ms. Levels are merged
   * at 16 segments as before (`usermerge`); FTS5 merges by itself at 64, if those steps ever fall behind.
   */
  '0032_conversations_search_merge_steps': async (db) => {
    if (db.getExecutor().adapter instanceof PostgresAdapter) return;
    // NOTE: literals: FTS5 takes an option's value as an integer only, and a bound JS number is a REAL.
    for (const [option, value] of [['automerge', 0], ['usermerge', 16], ['crisismerge', 64]] as const) {
      await sql`insert into message_search (message_search, rank) values (${sql.lit(option)}, ${sql.lit(value)})`.execute(db);
    }
  },
  /**
   * A conversation's activity indexed by the minute, not the millisecond: every message moved its
   * conversation's entries in the four indexes that held `updated_at` or the visitor's last message
   * time, each onto a page no other message of the batch touched (SQLite: two fifths of a message's
   * write, 70.7 µs a message against 40.8–46.4 without those moves, bench/README.md round 16;
   * PostgreSQL: an update that changes an indexed column writes a new entry in every index of the
   * row). Now a message moves them only when its minute differs from the one stored, and on
   * PostgreSQL an update that leaves every indexed column as it was may stay on its page (HOT) and
   * touch no index. The lists order by the minute, then the exact time (message-search.ts,
   * conversations.service.ts).
   */
  '0034_conversations_activity_by_minute': async (db) => {
    await db.schema.alterTable('conversations').addColumn('updated_minute', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('conversations').addColumn('last_activity_minute', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    // Integer division on both (bigint columns): the same floor as `minuteOf` for times after 1970.
    await sql`update conversations set updated_minute = updated_at / 60000, last_activity_minute = coalesce(last_visitor_message_at, created_at) / 60000`.execute(db);
    for (const name of ['conversations_app_status', 'conversations_app_updated', 'conversations_visitor_named', 'conversations_idle']) await db.schema.dropIndex(name).execute();
    await db.schema.createIndex('conversations_app_status').on('conversations').columns(['app_id', 'status', 'updated_minute']).execute();
    await db.schema.createIndex('conversations_app_updated').on('conversations').columns(['app_id', 'updated_minute']).execute();
    await db.schema.createIndex('conversations_visitor_named').on('conversations').columns(['app_id', 'updated_minute']).where(sql.ref('visitor_name'), 'is not', null).execute();
    await sql`create index conversations_idle on conversations (last_activity_minute, id) where status = 'open' and message_left_at is null`.execute(db);
  },
};

async function backfillMessageSearch(db: Kysely<any>, isPostgres: boolean): Promise<void> {
  for (let afterId = ''; ; ) {
    const rows = await db.selectFrom('messages').select(['id', 'app_id', 'created_at', 'kind', 'text']).where('id', '>', afterId).orderBy('id').limit(1000).execute();
    for (const row of rows as { id: string; app_id: string; created_at: number; kind: string; text: string }[]) {
      if (row.kind === 'system') continue;
      const tokens = searchTokens(row.text);
      if (tokens.length === 0) continue;
      if (isPostgres) await sql`insert into message_search (message_id, app_id, created_at, tokens) values (${row.id}, ${row.app_id}, ${row.created_at}, ${tokens}::text[])`.execute(db);
      else await sql`insert into message_search (rowid, tokens) select rowid, ${tokens.join(' ')} from messages where id = ${row.id}`.execute(db);
    }
    if (rows.length < 1000) return;
    afterId = (rows.at(-1) as { id: string }).id;
  }
}
