/**
 * Routing core benchmark: the latency of one `RoutingEngine.handle(event, now)` with a contact
 * center's worth of state (50 queues, 1,000 agents, ~10,000 waiting sessions), and, measured in
 * the same run as the baseline, the same event mix replayed on a small state (5 queues, 20 agents,
 * ~10 waiting sessions). See bench/README.md.
 *
 *   npx tsx bench/routing/core.ts [--events 100000] [--seed 1] [--retention-ms 600000]
 */
import { parseArgs } from 'node:util';
import { RoutingEngine } from '../../apps/server/src/modules/routing/engine/engine.ts';
import type { AgentConfig, AgentPresence, EscalationStep, MediaType, OverflowRule, QueueConfig, RoutingAction, RoutingEvent } from '../../apps/server/src/modules/routing/engine/types.ts';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'retention-ms': { type: 'string', default: String(10 * 60_000) },
    queues: { type: 'string', default: '50' },
    agents: { type: 'string', default: '1000' },
    queued: { type: 'string', default: '10000' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`npx tsx bench/routing/core.ts [options]   (or: npm run routing -w @frontdesk/bench -- [options])
  --events N                          timed events per state (default 100000)
  --seed N                            PRNG seed; the same seed replays the same events (default 1)
  --retention-ms MS                   forgetEnded(MS) after every event (default 600000 = 10 min)
  --queues N, --agents N, --queued N  the large state (default 50, 1000, 10000)`);
  process.exit(0);
}
const EVENTS = Number(flags.events);
const RETENTION_MS = Number(flags['retention-ms']);
const SEED = Number(flags.seed);

interface Scale {
  name: string;
  queues: number;
  agents: number;
  /** Waiting sessions the arrivals are steered towards. */
  queued: number;
}

// ── seeded randomness ────────────────────────────────────────────────────────────────

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Exponentially distributed with this mean (gaps of a Poisson process). */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

/** A set with O(1) add, delete and uniform random pick. */
class Bag {
  private readonly items: string[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.items.length;
  }

  add(id: string): void {
    if (this.index.has(id)) return;
    this.index.set(id, this.items.length);
    this.items.push(id);
  }

  delete(id: string): void {
    const i = this.index.get(id);
    if (i === undefined) return;
    this.index.delete(id);
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last, i);
    }
  }

  pick(rand: Rand): string | undefined {
    return this.items.length === 0 ? undefined : rand.pick(this.items);
  }
}

// ── the contact center ───────────────────────────────────────────────────────────────

