/** Random calls for the engine's property tests: ops, options, and ops turned into events against the state. */
import fc from 'fast-check';
import type { CallEngine } from './call-engine.ts';
import type { CallEngineOptions, CallEvent, CallKind, CallState, Participant, PartyRef, RefuseReason, RoutingReleaseReason } from './types.ts';

export const AGENTS = ['a0', 'a1', 'a2', 'a3'];
export const VISITORS = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'];

type MediaWhat = 'connected' | 'lost' | 'restored' | 'stopped' | 'resumed';
type RouteWhat = 'queued' | 'offer' | 'decline' | 'timeout' | 'withdraw' | 'assign' | 'release';
export type Op =
  | { op: 'request'; visitor: number; preferred: number | null; kind: CallKind }
  | { op: 'outbound'; agent: number; visitor: number; current: boolean; kind: CallKind }
  | { op: 'internal'; agent: number; callee: number; kind: CallKind }
  | { op: 'route'; call: number; what: RouteWhat; agent: number; release: RoutingReleaseReason }
  | { op: 'accept'; call: number; party: number }
  | { op: 'refuse'; call: number; party: number; reason: RefuseReason }
  | { op: 'hangUp'; call: number; party: number }
  | { op: 'hold' | 'unhold'; call: number; party: number }
  | { op: 'setMedia'; call: number; party: number; mic: boolean; cam: boolean | undefined }
  | { op: 'invite'; call: number; party: number; agent: number; visitor: number; isAgent: boolean }
  | { op: 'transfer'; call: number; party: number; agent: number; toQueue: boolean }
  | { op: 'consult'; call: number; party: number; agent: number; step: 'start' | 'complete' | 'cancel' }
  | { op: 'media'; call: number; party: number; what: MediaWhat }
  | { op: 'connectAll'; call: number }
  /** One step along the seed's happy paths for the call's phase (offer, answer, connect, invite, accept…). */
  | { op: 'advance'; call: number; choice: number }
  | { op: 'serverLost'; calls: number[] }
  | { op: 'wait'; ms: number };

const n = (max: number) => fc.nat(max);
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('request' as const), visitor: n(5), preferred: fc.option(n(3), { nil: null }), kind: fc.constantFrom<CallKind>('audio', 'video') }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('outbound' as const), agent: n(3), visitor: n(5), current: fc.boolean(), kind: fc.constantFrom<CallKind>('audio', 'video') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('internal' as const), agent: n(3), callee: n(3), kind: fc.constantFrom<CallKind>('audio', 'video') }) },
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
  { weight: 3, arbitrary: fc.record({ op: fc.constant('consult' as const), call: n(30), party: n(6), agent: n(3), step: fc.constantFrom<'start' | 'complete' | 'cancel'>('start', 'complete', 'complete', 'cancel') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('transfer' as const), call: n(30), party: n(6), agent: n(3), toQueue: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('media' as const), call: n(30), party: n(6), what: fc.constantFrom<MediaWhat>('connected', 'connected', 'lost', 'restored', 'stopped', 'resumed') }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('connectAll' as const), call: n(30) }) },
  { weight: 12, arbitrary: fc.record({ op: fc.constant('advance' as const), call: n(30), choice: n(59) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('serverLost' as const), calls: fc.array(n(30), { maxLength: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 1, max: 4_000 }), fc.integer({ min: 1, max: 40_000 })) }) },
);

export const optionsArb: fc.Arbitrary<CallEngineOptions> = fc.record({
  ringTimeoutMs: fc.integer({ min: 1_000, max: 40_000 }),
  connectTimeoutMs: fc.integer({ min: 1_000, max: 40_000 }),
  peerGraceMs: fc.integer({ min: 1_000, max: 20_000 }),
  streamOfflineAfterMs: fc.constantFrom(3_000, 1_000),
  maxParticipants: fc.integer({ min: 3, max: 6 }),
});

export const live = (p: Participant) => p.leg !== 'left';
const ref = (p: Participant): PartyRef => ({ role: p.role, id: p.userId });

