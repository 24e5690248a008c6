import { DeadlineHeap } from './deadlines.ts';
import {
  RoutingRejection,
  type AgentConfig,
  type AgentPresence,
  type AgentStatus,
  type CloseBy,
  type OverflowTrigger,
  type QueueConfig,
  type RoutingAction,
  type RoutingEvent,
} from './types.ts';
import { servesBefore, WaitList } from './wait-list.ts';

export interface AgentState extends AgentConfig {
  presence: AgentPresence;
  reason: string | undefined;
  status: AgentStatus;
  sessions: Set<string>;
  /** The push offer this agent is ringing with; one at a time. */
  offer: string | null;
  missedOffers: number;
  /** Since when the agent has had no session (longest idle is served first among equals). */
  idleSince: number;
  wrapUpUntil: number | null;
}

export type SessionPhase = 'waiting' | 'offered' | 'assigned' | 'ended' | 'released';

export interface SessionState {
  id: string;
  queueId: string;
  /** Effective priority: the queue's plus the session's own. */
  priority: number;
  ownPriority: number;
  arrivedAt: number;
  order: number;
  queuedAt: number;
  phase: SessionPhase;
  agentId: string | null;
  offerExpiresAt: number;
  /** When its current assignment began (max talk time counts from it). */
  assignedAt: number;
  declined: Set<string>;
  /** Escalation steps applied in the current queue. */
  step: number;
  minLevel: number;
  extraQueueIds: string[];
  hops: number;
  visibleTo: Set<string>;
}

const MAX_OVERFLOW_HOPS = 5;
const TERMINAL: readonly SessionPhase[] = ['ended', 'released'];
/** Assignments per queue that `estimatedWaitMs` averages over. */
const SERVED_WINDOW = 20;

/**
 * The ACD decision core. `handle(event, now)` applies one event and returns the decisions
 * it caused, in order. Deterministic, no I/O: the shell persists the actions in one
 * transaction, tells clients, and calls `handle({type:'tick'}, now)` at `nextDeadline()`.
 *
 * Invariants (property-tested): an offer or session is held by at most one agent; an
 * agent's load (sessions + ringing offer) never exceeds its capacity; in push mode no
 * session waits while an eligible agent has capacity; sessions are served by priority,
 * then arrival; every session ends in exactly one terminal state; wrap-up ends in free.
 *
 * `queues`, `agents` and `sessions` are for reading: the private indexes that keep an event's
 * cost independent of the number of agents and waiting sessions assume every change comes
 * through `handle` (or `forgetEnded`).
 */
export class RoutingEngine {
  readonly queues = new Map<string, QueueConfig>();
  readonly agents = new Map<string, AgentState>();
  readonly sessions = new Map<string, SessionState>();
  /** queue id → sessions its agents may take (its own, and others' escalated into it). */
  private readonly waiting = new Map<string, WaitList<SessionState>>();
  /** queue id → its own waiting sessions only, for positions and counts without a scan. */
  private readonly queued = new Map<string, WaitList<SessionState>>();
  /** queue id → agents with that skill. */
  private readonly members = new Map<string, Set<string>>();
  /** agent id → place in `agents` (insertion order), so pool views list agents as a scan of `agents` would. */
  private readonly agentOrder = new Map<string, number>();
  /** Agents that could take an offer now (available, no wrap-up, no ringing offer, below capacity),
   * kept up to date for the agents in `changedAgents` at the start of every dispatch. */
  private readonly free = new Set<AgentState>();
  /** queue id → the free agents with that skill. */
  private readonly freeMembers = new Map<string, Set<AgentState>>();
  /** Agents and waiting sessions changed since the last dispatch. A dispatch ends with no free
   * agent eligible for a waiting push session, so any new pair involves one of them. */
  private readonly changedAgents = new Set<AgentState>();
  private readonly changedSessions = new Set<SessionState>();
  /** agent id → the pool sessions it sees (the reverse of `visibleTo`). */
  private readonly poolViews = new Map<string, Set<SessionState>>();
  /** queue id → when its last SERVED_WINDOW sessions were assigned, oldest first. */
  private readonly served = new Map<string, number[]>();
  /** Sessions in the order they reached a terminal phase, with when; `forgetEnded` drops from the front. */
  private readonly terminated: { session: SessionState; at: number }[] = [];
  private terminatedHead = 0;
  private readonly deadlines = new DeadlineHeap();
  private order = 0;
  private now = 0;
  private actions: RoutingAction[] = [];
  private touched = new Set<string>();