const MEDIA_MIX: MediaType[] = ['chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'audio', 'audio', 'video'];
const MIN = 60_000;

function makeQueues(scale: Scale, rand: Rand): QueueConfig[] {
  const ids = Array.from({ length: scale.queues }, (_, i) => `q${i}`);
  const media = ids.map(() => rand.pick(MEDIA_MIX));
  /** Another queue, of the same media type when there is one. */
  const other = (i: number): string => {
    const same = ids.filter((_, j) => j !== i && media[j] === media[i]);
    return rand.pick(same.length > 0 ? same : ids.filter((_, j) => j !== i));
  };
  const share = Math.max(1, Math.ceil(scale.queued / scale.queues));
  return ids.map((id, i): QueueConfig => {
    const escalation: EscalationStep[] = [];
    if (rand.chance(0.4)) {
      escalation.push({ afterMs: rand.int(60, 120) * 1000, minLevel: 1 });
      escalation.push({ afterMs: rand.int(3, 5) * MIN, addQueueIds: [other(i), other(i)] });
      if (rand.chance(0.25)) escalation.push({ afterMs: rand.int(8, 12) * MIN, overflowQueueId: other(i) });
    }
    const transferTo = (): OverflowRule => ({ action: 'transfer', toQueueId: other(i), maxOccupancyPercent: rand.int(80, 95), message: 'moving you on' });
    return {
      id,
      mode: i % 5 === 4 ? 'pool' : 'push',
      mediaType: media[i]!,
      priority: rand.int(0, 3),
      minLevel: rand.pick([1, 1, 1, 1, 1, 1, 1, 2, 2, 3]),
      maxWaitMs: rand.int(10, 45) * MIN,
      ringTimeoutMs: rand.int(15, 30) * 1000,
      wrapUpMs: rand.pick([0, 10_000, 30_000, 60_000]),
      // Room for three times the queue's share of the steered waiting total.
      maxQueueLength: { kind: 'fixed', value: 3 * share },
      maxMissedOffers: rand.int(2, 3),
      escalation,
      overflow: {
        wait_timeout: rand.chance(0.5) ? transferTo() : { action: 'release', message: 'please try again later' },
        queue_full: rand.chance(0.5) ? transferTo() : { action: 'release' },
        no_agent: { action: 'release' },
        off_hours: { action: 'release' },
      },
      isOpen: true,
    };
  });
}

function makeAgents(scale: Scale, queues: QueueConfig[], rand: Rand): AgentConfig[] {
  return Array.from({ length: scale.agents }, (_, i) => {
    const skills: Record<string, number> = {};
    const count = rand.int(1, Math.min(5, queues.length));
    while (Object.keys(skills).length < count) skills[rand.pick(queues).id] = rand.int(1, 5);
    const mediaTypes = [...new Set(queues.filter((q) => q.id in skills).map((q) => q.mediaType))];
    return { id: `a${i}`, maxConcurrent: rand.int(1, 5), mediaTypes, skills };
  });
}

/** Where each session and agent stands, read back from the engine after every event. */
class Tracker {
  readonly waiting = new Bag();
  /** Waiting pool sessions some agent sees. */
  readonly pooled = new Bag();
  readonly ringing = new Bag();
  readonly assigned = new Bag();
  readonly away = new Bag();

  constructor(private readonly engine: RoutingEngine) {}

  sync(actions: RoutingAction[]): void {
    const seen = new Set<string>();
    for (const action of actions) {
      if (action.type === 'agent.status') this.syncAgent(action.agentId);
      else if (!seen.has(action.sessionId)) {
        seen.add(action.sessionId);
        this.syncSession(action.sessionId);
      }
    }
  }

  private syncAgent(id: string): void {
    if (this.engine.agents.get(id)!.presence === 'free') this.away.delete(id);
    else this.away.add(id);
  }

  private syncSession(id: string): void {
    for (const bag of [this.waiting, this.pooled, this.ringing, this.assigned]) bag.delete(id);
    const s = this.engine.sessions.get(id);
    if (s?.phase === 'waiting') {
      this.waiting.add(id);
      if (s.visibleTo.size > 0) this.pooled.add(id);
    } else if (s?.phase === 'offered') this.ringing.add(id);
    else if (s?.phase === 'assigned') this.assigned.add(id);
  }
}

// ── the event mix ────────────────────────────────────────────────────────────────────

const KINDS = ['arrive', 'accept', 'accept pool', 'decline', 'end', 'abandon', 'presence', 'transfer', 'tick'] as const;
type Kind = (typeof KINDS)[number];
type Command = Exclude<Kind, 'tick'>;

/** Mean times of the people behind the commands; each is the mean of an exponential delay. */
const HUMAN_MS = {
  /** A ringing offer is accepted… */
  accept: 6_000,
  /** …or declined (about one offer in ten), or else it rings out. */
  decline: 60_000,
  /** An agent picks a session from the pool view. */
  acceptPool: 10_000,
  /** A conversation lasts. */
  handle: 7 * MIN,
  /** A visitor gives up waiting. */
  abandon: 45 * MIN,
  /** An agent hands a conversation to another queue or agent. */
  transfer: 60 * MIN,
  /** An available agent steps away (not ready, rest, offline)… */
  leave: 60 * MIN,
  /** …and comes back: about 9% of the agents are away at any time. */
  back: 6 * MIN,
} as const;

/**
 * The commands form a Poisson process whose rates follow the state (the more offers ring, the more
 * accepts): each agent and each session sees the same traffic whatever the size of the center, so
 * only the state size differs between the large run and the baseline. Between two commands the
 * shell's timer sends a `tick` at every deadline the engine reports.
 */
class Simulation {
  readonly engine = new RoutingEngine();
  readonly tracker = new Tracker(this.engine);
  readonly queues: QueueConfig[];
  readonly agents: AgentConfig[];
  now = 1_700_000_000_000;
  private sessions = 0;

  constructor(
    readonly scale: Scale,
    readonly rand: Rand,
  ) {
    this.queues = makeQueues(scale, rand);
    this.agents = makeAgents(scale, this.queues, rand);
  }

  /** Untimed: setup only. */
  private handle(event: RoutingEvent): RoutingAction[] {
    const { actions } = this.engine.handle(event, this.now);
    this.tracker.sync(actions);
    return actions;
  }

  /** Every agent available, their capacity taken (offers accepted at once), then sessions wait.
   * The queue builds up at about four times the rate the agents serve it, so the waiting
   * sessions' timers are spread out rather than all falling due at once. */
  preload(): void {
    for (const queue of this.queues) this.handle({ type: 'queue.upsert', queue });
    for (const agent of this.agents) {
      this.handle({ type: 'agent.upsert', agent });
      this.handle({ type: 'agent.presence', agentId: agent.id, presence: 'free' });
    }
    const capacity = this.agents.reduce((sum, a) => sum + a.maxConcurrent, 0);
    const gapMs = HUMAN_MS.handle / capacity / 4;
    const limit = 4 * (this.scale.queued + capacity);
    for (let n = 0; this.tracker.waiting.size < this.scale.queued && n < limit; n++) {
      this.now += gapMs;
      for (const action of this.handle(this.arrival())) {
        if (action.type === 'offer') this.handle({ type: 'offer.accept', sessionId: action.sessionId, agentId: action.agentId });
        if (action.type === 'pool.visible') this.handle({ type: 'offer.accept', sessionId: action.sessionId, agentId: action.agentIds[0]! });
      }
    }
  }

  private arrival(): RoutingEvent {
    // Skewed: the first queues get most of the traffic.
    const queue = this.queues[Math.floor(this.queues.length * this.rand.next() ** 1.5)]!;
    return { type: 'session.arrive', sessionId: `s${this.sessions++}`, queueId: queue.id, priority: this.rand.chance(0.1) ? this.rand.int(1, 2) : 0 };
  }

  /** Commands per ms of each kind in the current state. */
  private rates(): [Command, number][] {
    const t = this.tracker;
    const available = this.agents.length - t.away.size;
    const leaving = t.assigned.size / HUMAN_MS.handle + t.waiting.size / HUMAN_MS.abandon;
    // Arrivals replace what leaves, steered so that about `scale.queued` sessions keep waiting.
    const steer = Math.min(4, Math.max(0.25, (this.scale.queued / Math.max(1, t.waiting.size)) ** 8));
    return [
      ['arrive', Math.max(leaving, 1 / HUMAN_MS.handle) * steer],
      ['accept', t.ringing.size / HUMAN_MS.accept],
      ['accept pool', t.pooled.size / HUMAN_MS.acceptPool],
      ['decline', t.ringing.size / HUMAN_MS.decline],
      ['end', t.assigned.size / HUMAN_MS.handle],
      ['abandon', t.waiting.size / HUMAN_MS.abandon],
      ['presence', available / HUMAN_MS.leave + t.away.size / HUMAN_MS.back],
      ['transfer', t.assigned.size / HUMAN_MS.transfer],
    ];
  }

  /** The next event: a tick when a deadline falls before the next command (the shell's timer), else the command. */
  nextEvent(): { kind: Kind; event: RoutingEvent } {
    const rates = this.rates();
    const total = rates.reduce((sum, [, r]) => sum + r, 0);
    // Exponential gaps are memoryless, so drawing again after a tick keeps the process Poisson.
    const at = this.now + this.rand.exp(1 / total);
    const due = this.engine.nextDeadline();
    if (due !== undefined && due <= at) {
      this.now = Math.max(this.now, due);
      return { kind: 'tick', event: { type: 'tick' } };
    }
    this.now = at;
    for (;;) {
      let r = this.rand.next() * total;
      const [kind] = rates.find(([, rate]) => (r -= rate) < 0) ?? rates[0]!;
      const event = this.command(kind);
      if (event) return { kind, event };
    }
  }

  /** The command, or undefined when no pool session is visible to an agent with room (pick again). */
  private command(kind: Command): RoutingEvent | undefined {
    const t = this.tracker;
    const rand = this.rand;
    switch (kind) {
      case 'arrive':
        return this.arrival();
      case 'accept':
      case 'decline': {
        const sessionId = t.ringing.pick(rand)!;
        const agentId = this.engine.sessions.get(sessionId)!.agentId!;
        return { type: kind === 'accept' ? 'offer.accept' : 'offer.decline', sessionId, agentId };
      }
      case 'accept pool': {
        // An agent who sees the session and has room for it. A session whose agents have all
        // filled up since is dropped from the pick (until its next change shows it again).
        for (let sessionId = t.pooled.pick(rand); sessionId; sessionId = t.pooled.pick(rand)) {
          const session = this.engine.sessions.get(sessionId)!;
          const withRoom = [...session.visibleTo].filter((id) => this.engine.isEligible(this.engine.agents.get(id)!, session));
          if (withRoom.length > 0) return { type: 'offer.accept', sessionId, agentId: rand.pick(withRoom) };
          t.pooled.delete(sessionId);
        }
        return undefined;
      }
      case 'end':
        return { type: 'session.end', sessionId: t.assigned.pick(rand)!, closeBy: rand.chance(0.5) ? 'seat' : 'client' };
      case 'abandon':
        return { type: 'session.end', sessionId: t.waiting.pick(rand)!, closeBy: 'client' };
      case 'presence': {
        const available = this.agents.length - t.away.size;
        if (rand.next() * (available / HUMAN_MS.leave + t.away.size / HUMAN_MS.back) < t.away.size / HUMAN_MS.back) {
          return { type: 'agent.presence', agentId: t.away.pick(rand)!, presence: 'free' };
        }
        // A random agent: rarely one already away (a supervisor changes it, or the agent switches to rest).
        const presence: AgentPresence = rand.pick(['not_ready', 'rest', 'rest', 'offline']);
        return { type: 'agent.presence', agentId: rand.pick(this.agents).id, presence, reason: presence === 'rest' ? 'lunch' : presence === 'not_ready' ? 'meeting' : undefined };
      }
      case 'transfer':
        // To a queue mostly; to a named agent sometimes, refused when that agent has no room.
        return { type: 'session.transfer', sessionId: t.assigned.pick(rand)!, to: rand.chance(0.7) ? { queueId: rand.pick(this.queues).id } : { agentId: rand.pick(this.agents).id } };
    }
  }
}

// ── measuring ────────────────────────────────────────────────────────────────────────

interface Run {
  scale: Scale;
  /** ms per handle, in event order. */
  durationsMs: Float64Array;
  kinds: Uint8Array;
  rejected: number;
  simulatedMs: number;
  queuedMin: number;
  queuedMax: number;
  queuedSum: number;
  /** ms per call of the queries and housekeeping the shell makes between events. */
  calls: Record<'forgetEnded' | 'positionOf' | 'estimatedWaitMs', number[]>;
  forgotten: number;
  /** For waiting sessions then assigned from the same queue: the first estimate and the wait that followed, ms. */
  estimates: { estimatedMs: number; actualMs: number }[];
}

function run(scale: Scale): Run {
  const sim = new Simulation(scale, new Rand(SEED));
  // Queries pick their sessions with their own PRNG so that they do not change the event sequence.
  const queryRand = new Rand(SEED + 1);
  const setupStart = process.hrtime.bigint();
  sim.preload();
  const setupMs = Number(process.hrtime.bigint() - setupStart) / 1e6;
  const state = () => {
    const t = sim.tracker;
    return `queued ${t.waiting.size}, ringing ${t.ringing.size}, assigned ${t.assigned.size}, agents away ${t.away.size}/${scale.agents}, engine.sessions ${sim.engine.sessions.size}`;
  };
  console.log(`\n${scale.name}: ${scale.queues} queues, ${scale.agents} agents; preloaded in ${(setupMs / 1000).toFixed(1)} s → ${state()}`);

  const durationsMs = new Float64Array(EVENTS);
  const kinds = new Uint8Array(EVENTS);
  const startedAt = sim.now;
  const result: Run = {
    scale,
    durationsMs,
    kinds,
    rejected: 0,
    simulatedMs: 0,
    queuedMin: Infinity,
    queuedMax: 0,
    queuedSum: 0,
    calls: { forgetEnded: [], positionOf: [], estimatedWaitMs: [] },
    forgotten: 0,
    estimates: [],
  };
  const predictions = new Map<string, { at: number; queueId: string; estimatedMs: number }>();
  const timed = <T>(name: keyof Run['calls'], call: () => T): T => {
    const t0 = process.hrtime.bigint();
    const value = call();
    result.calls[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    return value;
  };
  for (let i = 0; i < EVENTS; i++) {
    const { kind, event } = sim.nextEvent();
    const t0 = process.hrtime.bigint();
    const { actions, rejection } = sim.engine.handle(event, sim.now);
    const t1 = process.hrtime.bigint();
    durationsMs[i] = Number(t1 - t0) / 1e6;
    kinds[i] = KINDS.indexOf(kind);
    if (rejection) result.rejected++;
    sim.tracker.sync(actions);
    for (const action of actions) {
      if (action.type !== 'assign' && action.type !== 'session.queued' && action.type !== 'session.ended' && action.type !== 'session.released') continue;
      const prediction = predictions.get(action.sessionId);
      if (!prediction) continue;
      // Served in the queue it was estimated for; moving to another queue or ending voids the estimate.
      if (action.type === 'assign' && action.queueId === prediction.queueId) result.estimates.push({ estimatedMs: prediction.estimatedMs, actualMs: sim.now - prediction.at });
      if (action.type !== 'session.queued' || action.queueId !== prediction.queueId) predictions.delete(action.sessionId);
    }
    // The shell's housekeeping, and one waiting visitor's "position N, about M minutes".
    result.forgotten += timed('forgetEnded', () => sim.engine.forgetEnded(RETENTION_MS));
    const visitor = sim.tracker.waiting.pick(queryRand);
    if (visitor) {
      timed('positionOf', () => sim.engine.positionOf(visitor));
      const estimatedMs = timed('estimatedWaitMs', () => sim.engine.estimatedWaitMs(visitor));
      if (estimatedMs !== undefined && !predictions.has(visitor)) predictions.set(visitor, { at: sim.now, queueId: sim.engine.sessions.get(visitor)!.queueId, estimatedMs });
    }
    const queued = sim.tracker.waiting.size;
    result.queuedMin = Math.min(result.queuedMin, queued);
    result.queuedMax = Math.max(result.queuedMax, queued);
    result.queuedSum += queued;
    if ((i + 1) % Math.ceil(EVENTS / 5) === 0) console.log(`  ${String(i + 1).padStart(7)} events, +${((sim.now - startedAt) / MIN).toFixed(1)} min: ${state()}`);
  }
  result.simulatedMs = sim.now - startedAt;
  return result;
}

interface Stats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  totalMs: number;
}

function stats(values: number[] | Float64Array): Stats {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted.at(-1) ?? Number.NaN, totalMs: sorted.reduce((s, v) => s + v, 0) };
}

