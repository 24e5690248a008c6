import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MANUAL_QUEUE_ID, RoutingEngine, type AgentState, type SessionState } from './engine.ts';
import type { AgentConfig, MediaType, QueueConfig, RoutingAction, RoutingEvent } from './types.ts';
import { servesBefore } from './wait-list.ts';

const QUEUE_IDS = ['q1', 'q2', 'q3'];
const MEDIA: MediaType[] = ['chat', 'audio', 'video'];

const queueArb = (id: string, opts: { modes?: ('push' | 'pool')[] } = {}) =>
  fc.record({
    id: fc.constant(id),
    mode: fc.constantFrom(...(opts.modes ?? ['push', 'push', 'pool'])),
    mediaType: fc.constantFrom<MediaType>('chat', 'chat', 'audio'),
    priority: fc.integer({ min: 0, max: 3 }),
    minLevel: fc.constantFrom(1, 1, 1, 2, 3, 5),
    maxWaitMs: fc.integer({ min: 1_000, max: 120_000 }),
    ringTimeoutMs: fc.integer({ min: 1_000, max: 30_000 }),
    wrapUpMs: fc.constantFrom(0, 5_000, 30_000),
    maxTalkMs: fc.option(fc.integer({ min: 5_000, max: 300_000 }), { nil: undefined, freq: 2 }),
    maxQueueLength: fc.oneof(
      fc.record({ kind: fc.constant('fixed' as const), value: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('ratio' as const), percent: fc.integer({ min: 50, max: 500 }) }),
    ),
    maxMissedOffers: fc.integer({ min: 1, max: 4 }),
    escalation: fc.array(
      fc.record({
        afterMs: fc.integer({ min: 500, max: 60_000 }),
        minLevel: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        addQueueIds: fc.option(fc.subarray(QUEUE_IDS), { nil: undefined }),
        overflowQueueId: fc.option(fc.constantFrom(...QUEUE_IDS), { nil: undefined, freq: 4 }),
      }),
      { maxLength: 3 },
    ),
    overflow: fc.record(
      {
        wait_timeout: fc.oneof(fc.constant({ action: 'release' as const, message: 'sorry' }), fc.record({ action: fc.constant('transfer' as const), toQueueId: fc.constantFrom(...QUEUE_IDS), maxOccupancyPercent: fc.integer({ min: 0, max: 101 }) })),
        queue_full: fc.oneof(fc.constant({ action: 'release' as const }), fc.record({ action: fc.constant('transfer' as const), toQueueId: fc.constantFrom(...QUEUE_IDS), maxOccupancyPercent: fc.integer({ min: 0, max: 101 }) })),
        no_agent: fc.constant({ action: 'release' as const }),
        off_hours: fc.constant({ action: 'release' as const }),
      },
      { requiredKeys: [] },
    ),
    isOpen: fc.constantFrom(true, true, true, true, false),
  }) as fc.Arbitrary<QueueConfig>;

const agentArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    maxConcurrent: fc.integer({ min: 1, max: 3 }),
    mediaTypes: fc.oneof(fc.constant<MediaType[]>(['chat']), fc.subarray(MEDIA, { minLength: 1 })),
    skills: fc.dictionary(fc.constantFrom(...QUEUE_IDS), fc.integer({ min: 1, max: 5 }), { minKeys: 1, maxKeys: 3 }),
    maxConcurrentCalls: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  }) as fc.Arbitrary<AgentConfig>;

type Op =
  | { op: 'arrive'; queue: number; priority: number }
  /** A conversation to be claimed by hand (a channel without a queue). */
  | { op: 'arriveManual' }
  /** A call: into a queue, maybe ringing a preferred agent first; or an agent's outbound call. */
  | { op: 'arriveCall'; queue: number; preferred: number | null }
  | { op: 'assignCall'; agent: number }
  | { op: 'presence'; agent: number; presence: 'offline' | 'free' | 'not_ready' | 'rest' }
  | { op: 'accept'; session: number; agent: number }
  | { op: 'decline'; session: number; agent: number }
  | { op: 'end'; session: number }
  | { op: 'transferQueue'; session: number; queue: number }
  | { op: 'transferAgent'; session: number; agent: number }
  | { op: 'wait'; ms: number }
  | { op: 'queueUpsert'; queue: QueueConfig }
  | { op: 'agentUpsert'; agent: number; config: AgentConfig };

const opArb = (opts: { declines: boolean; transfers: boolean; upserts?: boolean; manual?: boolean; calls?: boolean }): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('arrive' as const), queue: fc.nat(2), priority: fc.integer({ min: 0, max: 2 }) }) },
    { weight: opts.manual === false ? 0 : 2, arbitrary: fc.constant({ op: 'arriveManual' as const }) },
    { weight: opts.calls === false ? 0 : 2, arbitrary: fc.record({ op: fc.constant('arriveCall' as const), queue: fc.nat(2), preferred: fc.option(fc.nat(5), { nil: null }) }) },
    { weight: opts.calls === false ? 0 : 1, arbitrary: fc.record({ op: fc.constant('assignCall' as const), agent: fc.nat(5) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('presence' as const), agent: fc.nat(5), presence: fc.constantFrom('free' as const, 'free' as const, 'offline' as const, 'not_ready' as const, 'rest' as const) }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('accept' as const), session: fc.nat(40), agent: fc.nat(5) }) },
    { weight: opts.declines ? 2 : 0, arbitrary: fc.record({ op: fc.constant('decline' as const), session: fc.nat(40), agent: fc.nat(5) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('end' as const), session: fc.nat(40) }) },
    { weight: opts.transfers ? 1 : 0, arbitrary: fc.record({ op: fc.constant('transferQueue' as const), session: fc.nat(40), queue: fc.nat(2) }) },
    { weight: opts.transfers ? 1 : 0, arbitrary: fc.record({ op: fc.constant('transferAgent' as const), session: fc.nat(40), agent: fc.nat(5) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 40_000 })) }) },
    // Configuration changes while sessions wait: a queue's mode, media or levels, an agent's skills or capacity.
    { weight: opts.upserts ? 1 : 0, arbitrary: fc.record({ op: fc.constant('queueUpsert' as const), queue: fc.constantFrom(...QUEUE_IDS).chain((id) => queueArb(id)) }) },
    { weight: opts.upserts ? 1 : 0, arbitrary: fc.record({ op: fc.constant('agentUpsert' as const), agent: fc.nat(5), config: agentArb('any') }) },
  );