  /**
   * Fires the timers due by `now`, applies the event, offers what can be offered. A command
   * the state does not allow comes back as `rejection`, with the timer decisions still in `actions`.
   */
  handle(event: RoutingEvent, now: number): { actions: RoutingAction[]; rejection?: RoutingRejection } {
    this.now = Math.max(this.now, now);
    this.actions = [];
    this.touched = new Set();
    let rejection: RoutingRejection | undefined;
    this.fireDueDeadlines();
    try {
      this.apply(event);
    } catch (err) {
      if (!(err instanceof RoutingRejection)) throw err;
      rejection = err;
    }
    this.emitStatusChanges();
    this.dispatch();
    this.emitStatusChanges();
    return rejection ? { actions: this.actions, rejection } : { actions: this.actions };
  }

  /** When the shell should send the next `tick`, if anything is pending. */
  nextDeadline(): number | undefined {
    while (this.deadlines.size > 0 && !this.isLive(this.deadlines.peek()!)) this.deadlines.pop();
    return this.deadlines.peek()?.at;
  }

  /**
   * Drops the sessions that reached a terminal phase ('ended' or 'released') at least
   * `olderThanMs` before the engine's clock (the latest `now` given to `handle`), so a
   * long-running process does not keep every session it ever routed. Returns how many it dropped.
   *
   * A dropped session is unknown afterwards: commands naming it are refused with
   * FD_ROUTING_SESSION_NOT_FOUND instead of FD_ROUTING_SESSION_ENDED, and its id may arrive
   * again as a new session. What is dropped depends only on the engine's state and the `now`
   * values it was given, so nodes replaying the same event log stay identical when they call
   * it with the same argument after the same events (after every tick, say).
   */
  forgetEnded(olderThanMs = 0): number {
    const cutoff = this.now - olderThanMs;
    let dropped = 0;
    while (this.terminatedHead < this.terminated.length) {
      const { session, at } = this.terminated[this.terminatedHead]!;
      if (at > cutoff) break;
      this.terminatedHead++;
      // Only this very session: its id may have been forgotten and have arrived again since.
      if (this.sessions.get(session.id) === session) {
        this.sessions.delete(session.id);
        dropped++;
      }
    }
    // Compact once the dropped front outweighs the rest, keeping each drop O(1) amortized.
    if (this.terminatedHead > this.terminated.length / 2) {
      this.terminated.splice(0, this.terminatedHead);
      this.terminatedHead = 0;
    }
    return dropped;
  }

  // ── queries ────────────────────────────────────────────────────────────────────────

  /** 1-based place of a waiting session in its queue, 0 when it is not waiting. */
  positionOf(sessionId: string): number {
    const s = this.sessions.get(sessionId);
    if (!s || s.phase !== 'waiting') return 0;
    return this.queued.get(s.queueId)?.positionOf(s) ?? 0;
  }

  /**
   * About how long a waiting session will still wait, in ms: its position × the time one place
   * takes, i.e. the time from the oldest of its queue's last SERVED_WINDOW assignments (offers
   * accepted, pool picks, waiting sessions transferred to an agent) to the engine's clock, divided
   * by their number. Counting up to the clock makes a queue nobody serves any more look slower
   * and slower. Undefined when the session is not waiting, or its queue has no assignment before
   * the engine's clock to go by. (Not position × the mean wait of served sessions: that wait
   * already grew with the length of the queue ahead of them.) Ignores later arrivals of higher
   * priority and escalation, which may let other queues' agents take the session sooner.
   */
  estimatedWaitMs(sessionId: string): number | undefined {
    const position = this.positionOf(sessionId);
    const times = position > 0 ? this.served.get(this.sessions.get(sessionId)!.queueId) : undefined;
    const oldest = times?.[0];
    if (!times || oldest === undefined || oldest >= this.now) return undefined;
    return (position * (this.now - oldest)) / times.length;
  }

  queuedCount(queueId: string): number {
    return this.queued.get(queueId)?.length ?? 0;
  }

