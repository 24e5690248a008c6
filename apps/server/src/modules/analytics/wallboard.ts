import type { QueueMetrics, RoutingOverview, Wallboard } from '@frontdesk/protocol';
import type { z } from 'zod';

type Overview = z.infer<typeof RoutingOverview>;
type Today = Wallboard['today'];

const NOTHING_TODAY: Today = { offered: 0, answered: 0, abandoned: 0, answeredWithinServiceLevel: 0, serviceLevel: null, avgSpeedOfAnswerMs: null };

function todayOf(m: QueueMetrics | undefined): Today {
  if (!m) return NOTHING_TODAY;
  return { offered: m.offered, answered: m.answered, abandoned: m.abandoned, answeredWithinServiceLevel: m.answeredWithinServiceLevel, serviceLevel: m.serviceLevel, avgSpeedOfAnswerMs: m.avgSpeedOfAnswerMs };
}

/** The app's figures of today from its queues' (same formulas as the queue report: docs/reports.md). */
function sumToday(queues: readonly QueueMetrics[]): Today {
  let offered = 0, answered = 0, abandoned = 0, within = 0, waitTotal = 0;
  for (const m of queues) {
    offered += m.offered;
    answered += m.answered;
    abandoned += m.abandoned;
    within += m.answeredWithinServiceLevel;
    waitTotal += (m.avgSpeedOfAnswerMs ?? 0) * m.answered;
  }
  return {
    offered,
    answered,
    abandoned,
    answeredWithinServiceLevel: within,
    serviceLevel: answered + abandoned > 0 ? within / (answered + abandoned) : null,
    avgSpeedOfAnswerMs: answered > 0 ? Math.round(waitTotal / answered) : null,
  };
}

/**
 * The wallboard: "now" from routing's live overview, "today" from the queue report of the local
 * day so far. Pure: the shell reads both and pushes the result.
 */
export function wallboardOf(input: { at: number; tz: string; serviceLevelSeconds: number; overview: Overview; todayByQueue: ReadonlyMap<string, QueueMetrics> }): Wallboard {
  const { overview, todayByQueue } = input;
  const agentsByStatus = { free: 0, busy: 0, wrap_up: 0, not_ready: 0, rest: 0 };
  for (const agent of overview.agents) if (agent.status !== 'offline') agentsByStatus[agent.status] += 1;
  return {
    at: input.at,
    tz: input.tz,
    serviceLevelSeconds: input.serviceLevelSeconds,
    waiting: overview.queues.reduce((sum, q) => sum + q.queued, 0),
    oldestWaitMs: overview.queues.reduce((max, q) => Math.max(max, q.longestWaitMs), 0),
    activeConversations: overview.activeConversations,
    handlingNow: overview.agents.reduce((sum, a) => sum + a.sessions.filter((x) => x.state === 'assigned' && x.subject !== 'call').length, 0),
    agentsByStatus,
    // NOTE: every queue's figures of today, also those of queues deleted since (their visits count in the total).
    today: sumToday([...todayByQueue.values()]),
    queues: overview.queues.map((q) => ({
      queueId: q.queueId,
      name: q.name,
      waiting: q.queued,
      oldestWaitMs: q.longestWaitMs,
      signedInAgents: q.signedInAgents,
      freeAgents: q.freeAgents,
      today: todayOf(todayByQueue.get(q.queueId)),
    })),
  };
}
