import type { AgentMetrics, ReportBucket } from '@frontdesk/protocol';
import type { AssignmentFact, OfferFact } from './conversation-facts.ts';
import type { AnalyticsTables } from './analytics.schema.ts';
import { csatSumsOf } from './channel-metrics.ts';
import { average, clipSorted, groupByBucket, overlapMs, share, sum, unionOf, type Interval } from './metric-math.ts';

/** One assignment, as the agent report reads it back (report_assignments). */
export type AssignmentRow = Pick<AssignmentFact, 'agentId' | 'assignedAt' | 'endedAt' | 'handleMs' | 'firstResponseMs' | 'responses' | 'responseTotalMs'>;
export type OfferRow = Pick<OfferFact, 'agentId' | 'offeredAt' | 'outcome'>;
export interface RatingRow {
  agentId: string | null;
  stars: number;
  ratedAt: number;
}
export interface CallRow {
  agentId: string | null;
  startedAt: number;
  acceptedAt: number | null;
}
/** A status change of an agent (routing's status history), in order. */
export interface StatusChange {
  agentId: string;
  to: string;
  at: number;
}

export const TIMED_STATUSES = ['free', 'busy', 'wrap_up', 'not_ready', 'rest'] as const;
type TimedStatus = (typeof TIMED_STATUSES)[number];
/** The statuses in which an agent is at work: signed in and neither resting nor not ready. */
const STAFFED: readonly string[] = ['free', 'busy', 'wrap_up'];

export interface StatusSpan extends Interval {
  agentId: string;
  status: string;
}

/**
 * Each agent's spans of status up to `untilMs`: a change opens a span that the agent's next change
 * closes; the last one lasts until `untilMs`. The change before the range must be included so the
 * range starts in the right status.
 */
export function statusSpansOf(changes: readonly StatusChange[], untilMs: number): StatusSpan[] {
  const open = new Map<string, { status: string; start: number }>();
  const spans: StatusSpan[] = [];
  for (const c of changes) {
    if (c.at >= untilMs) continue;
    const was = open.get(c.agentId);
    if (was && c.at > was.start) spans.push({ agentId: c.agentId, status: was.status, start: was.start, end: c.at });
    open.set(c.agentId, { status: c.to, start: c.at });
  }
  for (const [agentId, was] of open) if (untilMs > was.start) spans.push({ agentId, status: was.status, start: was.start, end: untilMs });
  return spans;
}


interface AgentInputs {
  assignments: AssignmentRow[];
  offers: OfferRow[];
  ratings: RatingRow[];
  calls: CallRow[];
}

/** An agent's spans over the whole range, computed once: its statuses, staffed time and occupied time (sorted, disjoint). */
export interface AgentTimeline {
  spans: readonly StatusSpan[];
  staffed: Interval[];
  occupied: Interval[];
}

/**
 * An assignment holds its agent for at most this long after it began (occupancy): the reports read
 * the assignments that began up to this long before a range, and the hourly roll-ups keep the
 * held time of each hour, so a conversation left open for days counts the same on both paths.
 */
export const HELD_CAP_MS = 24 * 3_600_000;

/** The span an assignment holds its agent: from its start to its end, at most HELD_CAP_MS. */
export const heldSpanOf = (a: Interval): Interval => ({ start: a.start, end: Math.min(a.end, a.start + HELD_CAP_MS) });

export function timelineOf(spans: readonly StatusSpan[], assignments: readonly Interval[]): AgentTimeline {
  return {
    spans,
    staffed: unionOf(spans.filter((s) => STAFFED.includes(s.status))),
    // NOTE: occupied = holding at least one conversation or wrapping up, within staffed time; an
    // agent with three chats of capacity five is occupied, not "free" as its shown status says.
    occupied: unionOf([...assignments.map(heldSpanOf), ...spans.filter((s) => s.status === 'wrap_up')]),
  };
}

/** The figures of an agent's status history within `window`: time in each status, occupancy. */
export function timeFiguresOf(timeline: AgentTimeline, window: Interval): Pick<AgentMetrics, 'statusMs' | 'occupancy'> {
  const statusMs = Object.fromEntries(TIMED_STATUSES.map((s) => [s, 0])) as Record<TimedStatus, number>;
  for (const s of timeline.spans) {
    // NOTE: the overlap computed in place: a report asks this for every agent and bucket.
    const ms = Math.min(s.end, window.end) - Math.max(s.start, window.start);
    if (ms > 0 && (TIMED_STATUSES as readonly string[]).includes(s.status)) statusMs[s.status as TimedStatus] += ms;
  }
  const staffed = clipSorted(timeline.staffed, window);
  const occupied = clipSorted(timeline.occupied, window);
  const staffedMs = staffed.reduce((t, i) => t + i.end - i.start, 0);
  return { statusMs, occupancy: share(overlapMs(occupied, staffed), staffedMs) };
}

/**
 * The additive parts of the agent figures: what a roll-up slot keeps (report_agent_slots). The
 * figures come from sums only, of a bucket's rows or of its slots (rollup-metrics.ts).
 */
export type AgentSums = Omit<AnalyticsTables['report_agent_slots'], 'app_id' | 'slot_at' | 'agent_id'>;