  signedInCount(queueId: string): number {
    let n = 0;
    for (const id of this.members.get(queueId) ?? []) if (this.agents.get(id)!.presence !== 'offline') n++;
    return n;
  }

  /** The most sessions that may wait in a queue now: fixed, or a ratio of its signed-in agents. */
  maxQueueLength(queue: QueueConfig): number {
    const rule = queue.maxQueueLength;
    return rule.kind === 'fixed' ? rule.value : Math.ceil((rule.percent / 100) * this.signedInCount(queue.id));
  }

  /** occupancy% = (non-idle agents / signed-in agents)·70 + (queued / max queued)·30. */
  occupancyPercent(queueId: string): number {
    const queue = this.queues.get(queueId);
    if (!queue) return 100;
    let signedIn = 0;
    let nonIdle = 0;
    for (const id of this.members.get(queueId) ?? []) {
      const agent = this.agents.get(id)!;
      if (agent.presence === 'offline') continue;
      signedIn++;
      if (agent.status !== 'free') nonIdle++;
    }
    const maxQueued = this.maxQueueLength(queue);
    const agentPart = signedIn === 0 ? 1 : nonIdle / signedIn;
    const queuePart = maxQueued === 0 ? 1 : Math.min(1, this.queuedCount(queueId) / maxQueued);
    return agentPart * 70 + queuePart * 30;
  }

  loadOf(agent: AgentState): number {
    return agent.sessions.size + (agent.offer ? 1 : 0);
  }

  /** May this agent take this session now (push or pool)? */
  isEligible(agent: AgentState, session: SessionState): boolean {
    if (agent.presence !== 'available' || agent.wrapUpUntil !== null) return false;
    if (this.loadOf(agent) >= agent.maxConcurrent) return false;
    if (session.declined.has(agent.id)) return false;
    const queue = this.queues.get(session.queueId)!;
    if (!agent.mediaTypes.includes(queue.mediaType)) return false;
    const level = agent.skills[session.queueId];
    if (level !== undefined && level >= session.minLevel) return true;
    return session.extraQueueIds.some((q) => agent.skills[q] !== undefined);
  }

  // ── events ─────────────────────────────────────────────────────────────────────────

  private apply(event: RoutingEvent): void {
    switch (event.type) {
      case 'queue.upsert':
        this.queues.set(event.queue.id, { ...event.queue, escalation: [...event.queue.escalation].sort((a, b) => a.afterMs - b.afterMs) });
        if (!this.waiting.has(event.queue.id)) this.waiting.set(event.queue.id, new WaitList());
        if (!this.queued.has(event.queue.id)) this.queued.set(event.queue.id, new WaitList());
        // Its mode or media type may pair any free agent with any waiting session now.
        for (const agent of this.agents.values()) this.changedAgents.add(agent);
        return;
      case 'agent.upsert':
        return this.upsertAgent(event.agent);
      case 'agent.presence':
        return this.setPresence(event.agentId, event.presence, event.reason);
      case 'session.arrive': {
        if (this.sessions.has(event.sessionId)) throw new RoutingRejection('FD_ROUTING_SESSION_EXISTS', `session ${event.sessionId} is already routed`);
        this.requireQueue(event.queueId);
        const session: SessionState = {
          id: event.sessionId,
          queueId: event.queueId,
          priority: 0,
          ownPriority: event.priority ?? 0,
          arrivedAt: this.now,
          order: this.order++,
          queuedAt: this.now,
          phase: 'waiting',
          agentId: null,
          offerExpiresAt: 0,
          assignedAt: 0,
          declined: new Set(),
          step: 0,
          minLevel: 1,
          extraQueueIds: [],
          hops: 0,
          visibleTo: new Set(),
        };
        this.sessions.set(session.id, session);
        return this.enterQueue(session, event.queueId, undefined);
      }
      case 'offer.accept':
        return this.accept(this.liveSession(event.sessionId), this.requireAgent(event.agentId));
      case 'offer.decline': {
        const session = this.liveSession(event.sessionId);
        if (session.phase !== 'offered' || session.agentId !== event.agentId) {
          throw new RoutingRejection('FD_ROUTING_OFFER_NOT_HELD', 'this agent holds no offer for the session');
        }
        return this.withdrawOffer(session, 'declined');
      }
      case 'session.transfer':
        return this.transfer(this.liveSession(event.sessionId), event.to);
      case 'session.end':
        return this.end(this.liveSession(event.sessionId), event.closeBy);
      case 'tick':
        return;
    }
  }

