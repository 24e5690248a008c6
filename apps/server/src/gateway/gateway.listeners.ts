import type { Events } from '../events.ts';
import { callView, partiesOf } from '../modules/calls/index.ts';
import { changeAudience } from '../modules/cobrowse/index.ts';
import type { Bus } from '../platform/bus.ts';
import type { Gateway } from './gateway.ts';

/**
 * What reaches sockets, after commit. Events about conversations and users go on the bus, so
 * every node's gateway fans them out to the sockets it holds (fan-out.ts); routing decisions and
 * queue reminders are already followed by every node, which tells its own sockets.
 */
export function registerGatewayListeners(events: Events, gateway: Gateway, bus: Bus): void {
  // A new conversation shows only once routing has placed it (queued, or waiting for a claim by
  // hand, which every agent sees); with the bot it shows at once (to its visitor and supervisors).
  events.onAfterCommit('conversation.opened', 'gateway', ({ conversation }) => {
    if (conversation.routingState === 'bot') bus.publish({ type: 'conversation.updated', conversation });
  });
  events.onAfterCommit('conversation.updated', 'gateway', ({ conversation }) => bus.publish({ type: 'conversation.updated', conversation }));
  events.onAfterCommit('conversation.closed', 'gateway', ({ conversation }) => bus.publish({ type: 'conversation.updated', conversation }));
  events.onAfterCommit('message.created', 'gateway', ({ conversation, message }) => bus.publish({ type: 'message.created', conversation, message }));
  // A rating, during or after the conversation, reaches its agent's open view at once.
  events.onAfterCommit('conversation.rated', 'gateway', ({ appId, rating, agentId }) => {
    if (agentId) bus.publish({ type: 'frame', appId, to: [{ role: 'agent', id: agentId }], frame: { type: 'rating', rating } });
  });
  events.onAfterCommit('channel.delivery-changed', 'gateway', ({ conversation, deliveries }) => bus.publish({ type: 'delivery', conversation, deliveries }));
  events.onAfterCommit('conversation.read', 'gateway', ({ conversation, senderType, senderId, seq }) => bus.publish({ type: 'read', conversation, senderType, senderId, seq }));
  events.onAfterCommit('conversation.typing', 'gateway', ({ conversation, senderType, senderId, isTyping, draft }) =>
    bus.publish({ type: 'typing', conversation, senderType, senderId, isTyping, ...(draft !== undefined ? { draft } : {}) }),
  );
  events.onAfterCommit('agent.logins-replaced', 'gateway', ({ appId, agentId, sessionIds }) => bus.publish({ type: 'agent.sessions.replaced', appId, agentId, sessionIds }));
  events.onAfterCommit('user.data-pushed', 'gateway', ({ appId, userId, data }) => bus.publish({ type: 'transparent', appId, userId, data }));
  events.onAfterCommit('user.kicked', 'gateway', ({ appId, userId }) => bus.publish({ type: 'kick', appId, userId }));
  events.onAfterCommit('routing.decided', 'gateway', (decided) => gateway.onRoutingDecided(decided));
  events.onAfterCommit('visitor.queue-position', 'gateway', ({ appId, visitorId, frame }) => gateway.toVisitor(appId, visitorId, frame));
  // A call decided: its parties (and supervisors) see it as it stands; each agent hears its notices.
  events.onAfterCommit('call.decided', 'gateway', ({ appId, call, actions, room }) => {
    bus.publish({ type: 'call', call: callView(appId, call, room !== null), to: partiesOf(call) });
    for (const action of actions) {
      if (action.type !== 'notify') continue;
      const frame = { type: 'call.notice' as const, callId: action.callId, code: action.code, previous: action.previous, tccc: action.tccc ?? null, about: action.about ?? null };
      bus.publish({ type: 'frame', appId, to: [{ role: 'agent', id: action.agentId }], frame });
    }
  });
  // Supervision reaches staff only: each agent id named (the agent, supervisors), never a visitor.
  events.onAfterCommit('supervision.whispered', 'gateway', ({ appId, whisper, to }) => {
    bus.publish({ type: 'frame', appId, to: to.map((id) => ({ role: 'agent', id })), frame: { type: 'whisper', whisper } });
  });
  events.onAfterCommit('supervision.changed', 'gateway', ({ appId, step, to }) => {
    bus.publish({ type: 'frame', appId, to: to.map((id) => ({ role: 'agent', id })), frame: { type: 'supervision', step } });
  });
  events.onAfterCommit('call.media-ready', 'gateway', ({ call }) => bus.publish({ type: 'call', call, to: call.participants.map((p) => ({ role: p.role, id: p.userId })) }));
  events.onAfterCommit('call.signal', 'gateway', ({ appId, to, frame }) => bus.publish({ type: 'frame', appId, to: [to], frame }));
  // A photo request to the visitor's page; its outcome (the photo, or snapShotDisabled) to the agents in the call.
  events.onAfterCommit('capture.relayed', 'gateway', ({ appId, to, frame }) => bus.publish({ type: 'frame', appId, to, frame }));
  // Co-browse: a session's change to its visitor, the conversation's agent and its viewers; the
  // visitor's page is asked for a fresh snapshot when someone (re)joins; relays to whom they name.
  events.onAfterCommit('cobrowse.changed', 'gateway', (event) => {
    bus.publish({ type: 'frame', appId: event.appId, to: changeAudience(event), frame: { type: 'cobrowse', session: event.session } });
    if (event.snapshotNeeded) bus.publish({ type: 'frame', appId: event.appId, to: [{ role: 'visitor', id: event.session.visitorId }], frame: { type: 'cobrowse.snapshot-request', sessionId: event.session.id } });
  });
  events.onAfterCommit('cobrowse.relayed', 'gateway', ({ appId, to, frame }) => bus.publish({ type: 'frame', appId, to, frame }));
}
