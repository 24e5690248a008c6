import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallEngine } from './call-engine.ts';
import type { Notify } from './call-engine.testing.ts';
import { ALL_EASEMOB_CODES, type EasemobCode } from './easemob-codes.ts';
import { isAllowedEasemobTransition, isFinalCode, isOneFlow } from './easemob-transitions.ts';
import type { CallAction, CallEngineOptions, CallEvent, CallKind, CallState, EndReason, HungUpSide, Participant, PartyRef, RefuseReason, RoutingReleaseReason } from './types.ts';

const AGENTS = ['a0', 'a1', 'a2', 'a3'];
const VISITORS = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'];

type MediaWhat = 'connected' | 'lost' | 'restored' | 'stopped' | 'resumed';
type RouteWhat = 'queued' | 'offer' | 'decline' | 'timeout' | 'withdraw' | 'assign' | 'release';
type Op =
  | { op: 'request'; visitor: number; preferred: number | null; kind: CallKind }
  | { op: 'outbound'; agent: number; visitor: number; current: boolean; kind: CallKind }
  | { op: 'route'; call: number; what: RouteWhat; agent: number; release: RoutingReleaseReason }
  | { op: 'accept'; call: number; party: number }
  | { op: 'refuse'; call: number; party: number; reason: RefuseReason }
  | { op: 'hangUp'; call: number; party: number }
  | { op: 'hold' | 'unhold'; call: number; party: number }
  | { op: 'setMedia'; call: number; party: number; mic: boolean; cam: boolean | undefined }
  | { op: 'invite'; call: number; party: number; agent: number; visitor: number; isAgent: boolean }
  | { op: 'media'; call: number; party: number; what: MediaWhat }
  | { op: 'connectAll'; call: number }
  /** One step along the seed's happy paths for the call's phase (offer, answer, connect, invite, accept…). */
  | { op: 'advance'; call: number; choice: number }
  | { op: 'serverLost'; calls: number[] }
  | { op: 'wait'; ms: number };

const n = (max: number) => fc.nat(max);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('request' as const), visitor: n(5), preferred: fc.option(n(3), { nil: null }), kind: fc.constantFrom<CallKind>('audio', 'video') }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('outbound' as const), agent: n(3), visitor: n(5), current: fc.boolean(), kind: fc.constantFrom<CallKind>('audio', 'video') }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('route' as const),
      call: n(30),
      what: fc.constantFrom<RouteWhat>('queued', 'offer', 'offer', 'decline', 'timeout', 'withdraw', 'assign', 'assign', 'release'),
      agent: n(3),
      release: fc.constantFrom<RoutingReleaseReason>('wait_timeout', 'queue_full', 'no_agent', 'off_hours'),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('accept' as const), call: n(30), party: n(6) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('refuse' as const), call: n(30), party: n(6), reason: fc.constantFrom<RefuseReason>('refused', 'busy', 'error') }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('hangUp' as const), call: n(30), party: n(6) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('hold' as const, 'unhold' as const), call: n(30), party: n(6) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setMedia' as const), call: n(30), party: n(6), mic: fc.boolean(), cam: fc.option(fc.boolean(), { nil: undefined }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('invite' as const), call: n(30), party: n(6), agent: n(3), visitor: n(5), isAgent: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('media' as const), call: n(30), party: n(6), what: fc.constantFrom<MediaWhat>('connected', 'connected', 'lost', 'restored', 'stopped', 'resumed') }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('connectAll' as const), call: n(30) }) },
  { weight: 12, arbitrary: fc.record({ op: fc.constant('advance' as const), call: n(30), choice: n(59) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('serverLost' as const), calls: fc.array(n(30), { maxLength: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 1, max: 4_000 }), fc.integer({ min: 1, max: 40_000 })) }) },
);

const optionsArb: fc.Arbitrary<CallEngineOptions> = fc.record({
  ringTimeoutMs: fc.integer({ min: 1_000, max: 40_000 }),
  connectTimeoutMs: fc.integer({ min: 1_000, max: 40_000 }),
  peerGraceMs: fc.integer({ min: 1_000, max: 20_000 }),
  streamOfflineAfterMs: fc.constantFrom(3_000, 1_000),
  maxParticipants: fc.integer({ min: 3, max: 6 }),
});

const live = (p: Participant) => p.leg !== 'left';
const ref = (p: Participant): PartyRef => ({ role: p.role, id: p.userId });