function toEvent(op: Op, engine: RoutingEngine, arrived: string[]): RoutingEvent {
  const agentIds = [...engine.agents.keys()];
  const agent = (i: number) => agentIds[i % agentIds.length]!;
  const session = (i: number) => arrived[i % Math.max(1, arrived.length)] ?? 'none';
  switch (op.op) {
    case 'arrive': {
      const sessionId = `s${arrived.length}`;
      arrived.push(sessionId);
      return { type: 'session.arrive', sessionId, queueId: QUEUE_IDS[op.queue]!, priority: op.priority };
    }
    case 'arriveManual': {
      const sessionId = `s${arrived.length}`;
      arrived.push(sessionId);
      return { type: 'session.arrive', sessionId, queueId: MANUAL_QUEUE_ID };
    }
    case 'arriveCall': {
      const sessionId = `s${arrived.length}`;
      arrived.push(sessionId);
      return { type: 'session.arrive', sessionId, queueId: QUEUE_IDS[op.queue]!, subject: 'call', ...(op.preferred === null ? {} : { preferredAgentId: agent(op.preferred) }) };
    }
    case 'assignCall': {
      const sessionId = `s${arrived.length}`;
      arrived.push(sessionId);
      return { type: 'session.assign', sessionId, agentId: agent(op.agent), subject: 'call' };
    }
    case 'presence':
      return { type: 'agent.presence', agentId: agent(op.agent), presence: op.presence, reason: op.presence === 'rest' ? 'lunch' : undefined };
    // Mostly the agent's own ringing offer (or a pool session it sees); sometimes any session, which may be refused.
    case 'accept':
    case 'decline': {
      const a = engine.agents.get(agent(op.agent))!;
      const pooled = [...engine.sessions.values()].find((s) => s.visibleTo.has(a.id));
      const sessionId = op.session % 5 === 0 ? session(op.session) : (a.offer ?? pooled?.id ?? session(op.session));
      return { type: op.op === 'accept' ? 'offer.accept' : 'offer.decline', sessionId, agentId: a.id };
    }
    case 'end':
      return { type: 'session.end', sessionId: session(op.session), closeBy: 'client' };
    case 'transferQueue':
      return { type: 'session.transfer', sessionId: session(op.session), to: { queueId: QUEUE_IDS[op.queue]! } };
    case 'transferAgent':
      return { type: 'session.transfer', sessionId: session(op.session), to: { agentId: agent(op.agent) } };
    case 'wait':
      return { type: 'tick' };
    case 'queueUpsert':
      return { type: 'queue.upsert', queue: op.queue };
    case 'agentUpsert':
      return { type: 'agent.upsert', agent: { ...op.config, id: agent(op.agent) } };
  }
}

/** An agent's sessions of one subject, its ringing offer included, counted from the public state. */
function loadOf(engine: RoutingEngine, agent: AgentState, subject: 'conversation' | 'call'): number {
  return [...agent.sessions, ...(agent.offer ? [agent.offer] : [])].filter((id) => engine.sessions.get(id)!.subject === subject).length;
}

/** Room for one more session of a subject: conversations up to `maxConcurrent` and none while in a call; calls up to `maxConcurrentCalls` (1). */
function hasRoom(engine: RoutingEngine, agent: AgentState, subject: 'conversation' | 'call'): boolean {
  if (subject === 'call') return loadOf(engine, agent, 'call') < (agent.maxConcurrentCalls ?? 1);
  return loadOf(engine, agent, 'conversation') < agent.maxConcurrent && loadOf(engine, agent, 'call') === 0;
}

/** Independent of the engine's own `isEligible`: what "an eligible agent with capacity" means. */
function canTake(engine: RoutingEngine, agent: AgentState, session: SessionState): boolean {
  const queue = engine.queues.get(session.queueId)!;
  const hasSkill = (agent.skills[session.queueId] ?? 0) >= session.minLevel || session.extraQueueIds.some((q) => q in agent.skills);
  const servesCalls = agent.mediaTypes.includes('audio') || agent.mediaTypes.includes('video');
  return (
    agent.presence === 'free' &&
    agent.wrapUpUntil === null &&
    agent.offer === null &&
    hasRoom(engine, agent, session.subject) &&
    (session.subject === 'conversation' || servesCalls) &&
    agent.mediaTypes.includes(queue.mediaType) &&
    hasSkill &&
    // A declined or missed offer pauses that agent for the session (for ever for a call).
    !((session.declined.get(agent.id) ?? Number.NEGATIVE_INFINITY) > engine['now'])
  );
}

function checkInvariants(engine: RoutingEngine): void {
  const holders = new Map<string, string[]>();
  for (const agent of engine.agents.values()) {
    expect(loadOf(engine, agent, 'conversation'), `capacity of ${agent.id}`).toBeLessThanOrEqual(agent.maxConcurrent);
    expect(loadOf(engine, agent, 'call'), `call capacity of ${agent.id}`).toBeLessThanOrEqual(agent.maxConcurrentCalls ?? 1);
    for (const id of [...agent.sessions, ...(agent.offer ? [agent.offer] : [])]) holders.set(id, [...(holders.get(id) ?? []), agent.id]);
  }
  for (const session of engine.sessions.values()) {
    const held = holders.get(session.id) ?? [];
    expect(held.length, `holders of ${session.id}`).toBeLessThanOrEqual(1);
    if (session.phase === 'offered' || session.phase === 'assigned') expect(held).toEqual([session.agentId]);
    else expect(held).toEqual([]);
    if (session.phase === 'waiting' && engine.queues.get(session.queueId)!.mode === 'push') {
      const idle = [...engine.agents.values()].filter((a) => canTake(engine, a, session)).map((a) => a.id);
      expect(idle, `${session.id} waits while these agents could take it`).toEqual([]);
    }
  }
}