export interface AgentCounted {
  assignments: readonly { handleMs: number; firstResponseMs: number | null; responses: number; responseTotalMs: number }[];
  offers: readonly { outcome: string }[];
  ratings: readonly { stars: number }[];
  calls: readonly { acceptedAt: number | null }[];
}

export function agentSumsOf({ assignments, offers, ratings, calls }: AgentCounted): AgentSums {
  const firstResponses = assignments.filter((a) => a.firstResponseMs !== null);
  return {
    assignments: assignments.length,
    handle_ms: sum(assignments, (a) => a.handleMs),
    first_responses: firstResponses.length,
    first_response_ms: sum(firstResponses, (a) => a.firstResponseMs!),
    responses: sum(assignments, (a) => a.responses),
    response_ms: sum(assignments, (a) => a.responseTotalMs),
    offers: offers.length,
    missed_offers: offers.filter((o) => o.outcome === 'missed').length,
    declined_offers: offers.filter((o) => o.outcome === 'declined').length,
    calls: calls.length,
    calls_handled: calls.filter((c) => c.acceptedAt !== null).length,
    ...csatSumsOf(ratings),
  };
}

/** The agent figures that add up (all but time in status and occupancy), from sums (docs/reports.md, "Per agent"). */
export function agentFiguresOfSums(sums: readonly Omit<AgentSums, 'stars_1' | 'stars_2' | 'stars_3' | 'stars_4' | 'stars_5'>[]): Omit<AgentMetrics, 'statusMs' | 'occupancy'> {
  const assignments = sum(sums, (s) => s.assignments);
  const responses = sum(sums, (s) => s.responses);
  const handleMs = sum(sums, (s) => s.handle_ms);
  const ratings = sum(sums, (s) => s.ratings);
  return {
    conversationsHandled: assignments,
    callsHandled: sum(sums, (s) => s.calls_handled),
    avgFirstResponseMs: average(sum(sums, (s) => s.first_response_ms), sum(sums, (s) => s.first_responses)),
    avgResponseMs: average(sum(sums, (s) => s.response_ms), responses),
    responses,
    handleMs,
    avgHandleMs: average(handleMs, assignments),
    offers: sum(sums, (s) => s.offers),
    missedOffers: sum(sums, (s) => s.missed_offers),
    declinedOffers: sum(sums, (s) => s.declined_offers),
    csatAverage: average(sum(sums, (s) => s.stars_sum), ratings),
    csatCount: ratings,
  };
}

const agentMetricsOf = (input: AgentInputs, timeline: AgentTimeline, window: Interval): AgentMetrics => ({ ...agentFiguresOfSums([agentSumsOf(input)]), ...timeFiguresOf(timeline, window) });

function rowsOf<R>(groups: ReadonlyMap<string, { total: R[]; byBucket: R[][] }>, key: string, index: number | undefined): R[] {
  const group = groups.get(key);
  if (!group) return [];
  return index === undefined ? group.total : (group.byBucket[index] ?? []);
}

/**
 * Per agent, for the range and each bucket: assignments by when they began, offers by when they
 * rang, ratings by when they were given, calls by when they started; status time and occupancy
 * are cut at the bucket bounds. `assignmentsAround` are assignments that may overlap the range
 * (for occupancy), `assignments` those that began in it.
 */
export function agentReportOf(
  rows: AgentInputs,
  assignmentsAround: readonly AssignmentRow[],
  statusChanges: readonly StatusChange[],
  buckets: readonly ReportBucket[],
  nowMs: number,
) {
  const range: Interval = { start: buckets[0]?.start ?? 0, end: buckets.at(-1)?.end ?? 0 };
  const spans = statusSpansOf(statusChanges, Math.min(range.end, nowMs));
  const by = {
    assignments: groupByBucket(rows.assignments, buckets, (r) => r.agentId, (r) => r.assignedAt),
    offers: groupByBucket(rows.offers, buckets, (r) => r.agentId, (r) => r.offeredAt),
    ratings: groupByBucket(rows.ratings.filter((r) => r.agentId !== null), buckets, (r) => r.agentId!, (r) => r.ratedAt),
    calls: groupByBucket(rows.calls.filter((r) => r.agentId !== null), buckets, (r) => r.agentId!, (r) => r.startedAt),
  };
  const agentIds = new Set([...by.assignments.keys(), ...by.offers.keys(), ...by.ratings.keys(), ...by.calls.keys(), ...spans.filter((s) => s.end > range.start && s.start < range.end && s.status !== 'offline').map((s) => s.agentId)]);
  return [...agentIds].sort().map((agentId) => {
    const timeline = timelineOf(
      spans.filter((s) => s.agentId === agentId),
      assignmentsAround.filter((a) => a.agentId === agentId).map((a) => ({ start: a.assignedAt, end: a.endedAt })),
    );
    /** The agent's rows of the whole range (`index` undefined) or of one bucket. */
    const inputsOf = (index?: number): AgentInputs => ({
      assignments: rowsOf(by.assignments, agentId, index),
      offers: rowsOf(by.offers, agentId, index),
      ratings: rowsOf(by.ratings, agentId, index),
      calls: rowsOf(by.calls, agentId, index),
    });
    return {
      agentId,
      total: agentMetricsOf(inputsOf(), timeline, range),
      byBucket: buckets.map((b, i) => agentMetricsOf(inputsOf(i), timeline, b)),
    };
  });
}
