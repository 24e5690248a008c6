import { MANUAL_QUEUE_ID, type Decided } from '../routing/index.ts';
import type { OutboxEvent } from './outbox.ts';

/**
 * What the business backend hears of routing decisions (webhooks). Conversation events are
 * ordered per conversation, status changes per agent. An end is told by the conversation's close.
 * Waiting to be claimed by hand is not queueing (no `routing.queued`); a claim by hand is an
 * assignment without a queue (`queueId` null).
 */
export function webhookEventsOf({ appId, at, actions }: Decided): OutboxEvent[] {
  return actions.flatMap((action): OutboxEvent[] => {
    // Calls have their own webhook events (call.state_changed), from the calls module.
    if (action.subject === 'call') return [];
    switch (action.type) {
      case 'session.queued':
        if (action.queueId === MANUAL_QUEUE_ID) return [];
        return [{ appId, type: 'routing.queued', orderingKey: action.sessionId, data: { conversationId: action.sessionId, queueId: action.queueId, fromQueueId: action.fromQueueId ?? null, trigger: action.trigger ?? null, at } }];
      case 'offer':
        return [{ appId, type: 'routing.offered', orderingKey: action.sessionId, data: { conversationId: action.sessionId, agentId: action.agentId, expiresAt: action.expiresAt, at } }];
      case 'assign':
        return [{ appId, type: 'conversation.assigned', orderingKey: action.sessionId, data: { conversationId: action.sessionId, agentId: action.agentId, queueId: action.queueId === MANUAL_QUEUE_ID ? null : action.queueId, at } }];
      case 'unassign':
        return [{ appId, type: 'conversation.transferred', orderingKey: action.sessionId, data: { conversationId: action.sessionId, fromAgentId: action.agentId, at } }];
      case 'session.released':
        return [{ appId, type: 'routing.released', orderingKey: action.sessionId, data: { conversationId: action.sessionId, queueId: action.queueId, trigger: action.trigger, message: action.message ?? null, at } }];
      case 'agent.status':
        return [{ appId, type: 'agent.status_changed', orderingKey: `agent:${action.agentId}`, data: { agentId: action.agentId, from: action.from, to: action.to, reason: action.reason ?? null, at } }];
      default:
        return [];
    }
  });
}