  private upsertAgent(config: AgentConfig): void {
    const existing = this.agents.get(config.id);
    if (existing) {
      for (const q of Object.keys(existing.skills)) this.members.get(q)?.delete(config.id);
      // Out of the free index under its old skills; the next dispatch puts it back under the new ones.
      this.setFree(existing, false);
    } else this.agentOrder.set(config.id, this.agentOrder.size);
    const agent: AgentState = existing
      ? Object.assign(existing, { maxConcurrent: config.maxConcurrent, mediaTypes: [...config.mediaTypes], skills: { ...config.skills }, priority: config.priority })
      : {
          ...config,
          mediaTypes: [...config.mediaTypes],
          skills: { ...config.skills },
          presence: 'offline',
          reason: undefined,
          status: 'offline',
          sessions: new Set(),
          offer: null,
          missedOffers: 0,
          idleSince: this.now,
          wrapUpUntil: null,
        };
    this.agents.set(agent.id, agent);
    for (const q of Object.keys(agent.skills)) {
      let set = this.members.get(q);
      if (!set) this.members.set(q, (set = new Set()));
      set.add(agent.id);
    }
    this.touch(agent);
  }

  private setPresence(agentId: string, presence: AgentPresence, reason: string | undefined): void {
    const agent = this.requireAgent(agentId);
    // Idle time counts from becoming available: an agent who just signed in is not the longest idle.
    if (presence === 'available' && agent.presence !== 'available' && agent.sessions.size === 0) agent.idleSince = this.now;
    agent.presence = presence;
    agent.reason = presence === 'rest' || presence === 'not_ready' ? reason : undefined;
    if (presence === 'available') agent.missedOffers = 0;
    if (presence !== 'available' && agent.offer) this.withdrawOffer(this.sessions.get(agent.offer)!, 'unavailable');
    if (presence !== 'available') this.hideFromPool(agent.id);
    this.touch(agent);
  }

  private accept(session: SessionState, agent: AgentState): void {
    const queue = this.queues.get(session.queueId)!;
    if (session.phase === 'offered' && session.agentId === agent.id) {
      agent.offer = null;
      return this.assign(session, agent);
    }
    if (queue.mode === 'pool' && session.phase === 'waiting' && this.isEligible(agent, session)) return this.assign(session, agent);
    throw new RoutingRejection('FD_ROUTING_OFFER_NOT_HELD', session.phase === 'assigned' ? 'another agent has taken this session' : 'this agent holds no offer for the session');
  }

  private assign(session: SessionState, agent: AgentState): void {
    if (session.phase === 'waiting' || session.phase === 'offered') this.recordServed(session.queueId);
    this.removeFromWaiting(session);
    this.hidePoolSession(session, agent.id);
    session.phase = 'assigned';
    session.agentId = agent.id;
    session.assignedAt = this.now;
    const maxTalkMs = this.queues.get(session.queueId)!.maxTalkMs;
    if (maxTalkMs !== undefined) this.deadlines.push({ at: this.now + maxTalkMs, kind: 'talk', id: session.id });
    agent.sessions.add(session.id);
    agent.missedOffers = 0;
    this.touch(agent);
    this.actions.push({ type: 'assign', sessionId: session.id, agentId: agent.id, queueId: session.queueId });
  }

  private withdrawOffer(session: SessionState, reason: 'declined' | 'timed_out' | 'unavailable' | 'ended'): void {
    const agent = this.agents.get(session.agentId!)!;
    agent.offer = null;
    this.touch(agent);
    this.actions.push({ type: 'offer.withdrawn', sessionId: session.id, agentId: agent.id, reason });
    session.agentId = null;
    if (reason === 'ended') return;
    if (reason !== 'unavailable') {
      // Declined or rung out: the next agent gets it, and this one is not asked again for it.
      session.declined.add(agent.id);
      agent.missedOffers++;
      const queue = this.queues.get(session.queueId)!;
      if (agent.missedOffers >= queue.maxMissedOffers) this.setPresence(agent.id, 'not_ready', 'missed_offers');
    }
    session.phase = 'waiting';
    if (this.now >= session.queuedAt + this.queues.get(session.queueId)!.maxWaitMs) return this.overflow(session, 'wait_timeout');
    this.addToWaiting(session);
  }

