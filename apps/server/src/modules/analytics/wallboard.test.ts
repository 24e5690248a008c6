import type { QueueMetrics } from '@frontdesk/protocol';
import { describe, expect, it, vi } from 'vitest';
import { createWallboardPush } from './wallboard-push.ts';
import { wallboardOf } from './wallboard.ts';

const metrics = (m: Partial<QueueMetrics>): QueueMetrics => ({
  offered: 0, answered: 0, abandoned: 0, abandonRate: null, releasedByOverflow: 0, overflowedOut: 0, transferred: 0, avgSpeedOfAnswerMs: null, p90SpeedOfAnswerMs: null, answeredWithinServiceLevel: 0, serviceLevel: null, longestWaitMs: null, avgHandleMs: null, avgWrapUpMs: null, ...m,
});
const queue = (queueId: string, queued: number, longestWaitMs: number) => ({ queueId, name: queueId, areaId: null, queued, longestWaitMs, signedInAgents: 2, freeAgents: 1, occupancyPercent: 50, maxQueueLength: 10 });

describe('wallboard', () => {
  it('now from the overview, today from the queue figures (service level = within X ÷ (answered + abandoned))', () => {
    const w = wallboardOf({
      at: 1000,
      tz: 'Europe/Berlin',
      serviceLevelSeconds: 20,
      overview: {
        queues: [queue('q1', 2, 65_000), queue('q2', 1, 5_000)],
        areas: [],
        agents: [
          { agentId: 'a1', status: 'free', reason: null, load: 2, maxConcurrent: 5, sessions: [{ conversationId: 'c1', queueId: 'q1', state: 'assigned' }, { conversationId: 'c2', queueId: 'q1', state: 'offered' }] },
          { agentId: 'a2', status: 'busy', reason: null, load: 1, maxConcurrent: 1, sessions: [{ conversationId: 'k1', queueId: 'q1', state: 'assigned', subject: 'call' }] },
          { agentId: 'a3', status: 'offline', reason: null, load: 0, maxConcurrent: 1, sessions: [] },
          { agentId: 'a4', status: 'rest', reason: 'lunch', load: 0, maxConcurrent: 1, sessions: [] },
        ],
        onlineAgents: 3,
        activeConversations: 6,
      },
      todayByQueue: new Map([
        ['q1', metrics({ offered: 5, answered: 3, abandoned: 1, answeredWithinServiceLevel: 2, serviceLevel: 0.5, avgSpeedOfAnswerMs: 10_000 })],
        ['gone', metrics({ offered: 1, answered: 1, answeredWithinServiceLevel: 1, serviceLevel: 1, avgSpeedOfAnswerMs: 2_000 })],
      ]),
    });
    expect(w).toMatchObject({ waiting: 3, oldestWaitMs: 65_000, handlingNow: 1, agentsByStatus: { free: 1, busy: 1, wrap_up: 0, not_ready: 0, rest: 1 } });
    // (2 + 1) ÷ (4 + 1); (3 × 10 s + 2 s) ÷ 4.
    expect(w.today).toEqual({ offered: 6, answered: 4, abandoned: 1, answeredWithinServiceLevel: 3, serviceLevel: 0.6, avgSpeedOfAnswerMs: 8_000 });
    expect(w.queues.map((q) => [q.queueId, q.waiting, q.today.serviceLevel])).toEqual([['q1', 2, 0.5], ['q2', 1, null]]);
  });

  it('pushes the first change at once and a burst once more after the pause; nothing without a supervisor', async () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      let n = 0;
      let watching = true;
      const push = createWallboardPush({
        compute: async () => ({ at: ++n }) as never,
        hasSupervisors: () => watching,
        send: (_appId, w) => sent.push(w.at),
        log: { warn: () => undefined } as never,
        intervalMs: 500,
      });
      push.changed('app');
      push.changed('app');
      push.changed('app');
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toEqual([1]);
      await vi.advanceTimersByTimeAsync(500);
      expect(sent).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(2000);
      expect(sent).toEqual([1, 2]);
      watching = false;
      push.changed('app');
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent).toEqual([1, 2]);
      push.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never computes twice at once: the pause starts when a push is sent, so a slow read cannot send an older board last', async () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      let n = 0;
      let inFlight = 0;
      let mostInFlight = 0;
      const push = createWallboardPush({
        compute: async () => {
          const at = ++n;
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          // The first read is slower than the pause, the next ones quick.
          await new Promise((resolve) => setTimeout(resolve, at === 1 ? 800 : 10));
          inFlight--;
          return { at } as never;
        },
        hasSupervisors: () => true,
        send: (_appId, w) => sent.push(w.at),
        log: { warn: () => undefined } as never,
        intervalMs: 500,
      });
      push.changed('app');
      await vi.advanceTimersByTimeAsync(100);
      push.changed('app');
      await vi.advanceTimersByTimeAsync(3000);
      expect(mostInFlight).toBe(1);
      expect(sent).toEqual([1, 2]);
      push.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