/** Turns an op into events against the current state: mostly the parties actually in the call, sometimes anyone. */
function toEvents(op: Op, engine: CallEngine, now: number): CallEvent[] {
  const all = [...engine.calls.values()];
  const going = all.filter((c) => c.phase !== 'ended');
  const pick = (i: number): CallState | undefined => (i % 7 === 0 || going.length === 0 ? all[i % Math.max(1, all.length)] : going[i % going.length]);
  const legOf = (call: CallState | undefined, i: number): PartyRef => {
    const legs = call?.participants.filter(live) ?? [];
    return legs.length > 0 && i % 6 !== 5 ? ref(legs[i % legs.length]!) : { role: i % 2 ? 'agent' : 'visitor', id: i % 2 ? AGENTS[i % 4]! : VISITORS[i % 6]! };
  };
  const call = 'call' in op ? pick(op.call) : undefined;
  const callId = call?.id ?? 'none';
  const coreRinging = call?.participants.find((p) => p.leg === 'ringing' && (p.origin === 'callee' || p.origin === 'invitee'));
  const offered = call?.participants.find((p) => p.leg === 'ringing' && p.origin === 'offered');
  switch (op.op) {
    case 'request': {
      const visitorId = VISITORS[op.visitor]!;
      const preferredAgentId = op.preferred === null ? undefined : AGENTS[op.preferred];
      return [{ type: 'call.request', callId: `c${all.length}`, conversationId: `conv-${visitorId}`, kind: op.kind, visitorId, queueId: 'q', preferredAgentId }];
    }
    case 'outbound': {
      const visitorId = VISITORS[op.visitor]!;
      return [{ type: 'call.start_outbound', callId: `c${all.length}`, conversationId: `conv-${visitorId}`, kind: op.kind, agentId: AGENTS[op.agent]!, visitorId, target: op.current ? 'current_visitor' : 'visitor' }];
    }
    case 'route': {
      const agentId = AGENTS[op.agent]!;
      const rung = offered && op.agent !== 3 ? offered.userId : agentId;
      switch (op.what) {
        case 'queued':
          return [{ type: 'routing.queued', callId, queueId: 'q' }];
        case 'offer':
          return [{ type: 'routing.offered', callId, agentId, expiresAt: now + 20_000 }];
        case 'decline':
        case 'timeout':
        case 'withdraw':
          return [{ type: 'routing.offer_withdrawn', callId, agentId: rung, reason: op.what === 'decline' ? 'declined' : op.what === 'timeout' ? 'timed_out' : 'taken' }];
        case 'assign':
          return [{ type: 'routing.assigned', callId, agentId: rung }];
        case 'release':
          return [{ type: 'routing.released', callId, reason: op.release }];
      }
    }
    // falls through: every route case returns
    case 'accept':
      return [{ type: 'call.accept', callId, by: coreRinging && op.party !== 5 ? ref(coreRinging) : legOf(call, op.party) }];
    case 'refuse':
      return [{ type: 'call.refuse', callId, by: coreRinging && op.party !== 5 ? ref(coreRinging) : legOf(call, op.party), reason: op.reason }];
    case 'hangUp':
      return [{ type: 'call.hang_up', callId, by: legOf(call, op.party) }];
    case 'hold':
    case 'unhold': {
      const main = call?.participants.find((p) => live(p) && p.role === 'agent' && p.userId === call.mainAgentId && p.origin !== 'invitee');
      return [{ type: op.op === 'hold' ? 'call.hold' : 'call.unhold', callId, by: main && op.party !== 5 ? ref(main) : legOf(call, op.party) }];
    }
    case 'setMedia':
      return [{ type: 'call.set_media', callId, by: legOf(call, op.party), micMuted: op.mic, cameraOff: op.cam }];
    case 'invite': {
      const by: PartyRef = call?.mainAgentId && op.party !== 5 ? { role: 'agent', id: call.mainAgentId } : legOf(call, op.party);
      return [{ type: 'call.invite', callId, by, invitee: op.isAgent ? { role: 'agent', id: AGENTS[op.agent]! } : { role: 'visitor', id: VISITORS[op.visitor]! } }];
    }
    case 'media':
      return [{ type: `media.${op.what}`, callId, participant: legOf(call, op.party) }];
    case 'connectAll':
      return (call?.participants ?? []).filter((p) => p.leg === 'connecting').map((p) => ({ type: 'media.connected', callId, participant: ref(p) }));
    case 'advance':
      return call ? advance(engine, call, op.choice, now) : [];
    case 'serverLost':
      return [{ type: 'media.server_lost', callIds: op.calls.map((i) => all[i % Math.max(1, all.length)]?.id ?? 'none') }];
    case 'wait':
      return [{ type: 'tick' }];
  }
}