const ms = (v: number) => (Number.isNaN(v) ? '—' : v < 0.1 ? v.toFixed(4) : v < 10 ? v.toFixed(3) : v.toFixed(1));

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

console.log(`routing core: ${EVENTS} timed handle() calls per state, seed ${SEED}, node ${process.version}`);
const small = run({ name: 'baseline (small state)', queues: 5, agents: 20, queued: 10 });
const large = run({ name: 'large state', queues: Number(flags.queues), agents: Number(flags.agents), queued: Number(flags.queued) });

console.log('\nhandle(event, now) latency, ms (events/s = events ÷ time spent inside handle)');
table(
  ['state', 'queues', 'agents', 'queued avg (min–max)', 'events', 'p50', 'p90', 'p99', 'p99.9', 'max', 'events/s', 'rejected'],
  [small, large].map((r) => {
    const s = stats(r.durationsMs);
    return [
      r.scale.name,
      String(r.scale.queues),
      String(r.scale.agents),
      `${Math.round(r.queuedSum / EVENTS)} (${r.queuedMin}–${r.queuedMax})`,
      String(s.count),
      ms(s.p50),
      ms(s.p90),
      ms(s.p99),
      ms(s.p999),
      ms(s.max),
      Math.round(s.count / (s.totalMs / 1000)).toLocaleString('en-US'),
      String(r.rejected),
    ];
  }),
);

