import type { CloseBy, Conversation, PreChatFieldKey, VisitorDetailsInput } from '@frontdesk/protocol';
import type { Events, TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Principal } from '../../platform/principal.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { ConversationError } from './conversations.errors.ts';
import { activityAt, minuteOf, toConversation, type ConversationRow } from './conversations.repository.ts';
import type { MessageStore } from './message-store.ts';

/** The channel a new conversation belongs to (from the channels module). */
export interface ChannelChoice {
  id: string;
  botEnabled: boolean;
  /** The answers its pre-chat form requires (none when it has no form). */
  requiredDetails?: readonly PreChatFieldKey[];
}

/** What the visitor left when nobody could answer: their details (the reply channel) and their words. */
export interface LeftMessage {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  message: string;
  clientId: string;
}

function detailColumns(details: VisitorDetailsInput | undefined): Pick<ConversationRow, 'visitor_name' | 'visitor_email' | 'visitor_phone'> {
  return { visitor_name: details?.name ?? null, visitor_email: details?.email ?? null, visitor_phone: details?.phone ?? null };
}

/** A new open conversation's row: nothing read, nobody assigned, not routed yet. */
function newConversationRow(appId: string, visitorId: string, channelId: string | null, nowMs: number, fields: Pick<ConversationRow, 'routing_state' | 'visitor_name' | 'visitor_email' | 'visitor_phone' | 'message_left_at'>): ConversationRow {
  return {
    id: newId('conv'),
    app_id: appId,
    visitor_id: visitorId,
    agent_id: null,
    status: 'open',
    last_seq: 0,
    visitor_read_seq: 0,
    agent_read_seq: 0,
    created_at: nowMs,
    ...activityAt(nowMs),
    closed_at: null,
    channel_id: channelId,
    queue_id: null,
    close_by: null,
    last_visitor_message_at: null,
    // The visitor's last activity, until their first message: the conversation's start.
    last_activity_minute: minuteOf(nowMs),
    ...fields,
  };
}

/**
 * A conversation's life: opened (one open conversation per visitor, even under concurrent opens),
 * its routing columns kept as routing decides, closed once with a `closeBy`. Each step is one
 * transaction, announced as a domain event.
 */
