import type { AgentMetrics, ReportBucket } from '@frontdesk/protocol';
import { agentFiguresOfSums, statusSpansOf, timeFiguresOf, timelineOf, type StatusChange } from './agent-metrics.ts';
import { channelMetricsOfSums, csatMetricsOfSums } from './channel-metrics.ts';
import { groupByBucket, type Interval } from './metric-math.ts';
import { queueMetricsOfSums } from './queue-metrics.ts';
import { NO_AGENT, SLOT_MS, type AgentSlotRow, type ChannelSlotRow, type QueueSlotRow } from './rollup-slots.ts';

/**
 * The reports from roll-up slots (docs/reports.md, "Roll-ups"): the slots of each bucket go to the
 * formulas of queue-metrics.ts, agent-metrics.ts and channel-metrics.ts, which the rows' path
 * feeds with the sums of a bucket's rows: one formula, two inputs. Exact when
 * every bucket bound is a slot bound (`slotAligned`): each slot then lies in exactly one bucket.
 */

/** Whether every bucket starts and ends on a UTC quarter hour, so slots add up to each bucket. */
export const slotAligned = (buckets: readonly ReportBucket[]): boolean => buckets.every((b) => b.start % SLOT_MS === 0 && b.end % SLOT_MS === 0);

const wrapUpsMs = (wrapUps: readonly VisitWrapUp[] | undefined): number[] => (wrapUps ?? []).map((w) => w.wrapUpMs);

/** An answered visit's wrap-up (status history, joined at query time: it ends after the facts are written). */
export interface VisitWrapUp {
  queueId: string;
  enteredAt: number;
  wrapUpMs: number;
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
        total: queueMetricsOfSums(g.total, serviceLevelMs, wrapUpsMs(w?.total)),
        byBucket: g.byBucket.map((rows, i) => queueMetricsOfSums(rows, serviceLevelMs, wrapUpsMs(w?.byBucket[i]))),
      };
    });
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
      total: { ...agentFiguresOfSums(g?.total ?? []), ...timeFiguresOf(timeline, range) } as AgentMetrics,
      byBucket: buckets.map((b, i) => ({ ...agentFiguresOfSums(g?.byBucket[i] ?? []), ...timeFiguresOf(timeline, b) }) as AgentMetrics),
    };
  });
}

export function channelReportOfSlots(slots: readonly ChannelSlotRow[], buckets: readonly ReportBucket[]) {
  const groups = groupByBucket(slots, buckets, (s) => s.channel_id, (s) => s.slot_at);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channelId, g]) => ({ channelId, total: channelMetricsOfSums(g.total), byBucket: g.byBucket.map(channelMetricsOfSums) }));
}

export function csatReportOfSlots(slots: readonly AgentSlotRow[], buckets: readonly ReportBucket[]) {
  const rated = slots.filter((s) => s.ratings > 0);
  const group = groupByBucket(rated, buckets, () => 'all', (s) => s.slot_at).get('all');
  return { total: csatMetricsOfSums(group?.total ?? []), byBucket: buckets.map((_, i) => csatMetricsOfSums(group?.byBucket[i] ?? [])) };
}