/** The engine's incremental indexes (private fields, read by element access) against a brute-force recomputation from its public state. */
function checkIndexes(engine: RoutingEngine): void {
  const sorted = (ids: Iterable<string>) => [...ids].sort();
  const servesCalls = (a: AgentState) => a.mediaTypes.includes('audio') || a.mediaTypes.includes('video');
  const ready = (a: AgentState) => a.presence === 'free' && a.wrapUpUntil === null && a.offer === null;
  const freeFor = {
    conversation: [...engine.agents.values()].filter((a) => ready(a) && hasRoom(engine, a, 'conversation')),
    call: [...engine.agents.values()].filter((a) => ready(a) && servesCalls(a) && hasRoom(engine, a, 'call')),
  };
  const free = [...new Set([...freeFor.conversation, ...freeFor.call])];
  expect(sorted([...engine['free']].map((a) => a.id)), 'free agents').toEqual(sorted(free.map((a) => a.id)));
  for (const subject of ['conversation', 'call'] as const) {
    for (const [queueId, members] of engine['freeMembers'][subject]) {
      expect(sorted([...members].map((a) => a.id)), `agents of ${queueId} free for a ${subject}`).toEqual(sorted(freeFor[subject].filter((a) => queueId in a.skills).map((a) => a.id)));
    }
    for (const agent of freeFor[subject]) {
      for (const queueId of Object.keys(agent.skills)) expect(engine['freeMembers'][subject].get(queueId)?.has(agent), `${agent.id} free in ${queueId} for a ${subject}`).toBe(true);
    }
  }
  for (const agent of engine.agents.values()) {
    expect(agent.callSessions, `calls of ${agent.id}`).toBe([...agent.sessions].filter((id) => engine.sessions.get(id)!.subject === 'call').length);
    const sees = [...engine.sessions.values()].filter((s) => s.visibleTo.has(agent.id)).map((s) => s.id);
    expect(sorted([...(engine['poolViews'].get(agent.id) ?? [])].map((s) => s.id)), `pool view of ${agent.id}`).toEqual(sorted(sees));
  }
  expect(engine['changedAgents'].size + engine['changedSessions'].size, 'changes left after a dispatch').toBe(0);
  const waiting = [...engine.sessions.values()].filter((s) => s.phase === 'waiting');
  for (const queueId of engine.queues.keys()) expect(engine.queuedCount(queueId), `queued in ${queueId}`).toBe(waiting.filter((s) => s.queueId === queueId).length);
  for (const session of engine.sessions.values()) {
    const ahead = waiting.filter((s) => s.queueId === session.queueId && servesBefore(s, session)).length;
    expect(engine.positionOf(session.id), `position of ${session.id}`).toBe(session.phase === 'waiting' ? ahead + 1 : 0);
  }
}

function setup(engine: RoutingEngine, queues: QueueConfig[], agents: AgentConfig[], now: number) {
  for (const queue of queues) engine.handle({ type: 'queue.upsert', queue }, now);
  for (const agent of agents) {
    engine.handle({ type: 'agent.upsert', agent }, now);
    engine.handle({ type: 'agent.presence', agentId: agent.id, presence: 'free' }, now);
  }
}