  private transfer(session: SessionState, to: { queueId: string } | { agentId: string }): void {
    if ('agentId' in to) {
      const agent = this.requireAgent(to.agentId);
      const queue = this.queues.get(session.queueId)!;
      const able = agent.presence === 'available' && agent.wrapUpUntil === null && this.loadOf(agent) < agent.maxConcurrent && agent.mediaTypes.includes(queue.mediaType);
      if (!able || session.agentId === agent.id) throw new RoutingRejection('FD_ROUTING_AGENT_UNAVAILABLE', 'that agent cannot take the session now');
      this.detach(session);
      return this.assign(session, agent);
    }
    this.requireQueue(to.queueId);
    this.detach(session);
    session.hops = 0;
    this.enterQueue(session, to.queueId, 'transfer');
  }

  /** Takes a session away from its agent (offer or assignment) without wrap-up. */
  private detach(session: SessionState): void {
    if (session.phase === 'offered') {
      const agent = this.agents.get(session.agentId!)!;
      agent.offer = null;
      this.touch(agent);
      this.actions.push({ type: 'offer.withdrawn', sessionId: session.id, agentId: agent.id, reason: 'taken' });
    } else if (session.phase === 'assigned') {
      const agent = this.agents.get(session.agentId!)!;
      agent.sessions.delete(session.id);
      if (agent.sessions.size === 0) agent.idleSince = this.now;
      this.touch(agent);
      this.actions.push({ type: 'unassign', sessionId: session.id, agentId: agent.id });
    }
    this.removeFromWaiting(session);
    this.hidePoolSession(session, null);
    session.agentId = null;
  }

  private end(session: SessionState, closeBy: CloseBy): void {
    if (session.phase === 'offered') this.withdrawOffer(session, 'ended');
    if (session.phase === 'assigned') {
      const agent = this.agents.get(session.agentId!)!;
      agent.sessions.delete(session.id);
      if (agent.sessions.size === 0) agent.idleSince = this.now;
      const wrapUpMs = this.queues.get(session.queueId)!.wrapUpMs;
      if (wrapUpMs > 0) {
        agent.wrapUpUntil = this.now + wrapUpMs;
        this.deadlines.push({ at: agent.wrapUpUntil, kind: 'wrap_up', id: agent.id });
      }
      this.touch(agent);
    }
    this.removeFromWaiting(session);
    this.hidePoolSession(session, null);
    session.phase = 'ended';
    this.terminated.push({ session, at: this.now });
    this.actions.push({ type: 'session.ended', sessionId: session.id, closeBy });
  }

  // ── queues, overflow and escalation ────────────────────────────────────────────────

  /** Puts a session in a queue, or overflows it when the queue is closed, unstaffed or full. */
  private enterQueue(session: SessionState, queueId: string, trigger: OverflowTrigger | 'transfer' | 'escalation' | undefined): void {
    const queue = this.queues.get(queueId)!;
    const fromQueueId = session.queueId === queueId && trigger === undefined ? undefined : session.queueId;
    this.removeFromWaiting(session);
    session.queueId = queueId;
    session.priority = queue.priority + session.ownPriority;
    session.queuedAt = this.now;
    session.step = 0;
    session.minLevel = queue.minLevel;
    session.extraQueueIds = [];
    session.declined.clear();
    session.phase = 'waiting';
    session.agentId = null;
    this.actions.push({ type: 'session.queued', sessionId: session.id, queueId, ...(fromQueueId ? { fromQueueId } : {}), ...(trigger ? { trigger } : {}) });
    if (!queue.isOpen) return this.overflow(session, 'off_hours');
    if (this.signedInCount(queueId) === 0) return this.overflow(session, 'no_agent');
    if (this.queuedCount(queueId) >= this.maxQueueLength(queue)) return this.overflow(session, 'queue_full');
    this.addToWaiting(session);
    this.deadlines.push({ at: session.queuedAt + queue.maxWaitMs, kind: 'wait', id: session.id });
    this.scheduleStep(session);
    if (queue.mode === 'pool') this.showInPool(session);
  }