/** The next step a well-behaved party would take, so random runs get deep into the seed's flows. */
function advance(engine: CallEngine, call: CallState, choice: number, now: number): CallEvent[] {
  const callId = call.id;
  const freeAgents = AGENTS.filter((id) => engine.loadOf(id) < engine.capacityOf(id) && !call.participants.some((p) => live(p) && p.userId === id));
  const freeVisitors = VISITORS.filter((id) => ![...engine.calls.values()].some((c) => c.phase !== 'ended' && c.participants.some((p) => live(p) && p.userId === id)));
  const offered = call.participants.find((p) => p.leg === 'ringing' && p.origin === 'offered');
  const coreRinging = call.participants.find((p) => p.leg === 'ringing' && (p.origin === 'callee' || p.origin === 'invitee'));
  const connecting = call.participants.filter((p) => p.leg === 'connecting').map((p) => ({ type: 'media.connected' as const, callId, participant: ref(p) }));
  const agentId = freeAgents[choice % Math.max(1, freeAgents.length)] ?? AGENTS[choice % 4]!;
  switch (call.phase) {
    case 'requested':
    case 'queued':
      return [choice % 6 === 0 ? { type: 'routing.assigned', callId, agentId } : { type: 'routing.offered', callId, agentId, expiresAt: now + 15_000 }];
    case 'ringing':
      if (offered) return [choice % 4 === 0 ? { type: 'routing.offer_withdrawn', callId, agentId: offered.userId, reason: choice % 8 === 0 ? 'timed_out' : 'declined' } : { type: 'routing.assigned', callId, agentId: offered.userId }];
      if (coreRinging) return [choice % 5 === 0 ? { type: 'call.refuse', callId, by: ref(coreRinging) } : { type: 'call.accept', callId, by: ref(coreRinging) }, ...connecting];
      return connecting;
    case 'connecting':
      return connecting;
    case 'active':
      if (coreRinging) return [choice % 4 === 0 ? { type: 'call.refuse', callId, by: ref(coreRinging), reason: (['refused', 'busy', 'error'] as const)[choice % 3] } : { type: 'call.accept', callId, by: ref(coreRinging) }];
      if (connecting.length > 0) return connecting;
      if (choice % 3 !== 0) {
        const invitee: PartyRef = choice % 2 === 0 && freeVisitors.length > 0 ? { role: 'visitor', id: freeVisitors[choice % freeVisitors.length]! } : { role: 'agent', id: agentId };
        return [{ type: 'call.invite', callId, by: { role: 'agent', id: call.mainAgentId! }, invitee }];
      }
      return [{ type: 'call.hold', callId, by: { role: 'agent', id: call.mainAgentId! } }];
    case 'held':
      return [{ type: 'call.unhold', callId, by: { role: 'agent', id: call.mainAgentId! } }];
    case 'ended':
      return [];
  }
}

/** Independent of the engine's indexes: loads, one live leg per party, one live call per visitor and conversation. */
function checkState(engine: CallEngine, capacities: Record<string, number>, maxParticipants: number): void {
  const calls = [...engine.calls.values()];
  for (const agentId of AGENTS) {
    const load = calls.filter((c) => c.phase !== 'ended' && c.participants.some((p) => live(p) && p.role === 'agent' && p.userId === agentId)).length;
    expect(load, `calls of ${agentId}`).toBeLessThanOrEqual(capacities[agentId]!);
    expect(engine.loadOf(agentId), `load index of ${agentId}`).toBe(load);
  }
  for (const visitorId of VISITORS) {
    expect(calls.filter((c) => c.phase !== 'ended' && c.participants.some((p) => live(p) && p.role === 'visitor' && p.userId === visitorId)).length, `calls of ${visitorId}`).toBeLessThanOrEqual(1);
  }
  for (const call of calls) {
    const legs = call.participants.filter(live);
    if (call.phase === 'ended') {
      expect(legs, `legs left in ended ${call.id}`).toEqual([]);
      expect([call.endReason, call.hungUpSide, call.endedAt].includes(null), `end fields of ${call.id}`).toBe(false);
      continue;
    }
    expect(new Set(legs.map((p) => `${p.role}:${p.userId}`)).size, `one leg per party in ${call.id}`).toBe(legs.length);
    expect(legs.length).toBeLessThanOrEqual(maxParticipants);
    expect(engine.callOfConversation(call.conversationId)).toBe(call);
    // every agent still in a call was told where it stands, with a code that is not final
    for (const leg of legs.filter((p) => p.role === 'agent')) expect(leg.lastCode !== null && !isFinalCode(leg.lastCode), `${leg.userId} in ${call.id}: ${leg.lastCode}`).toBe(true);
  }
}