describe('routing decision core (property tests)', () => {
  it('never gives a session to two agents, never exceeds capacity, never leaves a session waiting beside an idle eligible agent, ends every session once, and ends wrap-up in free', () => {
    fc.assert(
      fc.property(
        fc.tuple(queueArb('q1'), queueArb('q2'), queueArb('q3')),
        fc.tuple(agentArb('a1'), agentArb('a2'), agentArb('a3'), agentArb('a4'), agentArb('a5'), agentArb('a6')),
        fc.array(opArb({ declines: true, transfers: true }), { minLength: 1, maxLength: 100, size: 'max' }),
        (queues, agents, ops) => {
          const engine = new RoutingEngine();
          let now = 1_000_000;
          setup(engine, queues, agents, now);
          const arrived: string[] = [];
          const log: RoutingAction[] = [];
          for (const op of ops) {
            if (op.op === 'wait') now += op.ms;
            const { actions } = engine.handle(toEvent(op, engine, arrived), now);
            log.push(...actions);
            checkInvariants(engine);
          }
          // finish: end every live session, then let every timer run out (an outbound call refused at once never was a session)
          const created = arrived.filter((id) => engine.sessions.has(id));
          for (const id of created) {
            const s = engine.sessions.get(id)!;
            if (s.phase !== 'ended' && s.phase !== 'released') log.push(...engine.handle({ type: 'session.end', sessionId: id, closeBy: 'admin' }, now).actions);
          }
          now += 10 * 3_600_000;
          log.push(...engine.handle({ type: 'tick' }, now).actions);
          checkInvariants(engine);

          for (const id of created) {
            const own = log.filter((a) => 'sessionId' in a && a.sessionId === id);
            const terminals = own.filter((a) => a.type === 'session.ended' || a.type === 'session.released');
            expect(terminals, `terminal states of ${id}`).toHaveLength(1);
            expect(own.at(-1), `nothing happens to ${id} after its end`).toBe(terminals[0]);
          }
          // Out of wrap-up: free, or busy when a call beyond a full chat load was what ended.
          for (const change of log) {
            if (change.type === 'agent.status' && change.from === 'wrap_up') expect(['free', 'busy', 'offline', 'not_ready', 'rest']).toContain(change.to);
          }
          for (const agent of engine.agents.values()) expect(agent.status).not.toBe('wrap_up');
          expect(engine.nextDeadline()).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps its free-agent, pool-view and per-queue indexes equal to a recomputation from scratch, through configuration changes too', () => {
    fc.assert(
      fc.property(
        fc.tuple(queueArb('q1'), queueArb('q2'), queueArb('q3')),
        fc.tuple(agentArb('a1'), agentArb('a2'), agentArb('a3'), agentArb('a4'), agentArb('a5'), agentArb('a6')),
        fc.array(opArb({ declines: true, transfers: true, upserts: true }), { minLength: 1, maxLength: 100, size: 'max' }),
        (queues, agents, ops) => {
          const engine = new RoutingEngine();
          let now = 1_000_000;
          setup(engine, queues, agents, now);
          const arrived: string[] = [];
          for (const op of ops) {
            if (op.op === 'wait') now += op.ms;
            engine.handle(toEvent(op, engine, arrived), now);
            checkIndexes(engine);
            // (Not every invariant: an upsert may lower a busy agent's capacity below its load.)
            for (const session of engine.sessions.values()) {
              if (session.phase !== 'waiting' || engine.queues.get(session.queueId)!.mode !== 'push') continue;
              expect([...engine.agents.values()].filter((a) => canTake(engine, a, session)).map((a) => a.id), `${session.id} waits beside`).toEqual([]);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('forgetting ended sessions changes no decision, drops exactly the sessions ended long enough ago, and does not depend on how often it is called', () => {
    fc.assert(
      fc.property(
        fc.tuple(queueArb('q1'), queueArb('q2'), queueArb('q3')),
        fc.tuple(agentArb('a1'), agentArb('a2'), agentArb('a3'), agentArb('a4'), agentArb('a5'), agentArb('a6')),
        fc.array(fc.tuple(opArb({ declines: true, transfers: true }), fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined, freq: 2 })), { minLength: 1, maxLength: 100, size: 'max' }),
        fc.integer({ min: 0, max: 60_000 }),
        (queues, agents, steps, retentionMs) => {
          // `forgetting` forgets with a random retention at random points, `keeping` never,
          // `steady` after every event with one retention.
          const [forgetting, keeping, steady] = [new RoutingEngine(), new RoutingEngine(), new RoutingEngine()];
          let now = 1_000_000;
          for (const engine of [forgetting, keeping, steady]) setup(engine, queues, agents, now);
          const arrived: string[] = [];
          const endedAt = new Map<string, number>();
          const forgotten = new Set<string>();
          for (const [op, forgetMs] of steps) {
            if (op.op === 'wait') now += op.ms;
            const event = toEvent(op, forgetting, arrived);
            const kept = keeping.handle(event, now);
            const forgot = forgetting.handle(event, now);
            steady.handle(event, now);
            steady.forgetEnded(retentionMs);
            expect(forgot.actions).toEqual(kept.actions);
            // The one difference: a command naming a forgotten session finds no session at all.
            const named = 'sessionId' in event ? event.sessionId : undefined;
            if (named !== undefined && forgotten.has(named) && kept.rejection?.code === 'FD_ROUTING_SESSION_ENDED') expect(forgot.rejection?.code).toBe('FD_ROUTING_SESSION_NOT_FOUND');
            else expect(forgot.rejection?.code).toBe(kept.rejection?.code);
            for (const a of kept.actions) if (a.type === 'session.ended' || a.type === 'session.released') endedAt.set(a.sessionId, now);
            if (forgetMs === undefined) continue;
            const due = [...endedAt].filter(([id, at]) => !forgotten.has(id) && at <= now - forgetMs).map(([id]) => id);
            expect(forgetting.forgetEnded(forgetMs)).toBe(due.length);
            for (const id of due) forgotten.add(id);
            expect([...forgetting.sessions.keys()]).toEqual([...keeping.sessions.keys()].filter((id) => !forgotten.has(id)));
          }
          // Forgetting once at the end leaves the same state as forgetting after every event.
          keeping.forgetEnded(retentionMs);
          expect(steady.forgetEnded(retentionMs)).toBe(0);
          expect([...steady.sessions.entries()]).toEqual([...keeping.sessions.entries()]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('serves one queue first by priority, then first come first served (no LIFO, no starvation)', () => {
    fc.assert(
      fc.property(
        queueArb('q1', { modes: ['push'] }).map((q) => ({ ...q, isOpen: true, minLevel: 1, escalation: [], ringTimeoutMs: 10 ** 9, maxWaitMs: 10 ** 9, maxQueueLength: { kind: 'fixed' as const, value: 10_000 }, mediaType: 'chat' as const })),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.array(opArb({ declines: false, transfers: false, manual: false, calls: false }).filter((o) => o.op !== 'presence' || o.presence !== 'offline'), { minLength: 1, maxLength: 150, size: 'max' }),
        (queue, capacities, ops) => {
          const engine = new RoutingEngine();
          let now = 0;
          setup(engine, [queue], capacities.map((c, i) => ({ id: `a${i}`, maxConcurrent: c, mediaTypes: ['chat'], skills: { q1: 5 } })), now);
          const arrived: string[] = [];
          for (const op of ops) {
            const event = op.op === 'arrive' ? { ...op, queue: 0 } : op;
            if (op.op === 'wait') now += op.ms;
            const { actions } = engine.handle(toEvent(event, engine, arrived), now);
            const stillWaiting = [...engine.sessions.values()].filter((s) => s.phase === 'waiting');
            for (const offer of actions.filter((a) => a.type === 'offer')) {
              const offered = engine.sessions.get(offer.sessionId)!;
              const skipped = stillWaiting.filter((s) => s.priority > offered.priority || (s.priority === offered.priority && s.order < offered.order));
              expect(skipped.map((s) => s.id), `offered ${offered.id} before`).toEqual([]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('routing decision core (examples)', () => {
  const base: QueueConfig = {
    id: 'sales',
    mode: 'push',
    mediaType: 'chat',
    priority: 0,
    minLevel: 1,
    maxWaitMs: 60_000,
    ringTimeoutMs: 15_000,
    wrapUpMs: 10_000,
    maxQueueLength: { kind: 'fixed', value: 100 },
    maxMissedOffers: 2,
    escalation: [],
    overflow: {},
    isOpen: true,
  };

  it('offers to the least loaded agent, then the longest idle; a ring timeout moves the offer on and missed offers set not-ready', () => {
    const engine = new RoutingEngine();
    setup(engine, [base], [
      { id: 'ann', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 3 } },
      { id: 'bob', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 3 } },
    ], 0);
    const first = engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 1_000).actions;
    expect(first).toContainEqual({ type: 'offer', sessionId: 's1', agentId: 'ann', expiresAt: 16_000 });
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 2_000);
    const second = engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 3_000).actions;
    expect(second).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's2', agentId: 'bob' }));
    const timedOut = engine.handle({ type: 'tick' }, 18_000).actions;
    expect(timedOut).toContainEqual({ type: 'offer.withdrawn', sessionId: 's2', agentId: 'bob', reason: 'timed_out' });
    expect(timedOut).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's2', agentId: 'ann' }));
    engine.handle({ type: 'session.arrive', sessionId: 's3', queueId: 'sales' }, 19_000);
    engine.handle({ type: 'offer.decline', sessionId: 's3', agentId: 'bob' }, 20_000);
    expect(engine.agents.get('bob')!.status).toBe('not_ready');
  });

  it('an agent in wrap-up by hand (TCCC arrange) gets no offers and cannot claim until it sets another status', () => {
    const engine = new RoutingEngine();
    setup(engine, [base], [{ id: 'ann', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    const set = engine.handle({ type: 'agent.presence', agentId: 'ann', presence: 'wrap_up' }, 1_000).actions;
    expect(set).toContainEqual({ type: 'agent.status', agentId: 'ann', from: 'free', to: 'wrap_up' });
    const arrived = engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 2_000).actions;
    expect(arrived.some((a) => a.type === 'offer')).toBe(false);
    engine.handle({ type: 'session.arrive', sessionId: 'm1', queueId: MANUAL_QUEUE_ID }, 3_000);
    expect(engine.handle({ type: 'offer.accept', sessionId: 'm1', agentId: 'ann' }, 3_000).rejection?.message).toMatch(/wrapping up/);
    const back = engine.handle({ type: 'agent.presence', agentId: 'ann', presence: 'free' }, 4_000).actions;
    expect(back).toContainEqual({ type: 'agent.status', agentId: 'ann', from: 'wrap_up', to: 'free' });
    expect(back).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's1', agentId: 'ann' }));
  });

  it('wrap-up follows a session for the queue wrap-up time, then the agent is free and gets the queue head at once', () => {
    const engine = new RoutingEngine();
    setup(engine, [base], [{ id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 0);
    expect(engine.agents.get('ann')!.status).toBe('busy');
    engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 1_000);
    const ended = engine.handle({ type: 'session.end', sessionId: 's1', closeBy: 'seat' }, 2_000).actions;
    expect(ended).toContainEqual({ type: 'agent.status', agentId: 'ann', from: 'busy', to: 'wrap_up' });
    expect(engine.nextDeadline()).toBe(12_000);
    const after = engine.handle({ type: 'tick' }, 12_000).actions;
    expect(after).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's2', agentId: 'ann' }));
  });

  it('a session declined back into its queue still leaves it when its wait runs out (a ring longer than the wait)', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, maxWaitMs: 10_000, ringTimeoutMs: 30_000 }], [{ id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    // The shell arms its timer while the offer rings: the wait deadline, first but not live then, is dropped.
    expect(engine.nextDeadline()).toBe(30_000);
    engine.handle({ type: 'offer.decline', sessionId: 's1', agentId: 'ann' }, 5_000);
    expect(engine.nextDeadline()).toBe(10_000);
    const released = engine.handle({ type: 'tick' }, 10_000).actions;
    expect(released).toContainEqual(expect.objectContaining({ type: 'session.released', sessionId: 's1', trigger: 'wait_timeout' }));
  });

  it('a conversation declined or rung out comes back to the only agent who can take it after a ring time; another agent gets it first', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, maxMissedOffers: 5, maxWaitMs: 300_000 }], [{ id: 'ann', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    const declined = engine.handle({ type: 'offer.decline', sessionId: 's1', agentId: 'ann' }, 1_000).actions;
    expect(declined.some((a) => a.type === 'offer')).toBe(false);
    expect(engine.nextDeadline()).toBe(16_000);
    expect(engine.handle({ type: 'tick' }, 16_000).actions).toContainEqual({ type: 'offer', sessionId: 's1', agentId: 'ann', expiresAt: 31_000 });
    const missed = engine.handle({ type: 'tick' }, 31_000).actions;
    expect(missed).toContainEqual({ type: 'offer.withdrawn', sessionId: 's1', agentId: 'ann', reason: 'timed_out' });
    expect(missed.some((a) => a.type === 'offer')).toBe(false);
    expect(engine.handle({ type: 'tick' }, 46_000).actions).toContainEqual({ type: 'offer', sessionId: 's1', agentId: 'ann', expiresAt: 61_000 });

    // While another agent can take it, the one who let it go is not asked again.
    engine.handle({ type: 'agent.upsert', agent: { id: 'bob', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } } }, 47_000);
    engine.handle({ type: 'agent.presence', agentId: 'bob', presence: 'free' }, 47_000);
    expect(engine.handle({ type: 'offer.decline', sessionId: 's1', agentId: 'ann' }, 48_000).actions).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's1', agentId: 'bob' }));
  });

  it('overflows on wait timeout to a second queue only while its occupancy is below the threshold', () => {
    const engine = new RoutingEngine();
    const overflowTo = (max: number): QueueConfig => ({ ...base, overflow: { wait_timeout: { action: 'transfer', toQueueId: 'support', maxOccupancyPercent: max, message: 'busy' } } });
    setup(engine, [overflowTo(80), { ...base, id: 'support' }], [
      { id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } },
      { id: 'sue', maxConcurrent: 1, mediaTypes: ['chat'], skills: { support: 1 } },
    ], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 0);
    engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 0);
    // support: 1 of 1 agents idle, nothing queued → occupancy 0 % < 80 %
    expect(engine.occupancyPercent('support')).toBe(0);
    const moved = engine.handle({ type: 'tick' }, 60_000).actions;
    expect(moved).toContainEqual({ type: 'session.queued', sessionId: 's2', queueId: 'support', fromQueueId: 'sales', trigger: 'wait_timeout' });
    expect(moved).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's2', agentId: 'sue' }));
    engine.handle({ type: 'offer.accept', sessionId: 's2', agentId: 'sue' }, 60_000);
    // now support's only agent is busy (70 %) and nothing waits there (0 %): a threshold of 60 % blocks
    engine.handle({ type: 'queue.upsert', queue: overflowTo(60) }, 60_000);
    engine.handle({ type: 'session.arrive', sessionId: 's3', queueId: 'sales' }, 60_000);
    expect(engine.occupancyPercent('support')).toBe(70);
    const released = engine.handle({ type: 'tick' }, 120_000).actions;
    expect(released).toContainEqual({ type: 'session.released', sessionId: 's3', queueId: 'sales', trigger: 'wait_timeout', message: 'busy' });
  });

  it('escalation widens the eligible set step by step: lower level, then more skills', () => {
    const engine = new RoutingEngine();
    const queue: QueueConfig = { ...base, minLevel: 5, escalation: [{ afterMs: 10_000, minLevel: 3 }, { afterMs: 20_000, addQueueIds: ['support'] }] };
    setup(engine, [queue, { ...base, id: 'support' }], [
      { id: 'mid', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 3 } },
      { id: 'other', maxConcurrent: 1, mediaTypes: ['chat'], skills: { support: 1 } },
    ], 0);
    engine.handle({ type: 'agent.presence', agentId: 'mid', presence: 'rest', reason: 'lunch' }, 0);
    expect(engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0).actions.some((a) => a.type === 'offer')).toBe(false);
    const step1 = engine.handle({ type: 'tick' }, 10_000).actions;
    expect(step1).toContainEqual({ type: 'session.escalated', sessionId: 's1', queueId: 'sales', step: 1, minLevel: 3, addedQueueIds: [] });
    expect(step1.some((a) => a.type === 'offer')).toBe(false);
    const step2 = engine.handle({ type: 'tick' }, 20_000).actions;
    expect(step2).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's1', agentId: 'other' }));
  });

  it('pool mode: every eligible agent sees the session, the first to accept takes it and it disappears for the others', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, mode: 'pool' }], [
      { id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } },
      { id: 'bob', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } },
    ], 0);
    expect(engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0).actions).toContainEqual({ type: 'pool.visible', sessionId: 's1', agentIds: ['ann', 'bob'] });
    const taken = engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'bob' }, 1).actions;
    expect(taken).toContainEqual({ type: 'pool.hidden', sessionId: 's1', agentIds: ['ann'] });
    expect(taken).toContainEqual({ type: 'assign', sessionId: 's1', agentId: 'bob', queueId: 'sales' });
    expect(engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 2).rejection?.code).toBe('FD_ROUTING_OFFER_NOT_HELD');
  });

  it('forgets ended and released sessions once they are older than asked; their ids are then unknown and may arrive again', () => {
    const engine = new RoutingEngine();
    setup(engine, [base, { ...base, id: 'closed', isOpen: false }], [{ id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 0);
    engine.handle({ type: 'session.end', sessionId: 's1', closeBy: 'seat' }, 1_000);
    expect(engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'closed' }, 2_000).actions).toContainEqual(expect.objectContaining({ type: 'session.released', sessionId: 's2' }));
    expect(engine.forgetEnded(5_000)).toBe(0);
    expect(engine.handle({ type: 'session.end', sessionId: 's1', closeBy: 'admin' }, 3_000).rejection?.code).toBe('FD_ROUTING_SESSION_ENDED');
    engine.handle({ type: 'tick' }, 6_000);
    expect(engine.forgetEnded(5_000)).toBe(1); // s1 ended 5 s ago; s2 was released only 4 s ago
    expect([...engine.sessions.keys()]).toEqual(['s2']);
    expect(engine.handle({ type: 'session.end', sessionId: 's1', closeBy: 'admin' }, 6_000).rejection?.code).toBe('FD_ROUTING_SESSION_NOT_FOUND');
    expect(engine.forgetEnded()).toBe(1);
    expect(engine.sessions.size).toBe(0);
    // ann's wrap-up ends at 11 s; the forgotten id is a new session
    expect(engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 12_000).actions).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's1', agentId: 'ann' }));
  });

  it('estimates the wait as the position × the mean time between the queue\'s recent assignments, up to the engine\'s clock', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, wrapUpMs: 0, maxWaitMs: 3_600_000 }], [{ id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 0);
    expect(engine.estimatedWaitMs('s2'), 'nothing assigned yet').toBeUndefined();
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 10_000);
    engine.handle({ type: 'session.arrive', sessionId: 's3', queueId: 'sales' }, 10_000);
    expect(engine.estimatedWaitMs('s2'), 'one assignment, just now: no interval yet').toBeUndefined();
    engine.handle({ type: 'session.end', sessionId: 's1', closeBy: 'seat' }, 70_000);
    engine.handle({ type: 'offer.accept', sessionId: 's2', agentId: 'ann' }, 72_000);
    // assigned at 10 s and 72 s: one every (72 − 10) / 2 = 31 s
    expect(engine.estimatedWaitMs('s3')).toBe(31_000);
    engine.handle({ type: 'session.arrive', sessionId: 's4', queueId: 'sales' }, 80_000);
    // nothing assigned since: (80 − 10) / 2 = 35 s a place
    expect([engine.positionOf('s4'), engine.estimatedWaitMs('s3'), engine.estimatedWaitMs('s4')]).toEqual([2, 35_000, 70_000]);
    expect(engine.estimatedWaitMs('s2'), 'assigned').toBeUndefined();
    expect(engine.estimatedWaitMs('nobody')).toBeUndefined();
  });

  it("expects a new arrival to wait (the widget's expected wait) for the queue ahead of it plus one, at the pace of recent assignments", () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, wrapUpMs: 0, maxWaitMs: 3_600_000 }], [{ id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    expect(engine.arrivalWaitMs('sales'), 'nothing assigned yet: unknown').toBeUndefined();
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 0);
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 10_000);
    expect(engine.arrivalWaitMs('sales'), 'one assignment, just now: no interval yet').toBeUndefined();
    engine.handle({ type: 'session.end', sessionId: 's1', closeBy: 'seat' }, 70_000);
    engine.handle({ type: 'offer.accept', sessionId: 's2', agentId: 'ann' }, 72_000);
    engine.handle({ type: 'session.arrive', sessionId: 's3', queueId: 'sales' }, 80_000);
    // one waiting (s3) and the newcomer: 2 places at (80 − 10) / 2 = 35 s a place
    expect(engine.arrivalWaitMs('sales')).toBe(70_000);
    expect(engine.arrivalWaitMs(MANUAL_QUEUE_ID), 'claims by hand have no pace').toBeUndefined();
  });

  it('among equally loaded agents offers to the higher priority first, before the longer idle', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, wrapUpMs: 0 }], [
      { id: 'ann', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } },
      { id: 'bob', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 }, priority: 5 },
    ], 0);
    const offered = engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 1_000).actions.find((a) => a.type === 'offer');
    expect(offered).toMatchObject({ agentId: 'bob' });
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'bob' }, 2_000);
    // bob now carries one more session: load comes before priority
    expect(engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 3_000).actions.find((a) => a.type === 'offer')).toMatchObject({ agentId: 'ann' });
  });

  it("ends an assignment that outlasts the queue's max talk time by timer; a transfer to an agent starts the count again", () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, wrapUpMs: 0, maxTalkMs: 60_000 }], [
      { id: 'ann', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } },
      { id: 'bob', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } },
    ], 0);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 0);
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: engine.sessions.get('s1')!.agentId! }, 1_000);
    const holder = engine.sessions.get('s1')!.agentId!;
    const other = holder === 'ann' ? 'bob' : 'ann';
    engine.handle({ type: 'session.transfer', sessionId: 's1', to: { agentId: other } }, 40_000);
    expect(engine.handle({ type: 'tick' }, 61_000).actions).toEqual([]);
    expect(engine.nextDeadline()).toBe(100_000);
    expect(engine.handle({ type: 'tick' }, 100_000).actions).toContainEqual({ type: 'session.ended', sessionId: 's1', closeBy: 'timer' });
    expect(engine.agents.get(other)!.sessions.size).toBe(0);
  });

  it('estimates the wait from the last 20 assignments only', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, wrapUpMs: 0, maxWaitMs: 3_600_000, maxQueueLength: { kind: 'fixed', value: 1_000 } }], [{ id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { sales: 1 } }], 0);
    for (let i = 0; i < 30; i++) engine.handle({ type: 'session.arrive', sessionId: `s${i}`, queueId: 'sales' }, 0);
    // five quick ones at 0 … 4 s, then one every 10 s from 10 s to 200 s
    const servedAt = [0, 1_000, 2_000, 3_000, 4_000, ...Array.from({ length: 20 }, (_, i) => (i + 1) * 10_000)];
    servedAt.forEach((at, i) => {
      if (i > 0) engine.handle({ type: 'session.end', sessionId: `s${i - 1}`, closeBy: 'seat' }, at);
      engine.handle({ type: 'offer.accept', sessionId: `s${i}`, agentId: 'ann' }, at);
    });
    // the last 20: (200 − 10) / 20 = 9.5 s a place (all 25 would give 200 / 25 = 8 s)
    expect([engine.positionOf('s25'), engine.estimatedWaitMs('s25')]).toEqual([1, 9_500]);
    expect([engine.positionOf('s29'), engine.estimatedWaitMs('s29')]).toEqual([5, 47_500]);
  });

  it('manual mode: a session claimed by hand is the first claimer\'s, counts toward its capacity, and push offers only fill what is left', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, wrapUpMs: 0 }], [
      { id: 'ann', maxConcurrent: 2, mediaTypes: ['chat'], skills: { sales: 1 } },
      { id: 'bob', maxConcurrent: 1, mediaTypes: ['audio'], skills: {} },
    ], 0);
    engine.handle({ type: 'agent.presence', agentId: 'ann', presence: 'not_ready' }, 0);
    expect(engine.handle({ type: 'session.arrive', sessionId: 'm1', queueId: MANUAL_QUEUE_ID }, 0).actions).toEqual([{ type: 'session.queued', sessionId: 'm1', queueId: MANUAL_QUEUE_ID }]);
    expect(engine.handle({ type: 'offer.accept', sessionId: 'm1', agentId: 'bob' }, 1).rejection?.code).toBe('FD_ROUTING_AGENT_UNAVAILABLE');
    // Claiming by hand does not need the agent to be free (only out of wrap-up).
    expect(engine.handle({ type: 'offer.accept', sessionId: 'm1', agentId: 'ann' }, 2).actions).toContainEqual({ type: 'assign', sessionId: 'm1', agentId: 'ann', queueId: MANUAL_QUEUE_ID });
    expect(engine.handle({ type: 'offer.accept', sessionId: 'm1', agentId: 'bob' }, 3).rejection?.code).toBe('FD_CONVERSATION_ALREADY_CLAIMED');
    engine.handle({ type: 'agent.presence', agentId: 'ann', presence: 'free' }, 4);
    engine.handle({ type: 'session.arrive', sessionId: 's1', queueId: 'sales' }, 5);
    engine.handle({ type: 'offer.accept', sessionId: 's1', agentId: 'ann' }, 6);
    expect(engine.agents.get('ann')!.status).toBe('busy');
    expect(engine.handle({ type: 'session.arrive', sessionId: 's2', queueId: 'sales' }, 7).actions.some((a) => a.type === 'offer')).toBe(false);
    engine.handle({ type: 'session.arrive', sessionId: 'm2', queueId: MANUAL_QUEUE_ID }, 8);
    expect(engine.handle({ type: 'offer.accept', sessionId: 'm2', agentId: 'ann' }, 9).rejection?.code).toBe('FD_AGENT_AT_CAPACITY');
    // Ending the hand-claimed session frees its place: the waiting push session is offered.
    expect(engine.handle({ type: 'session.end', sessionId: 'm1', closeBy: 'seat' }, 10).actions).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 's2', agentId: 'ann' }));
  });

  it('calls: the preferred agent rings first without the skill; a call counts apart from chats and holds off chat offers until it ends', () => {
    const engine = new RoutingEngine();
    const videoQueue: QueueConfig = { ...base, id: 'video', mediaType: 'video', wrapUpMs: 0 };
    setup(engine, [{ ...base, wrapUpMs: 0 }, videoQueue], [
      { id: 'ann', maxConcurrent: 2, mediaTypes: ['chat', 'video'], skills: { sales: 1 } },
      { id: 'bob', maxConcurrent: 2, mediaTypes: ['chat', 'video'], skills: { sales: 1, video: 1 } },
    ], 0);
    engine.handle({ type: 'session.arrive', sessionId: 'chat1', queueId: 'sales' }, 0);
    const chatHolder = engine.sessions.get('chat1')!.agentId!;
    engine.handle({ type: 'offer.accept', sessionId: 'chat1', agentId: chatHolder }, 0);
    // ann has no skill in the video queue, but the call comes from her conversation: it rings her first.
    const rang = engine.handle({ type: 'session.arrive', sessionId: 'call1', queueId: 'video', subject: 'call', preferredAgentId: 'ann' }, 1_000).actions;
    expect(rang).toContainEqual({ type: 'offer', sessionId: 'call1', agentId: 'ann', expiresAt: 16_000, subject: 'call' });
    // She declines: the queue offers it to its skilled agent.
    expect(engine.handle({ type: 'offer.decline', sessionId: 'call1', agentId: 'ann' }, 2_000).actions).toContainEqual(expect.objectContaining({ type: 'offer', sessionId: 'call1', agentId: 'bob', subject: 'call' }));
    engine.handle({ type: 'offer.accept', sessionId: 'call1', agentId: 'bob' }, 3_000);
    expect([engine.agents.get('bob')!.status, engine.loadOf(engine.agents.get('bob')!, 'call')]).toEqual(['busy', 1]);
    // In a call, bob is offered no chat; ann takes the next one.
    expect(engine.handle({ type: 'session.arrive', sessionId: 'chat2', queueId: 'sales' }, 4_000).actions.find((a) => a.type === 'offer')).toMatchObject({ agentId: 'ann' });
    // An outbound call needs room for a call: refused for bob (in one), accepted for ann.
    expect(engine.handle({ type: 'session.assign', sessionId: 'out1', agentId: 'bob', subject: 'call' }, 5_000).rejection?.code).toBe('FD_ROUTING_AGENT_UNAVAILABLE');
    expect(engine.handle({ type: 'session.assign', sessionId: 'out2', agentId: 'ann', subject: 'call' }, 5_000).actions).toContainEqual({ type: 'assign', sessionId: 'out2', agentId: 'ann', queueId: MANUAL_QUEUE_ID, subject: 'call' });
    engine.handle({ type: 'session.end', sessionId: 'call1', closeBy: 'seat' }, 6_000);
    expect(engine.agents.get('bob')!.status).toBe('free');
  });

  it('a call outside any queue rings the conversation\'s agent for 20 s, and she can answer it', () => {
    const engine = new RoutingEngine();
    setup(engine, [], [{ id: 'ann', maxConcurrent: 2, mediaTypes: ['chat', 'video'], skills: {} }], 0);
    expect(engine.handle({ type: 'session.arrive', sessionId: 'call1', queueId: MANUAL_QUEUE_ID, subject: 'call', preferredAgentId: 'ann' }, 1_000).actions).toContainEqual({
      type: 'offer',
      sessionId: 'call1',
      agentId: 'ann',
      expiresAt: 21_000,
      subject: 'call',
    });
    const accepted = engine.handle({ type: 'offer.accept', sessionId: 'call1', agentId: 'ann' }, 2_000);
    expect(accepted.rejection).toBeUndefined();
    expect(accepted.actions).toContainEqual({ type: 'assign', sessionId: 'call1', agentId: 'ann', queueId: MANUAL_QUEUE_ID, subject: 'call' });
  });

  it('off hours, no agent signed in and a full queue each overflow by their own trigger', () => {
    const engine = new RoutingEngine();
    setup(engine, [{ ...base, id: 'closed', isOpen: false }, { ...base, id: 'empty' }, { ...base, id: 'full', maxQueueLength: { kind: 'ratio', percent: 100 } }], [
      { id: 'ann', maxConcurrent: 1, mediaTypes: ['chat'], skills: { full: 1 } },
    ], 0);
    const trigger = (sessionId: string, queueId: string) =>
      engine.handle({ type: 'session.arrive', sessionId, queueId }, 0).actions.find((a) => a.type === 'session.released');
    expect(trigger('s1', 'closed')).toMatchObject({ trigger: 'off_hours' });
    expect(trigger('s2', 'empty')).toMatchObject({ trigger: 'no_agent' });
    expect(trigger('s3', 'full')).toBeUndefined(); // offered to ann
    expect(trigger('s4', 'full')).toBeUndefined(); // queued: 1 signed-in agent × 100 % = 1 place
    expect(trigger('s5', 'full')).toMatchObject({ trigger: 'queue_full' });
  });
});