  private overflow(session: SessionState, trigger: OverflowTrigger): void {
    const queue = this.queues.get(session.queueId)!;
    const rule = queue.overflow[trigger];
    this.removeFromWaiting(session);
    this.hidePoolSession(session, null);
    if (
      rule?.action === 'transfer' &&
      session.hops < MAX_OVERFLOW_HOPS &&
      this.queues.has(rule.toQueueId) &&
      rule.toQueueId !== session.queueId &&
      this.occupancyPercent(rule.toQueueId) < rule.maxOccupancyPercent
    ) {
      session.hops++;
      return this.enterQueue(session, rule.toQueueId, trigger);
    }
    session.phase = 'released';
    this.terminated.push({ session, at: this.now });
    this.actions.push({ type: 'session.released', sessionId: session.id, queueId: session.queueId, trigger, ...(rule?.message ? { message: rule.message } : {}) });
  }

  private scheduleStep(session: SessionState): void {
    const step = this.queues.get(session.queueId)!.escalation[session.step];
    if (step) this.deadlines.push({ at: session.queuedAt + step.afterMs, kind: 'step', id: session.id });
  }

  private escalate(session: SessionState): void {
    const queue = this.queues.get(session.queueId)!;
    const step = queue.escalation[session.step]!;
    session.step++;
    if (step.minLevel !== undefined) session.minLevel = Math.min(session.minLevel, step.minLevel);
    const added = (step.addQueueIds ?? []).filter((q) => q !== session.queueId && !session.extraQueueIds.includes(q) && this.queues.has(q));
    const waiting = session.phase === 'waiting';
    if (waiting) this.removeFromWaiting(session);
    session.extraQueueIds.push(...added);
    if (waiting) this.addToWaiting(session);
    this.actions.push({ type: 'session.escalated', sessionId: session.id, queueId: session.queueId, step: session.step, minLevel: session.minLevel, addedQueueIds: added });
    if (step.overflowQueueId && this.queues.has(step.overflowQueueId) && step.overflowQueueId !== session.queueId) {
      this.detach(session);
      session.hops++;
      return this.enterQueue(session, step.overflowQueueId, 'escalation');
    }
    if (queue.mode === 'pool' && waiting) this.showInPool(session);
    this.scheduleStep(session);
  }

  // ── assignment ─────────────────────────────────────────────────────────────────────

  /**
   * Push mode: while some waiting session has an eligible free agent, offer the best such session
   * to its best agent. The previous dispatch left no such pair, so only pairs with an agent or a
   * session changed since can form one: the changed free agents look down their queues, the
   * changed sessions look at their queues' free agents, and the best of what they find goes first.
   */
  private dispatch(): void {
    for (const agent of this.changedAgents) this.setFree(agent, this.isFree(agent));
    for (;;) {
      let best: SessionState | undefined;
      for (const agent of this.changedAgents) {
        if (this.free.has(agent)) best = this.bestSessionFor(agent, best);
        else this.changedAgents.delete(agent);
      }
      for (const session of this.changedSessions) {
        if (session.phase !== 'waiting' || this.queues.get(session.queueId)!.mode !== 'push') this.changedSessions.delete(session);
        else if ((!best || servesBefore(session, best)) && this.bestAgentFor(session)) best = session;
      }
      if (!best) break;
      this.offer(best, this.bestAgentFor(best)!);
    }
    this.changedAgents.clear();
    this.changedSessions.clear();
  }

  /** The first push session in serving order, among this agent's queues, that it may take and
   * that serves before `best`; else `best`. */
  private bestSessionFor(agent: AgentState, best: SessionState | undefined): SessionState | undefined {
    for (const queueId of Object.keys(agent.skills)) {
      for (const session of this.waiting.get(queueId) ?? []) {
        if (best && !servesBefore(session, best)) break;
        if (this.queues.get(session.queueId)!.mode !== 'push') continue;
        if (this.isEligible(agent, session)) {
          best = session;
          break;
        }
      }
    }
    return best;
  }

