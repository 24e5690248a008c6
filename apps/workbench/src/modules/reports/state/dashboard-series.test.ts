import type { QueueMetrics, QueueReport } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { agentCharts, axisLabels, channelCharts, chartTestId, csatChart, queueCharts } from './dashboard-series.ts';

const metrics = (m: Partial<QueueMetrics>): QueueMetrics => ({
  offered: 0, answered: 0, abandoned: 0, abandonRate: null, releasedByOverflow: 0, overflowedOut: 0, transferred: 0, avgSpeedOfAnswerMs: null, p90SpeedOfAnswerMs: null, answeredWithinServiceLevel: 0, serviceLevel: null, longestWaitMs: null, avgHandleMs: null, avgWrapUpMs: null, ...m,
});

describe('dashboard series', () => {
  it('sums counts and weighs averages by their own counts across queues', () => {
    const report: QueueReport = {
      from: 0, to: 2, tz: 'UTC', interval: 'day', serviceLevelSeconds: 20,
      buckets: [{ start: 0, end: 1, label: '2026-10-24' }, { start: 1, end: 2, label: '2026-10-25' }],
      queues: [
        { queueId: 'a', total: metrics({}), byBucket: [metrics({ offered: 3, answered: 3, avgSpeedOfAnswerMs: 10_000, longestWaitMs: 12_000 }), metrics({})] },
        { queueId: 'b', total: metrics({}), byBucket: [metrics({ offered: 2, answered: 1, abandoned: 1, avgSpeedOfAnswerMs: 30_000, longestWaitMs: 40_000 }), metrics({ offered: 1, abandoned: 1, longestWaitMs: 5_000 })] },
      ],
    };
    const [volumes, waits] = queueCharts(report);
    expect(volumes!.series.map((s) => s.values)).toEqual([[5, 1], [4, 0], [1, 1]]);
    // (3 × 10 s + 1 × 30 s) ÷ 4 = 15 s; nothing answered on the second day.
    expect(waits!.series[0]!.values).toEqual([15, null]);
    expect(waits!.series[1]!.values).toEqual([40, 5]);
    expect(queueCharts(report, 'b')[0]!.series[0]!.values).toEqual([2, 1]);
  });

  it('draws handle times in seconds while all are under two minutes, else in minutes', () => {
    const report = (avgHandleMs: number): QueueReport => ({
      from: 0, to: 1, tz: 'UTC', interval: 'day', serviceLevelSeconds: 20,
      buckets: [{ start: 0, end: 1, label: '2026-10-24' }],
      queues: [{ queueId: 'a', total: metrics({}), byBucket: [metrics({ offered: 1, answered: 1, avgHandleMs })] }],
    });
    const handle = (r: QueueReport) => queueCharts(r)[2]!;
    expect([handle(report(41_000)).unit, handle(report(41_000)).series[0]!.values]).toEqual(['seconds', [41]]);
    expect([handle(report(150_000)).unit, handle(report(150_000)).series[0]!.values]).toEqual(['minutes', [2.5]]);
  });

  it('shortens axis labels, and tells the repeated autumn hour apart', () => {
    expect(axisLabels(['2026-10-24', '2026-10-25'])).toEqual(['10-24', '10-25']);
    expect(axisLabels(['2026-10-25T01:00+02:00', '2026-10-25T02:00+02:00', '2026-10-25T02:00+01:00', '2026-10-25T03:00+01:00'])).toEqual(['01:00', '02:00+02', '02:00+01', '03:00']);
  });

  it('keys charts by id, not by their words: the same ids and test ids in every language', () => {
    const empty = { from: 0, to: 1, tz: 'UTC', interval: 'day' as const, serviceLevelSeconds: 20, buckets: [] };
    expect(queueCharts({ ...empty, queues: [] }).map((c) => c.id)).toEqual(['volumes', 'waits', 'handleTime']);
    expect(agentCharts({ ...empty, agents: [] }).map((c) => c.id)).toEqual(['volumes', 'waits', 'handleTime']);
    expect(channelCharts({ ...empty, channels: [] }).map((c) => c.id)).toEqual(['volumes', 'bot']);
    expect(csatChart({ ...empty, total: { count: 0, average: null, distribution: [0, 0, 0, 0, 0] }, byBucket: [] }).id).toBe('csat');
    // The count of ratings is not in stars: it gets an axis of its own.
    const csat = csatChart({ ...empty, buckets: [{ start: 0, end: 1, label: '2026-12-06' }], total: { count: 3, average: 4, distribution: [0, 0, 0, 3, 0] }, byBucket: [{ count: 3, average: 4, distribution: [0, 0, 0, 3, 0] }] });
    expect(csat.series.map((s) => [s.id, s.unit ?? csat.unit, s.values])).toEqual([['average', 'stars', [4]], ['ratings', 'ratings', [3]]]);
    expect(['volumes', 'waits', 'handleTime', 'bot', 'csat'].map((id) => chartTestId(id as never))).toEqual(['chart-volumes', 'chart-waits', 'chart-handle-time', 'chart-bot', 'chart-csat']);
  });
});