/** The main agent's final code for each end (from the seed's table), independent of call-notices.ts. */
const MAIN_END_CODES: Record<EndReason, Partial<Record<HungUpSide, readonly EasemobCode[]>>> = {
  visitor_hung_up: { visitor: ['005003', '005005', '005007'] },
  agent_hung_up: { agent: ['005004', '005006', '005008', '005001', '005002'] },
  peer_lost: { visitor: ['005003', '005005', '005007'], agent: ['005004', '005006', '005008', '005001', '005002', '002005', '002010'] },
  media_failure: { system: ['002004', '002009', '002011'] },
  visitor_refused: { visitor: ['002001', '002006'] },
  visitor_busy: { visitor: ['002003', '002008'] },
  visitor_timeout: { system: ['002002', '002007'] },
  visitor_error: { visitor: ['002004', '002009'] },
  agent_hung_up_before_answer: { agent: ['002005', '002010'] },
  cancelled: { visitor: [] },
  released_by_routing: { system: [] },
};

/** Replays the log's notices: the seed's transitions per agent and call (and per agent when calls cannot overlap), one flow per leg, no action after an end. */
function checkLog(batches: CallAction[][], perAgent: boolean): void {
  const byAgentCall = new Map<string, EasemobCode | null>();
  const segment = new Map<string, EasemobCode[]>();
  const byAgent = new Map<string, EasemobCode | null>();
  const ended = new Set<string>();
  for (const actions of batches) {
    for (const action of actions) {
      const callId = 'callId' in action ? action.callId : action.type === 'call.created' ? action.call.id : undefined;
      expect(callId !== undefined && ended.has(callId), `${action.type} after ${callId} ended`).toBe(false);
      if (action.type === 'call.ended') {
        ended.add(action.callId);
        const mainCodes = actions.filter((a): a is Notify => a.type === 'notify' && a.callId === action.callId && a.agentId === action.summary.mainAgentId && isFinalCode(a.code));
        const allowed = MAIN_END_CODES[action.reason][action.hungUpSide];
        expect(allowed, `${action.reason} with side ${action.hungUpSide}`).toBeDefined();
        if (action.summary.mainAgentId !== null && allowed!.length > 0) expect(allowed).toContain(mainCodes.at(-1)?.code);
        expect(action.summary.durationMs).toBe(action.summary.acceptedAt === null ? 0 : action.summary.endedAt - action.summary.acceptedAt);
        expect(action.summary.durationMs).toBeGreaterThanOrEqual(0);
      }
      if (action.type !== 'notify') continue;
      const key = `${action.agentId}/${action.callId}`;
      const prev = byAgentCall.get(key) ?? null;
      expect(isAllowedEasemobTransition(prev, action.code), `${key}: ${prev} → ${action.code}`).toBe(true);
      expect(action.previous, `previous of ${key}`).toBe(prev === null || isFinalCode(prev) ? null : prev);
      byAgentCall.set(key, action.code);
      const codes = prev === null || isFinalCode(prev) ? [action.code] : [...segment.get(key)!, action.code];
      segment.set(key, codes);
      expect(isOneFlow(codes), `${key}: ${codes.join(' ')}`).toBe(true);
      if (perAgent) {
        const last = byAgent.get(action.agentId) ?? null;
        expect(isAllowedEasemobTransition(last, action.code), `${action.agentId}: ${last} → ${action.code}`).toBe(true);
        byAgent.set(action.agentId, action.code);
      }
    }
  }
}

function internals(engine: CallEngine): string {
  const st = engine['st'];
  const sets = [...st.agentCalls].map(([k, v]) => [k, [...v]]);
  return JSON.stringify([[...st.calls.values()], sets, [...st.visitorCall], [...st.conversationCall], [...st.capacity]]);
}

interface Run {
  events: { event: CallEvent; at: number }[];
  results: ReturnType<CallEngine['handle']>[];
}

