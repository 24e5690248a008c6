import { describe, expect, it } from 'vitest';
import { agentReportOf, statusSpansOf } from './agent-metrics.ts';
import { channelReportOf, csatReportOf } from './channel-metrics.ts';
import { percentile } from './metric-math.ts';
import { queueReportOf, type VisitRow } from './queue-metrics.ts';

const S = 1000;
const buckets = [
  { start: 0, end: 1000 * S, label: 'a' },
  { start: 1000 * S, end: 2000 * S, label: 'b' },
];
const visit = (over: Partial<VisitRow>): VisitRow => ({ queueId: 'q1', enteredAt: 0, answeredAt: null, waitMs: 0, outcome: 'abandoned', transferred: false, agentId: null, handleMs: null, assignmentEndedAt: null, ...over });

describe('metric functions', () => {
  it('nearest-rank p90', () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([10, 1, 2], 90)).toBe(10);
  });

  it('per queue: offered, answered, abandoned, released, service level, waits, handle and wrap-up, by bucket', () => {
    const visits = [
      visit({ enteredAt: 10 * S, answeredAt: 15 * S, waitMs: 5 * S, outcome: 'answered', agentId: 'ann', handleMs: 100 * S, assignmentEndedAt: 115 * S }),
      visit({ enteredAt: 20 * S, answeredAt: 50 * S, waitMs: 30 * S, outcome: 'answered', agentId: 'bob', handleMs: 60 * S, assignmentEndedAt: 110 * S, transferred: true }),
      visit({ enteredAt: 30 * S, waitMs: 40 * S, outcome: 'abandoned' }),
      visit({ enteredAt: 1500 * S, waitMs: 90 * S, outcome: 'released' }),
      visit({ enteredAt: 2500 * S, waitMs: 1, outcome: 'abandoned' }),
    ];
    const [q] = queueReportOf(visits, [{ agentId: 'ann', start: 115 * S, end: 145 * S }], buckets, 20 * S);
    expect(q!.total).toEqual({
      offered: 4,
      answered: 2,
      abandoned: 1,
      abandonRate: 0.25,
      releasedByOverflow: 1,
      overflowedOut: 0,
      transferred: 1,
      avgSpeedOfAnswerMs: 17.5 * S,
      p90SpeedOfAnswerMs: 30 * S,
      answeredWithinServiceLevel: 1,
      serviceLevel: 1 / 3,
      longestWaitMs: 90 * S,
      avgHandleMs: 80 * S,
      avgWrapUpMs: 30 * S,
    });
    expect(q!.byBucket.map((b) => b.offered)).toEqual([3, 1]);
    expect(q!.byBucket[1]!.avgSpeedOfAnswerMs).toBeNull();
  });

  it('per agent: status time and occupancy are cut at bucket bounds; offers, responses, CSAT', () => {
    const changes = [
      { agentId: 'ann', to: 'free', at: 500 * S },
      { agentId: 'ann', to: 'busy', at: 900 * S },
      { agentId: 'ann', to: 'wrap_up', at: 1100 * S },
      { agentId: 'ann', to: 'free', at: 1130 * S },
      { agentId: 'ann', to: 'offline', at: 1200 * S },
    ];
    const assignment = { agentId: 'ann', assignedAt: 800 * S, endedAt: 1100 * S, handleMs: 300 * S, firstResponseMs: 10 * S, responses: 2, responseTotalMs: 30 * S };
    const [ann] = agentReportOf(
      {
        assignments: [assignment],
        offers: [
          { agentId: 'ann', offeredAt: 700 * S, outcome: 'declined' },
          { agentId: 'ann', offeredAt: 750 * S, outcome: 'missed' },
          { agentId: 'ann', offeredAt: 790 * S, outcome: 'accepted' },
        ],
        ratings: [{ agentId: 'ann', stars: 4, ratedAt: 1150 * S }],
        calls: [],
      },
      [assignment],
      changes,
      buckets,
      10_000 * S,
    );
    expect(ann!.total).toMatchObject({ conversationsHandled: 1, offers: 3, missedOffers: 1, declinedOffers: 1, avgFirstResponseMs: 10 * S, avgResponseMs: 15 * S, handleMs: 300 * S, csatAverage: 4, csatCount: 1 });
    expect(ann!.total.statusMs).toEqual({ free: 470 * S, busy: 200 * S, wrap_up: 30 * S, not_ready: 0, rest: 0 });
    // Staffed 500 → 1200 (700 s); occupied: the assignment 800 → 1100 and wrap-up → 1130 (330 s).
    expect(ann!.total.occupancy).toBeCloseTo(330 / 700);
    expect(ann!.byBucket[0]!.statusMs).toEqual({ free: 400 * S, busy: 100 * S, wrap_up: 0, not_ready: 0, rest: 0 });
    expect(ann!.byBucket[0]!.occupancy).toBeCloseTo(200 / 500);
    expect(ann!.byBucket[1]!.occupancy).toBeCloseTo(130 / 200);
    expect(statusSpansOf(changes, 1150 * S).at(-1)).toEqual({ agentId: 'ann', status: 'free', start: 1130 * S, end: 1150 * S });
  });

  it('per channel: volumes, bot-resolved share and hand-off rate; CSAT distribution', () => {
    const rows = [
      { channelId: 'web', arrivedAt: 1, outcome: 'bot_resolved' as const, withBot: true, handedOff: false },
      { channelId: 'web', arrivedAt: 2, outcome: 'answered' as const, withBot: true, handedOff: true },
      { channelId: 'web', arrivedAt: 3, outcome: 'answered' as const, withBot: false, handedOff: false },
      { channelId: null, arrivedAt: 1500 * S, outcome: 'abandoned' as const, withBot: false, handedOff: false },
    ];
    const report = channelReportOf(rows, buckets);
    expect(report.map((c) => [c.channelId, c.total.conversations])).toEqual([
      ['none', 1],
      ['web', 3],
    ]);
    expect(report[1]!.total).toEqual({ conversations: 3, withBot: 2, botResolved: 1, botResolvedShare: 0.5, handedOff: 1, handOffRate: 0.5, answered: 2, abandoned: 0 });
    const csat = csatReportOf([{ stars: 5, ratedAt: 1 }, { stars: 3, ratedAt: 2 }, { stars: 5, ratedAt: 1500 * S }], buckets);
    expect(csat.total).toEqual({ count: 3, average: 13 / 3, distribution: [0, 0, 1, 0, 2] });
    expect(csat.byBucket.map((b) => b.count)).toEqual([2, 1]);
  });
});
