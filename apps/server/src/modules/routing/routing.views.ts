import type { AgentState, Area, Queue } from '@frontdesk/protocol';
import type { RoutingEngine } from './engine/engine.ts';

/** Live views over this node's copy of the core (SPEC M17, M21); pure, read-only. */

export function agentStateOf(engine: RoutingEngine, agentId: string): AgentState {
  const agent = engine.agents.get(agentId);
  if (!agent) return { agentId, status: 'offline', reason: null, load: 0, maxConcurrent: 0, sessions: [] };
  const view = (id: string, state: 'offered' | 'assigned') => {
    const session = engine.sessions.get(id)!;
    return { conversationId: id, queueId: session.queueId, state, ...(session.subject === 'call' ? { subject: 'call' as const } : {}) };
  };
  const sessions: AgentState['sessions'] = [...agent.sessions].map((id) => view(id, 'assigned'));
  if (agent.offer) sessions.push(view(agent.offer, 'offered'));
  return { agentId, status: agent.status, reason: agent.reason ?? null, load: engine.loadOf(agent), maxConcurrent: agent.maxConcurrent, sessions };
}

/** Per queue, per area and per agent, in one pass over sessions and agents. */
export function overviewOf(engine: RoutingEngine, queues: readonly Queue[], areas: readonly Area[], nowMs: number) {
  const longestWaitMs = new Map<string, number>();
  const guests = new Map<string, number>();
  let activeConversations = 0;
  for (const s of engine.sessions.values()) {
    if (s.phase === 'ended' || s.phase === 'released') continue;
    activeConversations++;
    guests.set(s.queueId, (guests.get(s.queueId) ?? 0) + 1);
    if (s.phase === 'waiting') longestWaitMs.set(s.queueId, Math.max(longestWaitMs.get(s.queueId) ?? 0, nowMs - s.queuedAt));
  }
  const freeAgents = new Map<string, number>();
  for (const a of engine.agents.values()) {
    if (a.status === 'free') for (const queueId of Object.keys(a.skills)) freeAgents.set(queueId, (freeAgents.get(queueId) ?? 0) + 1);
  }
  const live = queues.map((q) => {
    const config = engine.queues.get(q.id);
    return {
      queueId: q.id,
      name: q.name,
      areaId: q.areaId,
      queued: engine.queuedCount(q.id),
      longestWaitMs: longestWaitMs.get(q.id) ?? 0,
      signedInAgents: engine.signedInCount(q.id),
      freeAgents: freeAgents.get(q.id) ?? 0,
      occupancyPercent: Math.round(engine.occupancyPercent(q.id) * 10) / 10,
      maxQueueLength: config ? engine.maxQueueLength(config) : 0,
    };
  });
  const agents = [...engine.agents.keys()].map((id) => agentStateOf(engine, id));
  return {
    queues: live,
    areas: areas.map((area) => {
      const inArea = live.filter((q) => q.areaId === area.id);
      const signedIn = [...engine.agents.values()].filter((a) => a.presence !== 'offline' && inArea.some((q) => a.skills[q.queueId] !== undefined));
      return {
        areaId: area.id,
        name: area.name,
        agents: signedIn.length,
        guests: inArea.reduce((n, q) => n + (guests.get(q.queueId) ?? 0), 0),
        queued: inArea.reduce((n, q) => n + q.queued, 0),
        queues: inArea.length,
      };
    }),
    agents,
    onlineAgents: agents.filter((a) => a.status !== 'offline').length,
    activeConversations,
  };
}
