import fs from 'node:fs/promises';
import path from 'node:path';
import type { CloseBy, Conversation, Message, MessageKind, MessageLocation, SenderType } from '@frontdesk/protocol';
import type { Bus } from '../../platform/bus.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import type { Outbox } from '../webhooks/index.ts';
import { ConversationError } from './conversations.errors.ts';
import { createConversationRoutingPort, type Published } from './conversations.routing.ts';
import { locationColumns, selectMessagesAfter, toConversation, toFileRef, toMessage, type ConversationRow } from './conversations.repository.ts';
import { checkFileType, INLINE_TYPES } from './file-policy.ts';

interface NewMessage {
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

type Sender = { type: SenderType; id: string };


/**
 * What happens around a conversation beyond storing it (the web channel: bot, routing,
 * reminders, idle end), supplied by the composition root so this module stays below routing.
 */
export interface ConversationHooks {
  /** A conversation was created; its routing state says whether the bot answers first. */
  opened(conversation: Conversation): Promise<void>;
  /** After a visitor's message is stored. */
  visitorMessage(conversation: Conversation, message: Message): Promise<void>;
  /** The visitor asks for a human (the hand-off button): the bot hands off, as on a hand-off word. */
  handOff(conversation: Conversation): Promise<void>;
  /** An agent takes a routed conversation: routing decides (a held offer, or a pool). */
  claimRouted(principal: Principal, conversation: Conversation): Promise<void>;
  /** A routed conversation ends: routing closes it in its own transaction. */
  closeRouted(conversation: Conversation, closeBy: CloseBy): Promise<void>;
}

/** The channel a new conversation belongs to (from the channels module). */
export interface ChannelChoice {
  id: string;
  botEnabled: boolean;
}

/** Routing states in which the routing core owns the conversation's assignment and end. */
const ROUTED = new Set(['queued', 'offered', 'assigned']);

/** What conversations need to know of an agent (from the identity module): its capacity and display name. */
export interface AgentProfile {
  name: string;
  maxConcurrentChats: number;
  mediaTypes: readonly string[];
}

export function createConversationsService(deps: {
  storage: Storage;
  bus: Bus;
  clock: Clock;
  filesDir: string;
  uploadMaxBytes: number;
  agentOf: (appId: string, agentId: string) => Promise<AgentProfile>;
  /** The channel a visitor opens a conversation in; refuses one the visitor may not use (identity mode). */
  channelOf: (appId: string, channelId: string | undefined, visitorId: string) => Promise<ChannelChoice | null>;
  hooks: () => ConversationHooks;
  /** Events for the business backend, written in the transaction of the change (webhooks' outbox). */
  outbox: Outbox;
}) {
  const { storage, bus, clock, filesDir, uploadMaxBytes, agentOf, channelOf, hooks, outbox } = deps;
  const { db } = storage;

  async function findRow(appId: string, conversationId: string, tx: Tx | typeof db = db): Promise<ConversationRow | undefined> {
    return tx.selectFrom('conversations').selectAll().where('app_id', '=', appId).where('id', '=', conversationId).executeTakeFirst();
  }

  /** Who may see a conversation. Anyone else gets "not found": other apps' ids are never confirmed. */
  function canRead(principal: Principal, row: ConversationRow): boolean {
    if (row.app_id !== principal.appId) return false;
    if (principal.kind === 'visitor') return row.visitor_id === principal.visitorId;
    return true;
  }

  function senderOf(principal: Principal, row: ConversationRow): Sender {
    if (principal.kind === 'visitor' && row.visitor_id === principal.visitorId) return { type: 'visitor', id: principal.visitorId };
    if (principal.kind === 'agent' && row.agent_id === principal.agentId) return { type: 'agent', id: principal.agentId };
    throw new ConversationError('FD_CONVERSATION_NOT_PARTICIPANT', 'only the visitor and the assigned agent may write here');
  }

  async function readable(principal: Principal, conversationId: string): Promise<ConversationRow> {
    const row = await findRow(principal.appId, conversationId);
    if (!row || !canRead(principal, row)) throw new ConversationError('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
    return row;
  }

  /**
   * Appends a message inside `tx`: locks the conversation row, returns the stored message
   * if this sender already used the client id, else takes seq = last_seq + 1. The seq is
   * committed with the message, so seqs have no gaps and an ack means it is stored.
   */
  async function appendMessage(
    tx: Tx,
    appId: string,
    conversationId: string,
    build: NewMessage | ((row: ConversationRow) => NewMessage),
  ): Promise<SendResult & { conversation: Conversation }> {
    const row = await storage.forUpdate(tx.selectFrom('conversations').selectAll().where('app_id', '=', appId).where('id', '=', conversationId)).executeTakeFirst();
    if (!row) throw new ConversationError('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
    const input = typeof build === 'function' ? build(row) : build;
    if (input.clientId !== null) {
      const existing = await selectByClientId(tx, appId, conversationId, input.senderId, input.clientId);
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
    const file = input.fileId
      ? toFileRef(await tx.selectFrom('files').selectAll().where('id', '=', input.fileId).executeTakeFirstOrThrow())
      : null;
    const message = toMessage(messageRow, file);
    await outbox.enqueue(tx, [
      { appId, type: 'message.created', orderingKey: conversationId, data: { message } },
      ...(file ? [{ appId, type: 'file.uploaded' as const, orderingKey: conversationId, data: { conversationId, file } }] : []),
    ]);
    const updated = { ...row, last_seq: seq, updated_at: now, last_visitor_message_at: fromVisitor ? now : row.last_visitor_message_at };
    return { message, created: true, conversation: toConversation(updated) };
  }

  /** The message this sender already stored under `clientId`, if any. */
  async function selectByClientId(tx: Tx | typeof db, appId: string, conversationId: string, senderId: string | null, clientId: string): Promise<Message | undefined> {
    const row = await tx
      .selectFrom('messages')
      .select('seq')
      .where('app_id', '=', appId)
      .where('conversation_id', '=', conversationId)
      .where('client_id', '=', clientId)
      .where('sender_id', senderId === null ? 'is' : '=', senderId)
      .executeTakeFirst();
    return row && (await selectMessagesAfter(tx, appId, conversationId, row.seq - 1, 1))[0];
  }

  async function sendTextOnly(principal: Principal, conversationId: string, input: { clientId: string; text: string; kind?: 'text' | 'location'; location?: MessageLocation }) {
    // Access is checked on the row the transaction locks: one read per send, not two.
    const result = await db.transaction().execute((tx) =>
      appendMessage(tx, principal.appId, conversationId, (row) => {
        if (!canRead(principal, row)) throw new ConversationError('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
        const sender = senderOf(principal, row);
        return { clientId: input.clientId, senderType: sender.type, senderId: sender.id, kind: input.kind ?? 'text', text: input.text, ...(input.location ? { location: input.location } : {}) };
      }),
    );
    if (result.created) bus.publish({ type: 'message.created', conversation: result.conversation, message: result.message });
    return result;
  }

  /** Closes a conversation: routed ones through routing (which frees the agent), others here. */
  async function closeAs(row: ConversationRow, closeBy: CloseBy): Promise<Conversation> {
    if (ROUTED.has(row.routing_state)) {
      await hooks().closeRouted(toConversation(row), closeBy);
      return toConversation((await findRow(row.app_id, row.id))!);
    }
    const result = await db.transaction().execute((tx) => closeInTx(tx, row.app_id, row.id, closeBy, row.routing_state === 'released' ? 'released' : 'ended'));
    publish(result.events);
    return result.conversation;
  }

  /** Appends the close notice and closes; a conversation already closed is left as it is. */
  async function closeInTx(tx: Tx, appId: string, conversationId: string, closeBy: CloseBy, routingState: 'ended' | 'released', notice?: string) {
    const events: Published[] = [];
    let appended = notice ? await appendMessage(tx, appId, conversationId, { clientId: null, senderType: 'system', senderId: null, kind: 'text', text: notice }) : undefined;
    if (appended) events.push({ type: 'message.created', conversation: appended.conversation, message: appended.message });
    appended = await appendMessage(tx, appId, conversationId, { clientId: null, senderType: 'system', senderId: null, kind: 'system', text: `conversation.closed:${closeBy}` });
    events.push({ type: 'message.created', conversation: appended.conversation, message: appended.message });
    const now = clock.now();
    await tx
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: now, updated_at: now, close_by: closeBy, routing_state: routingState })
      .where('app_id', '=', appId)
      .where('id', '=', conversationId)
      .execute();
    const conversation: Conversation = { ...appended.conversation, status: 'closed', closedAt: now, updatedAt: now, closeBy, routingState };
    await outbox.enqueue(tx, [{ appId, type: 'conversation.closed', orderingKey: conversationId, data: { conversation, closeBy } }]);
    events.push({ type: 'conversation.updated', conversation });
    return { conversation, events };
  }

  function publish(events: Published[]): void {
    for (const event of events) bus.publish(event);
  }

  return {
    getConversation: async (principal: Principal, conversationId: string): Promise<Conversation> => toConversation(await readable(principal, conversationId)),

    /**
     * The display name of an agent of the conversation (assigned now, or who wrote in it), for the
     * visitor's window. Other agents of the app are not found this way.
     */
    async conversationAgent(principal: Principal, conversationId: string, agentId: string): Promise<{ id: string; name: string }> {
      const row = await readable(principal, conversationId);
      const wrote = async () =>
        (await db.selectFrom('messages').select('id').where('conversation_id', '=', row.id).where('sender_type', '=', 'agent').where('sender_id', '=', agentId).limit(1).executeTakeFirst()) !== undefined;
      if (row.agent_id !== agentId && !(await wrote())) throw new ConversationError('FD_AGENT_NOT_FOUND', `agent ${agentId} is not in this conversation`);
      const agent = await agentOf(row.app_id, agentId);
      return { id: agentId, name: agent.name };
    },

    /** The visitor's open conversation, created if there is none (one per visitor, even under concurrent calls). */
    async openConversation(principal: Principal, input: { channelId?: string | undefined } = {}): Promise<Conversation> {
      if (principal.kind !== 'visitor') throw new ConversationError('FD_AUTH_FORBIDDEN', 'only a visitor opens a conversation');
      const existing = () =>
        db.selectFrom('conversations').selectAll().where('app_id', '=', principal.appId).where('visitor_id', '=', principal.visitorId).where('status', '=', 'open').executeTakeFirst();
      const found = await existing();
      if (found) return toConversation(found);
      const channel = await channelOf(principal.appId, input.channelId, principal.visitorId);
      const now = clock.now();
      const row: ConversationRow = {
        id: newId('conv'),
        app_id: principal.appId,
        visitor_id: principal.visitorId,
        agent_id: null,
        status: 'open',
        last_seq: 0,
        visitor_read_seq: 0,
        agent_read_seq: 0,
        created_at: now,
        updated_at: now,
        closed_at: null,
        channel_id: channel?.id ?? null,
        queue_id: null,
        routing_state: channel?.botEnabled ? 'bot' : 'none',
        close_by: null,
        last_visitor_message_at: null,
      };
      try {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto('conversations').values(row).execute();
          await outbox.enqueue(tx, [{ appId: row.app_id, type: 'conversation.created', orderingKey: row.id, data: { conversation: toConversation(row) } }]);
        });
      } catch (err) {
        const raced = storage.isUniqueViolation(err) ? await existing() : undefined;
        if (raced) return toConversation(raced);
        throw err;
      }
      await hooks().opened(toConversation(row));
      const opened = toConversation((await findRow(principal.appId, row.id)) ?? row);
      // A conversation routed on open was announced by routing; one left to the bot or to be
      // claimed by hand is announced here.
      if (!ROUTED.has(opened.routingState)) bus.publish({ type: 'conversation.updated', conversation: opened });
      return opened;
    },

    async listConversations(principal: Principal, query: { status?: 'open' | 'closed' | undefined; mine?: boolean | undefined; limit: number }): Promise<Conversation[]> {
      let q = db.selectFrom('conversations').selectAll().where('app_id', '=', principal.appId);
      if (principal.kind === 'visitor') q = q.where('visitor_id', '=', principal.visitorId);
      if (principal.kind === 'agent' && query.mine) q = q.where('agent_id', '=', principal.agentId);
      if (query.status) q = q.where('status', '=', query.status);
      const rows = await q.orderBy('updated_at', 'desc').limit(query.limit).execute();
      return rows.map(toConversation);
    },

    /** Until routing exists an agent takes an open, unassigned conversation itself; one winner under any concurrency. */
    async claimConversation(principal: Principal, conversationId: string): Promise<Conversation> {
      if (principal.kind !== 'agent') throw new ConversationError('FD_AUTH_FORBIDDEN', 'only an agent claims a conversation');
      const row = await readable(principal, conversationId);
      if (row.agent_id === principal.agentId) return toConversation(row);
      if (ROUTED.has(row.routing_state)) {
        await hooks().claimRouted(principal, toConversation(row));
        return toConversation((await findRow(principal.appId, conversationId))!);
      }
      const capacity = await agentOf(principal.appId, principal.agentId);
      if (!capacity.mediaTypes.includes('chat')) throw new ConversationError('FD_AUTH_FORBIDDEN', 'this agent does not serve chat');
      const result = await db.transaction().execute(async (tx) => {
        const now = clock.now();
        // Capacity is checked in the transaction that takes the conversation (row-locked on PostgreSQL).
        await storage.forUpdate(tx.selectFrom('conversations').select('id').where('id', '=', conversationId)).execute();
        const { open } = await tx
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('open'))
          .where('app_id', '=', principal.appId)
          .where('agent_id', '=', principal.agentId)
          .where('status', '=', 'open')
          .executeTakeFirstOrThrow();
        if (Number(open) >= capacity.maxConcurrentChats) {
          throw new ConversationError('FD_AGENT_AT_CAPACITY', `this agent already has ${open} open conversations (max ${capacity.maxConcurrentChats})`);
        }
        const updated = await tx
          .updateTable('conversations')
          .set({ agent_id: principal.agentId, updated_at: now })
          .where('app_id', '=', principal.appId)
          .where('id', '=', conversationId)
          .where('agent_id', 'is', null)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (updated.numUpdatedRows !== 1n) {
          const current = await findRow(principal.appId, conversationId, tx);
          throw current?.status !== 'open'
            ? new ConversationError('FD_CONVERSATION_CLOSED', 'the conversation is closed')
            : new ConversationError('FD_CONVERSATION_ALREADY_CLAIMED', 'another agent has this conversation');
        }
        return appendMessage(tx, principal.appId, conversationId, { clientId: null, senderType: 'system', senderId: null, kind: 'system', text: 'agent.joined' });
      });
      bus.publish({ type: 'message.created', conversation: result.conversation, message: result.message });
      bus.publish({ type: 'conversation.updated', conversation: result.conversation });
      return result.conversation;
    },

    async closeConversation(principal: Principal, conversationId: string): Promise<Conversation> {
      const row = await readable(principal, conversationId);
      const isParticipant = (principal.kind === 'visitor') || (principal.kind === 'agent' && row.agent_id === principal.agentId);
      if (!isParticipant && !hasRole(principal, 'supervisor')) {
        throw new ConversationError('FD_CONVERSATION_NOT_PARTICIPANT', 'only a participant or a supervisor may close this conversation');
      }
      if (row.status === 'closed') return toConversation(row);
      const closeBy: CloseBy = principal.kind === 'visitor' ? 'client' : principal.kind === 'agent' && row.agent_id === principal.agentId ? 'seat' : 'admin';
      return closeAs(row, closeBy);
    },

    /**
     * Idle end: closes the conversation with `notice` as its last words, unless the visitor wrote
     * since `idleSinceMs` (checked on the row read here, not on an older listing) or it is closed.
     */
    async closeIfIdle(appId: string, conversationId: string, idleSinceMs: number, notice: { senderType: 'bot' | 'system'; text: string }): Promise<Conversation | undefined> {
      const row = await findRow(appId, conversationId);
      if (!row || row.status === 'closed' || (row.last_visitor_message_at ?? row.created_at) >= idleSinceMs) return undefined;
      await this.sendAs(appId, conversationId, notice.senderType, notice.text);
      return closeAs(row, 'timer');
    },

    async sendText(principal: Principal, conversationId: string, input: { clientId: string; text: string }): Promise<SendResult> {
      const result = await sendTextOnly(principal, conversationId, input);
      if (result.created && result.message.senderType === 'visitor') await hooks().visitorMessage(result.conversation, result.message);
      return { message: result.message, created: result.created };
    },

    /**
     * A place shared by a participant (SPEC M9), idempotent by clientId like a text. Its text is
     * the name, else the address, else the coordinates, for surfaces that show only text.
     */
    async sendLocation(principal: Principal, conversationId: string, input: { clientId: string; latitude: number; longitude: number; name?: string | undefined; address?: string | undefined }): Promise<SendResult> {
      const location: MessageLocation = { latitude: input.latitude, longitude: input.longitude, name: input.name ?? null, address: input.address ?? null };
      const text = location.name ?? location.address ?? `${location.latitude}, ${location.longitude}`;
      // Like a file, a place is not words for the bot to answer: the visitorMessage hook is not called.
      const result = await sendTextOnly(principal, conversationId, { clientId: input.clientId, text, kind: 'location', location });
      return { message: result.message, created: result.created };
    },

    /** A text from the bot, or a notice from the system (off hours, idle end), for people to read. */
    async sendAs(appId: string, conversationId: string, senderType: 'bot' | 'system', text: string): Promise<Message> {
      const result = await db.transaction().execute((tx) => appendMessage(tx, appId, conversationId, { clientId: null, senderType, senderId: null, kind: 'text', text }));
      bus.publish({ type: 'message.created', conversation: result.conversation, message: result.message });
      return result.message;
    },

    /** The visitor's hand-off button; a conversation not with the bot is left as it is. */
    async requestHuman(principal: Principal, conversationId: string): Promise<Conversation> {
      const row = await readable(principal, conversationId);
      if (principal.kind !== 'visitor') throw new ConversationError('FD_AUTH_FORBIDDEN', 'only the visitor asks for a human');
      if (row.status !== 'open') throw new ConversationError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
      await hooks().handOff(toConversation(row));
      return toConversation((await findRow(principal.appId, conversationId))!);
    },

    /** Moves a conversation from the bot to routing (hand-off); false when it was not with the bot. */
    async leaveBot(appId: string, conversationId: string): Promise<boolean> {
      const { numUpdatedRows } = await db
        .updateTable('conversations')
        .set({ routing_state: 'none', updated_at: clock.now() })
        .where('app_id', '=', appId)
        .where('id', '=', conversationId)
        .where('routing_state', '=', 'bot')
        .where('status', '=', 'open')
        .executeTakeFirst();
      return numUpdatedRows === 1n;
    },

    routingPort: createConversationRoutingPort({ appendMessage, findRow, closeInTx, publish }),

    findConversation: async (appId: string, conversationId: string) => {
      const row = await findRow(appId, conversationId);
      return row && toConversation(row);
    },

    /**
     * Open conversations whose visitor has been silent since before `beforeMs` (idle end), a page
     * at a time in id order: pass the last id of a page to get the next.
     */
    async idleConversations(beforeMs: number, afterId: string, limit: number) {
      const rows = await db
        .selectFrom('conversations')
        .select(['app_id', 'id', 'channel_id', 'routing_state', 'created_at', 'last_visitor_message_at'])
        .where('status', '=', 'open')
        .where('id', '>', afterId)
        .where((eb) => eb.or([eb('last_visitor_message_at', '<', beforeMs), eb.and([eb('last_visitor_message_at', 'is', null), eb('created_at', '<', beforeMs)])]))
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ appId: r.app_id, id: r.id, channelId: r.channel_id, isWithBot: r.routing_state === 'bot', lastActivityAt: r.last_visitor_message_at ?? r.created_at }));
    },

    /** Stores the bytes, then the file record and its message in one transaction. */
    async sendFile(principal: Principal, conversationId: string, input: { clientId: string; name: string; declaredType: string | undefined; bytes: Buffer }): Promise<SendResult> {
      const row = await readable(principal, conversationId);
      const sender = senderOf(principal, row);
      const previous = await selectByClientId(db, principal.appId, conversationId, sender.id, input.clientId);
      if (previous) return { message: previous, created: false };
      if (input.bytes.length > uploadMaxBytes) throw new ConversationError('FD_FILE_TOO_LARGE', `files are limited to ${uploadMaxBytes} bytes`);
      if (input.bytes.length === 0) throw new ConversationError('FD_FILE_TYPE_NOT_ALLOWED', 'the file is empty');
      const check = await checkFileType(input.bytes, input.declaredType);
      if (!check.ok) throw new ConversationError('FD_FILE_TYPE_NOT_ALLOWED', check.reason);
      const fileId = newId('file');
      const dir = path.join(filesDir, principal.appId);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, fileId), input.bytes);
      const kind: MessageKind = check.mimeType.startsWith('image/') ? 'image' : 'file';
      const result = await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('files')
          .values({ id: fileId, app_id: principal.appId, conversation_id: conversationId, name: input.name, mime_type: check.mimeType, size_bytes: input.bytes.length, created_at: clock.now() })
          .execute();
        return appendMessage(tx, principal.appId, conversationId, { clientId: input.clientId, senderType: sender.type, senderId: sender.id, kind, text: input.name, fileId });
      });
      bus.publish({ type: 'message.created', conversation: result.conversation, message: result.message });
      return { message: result.message, created: true };
    },

    async listMessages(principal: Principal, conversationId: string, afterSeq: number, limit: number) {
      const row = await readable(principal, conversationId);
      const messages = await selectMessagesAfter(db, principal.appId, conversationId, afterSeq, limit);
      return { messages, lastSeq: row.last_seq };
    },

    /** Read state only moves forward; the other side is told. */
    async markRead(principal: Principal, conversationId: string, seq: number): Promise<Conversation> {
      const row = await readable(principal, conversationId);
      const sender = senderOf(principal, row);
      const column = sender.type === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
      const target = Math.min(seq, row.last_seq);
      const { numUpdatedRows } = await db
        .updateTable('conversations')
        .set({ [column]: target })
        .where('app_id', '=', principal.appId)
        .where('id', '=', conversationId)
        .where(column, '<', target)
        .executeTakeFirst();
      if (numUpdatedRows === 0n) return toConversation(row);
      const conversation = toConversation({ ...row, [column]: target });
      bus.publish({ type: 'read', conversation, senderType: sender.type, senderId: sender.id, seq: target });
      return conversation;
    },

    async setTyping(principal: Principal, conversationId: string, isTyping: boolean): Promise<void> {
      const row = await readable(principal, conversationId);
      const sender = senderOf(principal, row);
      bus.publish({ type: 'typing', conversation: toConversation(row), senderType: sender.type, senderId: sender.id, isTyping });
    },

    /** A file, only for those who may read its conversation. */
    async openFile(principal: Principal, fileId: string) {
      const file = await db.selectFrom('files').selectAll().where('app_id', '=', principal.appId).where('id', '=', fileId).executeTakeFirst();
      const conversation = file && (await findRow(principal.appId, file.conversation_id));
      if (!file || !conversation || !canRead(principal, conversation)) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
      return {
        ref: toFileRef(file),
        path: path.join(filesDir, file.app_id, file.id),
        disposition: INLINE_TYPES.has(file.mime_type) ? ('inline' as const) : ('attachment' as const),
      };
    },

    /** An app's files, newest first, for server-side callers (compat gateway): by time range and name. */
    async listFiles(appId: string, query: { fromMs?: number | undefined; toMs?: number | undefined; name?: string | undefined; exactName?: boolean; offset: number; limit: number }) {
      let q = db.selectFrom('files').where('app_id', '=', appId);
      if (query.fromMs !== undefined) q = q.where('created_at', '>=', query.fromMs);
      if (query.toMs !== undefined) q = q.where('created_at', '<=', query.toMs);
      // A fuzzy name is a LIKE pattern: `%` and `_` typed by the caller act as wildcards (within its app).
      if (query.name) q = query.exactName ? q.where('name', '=', query.name) : q.where('name', 'like', `%${query.name}%`);
      const [{ total }, rows] = await Promise.all([
        q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        q.selectAll().orderBy('created_at', 'desc').orderBy('id').offset(query.offset).limit(query.limit).execute(),
      ]);
      return { total: Number(total), files: rows.map((row) => ({ ...toFileRef(row), createdAt: row.created_at, conversationId: row.conversation_id })) };
    },

    /** Renames a stored file (its bytes and messages stay). */
    async renameFile(appId: string, fileId: string, name: string) {
      const { numUpdatedRows } = await db.updateTable('files').set({ name }).where('app_id', '=', appId).where('id', '=', fileId).executeTakeFirst();
      if (numUpdatedRows === 0n) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
    },

    /** Deletes a stored file and its bytes; messages that carried it keep their text, without the file. */
    async deleteFile(appId: string, fileId: string) {
      const { numDeletedRows } = await db.deleteFrom('files').where('app_id', '=', appId).where('id', '=', fileId).executeTakeFirst();
      if (numDeletedRows === 0n) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
      await fs.rm(path.join(filesDir, appId, fileId), { force: true });
    },

    /** For the gateway, which has checked access already: messages after a seq, in order. */
    messagesAfter: (appId: string, conversationId: string, afterSeq: number, limit: number) => selectMessagesAfter(db, appId, conversationId, afterSeq, limit),

    /** Conversations a socket follows: a visitor's own, an agent's assigned open ones. */
    async conversationsOf(principal: Principal): Promise<Conversation[]> {
      if (principal.kind === 'apiKey') return [];
      let q = db.selectFrom('conversations').selectAll().where('app_id', '=', principal.appId);
      q = principal.kind === 'visitor'
        ? q.where('visitor_id', '=', principal.visitorId)
        : q.where('agent_id', '=', principal.agentId).where('status', '=', 'open');
      return (await q.orderBy('updated_at', 'desc').limit(200).execute()).map(toConversation);
    },

    canRead,
    readable: async (principal: Principal, conversationId: string) => toConversation(await readable(principal, conversationId)),
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;

function isSameLocation(a: MessageLocation | null, b: MessageLocation | null): boolean {
  return a === b || (a !== null && b !== null && a.latitude === b.latitude && a.longitude === b.longitude && a.name === b.name && a.address === b.address);
}
