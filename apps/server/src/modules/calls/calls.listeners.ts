import type { Events, TxContext } from '../../events.ts';
import type { Bus } from '../../platform/bus.ts';
import type { Logger } from '../../platform/logger.ts';
import { MANUAL_QUEUE_ID, type Decided, type RoutingService } from '../routing/index.ts';
import type { CallShell } from './call-shell.ts';
import type { CallStore } from './call-store.ts';
import type { createCallEffects } from './call-effects.ts';
import type { CallEvent } from './engine/types.ts';

/** Routing's decisions about calls, as the call engine's routing events. */
function callEventsOf(decided: Decided): { callId: string; event: CallEvent }[] {
  const out: { callId: string; event: CallEvent }[] = [];
  for (const action of decided.actions) {
    if (action.subject !== 'call' || !('sessionId' in action)) continue;
    const callId = action.sessionId;
    switch (action.type) {
      case 'session.queued':
        if (action.queueId !== MANUAL_QUEUE_ID) out.push({ callId, event: { type: 'routing.queued', callId, queueId: action.queueId } });
        break;
      case 'offer':
        out.push({ callId, event: { type: 'routing.offered', callId, agentId: action.agentId, expiresAt: action.expiresAt } });
        break;
      case 'offer.withdrawn':
        out.push({ callId, event: { type: 'routing.offer_withdrawn', callId, agentId: action.agentId, reason: action.reason } });
        break;
      case 'assign':
        out.push({ callId, event: { type: 'routing.assigned', callId, agentId: action.agentId } });
        break;
      case 'session.released':
        out.push({ callId, event: { type: 'routing.released', callId, reason: action.trigger } });
        break;
      default:
        break;
    }
  }
  return out;
}

/** What calls do when routing decides, a call is decided, or a conversation closes. */
export function registerCallListeners(
  events: Events,
  deps: { shell: CallShell; store: CallStore; effects: ReturnType<typeof createCallEffects>; routing: Pick<RoutingService, 'endIfLive'>; bus: Pick<Bus, 'publish'>; log: Logger },
): void {
  const { shell, store, effects, routing, bus, log } = deps;
  /** Offers routing made for calls that had ended meanwhile: their routing sessions end after commit (deciding node only). */
  const orphans: { appId: string; callId: string }[] = [];

  // Routing decides about a call's session; the call follows in the routing transaction.
  events.onInTransaction('routing.decided', 'calls: apply routing decisions', async (decided, ctx: TxContext) => {
    for (const { callId, event } of callEventsOf(decided)) {
      const { rejection } = await shell.decideIn(ctx, decided.appId, callId, event);
      // An outbound call's session is assigned before its call exists; only an offer of a gone call is an orphan.
      if (event.type === 'routing.offered' && (rejection?.code === 'FD_CALL_ENDED' || rejection?.code === 'FD_CALL_NOT_FOUND')) orphans.push({ appId: decided.appId, callId });
    }
  });
  events.onAfterCommit('routing.decided', 'calls: end orphan call sessions', async () => {
    for (const { appId, callId } of orphans.splice(0)) await routing.endIfLive(appId, callId, 'admin');
  });

  events.onAfterCommit('call.decided', 'calls: routing and media', (event) => effects.onDecided(event));

  // Forwarding changed (supervision, consult): every node's relay re-checks the legs it holds (index.ts).
  events.onAfterCommit('call.forwarding-changed', 'calls: every node re-checks its legs', ({ appId, callId }) => bus.publish({ type: 'call.forwarding-changed', appId, callId }));

  // A conversation that ends takes its call with it: the visitor hangs up (the call's own end codes follow).
  events.onAfterCommit('conversation.closed', 'calls: end the conversation call', async ({ conversation }) => {
    const live = await store.liveOfConversation(conversation.appId, conversation.id);
    if (!live) return;
    const visitor = live.state.participants.find((p) => p.role === 'visitor' && p.leg !== 'left');
    const { rejection } = await shell.decide(conversation.appId, live.state.id, { type: 'call.hang_up', callId: live.state.id, by: { role: visitor ? 'visitor' : 'agent', id: visitor?.userId ?? live.state.mainAgentId ?? '' } });
    if (rejection) log.warn({ callId: live.state.id, code: rejection.code }, 'could not end the call of a closed conversation');
  });
}