export function createLifecycle(deps: {
  storage: Storage;
  clock: Clock;
  events: Events;
  store: MessageStore;
  /** The channel a visitor opens a conversation in; refuses one the visitor may not use (identity mode). */
  channelOf: (appId: string, channelId: string | undefined, visitorId: string) => Promise<ChannelChoice | null>;
}) {
  const { storage, clock, events, store, channelOf } = deps;
  const { db } = storage;

  function openRowOf(appId: string, visitorId: string, from: DbOrTx = db): Promise<ConversationRow | undefined> {
    return from.selectFrom('conversations').selectAll().where('app_id', '=', appId).where('visitor_id', '=', visitorId).where('status', '=', 'open').executeTakeFirst();
  }

  function findRow(appId: string, conversationId: string, from: DbOrTx = db): Promise<ConversationRow | undefined> {
    return from.selectFrom('conversations').selectAll().where('app_id', '=', appId).where('id', '=', conversationId).executeTakeFirst();
  }

  /**
   * Appends the close notice and the close, and closes; a conversation already closed is left as it is.
   * The notice is a text (an admin's) or a system code the clients word in their own language.
   */
  async function closeInTx(
    ctx: TxContext,
    appId: string,
    conversationId: string,
    closeBy: CloseBy,
    routingState: 'ended' | 'released',
    notice?: string | { code: string },
  ): Promise<Conversation | undefined> {
    const current = await findRow(appId, conversationId, ctx.tx);
    if (!current) return undefined;
    if (current.status === 'closed') {
      if (current.routing_state !== 'ended' && current.routing_state !== 'released') {
        await ctx.tx.updateTable('conversations').set({ routing_state: 'ended' }).where('app_id', '=', appId).where('id', '=', conversationId).execute();
      }
      return toConversation(current);
    }
    if (typeof notice === 'string' && notice) await store.append(ctx, appId, conversationId, { clientId: null, senderType: 'system', senderId: null, kind: 'text', text: notice });
    if (typeof notice === 'object') await store.append(ctx, appId, conversationId, { clientId: null, senderType: 'system', senderId: null, kind: 'system', text: notice.code });
    const appended = await store.append(ctx, appId, conversationId, { clientId: null, senderType: 'system', senderId: null, kind: 'system', text: `conversation.closed:${closeBy}` });
    const now = clock.now();
    await ctx.tx
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: now, ...activityAt(now), close_by: closeBy, routing_state: routingState })
      .where('app_id', '=', appId)
      .where('id', '=', conversationId)
      .execute();
    const conversation: Conversation = { ...appended.conversation, status: 'closed', closedAt: now, updatedAt: now, closeBy, routingState };
    await ctx.emit('conversation.closed', { conversation, closeBy });
    return conversation;
  }

  const api = {
    findRow,
    closeInTx,

    /**
     * The visitor's open conversation, created if there is none (with the pre-chat answers, checked
     * against the channel's required ones).
     */
    async open(principal: Principal, input: { channelId?: string | undefined; details?: VisitorDetailsInput | undefined } = {}): Promise<Conversation> {
      if (principal.kind !== 'visitor') throw new ConversationError('FD_AUTH_FORBIDDEN', 'only a visitor opens a conversation');
      const existing = () => openRowOf(principal.appId, principal.visitorId);
      const found = await existing();
      if (found) return toConversation(found);
      const channel = await channelOf(principal.appId, input.channelId, principal.visitorId);
      const missing = (channel?.requiredDetails ?? []).filter((key) => !input.details?.[key]);
      if (missing.length > 0) throw new ConversationError('FD_REQ_INVALID', `this channel's pre-chat form requires: ${missing.join(', ')}`);
      const now = clock.now();
      const row = newConversationRow(principal.appId, principal.visitorId, channel?.id ?? null, now, {
        routing_state: channel?.botEnabled ? 'bot' : 'none',
        ...detailColumns(input.details),
        message_left_at: null,
      });
      try {
        await events.transaction(async (ctx) => {
          await ctx.tx.insertInto('conversations').values(row).execute();
          await ctx.emit('conversation.opened', { conversation: toConversation(row) });
        });
      } catch (err) {
        const raced = storage.isUniqueViolation(err) ? await existing() : undefined;
        if (raced) return toConversation(raced);
        throw err;
      }
      return toConversation(row);
    },

    /** Closes a conversation that routing does not hold (with the bot, or never routed). */
    close: (appId: string, conversationId: string, closeBy: CloseBy, notice?: string) =>
      events.transaction((ctx) => closeInTx(ctx, appId, conversationId, closeBy, 'ended', notice)),

    /**
     * The leave-a-message form: the visitor's open conversation (a new one when none is open,
     * never with the bot) gets their details and the time they left a message, and their message,
     * in one transaction. A retried submit (same client id) stores nothing twice. `opened` tells
     * whether a conversation was created (its `conversation.opened` listeners then run).
     */
    async leaveMessage(principal: Principal, channelId: string | undefined, left: LeftMessage): Promise<{ conversation: Conversation; opened: boolean }> {
      if (principal.kind !== 'visitor') throw new ConversationError('FD_AUTH_FORBIDDEN', 'only a visitor leaves a message');
      const { appId, visitorId } = principal;
      const details = detailColumns(left);
      const found = await openRowOf(appId, visitorId);
      const channel = found ? null : await channelOf(appId, channelId, visitorId);
      const now = clock.now();
      try {
        return await events.transaction(async (ctx) => {
          let row = await openRowOf(appId, visitorId, ctx.tx);
          const opened = row === undefined;
          if (!row) {
            row = newConversationRow(appId, visitorId, channel?.id ?? null, now, { routing_state: 'none', ...details, message_left_at: now });
            await ctx.tx.insertInto('conversations').values(row).execute();
            await ctx.emit('conversation.opened', { conversation: toConversation(row) });
          } else {
            const values = { ...details, message_left_at: row.message_left_at ?? now };
            await ctx.tx.updateTable('conversations').set(values).where('app_id', '=', appId).where('id', '=', row.id).execute();
          }
          const appended = await store.append(ctx, appId, row.id, { clientId: left.clientId, senderType: 'visitor', senderId: visitorId, kind: 'text', text: left.message });
          const conversation = appended.conversation;
          if (!opened) await ctx.emit('conversation.updated', { conversation });
          return { conversation, opened };
        });
      } catch (err) {
        // Two submits raced to create the visitor's one open conversation: the loser adds to it.
        if (storage.isUniqueViolation(err) && !found) return api.leaveMessage(principal, channelId, left);
        throw err;
      }
    },

    /** Sets routing's columns of an open conversation in routing's transaction and announces the change (unless the caller will). */
    async updateRouting(
      ctx: TxContext,
      appId: string,
      conversationId: string,
      values: Partial<Pick<ConversationRow, 'routing_state' | 'queue_id' | 'agent_id' | 'updated_at'>>,
      { announce = true } = {},
    ): Promise<Conversation | undefined> {
      const set = values.updated_at === undefined ? values : { ...values, ...activityAt(values.updated_at) };
      await ctx.tx.updateTable('conversations').set(set).where('app_id', '=', appId).where('id', '=', conversationId).where('status', '=', 'open').execute();
      if (!announce) return undefined;
      const row = await findRow(appId, conversationId, ctx.tx);
      if (!row) return undefined;
      const conversation = toConversation(row);
      await ctx.emit('conversation.updated', { conversation });
      return conversation;
    },

    /** Moves a conversation from the bot toward a human (hand-off); false when it was not with the bot. */
    async leaveBot(appId: string, conversationId: string): Promise<boolean> {
      const { numUpdatedRows } = await db
        .updateTable('conversations')
        .set({ routing_state: 'none', ...activityAt(clock.now()) })
        .where('app_id', '=', appId)
        .where('id', '=', conversationId)
        .where('routing_state', '=', 'bot')
        .where('status', '=', 'open')
        .executeTakeFirst();
      return numUpdatedRows === 1n;
    },
  };
  return api;
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
