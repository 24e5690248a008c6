import type { QueueMetrics, ReportBucket } from '@frontdesk/protocol';
import type { QueueVisitFact } from './conversation-facts.ts';
import { average, groupByBucket, percentile, share } from './metric-math.ts';

/** A conversation's stay in a queue, as the queue report reads it back (report_queue_visits). */
export type VisitRow = Omit<QueueVisitFact, 'conversationId' | 'channelId'>;

/** An agent's span in wrap-up status (routing's status history). */
export interface WrapUpSpan {
  agentId: string;
  start: number;
  end: number;
}

/** The figures of one queue over some visits (docs/reports.md, "Per queue"). */
export function queueMetricsOf(visits: readonly VisitRow[], serviceLevelMs: number, wrapUpMsOf: (v: VisitRow) => number | null): QueueMetrics {
  const answered = visits.filter((v) => v.outcome === 'answered');
  const abandoned = visits.filter((v) => v.outcome === 'abandoned').length;
  const waits = answered.map((v) => v.waitMs);
  const handled = answered.filter((v) => v.handleMs !== null);
  const wrapUps = answered.map(wrapUpMsOf).filter((w): w is number => w !== null);
  const withinSl = answered.filter((v) => v.waitMs <= serviceLevelMs).length;
  return {
    offered: visits.length,
    answered: answered.length,
    abandoned,
    abandonRate: share(abandoned, visits.length),
    releasedByOverflow: visits.filter((v) => v.outcome === 'released').length,
    overflowedOut: visits.filter((v) => v.outcome === 'overflowed').length,
    transferred: visits.filter((v) => v.transferred).length,
    avgSpeedOfAnswerMs: average(waits.reduce((s, w) => s + w, 0), waits.length),
    p90SpeedOfAnswerMs: percentile(waits, 90),
    answeredWithinServiceLevel: withinSl,
    // NOTE: abandoned visits count against the level (Amazon Connect's "service level X"): a
    // visitor who gave up waiting was not served in time.
    serviceLevel: share(withinSl, answered.length + abandoned),
    longestWaitMs: visits.length ? Math.max(...visits.map((v) => v.waitMs)) : null,
    avgHandleMs: average(handled.reduce((s, v) => s + v.handleMs!, 0), handled.length),
    avgWrapUpMs: average(wrapUps.reduce((s, w) => s + w, 0), wrapUps.length),
  };
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
