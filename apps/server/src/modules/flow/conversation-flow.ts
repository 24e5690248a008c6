import type { Channel, CloseBy, Conversation, LeaveMessageInput, Message, VisitorDetailsInput } from '@frontdesk/protocol';
import { DomainError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { decideBotReply, type FaqIndex } from '../bot/index.ts';
import { isWithinHours } from '../channels/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { RoutingService } from '../routing/index.ts';
import type { Clock } from '../../platform/clock.ts';

/** Routing states in which routing holds the conversation's assignment (an offer, a pool, an agent). */
const ROUTED: readonly Conversation['routingState'][] = ['queued', 'offered', 'assigned'];

/** Routing does not know this conversation (it was never routed, or was opened before routing owned claims by hand). */
function isUnknownToRouting(err: unknown): boolean {
  return err instanceof DomainError && err.code === 'FD_ROUTING_SESSION_NOT_FOUND';
}

/**
 * The conversation flow (SPEC M10, M11), for every channel: the bot answers first where it is on
 * and hands off on a hand-off word or the hand-off button; a conversation that needs a human enters
 * its channel's queue, or waits to be claimed by hand when the channel has no queue or is off hours
 * (then with the off-hours message). It reacts to domain events (a conversation opened, a visitor's
 * message) and carries the visitor's and agents' lifecycle commands (open, hand-off, claim, close),
 * each of which it hands to the module that owns the decision: routing for anything that holds an
 * agent, conversations for the rest.
 */
export function createConversationFlow(deps: {
  clock: Clock;
  channels: { getChannel(appId: string, channelId: string): Promise<Channel>; faqIndex(appId: string, channelId: string): Promise<FaqIndex> };
  conversations: ConversationsService;
  routing: RoutingService;
}) {
  const { clock, channels, conversations, routing } = deps;

  async function fresh(conversation: Conversation): Promise<Conversation> {
    return (await conversations.findConversation(conversation.appId, conversation.id)) ?? conversation;
  }

  /** A conversation needs a human: its channel's queue while open, else a claim by hand. */
  async function needsHuman(conversation: Conversation): Promise<void> {
    const channel = conversation.channelId ? await channels.getChannel(conversation.appId, conversation.channelId) : undefined;
    if (channel?.queueId && (!channel.hours || isWithinHours(channel.hours, clock.now()))) {
      await routing.arrive(conversation.appId, conversation.id, channel.queueId);
      return;
    }
    if (channel?.queueId && channel.hours) await conversations.sendAs(conversation.appId, conversation.id, 'system', channel.hours.offHoursMessage);
    await routing.arriveToClaim(conversation.appId, conversation.id);
  }

  /**
   * A conversation whose visitor left a message waits to be claimed by hand, however long: taken
   * from the bot, or out of its queue (where the wait could run out), or known to routing now.
   */
  async function keepForAgents(conversation: Conversation): Promise<void> {
    const { appId, id } = conversation;
    if (conversation.routingState === 'bot' && !(await conversations.leaveBot(appId, id))) return keepForAgents(await fresh(conversation));
    try {
      if (conversation.routingState === 'queued' || conversation.routingState === 'offered') await routing.toClaim(appId, id);
      else if (conversation.routingState === 'bot' || conversation.routingState === 'none') await routing.arriveToClaim(appId, id);
    } catch (err) {
      // Already waiting for a claim (or taken by an agent meanwhile): nothing to move.
      if (!(err instanceof DomainError && (err.code === 'FD_ROUTING_SESSION_EXISTS' || err.code === 'FD_ROUTING_AGENT_UNAVAILABLE'))) throw err;
    }
  }

  /** Ends a conversation: routing ends what it holds (freeing the agent, starting wrap-up); the rest closes here. */
  async function end(conversation: Conversation, closeBy: CloseBy): Promise<void> {
    if (conversation.routingState === 'bot') return void (await conversations.close(conversation.appId, conversation.id, closeBy));
    try {
      await routing.end(conversation.appId, conversation.id, closeBy);
    } catch (err) {
      if (!isUnknownToRouting(err)) throw err;
      await conversations.close(conversation.appId, conversation.id, closeBy);
    }
  }

  return {
    /** The visitor opens (or gets) its conversation; a new one is routed before this answers. */
    async open(principal: Principal, input: { channelId?: string | undefined; details?: VisitorDetailsInput | undefined }): Promise<Conversation> {
      return fresh(await conversations.open(principal, input));
    },

    /**
     * The leave-a-message form (SPEC M11, no visitor left behind): nobody could answer (no agent,
     * off hours, the wait ran out), so the visitor leaves their details and a message. It becomes
     * their open conversation, kept for agents until one takes and answers it; the visitor sees the
     * answer when they come back, and the agent has their email or phone to reply by.
     */
    async leaveMessage(principal: Principal, input: Omit<LeaveMessageInput, 'clientId'> & { clientId: string }): Promise<Conversation> {
      const { channelId, ...left } = input;
      const { conversation, opened } = await conversations.leaveMessage(principal, channelId, left);
      // A new one is kept for agents by the `conversation.opened` listener (onOpened).
      if (!opened) await keepForAgents(conversation);
      return fresh(conversation);
    },

    /** The visitor pressed the hand-off button: the bot says its hand-off text and the conversation goes to a human. */
    async handOff(principal: Principal, conversationId: string): Promise<Conversation> {
      const conversation = await conversations.readable(principal, conversationId);
      if (principal.kind !== 'visitor') throw new DomainError('FD_AUTH_FORBIDDEN', 'only the visitor asks for a human');
      if (conversation.status !== 'open') throw new DomainError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
      if (conversation.routingState === 'bot' && (await conversations.leaveBot(conversation.appId, conversation.id))) {
        const channel = conversation.channelId ? await channels.getChannel(conversation.appId, conversation.channelId) : undefined;
        if (channel) await conversations.sendAs(conversation.appId, conversation.id, 'bot', channel.bot.handOffText);
        await needsHuman({ ...conversation, routingState: 'none' });
      }
      return fresh(conversation);
    },

    /**
     * An agent takes a conversation: a routed one through its offer or pool, any other by hand
     * (routing's manual mode), within the agent's capacity; one winner under any concurrency.
     */
    async claim(principal: Principal, conversationId: string): Promise<Conversation> {
      if (principal.kind !== 'agent') throw new DomainError('FD_AUTH_FORBIDDEN', 'only an agent claims a conversation');
      const conversation = await conversations.readable(principal, conversationId);
      if (conversation.agentId === principal.agentId) return conversation;
      if (conversation.status !== 'open') throw new DomainError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
      if (ROUTED.includes(conversation.routingState)) {
        await routing.accept(principal, conversationId);
        return fresh(conversation);
      }
      // Taken from the bot by an agent, or not known to routing yet: it waits to be claimed first.
      if (conversation.routingState === 'bot' && !(await conversations.leaveBot(conversation.appId, conversationId))) return this.claim(principal, conversationId);
      try {
        await routing.claim(principal, conversationId);
      } catch (err) {
        if (!isUnknownToRouting(err)) throw err;
        await routing.arriveToClaim(conversation.appId, conversationId).catch((e: unknown) => {
          if (!(e instanceof DomainError && e.code === 'FD_ROUTING_SESSION_EXISTS')) throw e;
        });
        await routing.claim(principal, conversationId);
      }
      return fresh(conversation);
    },

    /** Ended by a participant (the visitor, the assigned agent) or a supervisor. */
    async close(principal: Principal, conversationId: string): Promise<Conversation> {
      const { conversation, closeBy } = await conversations.closeRequest(principal, conversationId);
      if (conversation.status === 'closed') return conversation;
      await end(conversation, closeBy);
      return fresh(conversation);
    },

    /** Idle end: the notice, then the end by timer, unless the visitor wrote since `idleSinceMs`. */
    async endIfIdle(candidate: { appId: string; id: string }, idleSinceMs: number, notice: { senderType: 'bot' | 'system'; text: string }): Promise<void> {
      const conversation = await conversations.findConversation(candidate.appId, candidate.id);
      if (!conversation || conversation.status === 'closed' || (conversation.lastVisitorMessageAt ?? conversation.createdAt) >= idleSinceMs) return;
      await conversations.sendAs(conversation.appId, conversation.id, notice.senderType, notice.text);
      await end(conversation, 'timer');
    },

    /** After-commit listener of `conversation.opened`: a conversation not left to the bot goes to a human. */
    async onOpened({ conversation }: { conversation: Conversation }): Promise<void> {
      if (conversation.messageLeftAt) await keepForAgents(conversation);
      else if (conversation.routingState === 'none') await needsHuman(conversation);
    },

    /** After-commit listener of `message.created`: the bot answers the visitor's words while it has the conversation. */
    async onMessage({ conversation, message }: { conversation: Conversation; message: Message }): Promise<void> {
      if (conversation.routingState !== 'bot' || !conversation.channelId || message.senderType !== 'visitor' || message.kind !== 'text') return;
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
  };
}

export type ConversationFlow = ReturnType<typeof createConversationFlow>;
