import { DeadlineHeap } from './deadlines.ts';
import {
  RoutingRejection,
  type AgentConfig,
  type AgentPresence,
  type AgentStatus,
  type QueueConfig,
  type RoutingAction,
  type SessionSubject,
} from './types.ts';
import { WaitList } from './wait-list.ts';

export interface AgentState extends AgentConfig {
  presence: AgentPresence;
  reason: string | undefined;
  status: AgentStatus;
  sessions: Set<string>;
  /** How many of `sessions` are calls (kept with it: eligibility asks for every agent and session). */
  callSessions: number;
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
  subject: SessionSubject;
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
  /**
   * agent id → until when that agent is not offered this session again (it declined or let the
   * offer ring out). NOTE: a pause, not a ban: when nobody else takes the session meanwhile, it
   * comes back to the agent (the only one available must not leave the visitor waiting for ever).
   */
  declined: Map<string, number>;
  /** Escalation steps applied in the current queue. */
  step: number;
  minLevel: number;
  extraQueueIds: string[];
  hops: number;
  visibleTo: Set<string>;
}

const TERMINAL: readonly SessionPhase[] = ['ended', 'released'];

export const SUBJECTS: readonly SessionSubject[] = ['conversation', 'call'];

export const newWaitLists = (): Record<SessionSubject, WaitList<SessionState>> => ({ conversation: new WaitList(), call: new WaitList() });

export function servesCalls(agent: AgentConfig): boolean {
  return agent.mediaTypes.includes('audio') || agent.mediaTypes.includes('video');
}
/** Assignments per queue that `estimatedWaitMs` averages over. */
const SERVED_WINDOW = 20;

/**
 * The id of the built-in queue of conversations claimed by hand (channels without a queue, off
 * hours): a routing mode like push and pool (Rocket.Chat's ManualSelection), so that one engine
 * owns every assignment and an agent's hand-claimed conversations count toward its capacity.
 * Any agent serving chat may claim, whatever its status; nothing waits, times out or overflows.
 * Its only offers are calls ringing an agent outside any queue (the conversation's agent, when
 * the channel names no click-to-call queue): they ring for the queues' default ring timeout.
 */
export const MANUAL_QUEUE_ID = 'manual';

const MANUAL_QUEUE: QueueConfig = {
  id: MANUAL_QUEUE_ID,
  mode: 'manual',
  mediaType: 'chat',
  priority: 0,
  minLevel: 1,
  maxWaitMs: Number.POSITIVE_INFINITY,
  ringTimeoutMs: 20_000,
  wrapUpMs: 0,
  maxQueueLength: { kind: 'fixed', value: Number.POSITIVE_INFINITY },
  maxMissedOffers: Number.POSITIVE_INFINITY,
  escalation: [],
  overflow: {},
  isOpen: true,
};

/**
 * The ACD core's state, its indexes and the reads over them (positions, wait estimates,
 * occupancy, eligibility); the decisions that change it are in engine.ts. The indexes keep an
 * event's cost independent of the number of agents and waiting sessions; they assume every change
 * comes through `RoutingEngine.handle` (or `forgetEnded`).
 */
export class EngineState {
  readonly queues = new Map<string, QueueConfig>();
  readonly agents = new Map<string, AgentState>();
  readonly sessions = new Map<string, SessionState>();
  /**
   * queue id → sessions its agents may take (its own, and others' escalated into it), by subject:
   * an agent with room for a call only (its chats full) looks at the waiting calls, not every chat.
   */
  protected readonly waiting = new Map<string, Record<SessionSubject, WaitList<SessionState>>>();
  /** queue id → its own waiting sessions only, for positions and counts without a scan. */
  protected readonly queued = new Map<string, WaitList<SessionState>>();
  /** queue id → agents with that skill. */
  protected readonly members = new Map<string, Set<string>>();
  /** agent id → place in `agents` (insertion order), so pool views list agents as a scan of `agents` would. */
  protected readonly agentOrder = new Map<string, number>();
  /** Agents that could take an offer now (free, no wrap-up, no ringing offer, below capacity),
   * kept up to date for the agents in `changedAgents` at the start of every dispatch. */
  protected readonly free = new Set<AgentState>();
  /** subject → queue id → the agents with that skill free for an offer of that subject. */
  protected readonly freeMembers: Record<SessionSubject, Map<string, Set<AgentState>>> = { conversation: new Map(), call: new Map() };
  /** Agents and waiting sessions changed since the last dispatch. A dispatch ends with no free
   * agent eligible for a waiting push session, so any new pair involves one of them. */
  protected readonly changedAgents = new Set<AgentState>();
  protected readonly changedSessions = new Set<SessionState>();
  /** agent id → the pool sessions it sees (the reverse of `visibleTo`). */
  protected readonly poolViews = new Map<string, Set<SessionState>>();
  /** queue id → when its last SERVED_WINDOW sessions were assigned, oldest first. */
  protected readonly served = new Map<string, number[]>();
  /** Sessions in the order they reached a terminal phase, with when; `forgetEnded` drops from the front. */
  protected readonly terminated: { session: SessionState; at: number }[] = [];
  protected terminatedHead = 0;
  protected readonly deadlines = new DeadlineHeap();
  protected order = 0;
  protected now = 0;
  protected actions: RoutingAction[] = [];
  protected touched = new Set<string>();


