import type { AgentMetrics, AgentReport, ChannelMetrics, ChannelReport, CsatReport, QueueMetrics, QueueReport } from '@frontdesk/protocol';
import type { ChartId, SeriesId, UnitId } from '../locales/index.ts';

/**
 * What a chart draws: one value per bucket per series (null: nothing to show in that bucket).
 * Charts, units and series go by id: the screen reads their words from the catalogue.
 */
export interface ChartSeries {
  id: SeriesId;
  values: (number | null)[];
  /** A unit other than the chart's: drawn against an axis of its own, on the right. */
  unit?: UnitId;
}
export interface ChartData {
  id: ChartId;
  unit: UnitId;
  series: ChartSeries[];
}

export type Dimension = 'queues' | 'agents' | 'channels';

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10);

/** Handle times in minutes, or in seconds while every one is under two minutes (a 40 s chat is not "0.7 min"). */
function handleTimeChart(ms: readonly (number | null)[]): ChartData {
  const inSeconds = ms.every((v) => v === null || v < 120_000);
  return { id: 'handleTime', unit: inSeconds ? 'seconds' : 'minutes', series: [{ id: 'avgHandle', values: ms.map(inSeconds ? seconds : minutes) }] };
}

/** Sums a count over the rows of each bucket. */
function sumOf<M>(rows: readonly { byBucket: M[] }[], n: number, pick: (m: M) => number): number[] {
  return Array.from({ length: n }, (_, i) => rows.reduce((sum, row) => sum + pick(row.byBucket[i]!), 0));
}

/** A weighted average over the rows of each bucket (each row's average weighs by its own count). */
function averageOf<M>(rows: readonly { byBucket: M[] }[], n: number, avg: (m: M) => number | null, weight: (m: M) => number): (number | null)[] {
  return Array.from({ length: n }, (_, i) => {
    let total = 0;
    let count = 0;
    for (const row of rows) {
      const m = row.byBucket[i]!;
      const a = avg(m);
      if (a === null) continue;
      total += a * weight(m);
      count += weight(m);
    }
    return count > 0 ? total / count : null;
  });
}

/** The largest value over the rows of each bucket. */
function maxOf<M>(rows: readonly { byBucket: M[] }[], n: number, pick: (m: M) => number | null): (number | null)[] {
  return Array.from({ length: n }, (_, i) => {
    let max: number | null = null;
    for (const row of rows) {
      const v = pick(row.byBucket[i]!);
      if (v !== null && (max === null || v > max)) max = v;
    }
    return max;
  });
}

/** The queue report's charts, for one queue (`only`) or all together. */
export function queueCharts(report: QueueReport, only?: string): ChartData[] {
  const rows = only ? report.queues.filter((q) => q.queueId === only) : report.queues;
  const n = report.buckets.length;
  const answered = (m: QueueMetrics) => m.answered;
  return [
    { id: 'volumes', unit: 'conversations', series: [{ id: 'offered', values: sumOf(rows, n, (m) => m.offered) }, { id: 'answered', values: sumOf(rows, n, answered) }, { id: 'abandoned', values: sumOf(rows, n, (m) => m.abandoned) }] },
    { id: 'waits', unit: 'seconds', series: [{ id: 'avgSpeedOfAnswer', values: averageOf(rows, n, (m) => m.avgSpeedOfAnswerMs, answered).map(seconds) }, { id: 'longestWait', values: maxOf(rows, n, (m) => m.longestWaitMs).map(seconds) }] },
    handleTimeChart(averageOf(rows, n, (m) => m.avgHandleMs, answered)),
  ];
}

/** The agent report's charts, for one agent or all together. */
export function agentCharts(report: AgentReport, only?: string): ChartData[] {
  const rows = only ? report.agents.filter((a) => a.agentId === only) : report.agents;
  const n = report.buckets.length;
  const handled = (m: AgentMetrics) => m.conversationsHandled;
  return [
    { id: 'volumes', unit: 'conversations', series: [{ id: 'handled', values: sumOf(rows, n, handled) }, { id: 'missedOffers', values: sumOf(rows, n, (m) => m.missedOffers) }] },
    { id: 'waits', unit: 'seconds', series: [{ id: 'avgFirstResponse', values: averageOf(rows, n, (m) => m.avgFirstResponseMs, handled).map(seconds) }, { id: 'avgResponse', values: averageOf(rows, n, (m) => m.avgResponseMs, (m) => m.responses).map(seconds) }] },
    handleTimeChart(averageOf(rows, n, (m) => m.avgHandleMs, handled)),
  ];
}

/** The channel report's charts, for one channel or all together. */
export function channelCharts(report: ChannelReport, only?: string): ChartData[] {
  const rows = only ? report.channels.filter((c) => c.channelId === only) : report.channels;
  const n = report.buckets.length;
  const pick = (f: (m: ChannelMetrics) => number) => sumOf(rows, n, f);
  return [
    { id: 'volumes', unit: 'conversations', series: [{ id: 'conversations', values: pick((m) => m.conversations) }, { id: 'answered', values: pick((m) => m.answered) }, { id: 'abandoned', values: pick((m) => m.abandoned) }] },
    { id: 'bot', unit: 'conversations', series: [{ id: 'withBot', values: pick((m) => m.withBot) }, { id: 'botResolved', values: pick((m) => m.botResolved) }, { id: 'handedOff', values: pick((m) => m.handedOff) }] },
  ];
}

/** CSAT: the average stars per bucket and how many ratings (a count, on its own axis). */
export function csatChart(report: CsatReport): ChartData {
  return { id: 'csat', unit: 'stars', series: [{ id: 'average', values: report.byBucket.map((b) => (b.average === null ? null : Math.round(b.average * 100) / 100)) }, { id: 'ratings', unit: 'ratings', values: report.byBucket.map((b) => b.count) }] };
}

/**
 * A bucket's label short enough for an axis: "2026-12-04" → "12-04", "2026-10-25T02:00+02:00" →
 * "02:00+02" when the hour repeats (the autumn change) or "02:00" otherwise.
 */
export function axisLabels(labels: readonly string[]): string[] {
  const times = labels.map((l) => l.match(/T(\d{2}:\d{2})([+-]\d{2})?/));
  const seen = new Map<string, number>();
  for (const t of times) if (t) seen.set(t[1]!, (seen.get(t[1]!) ?? 0) + 1);
  const isOneDay = new Set(labels.map((l) => l.slice(0, 10))).size <= 1;
  return labels.map((label, i) => {
    const t = times[i];
    if (!t) return label.length >= 10 ? label.slice(5, 10) : label;
    const time = (seen.get(t[1]!) ?? 0) > 1 && isOneDay ? `${t[1]}${t[2] ?? ''}` : t[1]!;
    return isOneDay ? time : `${label.slice(5, 10)} ${time}`;
  });
}

/** A chart's test id, from its id (never from its words): `handleTime` → "chart-handle-time". */
export function chartTestId(id: ChartId): string {
  return `chart-${id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
