import type { Decided } from '../routing/index.ts';
import { MANUAL_QUEUE_ID } from '../routing/index.ts';
import type { TxContext } from '../../events.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { MessageStore } from './message-store.ts';

/**
 * Routing decisions applied to conversations (a routing session is a conversation, same id), in
 * the routing transaction: routing state, queue, assigned agent, join/leave notices and the close.
 * A conversation claimed by hand (the manual queue) keeps the routing state `none`, which tells
 * every agent it was not routed by a queue (they all see it until one claims it).
 */
export async function applyRoutingDecisions(ctx: TxContext, decided: Decided, { lifecycle, store }: { lifecycle: Lifecycle; store: MessageStore }): Promise<void> {
  const { appId, at } = decided;
  for (const action of decided.actions) {
    // A call is a routing session of its own; its decisions are the calls module's.
    if (action.subject === 'call') continue;
    switch (action.type) {
      case 'session.queued':
        if (action.queueId === MANUAL_QUEUE_ID) await lifecycle.updateRouting(ctx, appId, action.sessionId, { routing_state: 'none', queue_id: null, agent_id: null, updated_at: at });
        else await lifecycle.updateRouting(ctx, appId, action.sessionId, { routing_state: 'queued', queue_id: action.queueId, agent_id: null, updated_at: at });
        break;
      case 'offer':
        await lifecycle.updateRouting(ctx, appId, action.sessionId, { routing_state: 'offered', updated_at: at });
        break;
      case 'offer.withdrawn':
        if (action.reason === 'declined' || action.reason === 'timed_out' || action.reason === 'unavailable') {
          await lifecycle.updateRouting(ctx, appId, action.sessionId, { routing_state: 'queued', updated_at: at });
        }
        break;
      case 'assign':
      case 'unassign': {
        const joined = action.type === 'assign';
        const byHand = joined && action.queueId === MANUAL_QUEUE_ID;
        await lifecycle.updateRouting(
          ctx,
          appId,
          action.sessionId,
          joined ? { routing_state: byHand ? 'none' : 'assigned', agent_id: action.agentId, queue_id: byHand ? null : action.queueId, updated_at: at } : { agent_id: null, updated_at: at },
          { announce: false },
        );
        // The notice first (naming the agent who joined or left, as `senderId`), then the conversation
        // as it stands after it (its lastSeq counts the notice).
        const appended = await store.append(ctx, appId, action.sessionId, { clientId: null, senderType: 'system', senderId: action.agentId, kind: 'system', text: joined ? 'agent.joined' : 'agent.left' });
        await ctx.emit('conversation.updated', { conversation: appended.conversation });
        break;
      }
      case 'session.released':
        // NOTE: never a silent end: without the queue's own message the visitor is told, in their
        // language, that nobody could take the conversation and to start a new one later.
        await lifecycle.closeInTx(ctx, appId, action.sessionId, 'timer', 'released', action.message || { code: `conversation.released:${action.trigger}` });
        break;
      case 'session.ended':
        await lifecycle.closeInTx(ctx, appId, action.sessionId, action.closeBy, 'ended');
        break;
    }
  }
}