  constructor() {
    this.queues.set(MANUAL_QUEUE_ID, MANUAL_QUEUE);
    this.waiting.set(MANUAL_QUEUE_ID, newWaitLists());
    this.queued.set(MANUAL_QUEUE_ID, new WaitList());
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

  /**
   * About how long a session arriving in `queueId` now would wait, in ms: the rule of
   * `estimatedWaitMs` for the place after the last one waiting. Undefined when the queue has no
   * assignment before the engine's clock to go by (or is the manual queue, which nothing routes).
   */
  arrivalWaitMs(queueId: string): number | undefined {
    const times = queueId === MANUAL_QUEUE_ID ? undefined : this.served.get(queueId);
    const oldest = times?.[0];
    if (!times || oldest === undefined || oldest >= this.now) return undefined;
    return ((this.queuedCount(queueId) + 1) * (this.now - oldest)) / times.length;
  }

  /**
   * Who could answer a new session of `queueId` (any chat agent for null), without names: agents
   * serving it who are free now (status available), and those signed in at all.
   */
  staffing(queueId: string | null): { free: number; signedIn: number } {
    let free = 0;
    let signedIn = 0;
    for (const agent of this.agents.values()) {
      if (!agent.mediaTypes.includes('chat') || (queueId !== null && agent.skills[queueId] === undefined)) continue;
      if (agent.presence === 'offline') continue;
      signedIn++;
      if (agent.presence === 'free') free++;
    }
    return { free, signedIn };
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

  /** Sessions served now plus a ringing offer: all of them, or those of one subject. */
  loadOf(agent: AgentState, subject?: SessionSubject): number {
    if (subject === undefined) return agent.sessions.size + (agent.offer ? 1 : 0);
    const ringing = agent.offer !== null && this.sessions.get(agent.offer)!.subject === subject ? 1 : 0;
    return ringing + (subject === 'call' ? agent.callSessions : agent.sessions.size - agent.callSessions);
  }

  capacityOf(agent: AgentState, subject: SessionSubject): number {
    return subject === 'call' ? (agent.maxConcurrentCalls ?? 1) : agent.maxConcurrent;
  }

  /** Room for one more session of this subject: below its capacity, and no chat while in a call. */
  hasRoomFor(agent: AgentState, subject: SessionSubject): boolean {
    if (this.loadOf(agent, subject) >= this.capacityOf(agent, subject)) return false;
    return subject === 'call' || this.loadOf(agent, 'call') === 0;
  }

  /** May this agent take this session now (push or pool)? `ignoringSkill`: a session's preferred agent. */
  isEligible(agent: AgentState, session: SessionState, ignoringSkill = false): boolean {
    if (agent.presence !== 'free' || agent.wrapUpUntil !== null) return false;
    if (!this.hasRoomFor(agent, session.subject)) return false;
    if (session.subject === 'call' && !servesCalls(agent)) return false;
    if ((session.declined.get(agent.id) ?? Number.NEGATIVE_INFINITY) > this.now) return false;
    const queue = this.queues.get(session.queueId)!;
    if (!agent.mediaTypes.includes(queue.mediaType)) return false;
    const level = agent.skills[session.queueId];
    if (ignoringSkill || (level !== undefined && level >= session.minLevel)) return true;
    return session.extraQueueIds.some((q) => agent.skills[q] !== undefined);
  }

  /** The subjects this agent could be offered now (the free-agent indexes hold these). */
  protected freeFor(agent: AgentState): SessionSubject[] {
    if (agent.presence !== 'free' || agent.wrapUpUntil !== null || agent.offer !== null) return [];
    return SUBJECTS.filter((subject) => (subject === 'conversation' || servesCalls(agent)) && this.hasRoomFor(agent, subject));
  }

  protected setFree(agent: AgentState, subjects: readonly SessionSubject[]): void {
    if (subjects.length > 0) this.free.add(agent);
    else this.free.delete(agent);
    for (const subject of SUBJECTS) {
      const free = subjects.includes(subject);
      for (const queueId of Object.keys(agent.skills)) {
        let set = this.freeMembers[subject].get(queueId);
        if (!set) this.freeMembers[subject].set(queueId, (set = new Set()));
        if (free) set.add(agent);
        else set.delete(agent);
      }
    }
  }

  /** Shows the session to the agents who may take it and do not see it yet, in `agents` order. */
  protected showInPool(session: SessionState): void {
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
  protected hidePoolSession(session: SessionState, takenBy: string | null): void {
    for (const id of session.visibleTo) this.poolViews.get(id)?.delete(session);
    const agentIds = [...session.visibleTo].filter((id) => id !== takenBy);
    session.visibleTo.clear();
    if (agentIds.length > 0) this.actions.push({ type: 'pool.hidden', sessionId: session.id, agentIds });
  }

  /** Every session this agent sees leaves its pool view, in `sessions` order (= arrival order). */
  protected hideFromPool(agentId: string): void {
    const view = this.poolViews.get(agentId);
    if (!view || view.size === 0) return;
    const sessions = [...view].sort((a, b) => a.order - b.order);
    view.clear();
    for (const session of sessions) {
      session.visibleTo.delete(agentId);
      this.actions.push({ type: 'pool.hidden', sessionId: session.id, agentIds: [agentId] });
    }
  }

  protected isLive(d: { at: number; kind: string; id: string }): boolean {
    if (d.kind === 'wrap_up') return this.agents.get(d.id)?.wrapUpUntil === d.at;
    const s = this.sessions.get(d.id);
    if (!s || TERMINAL.includes(s.phase)) return false;
    if (d.kind === 'offer') return s.phase === 'offered' && s.offerExpiresAt === d.at;
    if (d.kind === 'talk') {
      const maxTalkMs = this.queues.get(s.queueId)!.maxTalkMs;
      return s.phase === 'assigned' && maxTalkMs !== undefined && s.assignedAt + maxTalkMs === d.at;
    }
    if (d.kind === 'wait') return s.phase === 'waiting' && s.queuedAt + this.queues.get(s.queueId)!.maxWaitMs === d.at;
    if (d.kind === 'retry') return s.phase === 'waiting' && [...s.declined.values()].includes(d.at);
    const step = this.queues.get(s.queueId)!.escalation[s.step];
    return (s.phase === 'waiting' || s.phase === 'offered') && step !== undefined && s.queuedAt + step.afterMs === d.at;
  }

  protected addToWaiting(session: SessionState): void {
    for (const q of [session.queueId, ...session.extraQueueIds]) this.waiting.get(q)![session.subject].insert(session);
    this.queued.get(session.queueId)!.insert(session);
    this.changedSessions.add(session);
  }

  protected removeFromWaiting(session: SessionState): void {
    for (const q of [session.queueId, ...session.extraQueueIds]) this.waiting.get(q)?.[session.subject].remove(session);
    this.queued.get(session.queueId)?.remove(session);
  }

  /** An agent whose status may have changed, and who may be able to take a waiting session now. */
  protected touch(agent: AgentState): void {
    this.touched.add(agent.id);
    this.changedAgents.add(agent);
  }

  protected recordServed(queueId: string): void {
    let times = this.served.get(queueId);
    if (!times) this.served.set(queueId, (times = []));
    times.push(this.now);
    if (times.length > SERVED_WINDOW) times.shift();
  }

  protected statusOf(agent: AgentState): AgentStatus {
    if (agent.presence === 'offline') return 'offline';
    if (agent.presence === 'not_ready') return 'not_ready';
    if (agent.presence === 'rest') return 'rest';
    if (agent.presence === 'wrap_up') return 'wrap_up';
    // In a call the agent is busy, wrap-up of an earlier conversation or not: it shows once the call ends.
    const calls = this.loadOf(agent, 'call');
    if (calls > 0 && calls >= this.capacityOf(agent, 'call')) return 'busy';
    if (agent.wrapUpUntil !== null) return 'wrap_up';
    return this.loadOf(agent, 'conversation') >= agent.maxConcurrent ? 'busy' : 'free';
  }

  protected emitStatusChanges(): void {
    for (const id of this.touched) {
      const agent = this.agents.get(id);
      if (!agent) continue;
      const next = this.statusOf(agent);
      if (next === agent.status) continue;
      this.actions.push({ type: 'agent.status', agentId: id, from: agent.status, to: next, ...(agent.reason ? { reason: agent.reason } : {}) });
      agent.status = next;
    }
  }

  protected requireQueue(id: string): QueueConfig {
    const queue = this.queues.get(id);
    if (!queue) throw new RoutingRejection('FD_ROUTING_QUEUE_NOT_FOUND', `queue ${id} not found`);
    return queue;
  }

  protected requireAgent(id: string): AgentState {
    const agent = this.agents.get(id);
    if (!agent) throw new RoutingRejection('FD_ROUTING_AGENT_NOT_FOUND', `agent ${id} is not known to routing`);
    return agent;
  }

  protected liveSession(id: string): SessionState {
    const session = this.sessions.get(id);
    if (!session) throw new RoutingRejection('FD_ROUTING_SESSION_NOT_FOUND', `session ${id} not found`);
    if (TERMINAL.includes(session.phase)) throw new RoutingRejection('FD_ROUTING_SESSION_ENDED', `session ${id} has ended`);
    return session;
  }
}