  /** The free agent a session is offered to: the least loaded, then the highest priority, then the longest idle, then the lowest id. */
  private bestAgentFor(session: SessionState): AgentState | undefined {
    let best: AgentState | undefined;
    for (const queueId of [session.queueId, ...session.extraQueueIds]) {
      for (const agent of this.freeMembers.get(queueId) ?? []) {
        if (best) {
          const load = this.loadOf(agent);
          const bestLoad = this.loadOf(best);
          const [priority, bestPriority] = [agent.priority ?? 0, best.priority ?? 0];
          const before =
            load < bestLoad ||
            (load === bestLoad &&
              (priority > bestPriority || (priority === bestPriority && (agent.idleSince < best.idleSince || (agent.idleSince === best.idleSince && agent.id < best.id)))));
          if (!before) continue;
        }
        if (this.isEligible(agent, session)) best = agent;
      }
    }
    return best;
  }

  private offer(session: SessionState, agent: AgentState): void {
    const queue = this.queues.get(session.queueId)!;
    this.removeFromWaiting(session);
    session.phase = 'offered';
    session.agentId = agent.id;
    session.offerExpiresAt = this.now + queue.ringTimeoutMs;
    agent.offer = session.id;
    this.setFree(agent, false);
    this.touch(agent);
    this.deadlines.push({ at: session.offerExpiresAt, kind: 'offer', id: session.id });
    this.actions.push({ type: 'offer', sessionId: session.id, agentId: agent.id, expiresAt: session.offerExpiresAt });
  }

  private isFree(agent: AgentState): boolean {
    return agent.presence === 'available' && agent.wrapUpUntil === null && agent.offer === null && this.loadOf(agent) < agent.maxConcurrent;
  }

  private setFree(agent: AgentState, free: boolean): void {
    if (free === this.free.has(agent)) return;
    if (free) this.free.add(agent);
    else this.free.delete(agent);
    for (const queueId of Object.keys(agent.skills)) {
      let set = this.freeMembers.get(queueId);
      if (!set) this.freeMembers.set(queueId, (set = new Set()));
      if (free) set.add(agent);
      else set.delete(agent);
    }
  }

  /** Shows the session to the agents who may take it and do not see it yet, in `agents` order. */
  private showInPool(session: SessionState): void {
    const eligible = new Set<string>();
    for (const queueId of [session.queueId, ...session.extraQueueIds]) {
      for (const id of this.members.get(queueId) ?? []) {
        if (!session.visibleTo.has(id) && this.isEligible(this.agents.get(id)!, session)) eligible.add(id);
      }
    }
    if (eligible.size === 0) return;
    const agentIds = [...eligible].sort((a, b) => this.agentOrder.get(a)! - this.agentOrder.get(b)!);
    for (const id of agentIds) {
      session.visibleTo.add(id);
      let view = this.poolViews.get(id);
      if (!view) this.poolViews.set(id, (view = new Set()));
      view.add(session);
    }
    this.actions.push({ type: 'pool.visible', sessionId: session.id, agentIds });
  }

  /** The session disappears from every other agent's pool view at once. */
  private hidePoolSession(session: SessionState, takenBy: string | null): void {
    for (const id of session.visibleTo) this.poolViews.get(id)?.delete(session);
    const agentIds = [...session.visibleTo].filter((id) => id !== takenBy);
    session.visibleTo.clear();
    if (agentIds.length > 0) this.actions.push({ type: 'pool.hidden', sessionId: session.id, agentIds });
  }

  /** Every session this agent sees leaves its pool view, in `sessions` order (= arrival order). */
  private hideFromPool(agentId: string): void {
    const view = this.poolViews.get(agentId);
    if (!view || view.size === 0) return;
    const sessions = [...view].sort((a, b) => a.order - b.order);
    view.clear();
    for (const session of sessions) {
      session.visibleTo.delete(agentId);
      this.actions.push({ type: 'pool.hidden', sessionId: session.id, agentIds: [agentId] });
    }
  }

  // ── timers ─────────────────────────────────────────────────────────────────────────

