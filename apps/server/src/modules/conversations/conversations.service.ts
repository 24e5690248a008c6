import type { CloseBy, Conversation, Message, MessageLocation } from '@frontdesk/protocol';
import { sql } from 'kysely';
import type { Events, TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Decided } from '../routing/index.ts';
import { assertReadable, canRead, senderIdOf, senderOf } from './access.ts';
import { createAttachments } from './attachments.ts';
import { ConversationError } from './conversations.errors.ts';
import { minuteOf, selectMessagesAfter, toConversation, type ConversationRow } from './conversations.repository.ts';
import { createLifecycle, type ChannelChoice } from './lifecycle.ts';
import { createMessageSearch } from './message-search.ts';
import { createSearchIndexer, INDEX_BATCH, indexBacklog, mergeSegments } from './search-indexer.ts';
import { createGroupCommit } from './group-commit.ts';
import { createMessageStore, type NewMessage, type SendResult } from './message-store.ts';
import { applyRoutingDecisions } from './routing-decisions.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';

export type { ChannelChoice, LeftMessage } from './lifecycle.ts';
export type { SendResult } from './message-store.ts';

/** The system notice of a supervisor joining a conversation (barge-in); its sender is the supervisor. */
export const SUPERVISOR_JOINED = 'supervisor.joined';

/** The system notices of a co-browse starting and ending; the sender is who started or ended it (null: the system). */
export const COBROWSE_STARTED = 'cobrowse.started';
export const COBROWSE_ENDED = 'cobrowse.ended';

/** What conversations need to know of an agent (from the identity module): its display name. */
export interface AgentProfile {
  name: string;
  /** Its avatar's path, null when it has none. */
  avatarUrl: string | null;
}

// What a socket follows (its hello): a visitor's conversations, an agent's assigned open ones: the
// few rows of the visitor's or the agent's own index, sorted. NOTE: while an index of the app held
// `updated_at` (before migration 0034), SQLite walked it for the ORDER BY … LIMIT unless told not to
// (`updated_at + 0`), reading every conversation of the app (4 ms a hello at 20,000 conversations).
const selectVisitorConversations = compiledOnce<{ appId: string; visitorId: string }, ConversationRow>((db, a) =>
  db.selectFrom('conversations').selectAll().where('app_id', '=', a.appId).where('visitor_id', '=', a.visitorId).orderBy('updated_at', 'desc').limit(200),
);
const selectAgentOpenConversations = compiledOnce<{ appId: string; agentId: string }, ConversationRow>((db, a) =>
  db.selectFrom('conversations').selectAll().where('app_id', '=', a.appId).where('agent_id', '=', a.agentId).where('status', '=', 'open').orderBy('updated_at', 'desc').limit(200),
);

/**
 * The conversations module's face: reads scoped to the caller, sends, read state and typing, files,
 * and the lifecycle steps the conversation flow drives (open, leave the bot, close what routing
 * does not hold). Routing's decisions reach the rows through `applyRoutingDecisions`, an
 * in-transaction listener of `routing.decided`.
 */
