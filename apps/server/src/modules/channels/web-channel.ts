import type { Channel, CloseBy, Conversation, Message, QueuePositionEvent } from '@frontdesk/protocol';
import type { z } from 'zod';
import { decideBotReply, type FaqIndex } from '../bot/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Principal } from '../../platform/principal.ts';
import { isWithinHours } from './hours.ts';

/** What the web channel drives in other modules; wired in the composition root. */
export interface WebChannelDeps {
  clock: Clock;
  log: Logger;
  channels: {
    getChannel(appId: string, channelId: string): Promise<Channel>;
    faqIndex(appId: string, channelId: string): Promise<FaqIndex>;
  };
  conversations: {
    sendAs(appId: string, conversationId: string, senderType: 'bot' | 'system', text: string): Promise<Message>;
    leaveBot(appId: string, conversationId: string): Promise<boolean>;
    findConversation(appId: string, conversationId: string): Promise<Conversation | undefined>;
    closeIfIdle(appId: string, conversationId: string, idleSinceMs: number, notice: { senderType: 'bot' | 'system'; text: string }): Promise<Conversation | undefined>;
    idleConversations(
      beforeMs: number,
      afterId: string,
      limit: number,
    ): Promise<{ appId: string; id: string; channelId: string | null; isWithBot: boolean; lastActivityAt: number }[]>;
  };
  routing: {
    arrive(appId: string, conversationId: string, queueId: string): Promise<unknown>;
    accept(principal: Principal, conversationId: string): Promise<unknown>;
    end(appId: string, conversationId: string, closeBy: CloseBy): Promise<unknown>;
    standing(appId: string, conversationId: string): Promise<{ position: number; estimatedWaitMs: number | undefined }>;
  };
  /** Sends a frame to the visitor's sockets on this node. */
  notifyVisitor(appId: string, visitorId: string, frame: z.infer<typeof QueuePositionEvent>): void;
}

/** Routing decisions the web channel follows, to remind waiting visitors (structural). */
type Decision = { type: string; sessionId?: string };

const IDLE_SWEEP_MS = 30_000;
const IDLE_SWEEP_PAGE = 500;
const MIN_IDLE_MINUTES = 1;

/**
 * The web channel's behaviour (SPEC M10, M11): the bot answers first where it is on and hands
 * off on request; a conversation that needs a human enters the channel's queue, unless the
 * channel is off hours (the visitor gets the off-hours message); waiting visitors hear their
 * position and the wait estimate every reminder interval; silent conversations end after the
 * idle time with the end text.
 */
