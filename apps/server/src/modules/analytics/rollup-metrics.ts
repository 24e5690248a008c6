import type { AgentMetrics, ChannelMetrics, CsatMetrics, QueueMetrics, ReportBucket } from '@frontdesk/protocol';
import { statusSpansOf, timeFiguresOf, timelineOf, type StatusChange } from './agent-metrics.ts';
import { average, groupByBucket, percentile, share, type Interval } from './metric-math.ts';
import { decodeWaits, NO_AGENT, SLOT_MS, type AgentSlotRow, type ChannelSlotRow, type QueueSlotRow } from './rollup-slots.ts';

/**
 * The report figures from roll-up slots (docs/reports.md, "Roll-ups"): the same formulas as
 * queue-metrics.ts, agent-metrics.ts and channel-metrics.ts, over sums instead of rows. Exact when
 * every bucket bound is a slot bound (`slotAligned`): each slot then lies in exactly one bucket.
 */

/** Whether every bucket starts and ends on a UTC quarter hour, so slots add up to each bucket. */
export const slotAligned = (buckets: readonly ReportBucket[]): boolean => buckets.every((b) => b.start % SLOT_MS === 0 && b.end % SLOT_MS === 0);

const sum = <R>(rows: readonly R[], of: (r: R) => number): number => rows.reduce((s, r) => s + of(r), 0);

/** An answered visit's wrap-up (status history, joined at query time: it ends after the facts are written). */
export interface VisitWrapUp {
  queueId: string;
  enteredAt: number;
  wrapUpMs: number;
}

export function queueMetricsOfSlots(slots: readonly QueueSlotRow[], serviceLevelMs: number, wrapUps: readonly VisitWrapUp[]): QueueMetrics {
  const offered = sum(slots, (s) => s.offered);
  const answered = sum(slots, (s) => s.answered);
  const abandoned = sum(slots, (s) => s.abandoned);
  const waits = slots.flatMap((s) => decodeWaits(s.answered_waits));
  const withinSl = waits.filter((w) => w <= serviceLevelMs).length;
  const handled = sum(slots, (s) => s.handled);
  return {
    offered,
    answered,
    abandoned,
    abandonRate: share(abandoned, offered),
    releasedByOverflow: sum(slots, (s) => s.released),
    overflowedOut: sum(slots, (s) => s.overflowed),
    transferred: sum(slots, (s) => s.transferred),
    avgSpeedOfAnswerMs: average(sum(slots, (s) => s.answered_wait_ms), answered),
    p90SpeedOfAnswerMs: percentile(waits, 90),
    answeredWithinServiceLevel: withinSl,
    serviceLevel: share(withinSl, answered + abandoned),
    longestWaitMs: slots.length ? Math.max(...slots.map((s) => s.longest_wait_ms)) : null,
    avgHandleMs: average(sum(slots, (s) => s.handle_ms), handled),
    avgWrapUpMs: average(sum(wrapUps, (w) => w.wrapUpMs), wrapUps.length),
  };
}

export function queueReportOfSlots(slots: readonly QueueSlotRow[], wrapUps: readonly VisitWrapUp[], buckets: readonly ReportBucket[], serviceLevelMs: number) {
  const groups = groupByBucket(slots, buckets, (s) => s.queue_id, (s) => s.slot_at);
  const wraps = groupByBucket(wrapUps, buckets, (w) => w.queueId, (w) => w.enteredAt);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([queueId, g]) => {
      const w = wraps.get(queueId);
      return {
        queueId,
        total: queueMetricsOfSlots(g.total, serviceLevelMs, w?.total ?? []),
        byBucket: g.byBucket.map((rows, i) => queueMetricsOfSlots(rows, serviceLevelMs, w?.byBucket[i] ?? [])),
      };
    });
}

function agentSums(slots: readonly AgentSlotRow[]): Omit<AgentMetrics, 'statusMs' | 'occupancy'> {
  const assignments = sum(slots, (s) => s.assignments);
  const responses = sum(slots, (s) => s.responses);
  const handleMs = sum(slots, (s) => s.handle_ms);
  const ratings = sum(slots, (s) => s.ratings);
  return {
    conversationsHandled: assignments,
    callsHandled: sum(slots, (s) => s.calls_handled),
    avgFirstResponseMs: average(sum(slots, (s) => s.first_response_ms), sum(slots, (s) => s.first_responses)),
    avgResponseMs: average(sum(slots, (s) => s.response_ms), responses),
    responses,
    handleMs,
    avgHandleMs: average(handleMs, assignments),
    offers: sum(slots, (s) => s.offers),
    missedOffers: sum(slots, (s) => s.missed_offers),
    declinedOffers: sum(slots, (s) => s.declined_offers),
    csatAverage: average(sum(slots, (s) => s.stars_sum), ratings),
    csatCount: ratings,
  };
}

