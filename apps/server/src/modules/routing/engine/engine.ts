import {
  RoutingRejection,
  type AgentConfig,
  type AgentPresence,
  type CloseBy,
  type OverflowTrigger,
  type RoutingAction,
  type RoutingEvent,
  type SessionSubject,
} from './types.ts';
import { EngineState, MANUAL_QUEUE_ID, newWaitLists, type AgentState, type SessionState } from './engine-state.ts';
import { servesBefore, WaitList } from './wait-list.ts';

export { MANUAL_QUEUE_ID, type AgentState, type SessionPhase, type SessionState } from './engine-state.ts';

const MAX_OVERFLOW_HOPS = 5;

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
export class RoutingEngine extends EngineState {
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
    for (const action of this.actions) if ('sessionId' in action && this.sessions.get(action.sessionId)?.subject === 'call') action.subject = 'call';
    return rejection ? { actions: this.actions, rejection } : { actions: this.actions };
  }

  protected apply(event: RoutingEvent): void {
    switch (event.type) {
      case 'queue.upsert':
        this.queues.set(event.queue.id, { ...event.queue, escalation: [...event.queue.escalation].sort((a, b) => a.afterMs - b.afterMs) });
        if (!this.waiting.has(event.queue.id)) this.waiting.set(event.queue.id, newWaitLists());
        if (!this.queued.has(event.queue.id)) this.queued.set(event.queue.id, new WaitList());
        // Its mode or media type may pair any free agent with any waiting session now.
        for (const agent of this.agents.values()) this.changedAgents.add(agent);
        return;
      case 'agent.upsert':
        return this.upsertAgent(event.agent);
      case 'agent.presence':
        return this.setPresence(event.agentId, event.presence, event.reason);
      case 'session.arrive': {
        this.requireQueue(event.queueId);
        const session = this.newSession(event.sessionId, event.subject ?? 'conversation', event.queueId, event.priority ?? 0);
        const preferred = event.preferredAgentId === undefined ? undefined : this.agents.get(event.preferredAgentId);
        if (!preferred || preferred.offer !== null || !this.isEligible(preferred, session, true)) return this.enterQueue(session, event.queueId, undefined);
        // The preferred agent can take it now: it rings there first, whatever the queue's state.
        this.enterQueue(session, event.queueId, undefined, { skipOverflow: true });
        return this.offer(session, preferred);
      }
      case 'session.assign': {
        const agent = this.requireAgent(event.agentId);
        if (agent.presence === 'offline' || agent.wrapUpUntil !== null || !this.hasRoomFor(agent, event.subject)) {
          const why = agent.presence === 'offline' ? 'is signed out' : agent.wrapUpUntil !== null ? 'is wrapping up its last conversation' : 'is at capacity';
          throw new RoutingRejection('FD_ROUTING_AGENT_UNAVAILABLE', `this agent ${why}`);
        }
        const session = this.newSession(event.sessionId, event.subject, MANUAL_QUEUE_ID, 0);
        return this.assign(session, agent);
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
        return this.transfer(this.liveSession(event.sessionId), event.to, event.intercept === true);
      case 'session.end':
        return this.end(this.liveSession(event.sessionId), event.closeBy);
      case 'tick':
        return;
    }
  }

  /** A new session (refused when the id is routed already); it waits nowhere until placed. */
  protected newSession(id: string, subject: SessionSubject, queueId: string, ownPriority: number): SessionState {
    if (this.sessions.has(id)) throw new RoutingRejection('FD_ROUTING_SESSION_EXISTS', `session ${id} is already routed`);
    const session: SessionState = {
      id,
      subject,
      queueId,
      priority: 0,
      ownPriority,
      arrivedAt: this.now,
      order: this.order++,
      queuedAt: this.now,
      phase: 'waiting',
      agentId: null,
      offerExpiresAt: 0,
      assignedAt: 0,
      declined: new Map(),
      step: 0,
      minLevel: 1,
      extraQueueIds: [],
      hops: 0,
      visibleTo: new Set(),
    };
    this.sessions.set(id, session);
    return session;
  }

  protected upsertAgent(config: AgentConfig): void {
    const existing = this.agents.get(config.id);
    if (existing) {
      for (const q of Object.keys(existing.skills)) this.members.get(q)?.delete(config.id);
      // Out of the free index under its old skills; the next dispatch puts it back under the new ones.
      this.setFree(existing, []);
    } else this.agentOrder.set(config.id, this.agentOrder.size);
    const agent: AgentState = existing
      ? Object.assign(existing, { maxConcurrent: config.maxConcurrent, maxConcurrentCalls: config.maxConcurrentCalls, mediaTypes: [...config.mediaTypes], skills: { ...config.skills }, priority: config.priority })
      : {
          ...config,
          mediaTypes: [...config.mediaTypes],
          skills: { ...config.skills },
          presence: 'offline',
          reason: undefined,
          status: 'offline',
          sessions: new Set(),
          callSessions: 0,
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

  protected setPresence(agentId: string, presence: AgentPresence, reason: string | undefined): void {
    const agent = this.requireAgent(agentId);
    // Idle time counts from becoming free: an agent who just signed in is not the longest idle.
    if (presence === 'free' && agent.presence !== 'free' && agent.sessions.size === 0) agent.idleSince = this.now;
    agent.presence = presence;
    agent.reason = presence === 'rest' || presence === 'not_ready' ? reason : undefined;
    if (presence === 'free') agent.missedOffers = 0;
    if (presence !== 'free' && agent.offer) this.withdrawOffer(this.sessions.get(agent.offer)!, 'unavailable');
    if (presence !== 'free') this.hideFromPool(agent.id);
    this.touch(agent);
  }

  protected accept(session: SessionState, agent: AgentState): void {
    const queue = this.queues.get(session.queueId)!;
    if (session.phase === 'offered' && session.agentId === agent.id) {
      agent.offer = null;
      return this.assign(session, agent);
    }
    if (queue.mode === 'manual') return this.claim(session, agent);
    if (queue.mode === 'pool' && session.phase === 'waiting' && this.isEligible(agent, session)) return this.assign(session, agent);
    throw new RoutingRejection('FD_ROUTING_OFFER_NOT_HELD', session.phase === 'assigned' ? 'another agent has taken this session' : 'this agent holds no offer for the session');
  }

  /** Manual mode: the first agent who claims a waiting session by hand takes it, within its capacity. */
  protected claim(session: SessionState, agent: AgentState): void {
    if (session.phase !== 'waiting') {
      throw session.agentId === agent.id ? new RoutingRejection('FD_ROUTING_SESSION_EXISTS', 'this agent has the session already') : new RoutingRejection('FD_CONVERSATION_ALREADY_CLAIMED', 'another agent has this conversation');
    }
    if (!agent.mediaTypes.includes('chat')) throw new RoutingRejection('FD_ROUTING_AGENT_UNAVAILABLE', 'this agent does not serve chat');
    // Wrap-up ends by its timer, in free (or the status chosen meanwhile), never by taking more work.
    // Wrap-up set by hand (TCCC arrange) ends when the agent sets another status.
    if (agent.wrapUpUntil !== null || agent.presence === 'wrap_up') throw new RoutingRejection('FD_ROUTING_AGENT_UNAVAILABLE', 'this agent is wrapping up its last conversation');
    if (session.subject !== 'conversation') throw new RoutingRejection('FD_ROUTING_OFFER_NOT_HELD', 'a call is answered through its offer');
    if (!this.hasRoomFor(agent, 'conversation')) {
      throw new RoutingRejection('FD_AGENT_AT_CAPACITY', `this agent already has ${this.loadOf(agent, 'conversation')} conversations (max ${agent.maxConcurrent}) or is in a call`);
    }
    this.assign(session, agent);
  }

  protected assign(session: SessionState, agent: AgentState): void {
    if (session.phase === 'waiting' || session.phase === 'offered') this.recordServed(session.queueId);
    this.removeFromWaiting(session);
    this.hidePoolSession(session, agent.id);
    session.phase = 'assigned';
    session.agentId = agent.id;
    session.assignedAt = this.now;
    const maxTalkMs = this.queues.get(session.queueId)!.maxTalkMs;
    if (maxTalkMs !== undefined) this.deadlines.push({ at: this.now + maxTalkMs, kind: 'talk', id: session.id });
    agent.sessions.add(session.id);
    if (session.subject === 'call') agent.callSessions++;
    agent.missedOffers = 0;
    this.touch(agent);
    this.actions.push({ type: 'assign', sessionId: session.id, agentId: agent.id, queueId: session.queueId });
  }

  protected withdrawOffer(session: SessionState, reason: 'declined' | 'timed_out' | 'unavailable' | 'ended'): void {
    const agent = this.agents.get(session.agentId!)!;
    agent.offer = null;
    this.touch(agent);
    this.actions.push({ type: 'offer.withdrawn', sessionId: session.id, agentId: agent.id, reason });
    session.agentId = null;
    if (reason === 'ended') return;
    if (reason !== 'unavailable') {
      // Declined or rung out: the next agent gets it. A conversation comes back to this agent after
      // a ring time if it still waits then (it may be the only agent who can take it); a call
      // never rings again at an agent who let it go (its caller hears so when the wait runs out).
      const queue = this.queues.get(session.queueId)!;
      const retryAt = session.subject === 'call' ? Number.POSITIVE_INFINITY : this.now + queue.ringTimeoutMs;
      session.declined.set(agent.id, retryAt);
      if (Number.isFinite(retryAt)) this.deadlines.push({ at: retryAt, kind: 'retry', id: session.id });
      agent.missedOffers++;
      if (agent.missedOffers >= queue.maxMissedOffers) this.setPresence(agent.id, 'not_ready', 'missed_offers');
    }
    session.phase = 'waiting';
    if (this.isClaimedByHandOnly(session)) return this.overflow(session, 'no_agent');
    const waitEndsAt = session.queuedAt + this.queues.get(session.queueId)!.maxWaitMs;
    if (this.now >= waitEndsAt) return this.overflow(session, 'wait_timeout');
    this.addToWaiting(session);
    // NOTE: `nextDeadline()` drops the wait deadline while the session is offered (it is not live
    // then); back to waiting, the session needs it again, or it would wait past its queue's limit.
    if (Number.isFinite(waitEndsAt)) this.deadlines.push({ at: waitEndsAt, kind: 'wait', id: session.id });
  }

  /** A call without a queue rings only its preferred agent: nobody claims a call by hand, so it cannot wait. */
  private isClaimedByHandOnly(session: SessionState): boolean {
    return session.subject === 'call' && this.queues.get(session.queueId)!.mode === 'manual';
  }

  protected transfer(session: SessionState, to: { queueId: string } | { agentId: string }, intercept = false): void {
    if ('agentId' in to) {
      const agent = this.requireAgent(to.agentId);
      const queue = this.queues.get(session.queueId)!;
      // NOTE: a supervisor's take-over is not an offer: its status and load do not stop it.
      const able = intercept || (agent.presence === 'free' && agent.wrapUpUntil === null && this.hasRoomFor(agent, session.subject) && agent.mediaTypes.includes(queue.mediaType));
      if (!able || session.agentId === agent.id) throw new RoutingRejection('FD_ROUTING_AGENT_UNAVAILABLE', 'that agent cannot take the session now');
      if (intercept && session.phase !== 'assigned') throw new RoutingRejection('FD_ROUTING_AGENT_UNAVAILABLE', 'only a session an agent holds is taken over');
      this.detach(session);
      return this.assign(session, agent);
    }
    this.requireQueue(to.queueId);
    this.detach(session);
    session.hops = 0;
    this.enterQueue(session, to.queueId, 'transfer');
  }

  /** Takes a session away from its agent (offer or assignment) without wrap-up. */
  protected detach(session: SessionState): void {
    if (session.phase === 'offered') {
      const agent = this.agents.get(session.agentId!)!;
      agent.offer = null;
      this.touch(agent);
      this.actions.push({ type: 'offer.withdrawn', sessionId: session.id, agentId: agent.id, reason: 'taken' });
    } else if (session.phase === 'assigned') {
      const agent = this.agents.get(session.agentId!)!;
      if (agent.sessions.delete(session.id) && session.subject === 'call') agent.callSessions--;
      if (agent.sessions.size === 0) agent.idleSince = this.now;
      this.touch(agent);
      this.actions.push({ type: 'unassign', sessionId: session.id, agentId: agent.id });
    }
    this.removeFromWaiting(session);
    this.hidePoolSession(session, null);
    session.agentId = null;
  }

  protected end(session: SessionState, closeBy: CloseBy): void {
    if (session.phase === 'offered') this.withdrawOffer(session, 'ended');
    if (session.phase === 'assigned') {
      const agent = this.agents.get(session.agentId!)!;
      if (agent.sessions.delete(session.id) && session.subject === 'call') agent.callSessions--;
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

  /** Puts a session in a queue, or overflows it when the queue is closed, unstaffed or full. */
  protected enterQueue(session: SessionState, queueId: string, trigger: OverflowTrigger | 'transfer' | 'escalation' | undefined, { skipOverflow = false } = {}): void {
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
    if (queue.mode === 'manual') return skipOverflow || !this.isClaimedByHandOnly(session) ? this.addToWaiting(session) : this.overflow(session, 'no_agent');
    if (!skipOverflow) {
      if (!queue.isOpen) return this.overflow(session, 'off_hours');
      if (this.signedInCount(queueId) === 0) return this.overflow(session, 'no_agent');
      if (this.queuedCount(queueId) >= this.maxQueueLength(queue)) return this.overflow(session, 'queue_full');
    }
    this.addToWaiting(session);
    this.deadlines.push({ at: session.queuedAt + queue.maxWaitMs, kind: 'wait', id: session.id });
    this.scheduleStep(session);
    if (queue.mode === 'pool') this.showInPool(session);
  }

  protected overflow(session: SessionState, trigger: OverflowTrigger): void {
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

  protected scheduleStep(session: SessionState): void {
    const step = this.queues.get(session.queueId)!.escalation[session.step];
    if (step) this.deadlines.push({ at: session.queuedAt + step.afterMs, kind: 'step', id: session.id });
  }

  protected escalate(session: SessionState): void {
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

  /**
   * Push mode: while some waiting session has an eligible free agent, offer the best such session
   * to its best agent. The previous dispatch left no such pair, so only pairs with an agent or a
   * session changed since can form one: the changed free agents look down their queues, the
   * changed sessions look at their queues' free agents, and the best of what they find goes first.
   */
  protected dispatch(): void {
    for (const agent of this.changedAgents) this.setFree(agent, this.freeFor(agent));
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
  protected bestSessionFor(agent: AgentState, best: SessionState | undefined): SessionState | undefined {
    const subjects = this.freeFor(agent);
    for (const queueId of Object.keys(agent.skills)) {
      const lists = this.waiting.get(queueId);
      for (const subject of lists ? subjects : []) {
        for (const session of lists![subject]) {
          if (best && !servesBefore(session, best)) break;
          if (this.queues.get(session.queueId)!.mode !== 'push') continue;
          if (this.isEligible(agent, session)) {
            best = session;
            break;
          }
        }
      }
    }
    return best;
  }

  /** The free agent a session is offered to: the least loaded, then the highest priority, then the longest idle, then the lowest id. */
  protected bestAgentFor(session: SessionState): AgentState | undefined {
    let best: AgentState | undefined;
    for (const queueId of [session.queueId, ...session.extraQueueIds]) {
      for (const agent of this.freeMembers[session.subject].get(queueId) ?? []) {
        if (best) {
          const load = this.loadOf(agent, session.subject);
          const bestLoad = this.loadOf(best, session.subject);
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

  protected offer(session: SessionState, agent: AgentState): void {
    const queue = this.queues.get(session.queueId)!;
    this.removeFromWaiting(session);
    session.phase = 'offered';
    session.agentId = agent.id;
    session.offerExpiresAt = this.now + queue.ringTimeoutMs;
    agent.offer = session.id;
    this.setFree(agent, []);
    this.touch(agent);
    this.deadlines.push({ at: session.offerExpiresAt, kind: 'offer', id: session.id });
    this.actions.push({ type: 'offer', sessionId: session.id, agentId: agent.id, expiresAt: session.offerExpiresAt });
  }

  protected fireDueDeadlines(): void {
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
        case 'retry':
          // The agents whose pause is over may take it again: the dispatch below looks at it.
          this.changedSessions.add(this.sessions.get(next.id)!);
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
}
