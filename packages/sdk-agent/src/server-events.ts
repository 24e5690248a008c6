import type { HelloReply, ServerFrame, Visitor } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import type { AgentOutbox } from './agent-outbox.ts';
import type { AgentStatusKeeper } from './agent-status.ts';
import type { CallActions } from './call-actions.ts';
import type { Emit } from './agent-events.ts';
import type { ChatActions } from './chat-actions.ts';
import type { AgentConnection } from './connection.ts';
import { INITIAL_WINDOW, type ConversationStore } from './conversation-store.ts';
import type { ConversationTracker } from './conversation-tracker.ts';
import type { DismissedConversations } from './dismissed-conversations.ts';
import type { RestClient } from './rest.ts';

/** How long an ended conversation stays in the list across reloads and logins, unless dismissed (a shift). */
export const ENDED_KEPT_MS = 12 * 3_600_000;

export interface ServerEventsDeps {
  store: ConversationStore;
  dismissed: DismissedConversations;
  connection: AgentConnection;
  rest: RestClient;
  tracker: ConversationTracker;
  status: AgentStatusKeeper;
  chat: ChatActions;
  outbox: AgentOutbox;
  calls: CallActions;
  log: Logger;
  emit: Emit;
}

/**
 * What the server says over the socket, applied to the agent's state: the hello after each
 * (re)connect (resync), then every frame (messages, conversations, offers, pools, statuses,
 * typing, read, transparent data), each turned into the client's events.
 */
export class ServerEvents {
  constructor(private readonly deps: ServerEventsDeps) {}

  /** After each hello: what changed while the socket was down, then the outbox again. */
  async onHello(reply: HelloReply, isReconnect: boolean): Promise<void> {
    const { store, connection, tracker, status, outbox, log } = this.deps;
    const known = new Set(store.ids());
    const fresh: Record<string, number> = {};
    for (const conversation of reply.conversations) {
      const hadMessages = store.oldestSeq(conversation.id) !== null;
      tracker.track(conversation, { quiet: !isReconnect || known.has(conversation.id) });
      known.delete(conversation.id);
      if (!hadMessages && conversation.lastSeq > 0) fresh[conversation.id] = Math.max(0, conversation.lastSeq - INITIAL_WINDOW);
    }
    // Backfill the recent window of conversations this client has no messages of yet.
    if (Object.keys(fresh).length > 0) await connection.request({ type: 'resume', positions: fresh }).catch((err) => log.warn('backfill failed', { error: String(err) }));
    await Promise.all([
      status.refresh(),
      tracker.loadUnclaimed(),
      // The first hello of this client (a reload, a new login): ended conversations not dismissed yet.
      ...(isReconnect ? [] : [tracker.loadRecentlyEnded(ENDED_KEPT_MS, (id) => this.deps.dismissed.has(id))]),
      // Conversations held before the outage but not assigned now: closed or moved meanwhile.
      ...[...known].filter((id) => store.role(id) === 'assigned').map((id) => tracker.refresh(id)),
    ]);
    // Conversations ringing, pooled or waiting here with no message held yet: followed again on this socket.
    tracker.watch(store.ids().map((id) => store.conversation(id)).filter((c) => c !== null));
    // The outbox: every unacknowledged send again, with its clientId (the server dedupes).
    outbox.resend();
    tracker.listChanged();
    // Live calls: rejoined (their media published and subscribed again on this socket).
    this.deps.calls.onHello(reply.calls ?? []);
  }

  async onFrame(frame: ServerFrame): Promise<void> {
    const { store, rest, tracker, status, chat, emit } = this.deps;
    switch (frame.type) {
      case 'message': {
        if (!store.has(frame.message.conversationId)) await tracker.refresh(frame.message.conversationId);
        if (store.addMessage(frame.message)) {
          emit('message', { sessionId: frame.message.conversationId, message: frame.message });
          tracker.updated(frame.message.conversationId);
        }
        return;
      }
      case 'conversation':
        emit('conversationUpdated', { conversation: frame.conversation });
        return tracker.track(frame.conversation);
      case 'offer': {
        const conversation = await tracker.fetch(frame.conversationId);
        if (!conversation) return;
        tracker.track(conversation, { hint: { role: 'offered', offerExpiresAt: frame.expiresAt } });
        const visitor = await rest.get<Visitor>(`/v1/visitors/${encodeURIComponent(conversation.visitorId)}`).catch(() => null);
        emit('callIn', {
          sessionId: conversation.id,
          type: 'im',
          timeout: Math.max(0, Math.ceil((frame.expiresAt - Date.now()) / 1000)),
          expiresAt: frame.expiresAt,
          nickname: visitor?.name ?? 'Visitor',
          visitorId: conversation.visitorId,
          peerSource: conversation.channelId,
          queueId: conversation.queueId,
        });
        return;
      }
      case 'offer.withdrawn': {
        if (store.role(frame.conversationId) !== 'offered') return;
        store.remove(frame.conversationId);
        emit('offerWithdrawn', { sessionId: frame.conversationId, reason: frame.reason });
        if (frame.reason === 'timed_out') emit('autoTransfer', { sessionId: frame.conversationId });
        tracker.listChanged();
        return;
      }
      case 'pool': {
        if (!frame.visible) {
          if (store.role(frame.conversationId) === 'pool' && store.remove(frame.conversationId)) tracker.listChanged();
          return;
        }
        const conversation = await tracker.fetch(frame.conversationId);
        if (conversation) tracker.track(conversation, { hint: { role: 'pool' } });
        return;
      }
      case 'agent.status':
        return status.onFrame(frame);
      case 'typing': {
        if (frame.senderType !== 'visitor') return;
        chat.visitorTyping(frame.conversationId, frame.isTyping, frame.draft);
        emit('typing', { sessionId: frame.conversationId, isTyping: frame.isTyping, senderType: frame.senderType });
        return;
      }
      case 'read': {
        if (frame.senderType !== 'visitor') return;
        store.setVisitorRead(frame.conversationId, frame.seq);
        emit('read', { sessionId: frame.conversationId, seq: frame.seq, senderType: frame.senderType });
        tracker.updated(frame.conversationId);
        return;
      }
      case 'transparent':
        return emit('transparent', { data: frame.data });
      case 'rating':
        return emit('rated', { sessionId: frame.rating.conversationId, rating: frame.rating });
      case 'delivery':
        return emit('delivery', { sessionId: frame.conversationId, deliveries: frame.deliveries });
      case 'whisper':
        return emit('whisper', { sessionId: frame.whisper.conversationId, whisper: frame.whisper });
      case 'supervision':
        return emit('supervision', { sessionId: frame.step.conversationId, step: frame.step });
      case 'cobrowse':
        return emit('cobrowse', { sessionId: frame.session.conversationId, cobrowse: frame.session });
      case 'cobrowse.data':
        return emit('cobrowseData', { cobrowseId: frame.sessionId, data: frame });
      case 'cobrowse.input':
        return emit('cobrowseInput', { cobrowseId: frame.sessionId, from: frame.from, input: frame.input });
      case 'wallboard':
        return emit('wallboard', { wallboard: frame.wallboard });
      case 'call.supervision':
        return emit('callSupervision', { sessionId: frame.step.callId, step: frame.step });
      case 'call':
      case 'call.notice':
      case 'call.ice':
      case 'call.publisher':
      case 'call.ice-failed':
      case 'call.photo':
      case 'call.share':
      case 'call.share.ice':
      case 'call.share.ice-failed':
        return this.deps.calls.onFrame(frame);
      default:
        return;
    }
  }
}