/**
 * Per agent from slots, with time in status and occupancy from the status history and the
 * assignments' spans around the range (`assignmentsAround`), exactly as agentReportOf.
 */
export function agentReportOfSlots(
  slots: readonly AgentSlotRow[],
  assignmentsAround: readonly (Interval & { agentId: string })[],
  statusChanges: readonly StatusChange[],
  buckets: readonly ReportBucket[],
  nowMs: number,
) {
  const range: Interval = { start: buckets[0]?.start ?? 0, end: buckets.at(-1)?.end ?? 0 };
  const spans = statusSpansOf(statusChanges, Math.min(range.end, nowMs));
  const groups = groupByBucket(
    slots.filter((s) => s.agent_id !== NO_AGENT),
    buckets,
    (s) => s.agent_id,
    (s) => s.slot_at,
  );
  const around = new Map<string, Interval[]>();
  for (const a of assignmentsAround) {
    const list = around.get(a.agentId);
    if (list) list.push({ start: a.start, end: a.end });
    else around.set(a.agentId, [{ start: a.start, end: a.end }]);
  }
  const spansOf = new Map<string, typeof spans>();
  for (const s of spans) {
    const list = spansOf.get(s.agentId);
    if (list) list.push(s);
    else spansOf.set(s.agentId, [s]);
  }
  const agentIds = new Set([...groups.keys(), ...spans.filter((s) => s.end > range.start && s.start < range.end && s.status !== 'offline').map((s) => s.agentId)]);
  return [...agentIds].sort().map((agentId) => {
    const timeline = timelineOf(spansOf.get(agentId) ?? [], around.get(agentId) ?? []);
    const g = groups.get(agentId);
    return {
      agentId,
      total: { ...agentSums(g?.total ?? []), ...timeFiguresOf(timeline, range) } as AgentMetrics,
      byBucket: buckets.map((b, i) => ({ ...agentSums(g?.byBucket[i] ?? []), ...timeFiguresOf(timeline, b) }) as AgentMetrics),
    };
  });
}

export function channelMetricsOfSlots(slots: readonly ChannelSlotRow[]): ChannelMetrics {
  const withBot = sum(slots, (s) => s.with_bot);
  const botResolved = sum(slots, (s) => s.bot_resolved);
  const handedOff = sum(slots, (s) => s.handed_off);
  return {
    conversations: sum(slots, (s) => s.conversations),
    withBot,
    botResolved,
    botResolvedShare: share(botResolved, withBot),
    handedOff,
    handOffRate: share(handedOff, withBot),
    answered: sum(slots, (s) => s.answered),
    abandoned: sum(slots, (s) => s.abandoned),
  };
}

export function channelReportOfSlots(slots: readonly ChannelSlotRow[], buckets: readonly ReportBucket[]) {
  const groups = groupByBucket(slots, buckets, (s) => s.channel_id, (s) => s.slot_at);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channelId, g]) => ({ channelId, total: channelMetricsOfSlots(g.total), byBucket: g.byBucket.map(channelMetricsOfSlots) }));
}

export function csatMetricsOfSlots(slots: readonly AgentSlotRow[]): CsatMetrics {
  const count = sum(slots, (s) => s.ratings);
  return {
    count,
    average: average(sum(slots, (s) => s.stars_sum), count),
    distribution: [sum(slots, (s) => s.stars_1), sum(slots, (s) => s.stars_2), sum(slots, (s) => s.stars_3), sum(slots, (s) => s.stars_4), sum(slots, (s) => s.stars_5)],
  };
}

export function csatReportOfSlots(slots: readonly AgentSlotRow[], buckets: readonly ReportBucket[]) {
  const rated = slots.filter((s) => s.ratings > 0);
  const group = groupByBucket(rated, buckets, () => 'all', (s) => s.slot_at).get('all');
  return { total: csatMetricsOfSlots(group?.total ?? []), byBucket: buckets.map((_, i) => csatMetricsOfSlots(group?.byBucket[i] ?? [])) };
}
