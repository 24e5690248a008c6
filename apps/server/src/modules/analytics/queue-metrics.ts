import type { QueueMetrics, ReportBucket } from '@frontdesk/protocol';
import type { AnalyticsTables } from './analytics.schema.ts';
import type { QueueVisitFact } from './conversation-facts.ts';
import { average, groupByBucket, percentile, share, sum } from './metric-math.ts';

/** A conversation's stay in a queue, as the queue report reads it back (report_queue_visits). */
export type VisitRow = Omit<QueueVisitFact, 'conversationId' | 'channelId'>;

/** An agent's span in wrap-up status (routing's status history). */
export interface WrapUpSpan {
  agentId: string;
  start: number;
  end: number;
}

/**
 * The additive parts of the queue figures over some visits: what a roll-up slot keeps
 * (report_queue_slots). The figures are computed from sums only, whether they are the sums of a
 * bucket's rows or of its slots (rollup-metrics.ts): one formula for both.
 */
export type QueueSums = Omit<AnalyticsTables['report_queue_slots'], 'app_id' | 'slot_at' | 'queue_id'>;

/** The waits of answered visits, ascending, comma-separated: p90 and the service level stay exact over sums. */
export const encodeWaits = (waits: readonly number[]): string => [...waits].sort((a, b) => a - b).join(',');
export const decodeWaits = (text: string): number[] => (text === '' ? [] : text.split(',').map(Number));

export function queueSumsOf(visits: readonly { outcome: string; waitMs: number; transferred: boolean; handleMs: number | null }[]): QueueSums {
  const answered = visits.filter((v) => v.outcome === 'answered');
  const handled = answered.filter((v) => v.handleMs !== null);
  return {
    offered: visits.length,
    answered: answered.length,
    abandoned: visits.filter((v) => v.outcome === 'abandoned').length,
    released: visits.filter((v) => v.outcome === 'released').length,
    overflowed: visits.filter((v) => v.outcome === 'overflowed').length,
    transferred: visits.filter((v) => v.transferred).length,
    answered_wait_ms: answered.reduce((s, v) => s + v.waitMs, 0),
    handled: handled.length,
    handle_ms: handled.reduce((s, v) => s + v.handleMs!, 0),
    longest_wait_ms: visits.reduce((m, v) => Math.max(m, v.waitMs), 0),
    answered_waits: encodeWaits(answered.map((v) => v.waitMs)),
  };
}

/** The figures of one queue from the sums of its visits (docs/reports.md, "Per queue"); `wrapUpsMs`: the answered visits' wrap-ups. */
export function queueMetricsOfSums(sums: readonly QueueSums[], serviceLevelMs: number, wrapUpsMs: readonly number[]): QueueMetrics {
  const offered = sum(sums, (s) => s.offered);
  const answered = sum(sums, (s) => s.answered);
  const abandoned = sum(sums, (s) => s.abandoned);
  const waits = sums.flatMap((s) => decodeWaits(s.answered_waits));
  const withinSl = waits.filter((w) => w <= serviceLevelMs).length;
  const handled = sum(sums, (s) => s.handled);
  return {
    offered,
    answered,
    abandoned,
    abandonRate: share(abandoned, offered),
    releasedByOverflow: sum(sums, (s) => s.released),
    overflowedOut: sum(sums, (s) => s.overflowed),
    transferred: sum(sums, (s) => s.transferred),
    avgSpeedOfAnswerMs: average(sum(sums, (s) => s.answered_wait_ms), answered),
    p90SpeedOfAnswerMs: percentile(waits, 90),
    answeredWithinServiceLevel: withinSl,
    // NOTE: abandoned visits count against the level (Amazon Connect's "service level X"): a
    // visitor who gave up waiting was not served in time.
    serviceLevel: share(withinSl, answered + abandoned),
    longestWaitMs: sums.length ? Math.max(...sums.map((s) => s.longest_wait_ms)) : null,
    avgHandleMs: average(sum(sums, (s) => s.handle_ms), handled),
    avgWrapUpMs: average(sum(wrapUpsMs, (w) => w), wrapUpsMs.length),
  };
}

/** The figures of one queue over some visits: their sums, through the same formula as slots. */
function queueMetricsOf(visits: readonly VisitRow[], serviceLevelMs: number, wrapUpMsOf: (v: VisitRow) => number | null): QueueMetrics {
  const wrapUps = visits.filter((v) => v.outcome === 'answered').map(wrapUpMsOf).filter((w): w is number => w !== null);
  return queueMetricsOfSums(visits.length ? [queueSumsOf(visits)] : [], serviceLevelMs, wrapUps);
}

/**
 * Per queue, for the range and each bucket (by the time the conversation entered the queue). A
 * visit's wrap-up is the span in wrap-up its agent entered at the instant its assignment ended.
 */
export function queueReportOf(visits: readonly VisitRow[], wrapUps: readonly WrapUpSpan[], buckets: readonly ReportBucket[], serviceLevelMs: number) {
  const wrapUpAt = new Map(wrapUps.map((w) => [`${w.agentId}@${w.start}`, w.end - w.start]));
  const wrapUpMsOf = (v: VisitRow) => (v.agentId && v.assignmentEndedAt !== null ? (wrapUpAt.get(`${v.agentId}@${v.assignmentEndedAt}`) ?? null) : null);
  const groups = groupByBucket(visits, buckets, (v) => v.queueId, (v) => v.enteredAt);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([queueId, g]) => ({ queueId, total: queueMetricsOf(g.total, serviceLevelMs, wrapUpMsOf), byBucket: g.byBucket.map((rows) => queueMetricsOf(rows, serviceLevelMs, wrapUpMsOf)) }));
}