export function createConversationsService(deps: {
  log: Logger;
  storage: Storage;
  clock: Clock;
  events: Events;
  filesDir: string;
  uploadMaxBytes: number;
  agentOf: (appId: string, agentId: string) => Promise<AgentProfile>;
  channelOf: (appId: string, channelId: string | undefined, visitorId: string) => Promise<ChannelChoice | null>;
  /** Whether the channel shows agents the visitor's draft (channels module). */
  isTypingPreviewOn: (appId: string, channelId: string | null) => Promise<boolean>;
  /** Ids of the app's visitors whose name holds `text` (identity module), for search. */
  visitorIdsNamed?: (appId: string, text: string, limit: number) => Promise<string[]>;
  /** How long after a message is stored its words are indexed (default 100 ms; null: only on `flushSearchIndex`, for the bench). */
  searchIndexDelayMs?: number | null;
  /**
   * A transaction storing at least this many messages indexes them itself; smaller ones leave them
   * to the indexer's pass right after the commit. Default: PostgreSQL 1 (every one: measured no
   * cheaper after the commit, see docs/search.md), SQLite none (Infinity). The bench compares.
   */
  searchIndexInTransactionFrom?: number;
}) {
  const { storage, clock, events, agentOf } = deps;
  const { db } = storage;
  const inTransactionFrom = deps.searchIndexInTransactionFrom ?? (storage.dialect === 'postgres' ? 1 : Infinity);
  const store = createMessageStore({ storage, clock, searchIndexInTransactionFrom: inTransactionFrom });
  const lifecycle = createLifecycle({ storage, clock, events, store, channelOf: deps.channelOf });
  const readable = async (principal: Principal, conversationId: string) => assertReadable(principal, await lifecycle.findRow(principal.appId, conversationId), conversationId);
  const search = createMessageSearch({ storage, visitorIdsNamed: deps.visitorIdsNamed ?? (async () => []) });
  const indexer = createSearchIndexer({ storage, log: deps.log, ...(deps.searchIndexDelayMs !== undefined ? { delayMs: deps.searchIndexDelayMs } : {}) });
  const attachments = createAttachments({ ...deps, store, readable, findRow: (appId, id) => lifecycle.findRow(appId, id) });
  // NOTE: SQLite has one writer, so one batch at a time, at most every 2 ms (measured at 6,000 msgs/s:
  // about 11 sends a transaction instead of 3, a tenth less server CPU). PostgreSQL: two batches
  // overlap their round trips; more make smaller batches, each paying its statements and commit
  // (measured with 5,000 sockets: 4 in flight sustained 3,000 msgs/s, 3 4,000/s, 2 and 1 5,000/s,
  // at p99 51–59 and 67 ms; bench/README.md).
  const sends = createGroupCommit({ storage, events, store, options: { maxBatch: 256, maxInFlight: storage.dialect === 'sqlite' ? 1 : 2, windowMs: 1, minIntervalMs: storage.dialect === 'sqlite' ? 2 : 0, maxQueueWaitMs: 250, maxQueued: 10_000 },
    onBatchError: (err, size) => deps.log.warn({ err, size }, 'a batch of sends failed as a whole; storing them one by one'),
  });

  async function sendChecked(principal: Principal, conversationId: string, input: { clientId: string; text: string; kind: 'text' | 'location'; location?: MessageLocation }): Promise<SendResult> {
    // Access is checked on the row the transaction locks: one read per send, not two. Sends of
    // every socket go through one group commit: a batch per transaction.
    const senderId = senderIdOf(principal);
    const result = await sends.append({
      appId: principal.appId,
      conversationId,
      ...(senderId ? { expected: { senderId, clientId: input.clientId } } : {}),
      build: (row) => {
        const sender = senderOf(principal, assertReadable(principal, row, conversationId));
        return { clientId: input.clientId, senderType: sender.type, senderId: sender.id, kind: input.kind, text: input.text, ...(input.location ? { location: input.location } : {}) };
      },
    });
    return { message: result.message, created: result.created };
  }

  return {
    ...attachments,
    canRead,
    readable: async (principal: Principal, conversationId: string): Promise<Conversation> => toConversation(await readable(principal, conversationId)),
    getConversation: async (principal: Principal, conversationId: string): Promise<Conversation> => toConversation(await readable(principal, conversationId)),
    findConversation: async (appId: string, conversationId: string) => {
      const row = await lifecycle.findRow(appId, conversationId);
      return row && toConversation(row);
    },

    /**
     * The display name of an agent of the conversation (assigned now, or who wrote in it), for the
     * visitor's window. Other agents of the app are not found this way.
     */
    async conversationAgent(principal: Principal, conversationId: string, agentId: string): Promise<{ id: string; name: string; avatarUrl?: string }> {
      const row = await readable(principal, conversationId);
      // NOTE: a supervisor who barged in wrote too (its join notice is a system message it sent).
      const wrote = async () =>
        (await db.selectFrom('messages').select('id').where('conversation_id', '=', row.id).where('sender_type', 'in', ['agent', 'system']).where('sender_id', '=', agentId).limit(1).executeTakeFirst()) !== undefined;
      if (row.agent_id !== agentId && !(await wrote())) throw new ConversationError('FD_AGENT_NOT_FOUND', `agent ${agentId} is not in this conversation`);
      const agent = await agentOf(row.app_id, agentId);
      return { id: agentId, name: agent.name, ...(agent.avatarUrl ? { avatarUrl: agent.avatarUrl } : {}) };
    },

    async listConversations(principal: Principal, query: { status?: 'open' | 'closed' | undefined; mine?: boolean | undefined; limit: number }): Promise<Conversation[]> {
      let q = db.selectFrom('conversations').selectAll().where('app_id', '=', principal.appId);
      if (principal.kind === 'visitor') q = q.where('visitor_id', '=', principal.visitorId);
      if (principal.kind === 'agent' && query.mine) q = q.where('agent_id', '=', principal.agentId);
      if (query.status) q = q.where('status', '=', query.status);
      // By the minute (the index), then the exact time (a sort of the last minutes' rows only).
      const rows = await q.orderBy('updated_minute', 'desc').orderBy('updated_at', 'desc').limit(query.limit).execute();
      return rows.map(toConversation);
    },

    async listMessages(principal: Principal, conversationId: string, afterSeq: number, limit: number) {
      const row = await readable(principal, conversationId);
      return { messages: await selectMessagesAfter(db, principal.appId, conversationId, afterSeq, limit), lastSeq: row.last_seq };
    },

    /**
     * The visitors' conversations, newest first, each with the text of its last message that someone wrote (a contact's
     * timeline; the caller checked that the visitors are the app's and the caller is staff).
     */
    async conversationsOfVisitors(appId: string, visitorIds: readonly string[], limit: number): Promise<(Conversation & { preview: string | null })[]> {
      if (visitorIds.length === 0) return [];
      // The last message someone wrote (not a system notice such as the end): read backwards from the
      // conversation's last message. NOTE: read as the max seq of the non-system messages, every
      // message of each conversation was read (five conversations of 2,000 messages: 2.3 ms, now 0.3).
      const rows = await db
        .selectFrom('conversations')
        .selectAll()
        .select((eb) =>
          eb
            .selectFrom('messages as m')
            .select('m.text')
            .whereRef('m.app_id', '=', 'conversations.app_id')
            .whereRef('m.conversation_id', '=', 'conversations.id')
            .where('m.sender_type', '<>', 'system')
            .orderBy('m.seq', 'desc')
            .limit(1)
            .as('preview'),
        )
        .where('app_id', '=', appId)
        .where('visitor_id', 'in', [...visitorIds])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(({ preview, ...row }) => ({ ...toConversation(row), preview: preview ?? null }));
    },

    /** For the gateway, which has checked access already: messages after a seq, in order. */
    messagesAfter: (appId: string, conversationId: string, afterSeq: number, limit: number) => selectMessagesAfter(db, appId, conversationId, afterSeq, limit),

    /** Conversations a socket follows: a visitor's own, an agent's assigned open ones. */
    async conversationsOf(principal: Principal): Promise<Conversation[]> {
      if (principal.kind === 'apiKey') return [];
      const { rows } = principal.kind === 'visitor' ? await selectVisitorConversations(db, principal) : await selectAgentOpenConversations(db, principal);
      return rows.map(toConversation);
    },

    /**
     * Open conversations whose visitor has been silent since before `beforeMs` (idle end), a page
     * at a time, the longest silent first: pass the last one of a page to get the next. NOTE: the
     * literals (not parameters) are those of the partial index `conversations_idle` (migration 0034),
     * which SQLite uses only when the query states them alike; it holds the minute of the last
     * activity, so the exact time orders the rows within a minute.
     */
    async idleConversations(beforeMs: number, after: { lastActivityAt: number; id: string } | undefined, limit: number) {
      const lastActivity = sql<number>`coalesce(last_visitor_message_at, created_at)`;
      let query = db
        .selectFrom('conversations')
        .select(['app_id', 'id', 'channel_id', 'routing_state'])
        .select(lastActivity.as('last_activity_at'))
        .where(sql<boolean>`status = 'open' and message_left_at is null`)
        // NOTE: a visitor who left a message is not waiting at the screen: it waits for an agent however long.
        .where('last_activity_minute', '<=', minuteOf(beforeMs))
        .where(lastActivity, '<', beforeMs);
      if (after) query = query.where('last_activity_minute', '>=', minuteOf(after.lastActivityAt)).where(sql<boolean>`(${lastActivity}, id) > (${after.lastActivityAt}, ${after.id})`);
      const rows = await query.orderBy('last_activity_minute').orderBy(lastActivity).orderBy('id').limit(limit).execute();
      return rows.map((r) => ({ appId: r.app_id, id: r.id, channelId: r.channel_id, isWithBot: r.routing_state === 'bot', lastActivityAt: Number(r.last_activity_at) }));
    },

    /**
     * One app's closed conversations, a page at a time in id order (pass the last id of a page to
     * get the next): what a rebuild of the reports' read model walks.
     */
    async closedConversations(appId: string, afterId: string, limit: number): Promise<{ id: string; closedAt: number }[]> {
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'closed_at'])
        .where('app_id', '=', appId)
        .where('status', '=', 'closed')
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, closedAt: r.closed_at ?? 0 }));
    },

    open: lifecycle.open,
    leaveMessage: lifecycle.leaveMessage,

    /** Whether a send now would be refused as busy, and for how long (ms); undefined = it would be queued. */
    sendRefusal: () => sends.refusal(),

    /** How the sends were grouped into transactions (group commit), for tests and benchmarks. */
    sendStats: () => sends.stats(),

    sendText: (principal: Principal, conversationId: string, input: { clientId: string; text: string }) => sendChecked(principal, conversationId, { ...input, kind: 'text' }),

    /**
     * A place shared by a participant (SPEC M9), idempotent by clientId like a text. Its text is
     * the name, else the address, else the coordinates, for surfaces that show only text.
     */
    sendLocation(principal: Principal, conversationId: string, input: { clientId: string; latitude: number; longitude: number; name?: string | undefined; address?: string | undefined }): Promise<SendResult> {
      const location: MessageLocation = { latitude: input.latitude, longitude: input.longitude, name: input.name ?? null, address: input.address ?? null };
      const text = location.name ?? location.address ?? `${location.latitude}, ${location.longitude}`;
      return sendChecked(principal, conversationId, { clientId: input.clientId, text, kind: 'location', location });
    },

    /**
     * What a messaging channel received from the conversation's visitor (a provider's user): stored
     * like the visitor's own send, idempotent by the provider's message id as client id. `onStored`
     * runs in the transaction that stores a new message (the channel's own record, whose unique
     * key refuses a second copy under any concurrency). NOTE: a copy is refused by the unique keys
     * (a unique violation, rolled back), not found by a read first: copies are rare (a provider's
     * redelivery), and the read was one statement more for every message.
     */
    async appendFromChannel(
      appId: string,
      conversationId: string,
      visitorId: string,
      input: { clientId: string; kind: 'text' | 'location'; text: string; location?: MessageLocation },
      onStored: (ctx: TxContext, message: Message) => Promise<void>,
    ): Promise<SendResult> {
      return events.transaction(async (ctx) => {
        const appended = await store.append(ctx, appId, conversationId, (row) => {
          if (row.visitor_id !== visitorId) throw new ConversationError('FD_CONVERSATION_NOT_PARTICIPANT', 'the conversation belongs to another visitor');
          return { clientId: input.clientId, senderType: 'visitor', senderId: visitorId, kind: input.kind, text: input.text, ...(input.location ? { location: input.location } : {}) };
        }, { copyFailsOnUniqueKey: true });
        if (appended.created) await onStored(ctx, appended.message);
        return { message: appended.message, created: appended.created };
      });
    },

    /** A text from the bot, or a notice from the system (off hours, idle end), for people to read. */
    async sendAs(appId: string, conversationId: string, senderType: 'bot' | 'system', text: string): Promise<Message> {
      const result = await events.transaction((ctx) => store.append(ctx, appId, conversationId, { clientId: null, senderType, senderId: null, kind: 'text', text }));
      return result.message;
    },

    /**
     * A supervisor barging in (the supervision module checked who may, in `ctx`): its join notice
     * (`supervisor.joined`, a system message that names it) or its text, written to the visitor as
     * itself. Idempotent by clientId like any send.
     */
    appendBySupervisor(ctx: TxContext, appId: string, conversationId: string, input: { supervisorId: string; clientId: string | null; text: string } | { supervisorId: string; joined: true }) {
      const message: NewMessage =
        'joined' in input
          ? { clientId: null, senderType: 'system', senderId: input.supervisorId, kind: 'system', text: SUPERVISOR_JOINED }
          : { clientId: input.clientId, senderType: 'agent', senderId: input.supervisorId, kind: 'text', text: input.text };
      return store.append(ctx, appId, conversationId, message);
    },

    /**
     * A co-browse started or ended (the co-browse module checked who may, in `ctx`): a system
     * notice in the conversation's history, naming who did it, so both sides see it and it stays.
     */
    appendCobrowseNotice(ctx: TxContext, appId: string, conversationId: string, input: { notice: typeof COBROWSE_STARTED | typeof COBROWSE_ENDED; senderId: string | null }) {
      return store.append(ctx, appId, conversationId, { clientId: null, senderType: 'system', senderId: input.senderId, kind: 'system', text: input.notice });
    },

    /** Read state only moves forward; the other side is told. */
    async markRead(principal: Principal, conversationId: string, seq: number): Promise<Conversation> {
      const row = await readable(principal, conversationId);
      const sender = senderOf(principal, row);
      const column = sender.type === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
      const target = Math.min(seq, row.last_seq);
      const { numUpdatedRows } = await db.updateTable('conversations').set({ [column]: target }).where('app_id', '=', principal.appId).where('id', '=', conversationId).where(column, '<', target).executeTakeFirst();
      if (numUpdatedRows === 0n) return toConversation(row);
      const conversation = toConversation({ ...row, [column]: target });
      await events.published('conversation.read', { conversation, senderType: sender.type, senderId: sender.id, seq: target });
      return conversation;
    },

    /** `draft` is kept only from a visitor who is typing in a channel with typing preview; else dropped. */
    async setTyping(principal: Principal, conversationId: string, isTyping: boolean, draft?: string): Promise<void> {
      const row = await readable(principal, conversationId);
      const sender = senderOf(principal, row);
      const shows = draft !== undefined && isTyping && sender.type === 'visitor' && (await deps.isTypingPreviewOn(row.app_id, row.channel_id));
      await events.published('conversation.typing', { conversation: toConversation(row), senderType: sender.type, senderId: sender.id, isTyping, ...(shows ? { draft } : {}) });
    },

    /**
     * Who closes, for a close asked by `principal`: the visitor (client), the assigned agent (seat),
     * or a supervisor (admin); anyone else is refused.
     */
    async closeRequest(principal: Principal, conversationId: string): Promise<{ conversation: Conversation; closeBy: CloseBy }> {
      const row: ConversationRow = await readable(principal, conversationId);
      const isAssignedAgent = principal.kind === 'agent' && row.agent_id === principal.agentId;
      if (principal.kind !== 'visitor' && !isAssignedAgent && !hasRole(principal, 'supervisor')) {
        throw new ConversationError('FD_CONVERSATION_NOT_PARTICIPANT', 'only a participant or a supervisor may close this conversation');
      }
      return { conversation: toConversation(row), closeBy: principal.kind === 'visitor' ? 'client' : isAssignedAgent ? 'seat' : 'admin' };
    },

    /** Closes a conversation routing does not hold (with the bot, or unknown to routing). */
    close: lifecycle.close,
    leaveBot: lifecycle.leaveBot,

    /** The workbench's lists (mine, unassigned, queue, all, closed) and full-text search; staff only, in the caller's app. */
    search: search.search,
    /**
     * In-transaction batch listener of `message.created`, SQLite: from `searchIndexInTransactionFrom`
     * messages, they (and a pass's worth before them) are indexed in their transaction. PostgreSQL's
     * index is written by the message store, in the statement that stores them.
     */
    indexMessages: async (ctx: TxContext, created: readonly unknown[]): Promise<void> => {
      // SQLite: up to the batch and a pass's worth before it (a longer backlog is the next pass's).
      if (storage.dialect === 'sqlite' && created.length >= inTransactionFrom) await mergeSegments(ctx.tx, await indexBacklog(ctx.tx, false, created.length + INDEX_BATCH));
    },
    /** After-commit listener of `message.created`: the search index, right after the messages' transaction. */
    indexSoon: (): void => {
      if (inTransactionFrom > 1) indexer.poke();
    },
    /** Indexes every message stored so far (tests, the bench). */
    flushSearchIndex: (): Promise<void> => indexer.flush(),
    /** At boot: indexes what a crash or a stop left unindexed. */
    startSearchIndex: (): void => indexer.start(),
    closeSearchIndex: (): Promise<void> => indexer.close(),

    /** In-transaction listener of `routing.decided`. */
    applyRoutingDecisions: (ctx: TxContext, decided: Decided) => applyRoutingDecisions(ctx, decided, { lifecycle, store }),
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
