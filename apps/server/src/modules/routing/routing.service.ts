import type { AgentState, CloseBy } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { MANUAL_QUEUE_ID } from './engine/engine.ts';
import type { AgentPresence, RoutingEvent } from './engine/types.ts';
import { toQueue, toQueueConfig } from './queue-config.ts';
import { unwrap, type AgentProfile, type RoutingConfig } from './routing-config.service.ts';
import { RoutingError } from './routing.errors.ts';
import type { HandleResult, RoutingShell } from './routing.shell.ts';
import { agentStateOf, overviewOf } from './routing.views.ts';

/**
 * Routing's commands and queries over the shell: agent status, sessions (arrive, offers, claims by
 * hand, transfers, ends) and live views read from this node's copy of the core; the configuration
 * (queues, areas, groups, skills) comes from `RoutingConfig`, and is part of this one face.
 */
export function createRoutingService(deps: { storage: Storage; clock: Clock; shell: RoutingShell; config: RoutingConfig; agentProfile: (appId: string, agentId: string) => Promise<AgentProfile> }) {
  const { storage, clock, shell, config, agentProfile } = deps;
  const { db } = storage;
  const { findQueueRow, submitOne } = config;

  /**
   * Submits an event that puts a session in `queueId`, preceded by the queue's opening state when
   * its working hours changed it since the core last heard (hours are evaluated when they matter).
   */
  async function submitIntoQueue(appId: string, queueId: string, event: RoutingEvent): Promise<HandleResult> {
    const queue = toQueue(await findQueueRow(appId, queueId));
    const config = toQueueConfig(queue, clock.now());
    const known = await shell.read(appId, (engine) => engine.queues.get(queueId)?.isOpen);
    const events: RoutingEvent[] = known === config.isOpen ? [event] : [{ type: 'queue.upsert', queue: config }, event];
    const results = await shell.submit(appId, events);
    return unwrap(results.at(-1));
  }

  /** The agent a staff principal acts as; API keys must name one. */
  function actingAgent(principal: Principal): string {
    if (principal.kind !== 'agent') throw new RoutingError('FD_AUTH_FORBIDDEN', 'only an agent takes offers');
    return principal.agentId;
  }

  return {
    ...config,
    // ── agent status ─────────────────────────────────────────────────────────────────
    /**
     * Sets the status an agent chooses (free, not ready, rest, offline; routing derives busy and
     * wrap-up): the agent itself, or a supervisor forcing it (SPEC M18). The
     * agent's current profile and skills are logged with it, so capacity changes apply.
     */
    async setStatus(principal: Principal, agentId: string, status: AgentPresence, reason: string | undefined): Promise<AgentState> {
      const self = principal.kind === 'agent' && principal.agentId === agentId;
      if (!self && !hasRole(principal, 'supervisor')) throw new RoutingError('FD_AUTH_FORBIDDEN', "only a supervisor sets another agent's status");
      const profile = await agentProfile(principal.appId, agentId);
      if (profile.disabled && status !== 'offline') throw new RoutingError('FD_AUTH_FORBIDDEN', 'this agent is disabled');
      const results = await shell.submit(principal.appId, [
        { type: 'agent.upsert', agent: await config.agentConfig(principal.appId, agentId) },
        { type: 'agent.presence', agentId, presence: status, reason: reason ?? (self ? undefined : 'forced'), ...(self ? {} : { forcedBy: principalId(principal) }) },
      ]);
      results.forEach(unwrap);
      return shell.read(principal.appId, (engine) => agentStateOf(engine, agentId));
    },

    /** Signs an agent out (its sockets are gone): offers it rings with go to others. */
    async signOut(appId: string, agentId: string): Promise<void> {
      const known = await shell.read(appId, (engine) => engine.agents.get(agentId)?.presence);
      if (known === undefined || known === 'offline') return;
      await submitOne(appId, { type: 'agent.presence', agentId, presence: 'offline', reason: 'disconnected' });
    },

    agentState: (appId: string, agentId: string) => shell.read(appId, (engine) => agentStateOf(engine, agentId)),

    /** Agents the app's routing has signed in (any status but offline). */
    signedInAgents: (appId: string) => shell.read(appId, (engine) => [...engine.agents.values()].filter((a) => a.presence !== 'offline').map((a) => a.id)),

    async statusHistory(appId: string, agentId: string, limit: number) {
      await agentProfile(appId, agentId);
      const rows = await db
        .selectFrom('agent_status_history')
        .selectAll()
        .where('app_id', '=', appId)
        .where('agent_id', '=', agentId)
        .orderBy('ord', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map((r) => ({ agentId: r.agent_id, from: r.from_status as AgentState['status'], to: r.to_status as AgentState['status'], reason: r.reason, at: r.at }));
    },

    /**
     * Agents' status changes for reports: those in [fromMs, toMs) and, for each agent, the last one
     * before `fromMs` (the status the range starts in), oldest first.
     */
    async statusChangesAround(appId: string, fromMs: number, toMs: number): Promise<{ agentId: string; to: string; at: number }[]> {
      const before = db
        .selectFrom('agent_status_history')
        .select((eb) => eb.fn.max('ord').as('ord'))
        .where('app_id', '=', appId)
        .where('at', '<', fromMs)
        .groupBy('agent_id');
      const rows = await db
        .selectFrom('agent_status_history')
        .select(['agent_id', 'to_status', 'at', 'ord'])
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb.and([eb('at', '>=', fromMs), eb('at', '<', toMs)]), eb('ord', 'in', before)]))
        .orderBy('ord')
        .execute();
      return rows.map((r) => ({ agentId: r.agent_id, to: r.to_status, at: r.at }));
    },

    // ── sessions ─────────────────────────────────────────────────────────────────────
    /** A conversation needs a human: it enters its queue (or overflows). */
    arrive: (appId: string, conversationId: string, queueId: string) => submitIntoQueue(appId, queueId, { type: 'session.arrive', sessionId: conversationId, queueId }),

    /** A conversation needs a human but no queue routes it (its channel has none, or is off hours): any agent may claim it. */
    arriveToClaim: (appId: string, conversationId: string) => submitOne(appId, { type: 'session.arrive', sessionId: conversationId, queueId: MANUAL_QUEUE_ID }),

    /**
     * An agent takes a conversation waiting to be claimed by hand (manual mode): one winner under any
     * concurrency, within the agent's capacity, which its routed conversations share. The agent's
     * current capacity and skills are logged with it.
     */
    async claim(principal: Principal, conversationId: string): Promise<void> {
      const agentId = actingAgent(principal);
      const profile = await agentProfile(principal.appId, agentId);
      if (!profile.mediaTypes.includes('chat')) throw new RoutingError('FD_AUTH_FORBIDDEN', 'this agent does not serve chat');
      const results = await shell.submit(principal.appId, [
        { type: 'agent.upsert', agent: await config.agentConfig(principal.appId, agentId) },
        { type: 'offer.accept', sessionId: conversationId, agentId },
      ]);
      results.forEach(unwrap);
    },

    accept: (principal: Principal, conversationId: string) => submitOne(principal.appId, { type: 'offer.accept', sessionId: conversationId, agentId: actingAgent(principal) }),

    decline: (principal: Principal, conversationId: string) => submitOne(principal.appId, { type: 'offer.decline', sessionId: conversationId, agentId: actingAgent(principal) }),

    /** By the assigned agent or a supervisor, to a queue or to an agent, with a note kept in the history. */
    async transfer(principal: Principal, conversationId: string, to: { queueId: string } | { agentId: string }, note: string | undefined): Promise<void> {
      const holder = await shell.read(principal.appId, (engine) => engine.sessions.get(conversationId)?.agentId ?? null);
      const isHolder = principal.kind === 'agent' && holder === principal.agentId;
      if (!isHolder && !hasRole(principal, 'supervisor')) throw new RoutingError('FD_AUTH_FORBIDDEN', 'only the assigned agent or a supervisor transfers a conversation');
      const event: RoutingEvent = { type: 'session.transfer', sessionId: conversationId, to, ...(note ? { note } : {}) };
      if ('queueId' in to) await submitIntoQueue(principal.appId, to.queueId, event);
      else {
        await agentProfile(principal.appId, to.agentId);
        await submitOne(principal.appId, event);
      }

    },

    /**
     * A supervisor takes a conversation over from its agent (SPEC M28 intercept; the supervision
     * module checked who may): the agent leaves it at once and its place is free again. The
     * supervisor's current profile is logged with it.
     */
    async intercept(appId: string, conversationId: string, supervisorId: string): Promise<void> {
      const results = await shell.submit(appId, [
        { type: 'agent.upsert', agent: await config.agentConfig(appId, supervisorId) },
        { type: 'session.transfer', sessionId: conversationId, to: { agentId: supervisorId }, intercept: true },
      ]);
      results.forEach(unwrap);
    },

    end: (appId: string, conversationId: string, closeBy: CloseBy) => submitOne(appId, { type: 'session.end', sessionId: conversationId, closeBy }),

    // ── calls: a call is a routing session of its own (subject 'call') ────────────────────
    /**
     * A visitor's call looks for an agent: it rings `preferredAgentId` (the conversation's agent) first
     * if that agent can take it now, else enters `queueId` (a click-to-call queue); without a queue
     * only the preferred agent is rung, and the call is released when it cannot be.
     */
    arriveCall(appId: string, callId: string, input: { queueId: string | null; preferredAgentId?: string | undefined }): Promise<HandleResult> {
      const event: RoutingEvent = { type: 'session.arrive', sessionId: callId, queueId: input.queueId ?? MANUAL_QUEUE_ID, subject: 'call', ...(input.preferredAgentId ? { preferredAgentId: input.preferredAgentId } : {}) };
      return input.queueId ? submitIntoQueue(appId, input.queueId, event) : submitOne(appId, event);
    },

    /** An agent's outbound call holds one of its call places from the start; refused when it has none (or is signed out or wrapping up). */
    async assignCall(appId: string, callId: string, agentId: string): Promise<void> {
      const results = await shell.submit(appId, [
        { type: 'agent.upsert', agent: await config.agentConfig(appId, agentId) },
        { type: 'session.assign', sessionId: callId, agentId, subject: 'call' },
      ]);
      results.forEach(unwrap);
    },

    /** The agent exists in the app (the agent directory's not-found error otherwise). */
    async requireAgent(appId: string, agentId: string): Promise<void> {
      await agentProfile(appId, agentId);
    },

    /** Whether the agent is signed in now (routing knows it and it is not offline): who may be rung by an internal call. */
    isSignedIn: (appId: string, agentId: string) => shell.read(appId, (engine) => (engine.agents.get(agentId)?.presence ?? 'offline') !== 'offline'),

    /** The queue exists in the app (FD_QUEUE_NOT_FOUND otherwise): checked before a call is transferred into it. */
    async requireQueue(appId: string, queueId: string): Promise<void> {
      await findQueueRow(appId, queueId);
    },

    /**
     * A call's blind transfer (SPEC M29): to a queue, routing takes the session from its agent (its
     * call place is free, no wrap-up) and queues it like a new call; to an agent who answered the
     * transfer's ring, the session moves to that agent, refused when it has no free call place.
     */
    async transferCall(appId: string, callId: string, to: { queueId: string } | { agentId: string }): Promise<void> {
      const event: RoutingEvent = { type: 'session.transfer', sessionId: callId, to };
      if ('queueId' in to) {
        await submitIntoQueue(appId, to.queueId, event);
        return;
      }
      const holder = await shell.read(appId, (engine) => engine.sessions.get(callId)?.agentId ?? null);
      // The transferring agent taking its call back holds it already.
      if (holder === to.agentId) return;
      const results = await shell.submit(appId, [{ type: 'agent.upsert', agent: await config.agentConfig(appId, to.agentId) }, event]);
      results.forEach(unwrap);
    },

    /** Ends a routing session if routing still holds it (a call that ended: its agent's call place is free again). */
    async endIfLive(appId: string, sessionId: string, closeBy: CloseBy): Promise<void> {
      const [result] = await shell.submit(appId, [{ type: 'session.end', sessionId, closeBy }]);
      const code = result?.rejection?.code;
      if (code && code !== 'FD_ROUTING_SESSION_NOT_FOUND' && code !== 'FD_ROUTING_SESSION_ENDED') unwrap(result);
    },

    /** Who holds a routed conversation now (its offer or its assignment). */
    holderOf: (appId: string, conversationId: string) => shell.read(appId, (engine) => engine.sessions.get(conversationId)?.agentId ?? null),

    // ── queries ──────────────────────────────────────────────────────────────────────
    async conversationRouting(appId: string, conversationId: string) {
      const rows = await db
        .selectFrom('routing_history')
        .selectAll()
        .where('app_id', '=', appId)
        .where('conversation_id', '=', conversationId)
        .orderBy('ord')
        .execute();
      return { ...(await this.standing(appId, conversationId)), history: rows.map((r) => ({ type: r.type, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> })) };
    },

    /**
     * Who could answer a new visitor of this queue (any chat agent for null) now, for the widget:
     * online (one is free), away (signed in, none free) or offline, how many are free, and the
     * expected wait of a new arrival (null when unknown).
     */
    availability: (appId: string, queueId: string | null) =>
      shell.peek(appId, (engine) => {
        const { free, signedIn } = engine.staffing(queueId);
        const waitMs = queueId === null ? undefined : engine.arrivalWaitMs(queueId);
        return {
          state: free > 0 ? ('online' as const) : signedIn > 0 ? ('away' as const) : ('offline' as const),
          agentsOnline: free,
          expectedWaitSeconds: waitMs === undefined ? null : Math.ceil(waitMs / 1000),
        };
      }),

    /**
     * A conversation routing holds waiting in a queue goes to the manual queue, where any agent may
     * claim it and nothing times it out (the visitor left a message instead of waiting).
     */
    toClaim: (appId: string, conversationId: string) => submitOne(appId, { type: 'session.transfer', sessionId: conversationId, to: { queueId: MANUAL_QUEUE_ID } }),

    /** Place in the queue (0 when not waiting) and the core's wait estimate. */
    standing: (appId: string, conversationId: string) =>
      shell.read(appId, (engine) => ({ position: engine.positionOf(conversationId), estimatedWaitMs: engine.estimatedWaitMs(conversationId) })),

    async overview(appId: string) {
      const [queues, areas] = await Promise.all([this.listQueues(appId), this.listAreas(appId)]);
      const now = clock.now();
      return shell.read(appId, (engine) => overviewOf(engine, queues, areas, now));
    },
  };
}

function principalId(principal: Principal): string {
  return principal.kind === 'agent' ? principal.agentId : principal.kind === 'apiKey' ? principal.keyId : principal.visitorId;
}

export type RoutingService = ReturnType<typeof createRoutingService>;
