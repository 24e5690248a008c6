import { CLOSE_CODES, type Message, type ServerFrame } from '@frontdesk/protocol';
import type { BusEvent } from '../platform/bus.ts';
import { hasRole } from '../platform/principal.ts';
import type { Decided } from '../modules/routing/index.ts';
import { MAX_BUFFERED_BYTES, type Connection } from './connection.ts';
import type { ConnectionRegistry } from './registry.ts';

/** How long the message events seen are remembered, at least. */
const EVENT_MEMORY_MS = 60_000;

export interface EventMark {
  seen: number;
  at: number;
}

/**
 * Who on this node hears what: the audience of every event, in one place. Bus events come from
 * every node (the same fan-out runs on each); routing decisions reach each node by its own replay
 * of the routing log, so they are sent to this node's sockets directly.
 */
export function createFanOut(registry: ConnectionRegistry, close: (conn: Connection, code: number, reason: string) => void) {
  function socketsOfUser(appId: string, userId: string): Connection[] {
    return [...registry.visitor(userId), ...registry.agent(userId)].filter((conn) => conn.appId === appId);
  }

  /** The app's sockets of these users on this node, each once. */
  function socketsOfParties(appId: string, parties: readonly { role: 'visitor' | 'agent'; id: string }[]): Set<Connection> {
    const found = new Set<Connection>();
    for (const party of parties) for (const conn of party.role === 'visitor' ? registry.visitor(party.id) : registry.agent(party.id)) if (conn.appId === appId) found.add(conn);
    return found;
  }

  function sendToAgent(agentId: string, frame: ServerFrame | string): void {
    for (const conn of registry.agent(agentId)) conn.send(frame);
  }

  /**
   * The message events this node has seen, by conversation, for the last minute or more: a hello
   * marks the count before it reads the conversations it follows, and a conversation no event of
   * which came since is sent nothing from storage (its read is up to date). NOTE: a catch-up read
   * for each conversation of each hello was 40,000 reads when 19,900 sockets came back at once.
   */
  let seen = 0;
  let recent = new Map<string, number>();
  let older = new Map<string, number>();
  let rotatedAt = performance.now();
  function recordMessageEvent(conversationId: string): void {
    if (performance.now() - rotatedAt >= EVENT_MEMORY_MS) {
      older = recent;
      recent = new Map();
      rotatedAt = performance.now();
    }
    recent.set(conversationId, ++seen);
  }

  function deliverSafely(conn: Connection, message: Message, serialized: string): void {
    if (conn.socket.bufferedAmount > MAX_BUFFERED_BYTES) return close(conn, CLOSE_CODES.slowConsumer, 'FD_REQ_RATE_LIMITED');
    conn.deliver(message, serialized);
  }

  return {
    /** Where the message events stand now: take it before reading what a socket will follow. */
    mark(): EventMark {
      return { seen, at: performance.now() };
    },
    /** Whether a message event of the conversation came since the mark (true when the mark is too old to tell). */
    movedSince(conversationId: string, mark: EventMark): boolean {
      if (performance.now() - mark.at >= EVENT_MEMORY_MS) return true;
      return (recent.get(conversationId) ?? older.get(conversationId) ?? 0) > mark.seen;
    },

    /** An event of the bus (this node's or another's). */
    onBusEvent(event: BusEvent): void {
      switch (event.type) {
        case 'kick':
          for (const conn of socketsOfUser(event.appId, event.userId)) {
            conn.send({ type: 'kicked', reason: 'admin' });
            close(conn, CLOSE_CODES.kickedOut, 'FD_WS_KICKED_OUT');
          }
          return;
        case 'agent.sessions.replaced': {
          // A newer login of this agent (on any node) replaced these sessions (SPEC M6, TCCC kickedOut).
          const replaced = new Set(event.sessionIds);
          for (const conn of registry.agent(event.agentId)) {
            if (conn.appId !== event.appId || conn.principal?.kind !== 'agent' || !conn.principal.sessionId || !replaced.has(conn.principal.sessionId)) continue;
            conn.send({ type: 'kicked', reason: 'replaced' });
            close(conn, CLOSE_CODES.sessionReplaced, 'FD_AUTH_SESSION_REPLACED');
          }
          return;
        }
        case 'call': {
          const serialized = JSON.stringify({ type: 'call', call: event.call });
          const sent = socketsOfParties(event.call.appId, event.to);
          for (const conn of registry.supervisorsOfApp(event.call.appId)) sent.add(conn);
          for (const conn of sent) conn.send(serialized);
          return;
        }
        case 'call.forwarding-changed':
          // For the calls module's media relay (calls.listeners.ts), no socket's.
          return;
        case 'frame': {
          const serialized = JSON.stringify(event.frame);
          for (const conn of socketsOfParties(event.appId, event.to)) conn.send(serialized);
          return;
        }
        case 'transparent': {
          const serialized = JSON.stringify({ type: 'transparent', data: event.data });
          for (const conn of socketsOfUser(event.appId, event.userId)) conn.send(serialized);
          return;
        }
        case 'message.created': {
          // The conversation's participants (its visitor and its agent), and the agents it rings for,
          // is pooled for or waits for (inbox previews and unread counts before anyone takes it).
          recordMessageEvent(event.conversation.id);
          const serialized = JSON.stringify({ type: 'message', message: event.message });
          const sent = new Set<Connection>();
          for (const conn of registry.participants(event.conversation)) sent.add(conn);
          for (const conn of registry.watchersOf(event.conversation.id)) sent.add(conn);
          for (const conn of sent) deliverSafely(conn, event.message, serialized);
          return;
        }
        case 'conversation.updated': {
          const { conversation } = event;
          const serialized = JSON.stringify({ type: 'conversation', conversation });
          for (const conn of registry.visitorsOf(conversation)) conn.send(serialized);
          if (conversation.status === 'closed') registry.unwatch(conversation.id);
          // Conversations to be claimed by hand: every agent sees them. Routed ones reach agents
          // through offers and pools; their updates go to the assigned agent and supervisors.
          if (conversation.routingState === 'none') {
            for (const conn of registry.agentsOfApp(conversation.appId)) conn.send(serialized);
            return;
          }
          // An agent it left (a transfer, a requeue, the end) is told once, unless it is a supervisor told below.
          for (const conn of registry.formerHolders(conversation)) if (!hasRole(conn.principal!, 'supervisor')) conn.send(serialized);
          if (conversation.status === 'open') registry.hold(conversation.id, registry.agentsOf(conversation));
          else registry.release(conversation.id);
          for (const conn of registry.agentsOf(conversation)) conn.send(serialized);
          for (const conn of registry.supervisorsOfApp(conversation.appId)) if (conn.principal?.kind === 'agent' && conn.principal.agentId !== conversation.agentId) conn.send(serialized);
          return;
        }
        case 'delivery': {
          // Staff only (the customer is on the provider's app): its agent, agents watching it, supervisors.
          const { conversation } = event;
          const serialized = JSON.stringify({ type: 'delivery', conversationId: conversation.id, deliveries: event.deliveries });
          const sent = new Set<Connection>([...registry.agentsOf(conversation), ...registry.watchersOf(conversation.id), ...registry.supervisorsOfApp(conversation.appId)]);
          for (const conn of sent) if (conn.appId === conversation.appId && conn.principal?.kind === 'agent') conn.send(serialized);
          return;
        }
        case 'typing':
        case 'read': {
          // The other side of the conversation.
          const { type: _type, conversation, ...payload } = event;
          const serialized = JSON.stringify({ type: event.type, conversationId: conversation.id, ...payload });
          const others = event.senderType === 'visitor' ? new Set([...registry.agentsOf(conversation), ...registry.watchersOf(conversation.id)]) : registry.visitorsOf(conversation);
          for (const conn of others) conn.send(serialized);
          return;
        }
      }
    },

    /** Routing decisions, this node's or replayed from another's: offers, pools, status, assignments. */
    onRoutingDecided({ appId, at, actions }: Decided): void {
      for (const action of actions) {
        // A call rings and follows through the calls module's own frames.
        if (action.subject === 'call') continue;
        switch (action.type) {
          case 'offer':
            sendToAgent(action.agentId, { type: 'offer', conversationId: action.sessionId, expiresAt: action.expiresAt });
            break;
          case 'offer.withdrawn':
            registry.unwatch(action.sessionId, action.agentId);
            sendToAgent(action.agentId, { type: 'offer.withdrawn', conversationId: action.sessionId, reason: action.reason });
            break;
          case 'pool.visible':
          case 'pool.hidden':
            for (const agentId of action.agentIds) {
              if (action.type === 'pool.hidden') registry.unwatch(action.sessionId, agentId);
              sendToAgent(agentId, { type: 'pool', conversationId: action.sessionId, visible: action.type === 'pool.visible' });
            }
            break;
          case 'assign':
            // Taken: the agents who only watched it (offer, pool, a claim by hand) no longer do.
            registry.unwatch(action.sessionId);
            // The agent's sockets follow the conversation from its start: the bot transcript too.
            for (const conn of registry.agent(action.agentId)) conn.follow(action.sessionId, 0);
            break;
          case 'unassign':
            // Moved away from this agent (a transfer, a requeue): it stops getting the messages.
            registry.unwatch(action.sessionId, action.agentId);
            break;
          case 'agent.status': {
            // To the agent and to supervisors: a status broadcast to every agent would cost N² frames.
            const serialized = JSON.stringify({ type: 'agent.status', agentId: action.agentId, from: action.from, status: action.to, reason: action.reason ?? null, at });
            sendToAgent(action.agentId, serialized);
            for (const conn of registry.supervisorsOfApp(appId)) if (conn.principal?.kind === 'agent' && conn.principal.agentId !== action.agentId) conn.send(serialized);
            break;
          }
        }
      }
    },

    /** A frame for the app's supervisors (and admins) on this node (the wallboard: each node pushes to its own). */
    toSupervisors(appId: string, frame: ServerFrame): void {
      const serialized = JSON.stringify(frame);
      for (const conn of registry.supervisorsOfApp(appId)) conn.send(serialized);
    },

    /** A frame for one visitor's sockets on this node (queue reminders: each node reminds its own). */
    toVisitor(appId: string, visitorId: string, frame: ServerFrame): void {
      for (const conn of registry.visitor(visitorId)) if (conn.appId === appId) conn.send(frame);
    },
  };
}