  private isLive(d: { at: number; kind: string; id: string }): boolean {
    if (d.kind === 'wrap_up') return this.agents.get(d.id)?.wrapUpUntil === d.at;
    const s = this.sessions.get(d.id);
    if (!s || TERMINAL.includes(s.phase)) return false;
    if (d.kind === 'offer') return s.phase === 'offered' && s.offerExpiresAt === d.at;
    if (d.kind === 'talk') {
      const maxTalkMs = this.queues.get(s.queueId)!.maxTalkMs;
      return s.phase === 'assigned' && maxTalkMs !== undefined && s.assignedAt + maxTalkMs === d.at;
    }
    if (d.kind === 'wait') return s.phase === 'waiting' && s.queuedAt + this.queues.get(s.queueId)!.maxWaitMs === d.at;
    const step = this.queues.get(s.queueId)!.escalation[s.step];
    return (s.phase === 'waiting' || s.phase === 'offered') && step !== undefined && s.queuedAt + step.afterMs === d.at;
  }

  private fireDueDeadlines(): void {
    for (;;) {
      const next = this.deadlines.peek();
      if (!next || next.at > this.now) return;
      this.deadlines.pop();
      if (!this.isLive(next)) continue;
      switch (next.kind) {
        case 'offer':
          this.withdrawOffer(this.sessions.get(next.id)!, 'timed_out');
          break;
        case 'wait':
          this.overflow(this.sessions.get(next.id)!, 'wait_timeout');
          break;
        case 'step':
          this.escalate(this.sessions.get(next.id)!);
          break;
        case 'talk':
          this.end(this.sessions.get(next.id)!, 'timer');
          break;
        case 'wrap_up': {
          const agent = this.agents.get(next.id)!;
          agent.wrapUpUntil = null;
          this.touch(agent);
          break;
        }
      }
      // Capacity freed by a timer is offered before later timers fire; the status history
      // shows the agent free before it shows the next offer.
      this.emitStatusChanges();
      this.dispatch();
    }
  }

  // ── bookkeeping ────────────────────────────────────────────────────────────────────

  private addToWaiting(session: SessionState): void {
    for (const q of [session.queueId, ...session.extraQueueIds]) this.waiting.get(q)!.insert(session);
    this.queued.get(session.queueId)!.insert(session);
    this.changedSessions.add(session);
  }

  private removeFromWaiting(session: SessionState): void {
    for (const q of [session.queueId, ...session.extraQueueIds]) this.waiting.get(q)?.remove(session);
    this.queued.get(session.queueId)?.remove(session);
  }

  /** An agent whose status may have changed, and who may be able to take a waiting session now. */
  private touch(agent: AgentState): void {
    this.touched.add(agent.id);
    this.changedAgents.add(agent);
  }

  private recordServed(queueId: string): void {
    let times = this.served.get(queueId);
    if (!times) this.served.set(queueId, (times = []));
    times.push(this.now);
    if (times.length > SERVED_WINDOW) times.shift();
  }

  private statusOf(agent: AgentState): AgentStatus {
    if (agent.presence === 'offline') return 'offline';
    if (agent.presence === 'not_ready') return 'not_ready';
    if (agent.presence === 'rest') return 'rest';
    if (agent.wrapUpUntil !== null) return 'wrap_up';
    return this.loadOf(agent) >= agent.maxConcurrent ? 'busy' : 'free';
  }

  private emitStatusChanges(): void {
    for (const id of this.touched) {
      const agent = this.agents.get(id);
      if (!agent) continue;
      const next = this.statusOf(agent);
      if (next === agent.status) continue;
      this.actions.push({ type: 'agent.status', agentId: id, from: agent.status, to: next, ...(agent.reason ? { reason: agent.reason } : {}) });
      agent.status = next;
    }
  }

  private requireQueue(id: string): QueueConfig {
    const queue = this.queues.get(id);
    if (!queue) throw new RoutingRejection('FD_ROUTING_QUEUE_NOT_FOUND', `queue ${id} not found`);
    return queue;
  }

  private requireAgent(id: string): AgentState {
    const agent = this.agents.get(id);
    if (!agent) throw new RoutingRejection('FD_ROUTING_AGENT_NOT_FOUND', `agent ${id} is not known to routing`);
    return agent;
  }

  private liveSession(id: string): SessionState {
    const session = this.sessions.get(id);
    if (!session) throw new RoutingRejection('FD_ROUTING_SESSION_NOT_FOUND', `session ${id} not found`);
    if (TERMINAL.includes(session.phase)) throw new RoutingRejection('FD_ROUTING_SESSION_ENDED', `session ${id} has ended`);
    return session;
  }
}
