import type { ConversationFilter, ConversationSearchResult } from '@frontdesk/protocol';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Principal } from '../../platform/principal.ts';
import { containsPattern } from '../../platform/storage/like-pattern.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { toConversation, type ConversationRow } from './conversations.repository.ts';
import { queryTokens } from './search-tokens.ts';

/** Message hits read per page, per conversation wanted (a conversation often matches several times). */
const HITS_PER_RESULT = 3;
/** Pages of hits read at most per query: a bound on the work of a query that matches few conversations many times. */
const MAX_HIT_PAGES = 5;

type Hit = NonNullable<ConversationSearchResult['hit']> & { conversationId: string };

/**
 * Full-text search over message texts and visitor names (SPEC M8), scoped to the caller's app.
 * The index (`message_search`) is written on PostgreSQL in the transaction of each message (by the message store),
 * on SQLite right after it commits, by `search-indexer.ts` (within about 0.1 s; docs/search.md);
 * never for a message that was not stored. NOTE: FTS5 and GIN are dialect-specific, so the SQL of this file
 * is too; everything else (tokens, filters, grouping) is shared. Measured by bench/search.
 */
export function createMessageSearch({ storage, visitorIdsNamed }: { storage: Storage; visitorIdsNamed: (appId: string, text: string, limit: number) => Promise<string[]> }) {
  const { db } = storage;
  const isPostgres = storage.dialect === 'postgres';

  /** The conversation filters of the workbench's lists, on `c` (conversations): for the hits' SQL and the lists' queries alike. */
  function filterSql(principal: Principal, filter: ConversationFilter | undefined): RawBuilder<SqlBool> {
    switch (filter) {
      case 'mine':
        return principal.kind === 'agent' ? sql`c.status = 'open' and c.agent_id = ${principal.agentId}` : sql`1 = 0`;
      case 'unassigned':
        return sql`c.status = 'open' and c.agent_id is null`;
      case 'queue':
        return sql`c.status = 'open' and c.routing_state in ('queued', 'offered')`;
      case 'all':
        return sql`c.status = 'open'`;
      case 'closed':
        return sql`c.status = 'closed'`;
      default:
        return sql`1 = 1`;
    }
  }

  /**
   * The newest messages holding every token, in conversations of the app that pass the filter,
   * from `before` (a message's rowid on SQLite, its time on PostgreSQL) down; `next` continues.
   * NOTE: PostgreSQL pages by time, and messages of one millisecond may straddle a page: the next
   * page starts at that time again (`<=`), and the caller skips messages seen.
   */
  async function messageHits(principal: Principal, tokens: string[], filter: ConversationFilter | undefined, limit: number, before: number | null): Promise<{ hits: Hit[]; next: number | null }> {
    const where = filterSql(principal, filter);
    if (isPostgres) {
      // NOTE: the newest matches first, from the index table alone, then their messages: joined before
      // the sort, PostgreSQL fetched every match's message and conversation (1.2 s for 5,579 matches
      // of 订单注册 on 1M messages, 0.24 s this way).
      const matches = await sql<{ message_id: string; created_at: number | string }>`
        select message_id, created_at from message_search
        where app_id = ${principal.appId} and tokens @> ${tokens}::text[] ${before === null ? sql`` : sql`and created_at <= ${before}`}
        order by created_at desc
        limit ${limit}`.execute(db);
      if (matches.rows.length === 0) return { hits: [], next: null };
      const rows = await sql<HitRow>`
        select m.id, m.conversation_id, m.seq, m.sender_type, m.text, m.created_at
        from messages m
        join conversations c on c.id = m.conversation_id
        where m.id in (${sql.join(matches.rows.map((r) => r.message_id))}) and m.app_id = ${principal.appId} and c.app_id = ${principal.appId} and ${where}
        order by m.created_at desc`.execute(db);
      return { hits: rows.rows.map(toHit), next: matches.rows.length < limit ? null : Number(matches.rows.at(-1)!.created_at) };
    }
    const rows = await sql<HitRow & { cursor: number | string }>`
          select m.id, m.conversation_id, m.seq, m.sender_type, m.text, m.created_at, message_search.rowid as cursor
          from message_search
          join messages m on m.rowid = message_search.rowid
          join conversations c on c.id = m.conversation_id
          where message_search match ${tokens.map((t) => `"${t}"`).join(' ')} and m.app_id = ${principal.appId} and c.app_id = ${principal.appId} and ${where}
            ${before === null ? sql`` : sql`and message_search.rowid < ${before}`}
          order by message_search.rowid desc
          limit ${limit}`.execute(db);
    return { hits: rows.rows.map(toHit), next: rows.rows.length < limit ? null : Number(rows.rows.at(-1)!.cursor) };
  }

  /** The newest matching message of up to `limit` conversations, reading pages of hits (a conversation often matches many times). */
  async function hitsByConversation(principal: Principal, tokens: string[], filter: ConversationFilter | undefined, limit: number, skip: ReadonlySet<string>): Promise<Map<string, Hit>> {
    const found = new Map<string, Hit>();
    const seen = new Set<string>();
    let fresh = 0;
    let before: number | null = null;
    for (let page = 0; page < MAX_HIT_PAGES && fresh < limit; page++) {
      const { hits, next } = await messageHits(principal, tokens, filter, Math.max(limit, 1) * HITS_PER_RESULT, before);
      for (const hit of hits) {
        if (seen.has(hit.messageId) || found.has(hit.conversationId)) continue;
        seen.add(hit.messageId);
        if (skip.has(hit.conversationId)) found.set(hit.conversationId, hit);
        else if (fresh < limit) {
          found.set(hit.conversationId, hit);
          fresh++;
        }
      }
      if (next === null) break;
      before = next;
    }
    return found;
  }

  /** Conversations of the app that pass the filter, newest activity first, optionally only these visitors' or with a form name like `name`. */
  async function conversations(principal: Principal, filter: ConversationFilter | undefined, limit: number, byName?: { visitorIds: string[]; pattern: string }): Promise<ConversationRow[]> {
    // By the minute (the index), then the exact time (a sort of the last minutes' rows only).
    const filtered = () =>
      db.selectFrom('conversations as c').selectAll('c').where('c.app_id', '=', principal.appId).where(filterSql(principal, filter)).orderBy('c.updated_minute', 'desc').orderBy('c.updated_at', 'desc');
    if (!byName) return filtered().limit(limit).execute();
    // NOTE: two narrow queries rather than one with OR, which would read every conversation of the
    // app: the named visitors' (index conversations_visitor), and those with a name typed in a form
    // (the partial index conversations_visitor_named holds only those).
    const [ofVisitors, ofForms] = await Promise.all([
      byName.visitorIds.length > 0 ? filtered().where('c.visitor_id', 'in', byName.visitorIds).limit(limit).execute() : [],
      filtered().where('c.visitor_name', 'is not', null).where((eb) => eb(eb.fn('lower', ['c.visitor_name']), 'like', byName.pattern)).limit(limit).execute(),
    ]);
    const byId = new Map([...ofVisitors, ...ofForms].map((row) => [row.id, row]));
    return [...byId.values()].sort((a, b) => b.updated_at - a.updated_at || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }


  return {
    /**
     * The workbench's lists and search: without `q`, the filter's conversations by newest activity;
     * with it, those whose visitor's name holds `q`, then those with messages holding every token of
     * `q`, newest match first, each once with its newest matching message.
     */
    async search(principal: Principal, query: { q?: string | undefined; filter?: ConversationFilter | undefined; limit: number }): Promise<ConversationSearchResult[]> {
      const q = query.q?.trim() ?? '';
      if (!q) return (await conversations(principal, query.filter, query.limit)).map((row) => ({ conversation: toConversation(row), hit: null, nameMatched: false }));
      const pattern = containsPattern(q);
      const tokens = queryTokens(q);
      // NOTE: names and messages are looked up at once (PostgreSQL runs both on its pool); name
      // matches come first, so the message hits read are enough for any number of them.
      const [named, firstHit] = await Promise.all([
        visitorIdsNamed(principal.appId, q, 200).then((visitorIds) => conversations(principal, query.filter, query.limit, { visitorIds, pattern })),
        tokens.length === 0 ? new Map<string, Hit>() : hitsByConversation(principal, tokens, query.filter, query.limit, new Set()),
      ]);
      const results = new Map<string, ConversationSearchResult>(named.map((row) => [row.id, { conversation: toConversation(row), hit: null, nameMatched: true }]));
      for (const result of results.values()) {
        const hit = firstHit.get(result.conversation.id);
        if (hit) result.hit = withoutConversation(hit);
      }
      const missing = [...firstHit.keys()].filter((id) => !results.has(id)).slice(0, query.limit - results.size);
      if (missing.length > 0) {
        // NOTE: by primary key only (with app_id too, SQLite's planner walked the app's index: 40 ms on
        // 50,000 conversations); the app is checked on the rows.
        const rows = await db.selectFrom('conversations').selectAll().where('id', 'in', missing).execute();
        const byId = new Map(rows.filter((row) => row.app_id === principal.appId).map((row) => [row.id, row]));
        for (const id of missing) {
          const row = byId.get(id);
          if (row) results.set(id, { conversation: toConversation(row), hit: withoutConversation(firstHit.get(id)!), nameMatched: false });
        }
      }
      return [...results.values()];
    },
  };
}

export type MessageSearch = ReturnType<typeof createMessageSearch>;

interface HitRow {
  id: string;
  conversation_id: string;
  seq: number | string;
  sender_type: string;
  text: string;
  created_at: number | string;
}

function toHit(r: HitRow): Hit {
  return { messageId: r.id, conversationId: r.conversation_id, seq: Number(r.seq), senderType: r.sender_type as Hit['senderType'], text: r.text, createdAt: Number(r.created_at) };
}

function withoutConversation({ conversationId: _, ...hit }: Hit): NonNullable<ConversationSearchResult['hit']> {
  return hit;
}

/** One message's entry in the index. */
export interface IndexEntry {
  id: string;
  appId: string;
  createdAt: number;
  tokens: string[];
}

/** Rows per insert on SQLite (it binds at most 32,766 parameters). */
const ENTRIES_PER_INSERT = 500;

/** One message's entry (a batch of one): compiled once (compiled-query.ts). */
const insertOneEntryPostgres = compiledOnce<IndexEntry>((_db, e) => sql`insert into message_search (message_id, app_id, created_at, tokens) values (${e.id}, ${e.appId}, ${e.createdAt}, ${e.tokens}::text[])`);
/**
 * PostgreSQL, several entries: one fixed text (the entries as arrays, `unnest`), prepared once per
 * connection (pg-prepared.ts). Each entry's tokens travel space-separated: a token is letters,
 * marks and digits only (search-tokens.ts).
 */
const insertManyEntriesPostgres = compiledOnce<{ ids: string[]; appIds: string[]; createdAts: number[]; tokens: string[] }>(
  (_db, e) => sql`insert into message_search (message_id, app_id, created_at, tokens)
    select id, app_id, created_at, string_to_array(tokens, ' ')
    from unnest(${e.ids}::text[], ${e.appIds}::text[], ${e.createdAts}::bigint[], ${e.tokens}::text[]) as entry(id, app_id, created_at, tokens)`,
);
const insertOneEntrySqlite = compiledOnce<{ id: string; tokens: string }>(
  (_db, e) => sql`insert into message_search (rowid, tokens) select m.rowid, ${e.tokens} from messages m where m.id = ${e.id}`,
);

/** Writes messages' tokens to the index (their transaction, or a bench's bulk load): on SQLite a few hundred per statement. */
export async function insertTokens(db: DbOrTx, isPostgres: boolean, entries: readonly IndexEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (entries.length === 1) {
    const entry = entries[0]!;
    await (isPostgres ? insertOneEntryPostgres(db, entry) : insertOneEntrySqlite(db, { id: entry.id, tokens: entry.tokens.join(' ') }));
    return;
  }
  if (isPostgres) {
    await insertManyEntriesPostgres(db, { ids: entries.map((e) => e.id), appIds: entries.map((e) => e.appId), createdAts: entries.map((e) => e.createdAt), tokens: entries.map((e) => e.tokens.join(' ')) });
    return;
  }
  for (let i = 0; i < entries.length; i += ENTRIES_PER_INSERT) {
    const part = entries.slice(i, i + ENTRIES_PER_INSERT);
    // NOTE: keyed by the message's rowid, which its insert did not return: found by id in the same statement.
    await sql`with entry(id, tokens) as (values ${sql.join(part.map((e) => sql`(${e.id}, ${e.tokens.join(' ')})`))})
      insert into message_search (rowid, tokens) select m.rowid, entry.tokens from entry join messages m on m.id = entry.id`.execute(db);
  }
}
