/**
 * The routing (ACD) decision core's vocabulary: plain data in, decisions out, no I/O.
 * Times are ms on the caller's clock; every event carries `now`.
 */
export type MediaType = 'chat' | 'audio' | 'video';

/**
 * What a routing session is: a conversation (chat) or a call (audio/video). Each has its own
 * capacity per agent; an agent in a call is offered no chats until it ends (calls still reach an
 * agent whose chats are full: a blended desk).
 */
export type SessionSubject = 'conversation' | 'call';

/** What the agent chose (or a supervisor forced); the shown status is derived from it and the load. */
/** `wrap_up` set by the agent (TCCC `arrange`, 话后整理): like a timed wrap-up, until it sets another. */
export type AgentPresence = 'offline' | 'free' | 'not_ready' | 'rest' | 'wrap_up';
export type AgentStatus = 'offline' | 'free' | 'busy' | 'wrap_up' | 'not_ready' | 'rest';

export type OverflowTrigger = 'wait_timeout' | 'queue_full' | 'no_agent' | 'off_hours';

export type OverflowRule =
  | { action: 'release'; message?: string | undefined }
  /** Transfer only while the target's occupancy% is below `maxOccupancyPercent`; otherwise release. */
  | { action: 'transfer'; toQueueId: string; maxOccupancyPercent: number; message?: string | undefined };

/** After `afterMs` waiting in the queue the eligible set widens (TaskRouter targets, Genesys bullseye). */
export interface EscalationStep {
  afterMs: number;
  /** Lower the skill level required (1–5). */
  minLevel?: number | undefined;
  /** Agents of these queues (skills) become eligible too. */
  addQueueIds?: string[] | undefined;
  /** Move the session to this queue (the last step, usually). */
  overflowQueueId?: string | undefined;
}

export type MaxQueueLength = { kind: 'fixed'; value: number } | { kind: 'ratio'; percent: number };

export interface QueueConfig {
  id: string;
  /** push: offered to one agent at a time; pool: shown to every eligible agent; manual: claimed by hand (the built-in MANUAL_QUEUE_ID). */
  mode: 'push' | 'pool' | 'manual';
  mediaType: MediaType;
  /** Higher is served first. */
  priority: number;
  /** Skill level (1–5) an agent needs in this queue before any escalation. */
  minLevel: number;
  maxWaitMs: number;
  ringTimeoutMs: number;
  wrapUpMs: number;
  /** An assignment longer than this ends by timer (`closeBy` timer); absent: no limit. */
  maxTalkMs?: number | undefined;
  maxQueueLength: MaxQueueLength;
  /** Offers missed (declined or timed out) in a row before the agent is set not-ready. */
  maxMissedOffers: number;
  escalation: EscalationStep[];
  overflow: Partial<Record<OverflowTrigger, OverflowRule>>;
  /** Working hours, evaluated by the shell; closed queues overflow by `off_hours`. */
  isOpen: boolean;
}

export interface AgentConfig {
  id: string;
  maxConcurrent: number;
  mediaTypes: MediaType[];
  /** queue id → skill level 1–5. */
  skills: Record<string, number>;
  /** Among equally loaded agents, a higher priority is offered first (AnyChat agent priority); default 0. */
  priority?: number | undefined;
  /** Calls at once (ringing included); default 1. `maxConcurrent` counts conversations. */
  maxConcurrentCalls?: number | undefined;
}

export type CloseBy = 'client' | 'seat' | 'admin' | 'timer';

export type RoutingEvent =
  | { type: 'queue.upsert'; queue: QueueConfig }
  | { type: 'agent.upsert'; agent: AgentConfig }
  | { type: 'agent.presence'; agentId: string; presence: AgentPresence; reason?: string | undefined; forcedBy?: string | undefined }
  /**
   * `queueId` MANUAL_QUEUE_ID: the session waits to be claimed by hand (`offer.accept` claims it).
   * `preferredAgentId`: offered to that agent first if it can take it now (a call from a conversation
   * rings the conversation's agent, skilled in the queue or not); else, or once it declines, the queue.
   */
  | { type: 'session.arrive'; sessionId: string; queueId: string; priority?: number | undefined; subject?: SessionSubject | undefined; preferredAgentId?: string | undefined }
  /** A session that starts assigned to an agent (its outbound call): refused when the agent is offline or at capacity. */
  | { type: 'session.assign'; sessionId: string; agentId: string; subject: SessionSubject }
  | { type: 'offer.accept'; sessionId: string; agentId: string }
  | { type: 'offer.decline'; sessionId: string; agentId: string }
  /**
   * `intercept`: a supervisor takes the session over (SPEC M28, 强拆): it is assigned to that agent
   * whatever its status and load, and leaves its agent at once (no wrap-up).
   */
  | { type: 'session.transfer'; sessionId: string; to: { queueId: string } | { agentId: string }; note?: string | undefined; intercept?: boolean | undefined }
  | { type: 'session.end'; sessionId: string; closeBy: CloseBy }
  /** Timers: offers ring out, waits time out, escalation steps and wrap-up end. */
  | { type: 'tick' };

export type WithdrawReason = 'declined' | 'timed_out' | 'taken' | 'ended' | 'unavailable';

/** Actions about a call's session say so (`subject: 'call'`); conversations' actions carry no subject. */
export type RoutingAction = RoutingActionOf & { subject?: 'call' };

type RoutingActionOf =
  | { type: 'offer'; sessionId: string; agentId: string; expiresAt: number }
  | { type: 'offer.withdrawn'; sessionId: string; agentId: string; reason: WithdrawReason }
  /** Pool mode: these agents see the waiting session; the first to accept takes it. */
  | { type: 'pool.visible'; sessionId: string; agentIds: string[] }
  | { type: 'pool.hidden'; sessionId: string; agentIds: string[] }
  | { type: 'assign'; sessionId: string; agentId: string; queueId: string }
  | { type: 'unassign'; sessionId: string; agentId: string }
  | { type: 'agent.status'; agentId: string; from: AgentStatus; to: AgentStatus; reason?: string | undefined }
  | { type: 'session.queued'; sessionId: string; queueId: string; fromQueueId?: string | undefined; trigger?: OverflowTrigger | 'transfer' | 'escalation' }
  | { type: 'session.escalated'; sessionId: string; queueId: string; step: number; minLevel: number; addedQueueIds: string[] }
  | { type: 'session.released'; sessionId: string; queueId: string; trigger: OverflowTrigger; message?: string | undefined }
  | { type: 'session.ended'; sessionId: string; closeBy: CloseBy };

export type RoutingErrorCode =
  | 'FD_ROUTING_QUEUE_NOT_FOUND'
  | 'FD_ROUTING_AGENT_NOT_FOUND'
  | 'FD_ROUTING_SESSION_NOT_FOUND'
  | 'FD_ROUTING_SESSION_EXISTS'
  | 'FD_ROUTING_OFFER_NOT_HELD'
  | 'FD_ROUTING_AGENT_UNAVAILABLE'
  | 'FD_ROUTING_SESSION_ENDED'
  /** A claim by hand (manual mode): the agent is at capacity, or another agent has the session. */
  | 'FD_AGENT_AT_CAPACITY'
  | 'FD_CONVERSATION_ALREADY_CLAIMED';

/** A command the current state does not allow (accepting an offer held by another agent…). */
export class RoutingRejection extends Error {
  constructor(
    readonly code: RoutingErrorCode,
    message: string,
  ) {
    super(message);
  }
}