/** Runs the ops with a tick before each event (so timers do not mix into a command's batch), then ends every call. */
function run(options: CallEngineOptions, capacities: Record<string, number>, ops: Op[], onStep?: (engine: CallEngine) => void): { engine: CallEngine; run: Run } {
  const engine = new CallEngine(options);
  const out: Run = { events: [], results: [] };
  let now = 1_000_000;
  const handle = (event: CallEvent) => {
    out.events.push({ event, at: now });
    const result = engine.handle(event, now);
    out.results.push(result);
    return result;
  };
  for (const [agentId, max] of Object.entries(capacities)) handle({ type: 'agent.capacity', agentId, maxConcurrentCalls: max });
  for (const op of ops) {
    if (op.op === 'wait') now += op.ms;
    handle({ type: 'tick' });
    for (const event of toEvents(op, engine, now)) {
      const before = internals(engine);
      const result = handle(event);
      if (result.rejection) {
        expect(result.actions, `${event.type} refused (${result.rejection.code}) yet decided`).toEqual([]);
        expect(internals(engine), `${event.type} refused (${result.rejection.code}) yet changed the state`).toBe(before);
      }
      onStep?.(engine);
    }
  }
  // finish: the visitor of every call still going hangs up, then every timer runs out
  for (const call of [...engine.calls.values()].filter((c) => c.phase !== 'ended')) {
    const result = handle({ type: 'call.hang_up', callId: call.id, by: { role: 'visitor', id: call.visitorId } });
    expect(result.rejection).toBeUndefined();
  }
  now += 24 * 3_600_000;
  handle({ type: 'tick' });
  return { engine, run: out };
}

describe('call engine (property tests)', () => {
  it('ends every call exactly once, keeps every agent within its call capacity, emits only the seed\'s code transitions, and refused commands change nothing', () => {
    let calls = 0;
    let events = 0;
    fc.assert(
      fc.property(optionsArb, fc.tuple(...AGENTS.map(() => fc.constantFrom(1, 1, 2))), fc.array(opArb, { minLength: 1, maxLength: 150, size: 'max' }), (options, caps, ops) => {
        const capacities = Object.fromEntries(AGENTS.map((id, i) => [id, caps[i]!]));
        const { engine, run: r } = run(options, capacities, ops, (e) => checkState(e, capacities, options.maxParticipants!));
        checkState(engine, capacities, options.maxParticipants!);
        checkLog(
          r.results.map((x) => x.actions),
          caps.every((c) => c === 1),
        );
        const created = r.results.flatMap((x) => x.actions).filter((a) => a.type === 'call.created').map((a) => (a.type === 'call.created' ? a.call.id : ''));
        const endings = r.results.flatMap((x) => x.actions).filter((a) => a.type === 'call.ended');
        expect(endings.map((a) => a.callId).sort()).toEqual([...created].sort());
        expect(engine.nextDeadline()).toBeUndefined();
        for (const id of AGENTS) expect(engine.loadOf(id)).toBe(0);
        calls += created.length;
        events += r.events.length;
      }),
      { numRuns: 300 },
    );
    // NOTE: printed so a run shows how much it covered.
    console.info(`call engine properties: 300 runs, ${events} events, ${calls} calls`);
  });

  it('replays deterministically: the same events at the same times give the same decisions and rejections', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }), (options, ops) => {
        const capacities = { a0: 1, a1: 2, a2: 1, a3: 1 };
        const first = run(options, capacities, ops).run;
        const again = new CallEngine(options);
        const replayed = first.events.map(({ event, at }) => again.handle(event, at));
        expect(JSON.stringify(replayed)).toBe(JSON.stringify(first.results));
      }),
      { numRuns: 200 },
    );
  });

  it('reaches the seed\'s flows: random runs reach every Easemob code, phase and end reason', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(optionsArb, fc.array(opArb, { minLength: 30, maxLength: 150, size: 'max' }), (options, ops) => {
        const { run: r } = run(options, { a0: 1, a1: 1, a2: 1, a3: 1 }, ops);
        for (const a of r.results.flatMap((x) => x.actions)) {
          if (a.type === 'notify') seen.add(a.code);
          if (a.type === 'call.ended') seen.add(a.reason);
          if (a.type === 'call.phase_changed') seen.add(a.to);
        }
      }),
      { numRuns: 200 },
    );
    // Base codes a status mapping gives, never a call transition.
    const statusOnly = ['000000', '001000', '003000', '005000', '006000', '007000'];
    const endReasons = Object.keys(MAIN_END_CODES);
    for (const expected of [...ALL_EASEMOB_CODES.filter((c) => !statusOnly.includes(c)), 'queued', 'ringing', 'connecting', 'active', 'held', 'ended', ...endReasons]) {
      expect(seen, `never reached ${expected}`).toContain(expected);
    }
  });
});