export function createWebChannel(deps: WebChannelDeps) {
  const { clock, log, channels, conversations, routing } = deps;
  /** Conversations waiting in a queue → when their visitor hears next. Every node follows every
   * routing decision (replayed), and tells the visitors connected to it. */
  const waiting = new Map<string, { appId: string; visitorId: string; channelId: string; cancel?: () => void }>();
  let cancelIdleSweep: (() => void) | undefined;
  let closed = false;

  async function needsHuman(conversation: Conversation): Promise<void> {
    if (!conversation.channelId) return;
    const channel = await channels.getChannel(conversation.appId, conversation.channelId);
    if (!channel.queueId) return;
    if (channel.hours && !isWithinHours(channel.hours, clock.now())) {
      await conversations.sendAs(conversation.appId, conversation.id, 'system', channel.hours.offHoursMessage);
      return;
    }
    await routing.arrive(conversation.appId, conversation.id, channel.queueId);
  }

  /** Tells the visitor where it stands (not while an offer rings: position 0), and again after the interval. */
  async function remind(conversationId: string): Promise<void> {
    const entry = waiting.get(conversationId);
    if (!entry) return;
    const channel = await channels.getChannel(entry.appId, entry.channelId);
    const { position, estimatedWaitMs } = await routing.standing(entry.appId, conversationId);
    if (channel.queueReminder.enabled && position > 0) {
      const waitMinutes = estimatedWaitMs === undefined ? '?' : String(Math.max(1, Math.ceil(estimatedWaitMs / 60_000)));
      deps.notifyVisitor(entry.appId, entry.visitorId, {
        type: 'queue.position',
        conversationId,
        position,
        estimatedWaitSeconds: estimatedWaitMs === undefined ? null : Math.ceil(estimatedWaitMs / 1000),
        text: channel.queueReminder.text.replaceAll('{position}', String(position)).replaceAll('{waitMinutes}', waitMinutes),
      });
    }
    if (waiting.get(conversationId) !== entry) return;
    entry.cancel?.();
    entry.cancel = clock.at(clock.now() + channel.queueReminder.intervalSeconds * 1000, () => {
      void remind(conversationId).catch((err) => log.warn({ err }, 'queue reminder failed'));
    });
  }

  function stopWaiting(conversationId: string): void {
    waiting.get(conversationId)?.cancel?.();
    waiting.delete(conversationId);
  }

  async function startWaiting(appId: string, conversationId: string): Promise<void> {
    const conversation = await conversations.findConversation(appId, conversationId);
    if (!conversation?.channelId || conversation.status !== 'open') return;
    waiting.set(conversationId, { appId, visitorId: conversation.visitorId, channelId: conversation.channelId });
    await remind(conversationId);
  }

  /**
   * Ends conversations silent for their channel's idle time. Walks every candidate (silent for at
   * least the shortest idle time) a page at a time, reading each channel once per sweep.
   */
  async function sweepIdle(): Promise<void> {
    const now = clock.now();
    const channelsSeen = new Map<string, Promise<Channel | undefined>>();
    const channelOf = (appId: string, channelId: string) => {
      const key = `${appId} ${channelId}`;
      if (!channelsSeen.has(key)) channelsSeen.set(key, channels.getChannel(appId, channelId).catch(() => undefined));
      return channelsSeen.get(key)!;
    };
    for (let afterId = ''; ; ) {
      const page = await conversations.idleConversations(now - MIN_IDLE_MINUTES * 60_000, afterId, IDLE_SWEEP_PAGE);
      for (const candidate of page) {
        const channel = candidate.channelId ? await channelOf(candidate.appId, candidate.channelId) : undefined;
        if (!channel?.idleEnd.enabled) continue;
        const idleSinceMs = now - channel.idleEnd.minutes * 60_000;
        if (candidate.lastActivityAt >= idleSinceMs) continue;
        const notice = candidate.isWithBot ? { senderType: 'bot' as const, text: channel.bot.timeoutReply } : { senderType: 'system' as const, text: channel.idleEnd.text };
        await conversations.closeIfIdle(candidate.appId, candidate.id, idleSinceMs, notice);
      }
      if (page.length < IDLE_SWEEP_PAGE) return;
      afterId = page.at(-1)!.id;
    }
  }

  function loopIdle(): void {
    if (closed) return;
    cancelIdleSweep = clock.at(clock.now() + IDLE_SWEEP_MS, () => {
      sweepIdle()
        .catch((err) => log.warn({ err }, 'idle sweep failed'))
        .finally(loopIdle);
    });
  }

  return {
    hooks: {
      async opened(conversation: Conversation): Promise<void> {
        if (conversation.routingState === 'none') await needsHuman(conversation);
      },

      /** The visitor pressed the hand-off button: the bot says its hand-off text and the conversation is routed. */
      async handOff(conversation: Conversation): Promise<void> {
        if (conversation.routingState !== 'bot' || !(await conversations.leaveBot(conversation.appId, conversation.id))) return;
        const channel = conversation.channelId ? await channels.getChannel(conversation.appId, conversation.channelId) : undefined;
        if (channel) await conversations.sendAs(conversation.appId, conversation.id, 'bot', channel.bot.handOffText);
        await needsHuman({ ...conversation, routingState: 'none' });
      },

      /** The bot answers while the conversation is with it; a hand-off word sends it to a queue. */
      async visitorMessage(conversation: Conversation, message: Message): Promise<void> {
        if (conversation.routingState !== 'bot' || !conversation.channelId) return;
        const channel = await channels.getChannel(conversation.appId, conversation.channelId);
        const index = await channels.faqIndex(conversation.appId, channel.id);
        const reply = decideBotReply({ ...channel.bot, faqs: [] }, index, message.text);
        if (reply.kind === 'disabled' || reply.kind === 'handoff') {
          if (!(await conversations.leaveBot(conversation.appId, conversation.id))) return;
          if (reply.kind === 'handoff') await conversations.sendAs(conversation.appId, conversation.id, 'bot', reply.text);
          return needsHuman({ ...conversation, routingState: 'none' });
        }
        await conversations.sendAs(conversation.appId, conversation.id, 'bot', reply.text);
      },

      claimRouted: async (principal: Principal, conversation: Conversation) => void (await routing.accept(principal, conversation.id)),
      closeRouted: async (conversation: Conversation, closeBy: CloseBy) => void (await routing.end(conversation.appId, conversation.id, closeBy)),
    },

    /** Follows routing decisions (this node's and replayed ones) to know who waits. */
    onDecisions(appId: string, actions: readonly Decision[]): void {
      for (const action of actions) {
        if (!action.sessionId) continue;
        if (action.type === 'session.queued') {
          // Queued again (a transfer, an overflow): one reminder chain per conversation.
          stopWaiting(action.sessionId);
          void startWaiting(appId, action.sessionId).catch((err) => log.warn({ err }, 'queue reminder failed'));
        }
        else if (action.type === 'assign' || action.type === 'session.released' || action.type === 'session.ended') stopWaiting(action.sessionId);
      }
    },

    start(): void {
      loopIdle();
    },

    close(): void {
      closed = true;
      cancelIdleSweep?.();
      for (const conversationId of [...waiting.keys()]) stopWaiting(conversationId);
    },
  };
}

export type WebChannel = ReturnType<typeof createWebChannel>;
