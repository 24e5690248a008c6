import type { CloseBy, Conversation, Message } from '@frontdesk/protocol';
import type { Bus } from '../../platform/bus.ts';
import type { Tx } from '../../platform/storage/storage.ts';
import { toConversation, type ConversationRow } from './conversations.repository.ts';

export type Published = Parameters<Bus['publish']>[0];

/** The routing decisions conversations act on (the routing core's actions, structurally). */
export type RoutingDecision =
  | { type: 'session.queued'; sessionId: string; queueId: string }
  | { type: 'offer'; sessionId: string; agentId: string }
  | { type: 'offer.withdrawn'; sessionId: string; reason: string }
  | { type: 'assign'; sessionId: string; agentId: string; queueId: string }
  | { type: 'unassign'; sessionId: string; agentId: string }
  | { type: 'session.released'; sessionId: string; message?: string | undefined }
  | { type: 'session.ended'; sessionId: string; closeBy: CloseBy }
  | { type: 'pool.visible' | 'pool.hidden' | 'session.escalated' | 'agent.status' };

interface PortDeps {
  appendMessage(tx: Tx, appId: string, conversationId: string, input: { clientId: null; senderType: 'system'; senderId: null; kind: 'system'; text: string }): Promise<{ message: Message; conversation: Conversation }>;
  findRow(appId: string, conversationId: string, tx: Tx): Promise<ConversationRow | undefined>;
  closeInTx(tx: Tx, appId: string, conversationId: string, closeBy: CloseBy, routingState: 'ended' | 'released', notice?: string): Promise<{ events: Published[] }>;
  publish(events: Published[]): void;
}

/**
 * Routing decisions applied to conversations (sessions are conversations, same id), inside the
 * routing transaction: routing state, queue, assigned agent, join/leave notices and the close.
 * Returns what to publish once the transaction commits.
 */
export function createConversationRoutingPort({ appendMessage, findRow, closeInTx, publish }: PortDeps) {
  async function setRouting(tx: Tx, appId: string, conversationId: string, values: Partial<ConversationRow>): Promise<Published | undefined> {
    await tx.updateTable('conversations').set(values).where('app_id', '=', appId).where('id', '=', conversationId).where('status', '=', 'open').execute();
    const row = await findRow(appId, conversationId, tx);
    return row ? { type: 'conversation.updated', conversation: toConversation(row) } : undefined;
  }

  async function applyRouting(tx: Tx, decided: { appId: string; at: number; actions: readonly RoutingDecision[] }): Promise<() => void> {
    const { appId, at } = decided;
    const events: Published[] = [];
    const push = (e: Published | undefined) => e && events.push(e);
    for (const action of decided.actions) {
      switch (action.type) {
        case 'session.queued':
          push(await setRouting(tx, appId, action.sessionId, { routing_state: 'queued', queue_id: action.queueId, agent_id: null, updated_at: at }));
          break;
        case 'offer':
          push(await setRouting(tx, appId, action.sessionId, { routing_state: 'offered', updated_at: at }));
          break;
        case 'offer.withdrawn':
          if (action.reason === 'declined' || action.reason === 'timed_out' || action.reason === 'unavailable') {
            push(await setRouting(tx, appId, action.sessionId, { routing_state: 'queued', updated_at: at }));
          }
          break;
        case 'assign':
        case 'unassign': {
          const joined = action.type === 'assign';
          await setRouting(tx, appId, action.sessionId, joined ? { routing_state: 'assigned', agent_id: action.agentId, queue_id: action.queueId, updated_at: at } : { agent_id: null, updated_at: at });
          const appended = await appendMessage(tx, appId, action.sessionId, { clientId: null, senderType: 'system', senderId: null, kind: 'system', text: joined ? 'agent.joined' : 'agent.left' });
          events.push({ type: 'message.created', conversation: appended.conversation, message: appended.message });
          events.push({ type: 'conversation.updated', conversation: appended.conversation });
          break;
        }
        case 'session.released':
        case 'session.ended': {
          const row = await findRow(appId, action.sessionId, tx);
          if (!row) break;
          if (row.status === 'closed') {
            await tx.updateTable('conversations').set({ routing_state: 'ended' }).where('app_id', '=', appId).where('id', '=', action.sessionId).execute();
            break;
          }
          const released = action.type === 'session.released';
          const closed = await closeInTx(tx, appId, action.sessionId, released ? 'timer' : action.closeBy, released ? 'released' : 'ended', released ? action.message : undefined);
          events.push(...closed.events);
          break;
        }
      }
    }
    return () => publish(events);
  }

  return { apply: applyRouting };
}