console.log('\nby event kind, ms: baseline (small) | large');
table(
  ['kind', 'n', 'p50', 'p99', 'max', '|', 'n', 'p50', 'p99', 'max'],
  KINDS.map((kind, k) => {
    const of = (r: Run) => stats(r.durationsMs.filter((_, i) => r.kinds[i] === k));
    const a = of(small);
    const b = of(large);
    return [kind, String(a.count), ms(a.p50), ms(a.p99), ms(a.max), '|', String(b.count), ms(b.p50), ms(b.p99), ms(b.max)];
  }),
);

console.log(`\nbetween events, ms: forgetEnded(${RETENTION_MS}) after every event; positionOf and estimatedWaitMs of one random waiting session`);
table(
  ['call', 'n', 'p50', 'p99', 'max', '|', 'n', 'p50', 'p99', 'max'],
  (['forgetEnded', 'positionOf', 'estimatedWaitMs'] as const).map((name) => {
    const a = stats(small.calls[name]);
    const b = stats(large.calls[name]);
    return [name, String(a.count), ms(a.p50), ms(a.p99), ms(a.max), '|', String(b.count), ms(b.p50), ms(b.p99), ms(b.max)];
  }),
);
for (const r of [small, large]) console.log(`  ${r.scale.name}: ${r.forgotten} ended sessions forgotten`);

console.log('\nestimatedWaitMs against the wait that followed (first estimate of sessions later assigned from the same queue), minutes');
table(
  ['state', 'sessions', 'actual p50', 'estimate p50', '|error| p50', '|error| p90'],
  [small, large].map((r) => {
    const minutes = (v: number) => (v / MIN).toFixed(1);
    const actual = stats(r.estimates.map((e) => e.actualMs));
    const estimated = stats(r.estimates.map((e) => e.estimatedMs));
    const error = stats(r.estimates.map((e) => Math.abs(e.estimatedMs - e.actualMs)));
    return [r.scale.name, String(r.estimates.length), minutes(actual.p50), minutes(estimated.p50), minutes(error.p50), minutes(error.p90)];
  }),
);

const p99 = stats(large.durationsMs).p99;
console.log(`\ntarget: p99 < 1 ms at the large state → ${ms(p99)} ms ${p99 < 1 ? 'PASS' : 'FAIL'} (${(large.simulatedMs / MIN).toFixed(0)} simulated minutes)`);