/** Turns an op into events against the current state: mostly the parties actually in the call, sometimes anyone. */
export function toEvents(op: Op, engine: CallEngine, now: number): CallEvent[] {
  const all = [...engine.calls.values()];
  const going = all.filter((c) => c.phase !== 'ended');
  const pick = (i: number): CallState | undefined => (i % 7 === 0 || going.length === 0 ? all[i % Math.max(1, all.length)] : going[i % going.length]);
  const legOf = (call: CallState | undefined, i: number): PartyRef => {
    const legs = call?.participants.filter(live) ?? [];
    return legs.length > 0 && i % 6 !== 5 ? ref(legs[i % legs.length]!) : { role: i % 2 ? 'agent' : 'visitor', id: i % 2 ? AGENTS[i % 4]! : VISITORS[i % 6]! };
  };
  const call = 'call' in op ? pick(op.call) : undefined;
  const callId = call?.id ?? 'none';
  const coreRinging = call?.participants.find((p) => p.leg === 'ringing' && (p.origin === 'callee' || p.origin === 'invitee' || p.origin === 'transferee' || p.origin === 'consultee'));
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
    case 'internal':
      return [{ type: 'call.start_internal', callId: `c${all.length}`, kind: op.kind, agentId: AGENTS[op.agent]!, calleeAgentId: AGENTS[op.callee]! }];
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
    case 'transfer': {
      const by: PartyRef = call?.mainAgentId && op.party !== 5 ? { role: 'agent', id: call.mainAgentId } : legOf(call, op.party);
      return [{ type: 'call.transfer', callId, by, to: op.toQueue ? { queueId: 'q2' } : { agentId: AGENTS[op.agent]! } }];
    }
    case 'consult': {
      const by: PartyRef = call?.mainAgentId && op.party !== 5 ? { role: 'agent', id: call.mainAgentId } : legOf(call, op.party);
      if (op.step === 'start') return [{ type: 'call.consult', callId, by, agentId: AGENTS[op.agent]! }];
      return [{ type: op.step === 'complete' ? 'call.consult_complete' : 'call.consult_cancel', callId, by }];
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
  const coreRinging = call.participants.find((p) => p.leg === 'ringing' && (p.origin === 'callee' || p.origin === 'invitee' || p.origin === 'transferee' || p.origin === 'consultee'));
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
      // An internal call: either agent hangs up, or the caller holds (transfers, consults and invites are refused).
      if (call.direction === 'internal' && connecting.length === 0) {
        const callee = call.participants.find((p) => live(p) && p.origin === 'callee');
        if (choice % 3 === 0 && callee) return [{ type: 'call.hang_up', callId, by: ref(callee) }];
        return [choice % 3 === 1 ? { type: 'call.hang_up', callId, by: { role: 'agent', id: call.mainAgentId! } } : { type: 'call.hold', callId, by: { role: 'agent', id: call.mainAgentId! } }];
      }
      if (coreRinging) return [choice % 4 === 0 ? { type: 'call.refuse', callId, by: ref(coreRinging), reason: (['refused', 'busy', 'error'] as const)[choice % 3] } : { type: 'call.accept', callId, by: ref(coreRinging) }];
      if (connecting.length > 0) return connecting;
      if (call.consult?.phase === 'talking') return [choice % 3 === 0 ? { type: 'call.consult_cancel', callId, by: { role: 'agent', id: call.mainAgentId! } } : { type: 'call.consult_complete', callId, by: { role: 'agent', id: call.mainAgentId! } }];
      if (call.consult?.phase === 'three_way') return [{ type: 'call.hang_up', callId, by: { role: 'agent', id: call.mainAgentId! } }];
      if (choice % 7 === 3) return [{ type: 'call.consult', callId, by: { role: 'agent', id: call.mainAgentId! }, agentId }];
      if (choice % 7 === 1) return [{ type: 'call.transfer', callId, by: { role: 'agent', id: call.mainAgentId! }, to: choice % 2 === 0 ? { queueId: 'q2' } : { agentId } }];
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
