import type { AgentReport, ChannelReport, CsatReport, QueueMetrics, QueueReport, ReportInterval, RoutingOverview, Wallboard } from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { createJobWorker } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { agentReportOf, HELD_CAP_MS, statusSpansOf, type StatusChange } from './agent-metrics.ts';
import { channelMatch, channelReportOf, csatReportOf } from './channel-metrics.ts';
import type { ConversationOutcome, OfferOutcome, VisitOutcome } from './conversation-facts.ts';
import type { ExportNames } from './export-rows.ts';
import { createExports } from './export.service.ts';
import { createScheduledExports } from './scheduled-exports.ts';
import { enqueueRebuild, factsWriteKind, type FactSources } from './facts-write-job.ts';
import { queueReportOf, type VisitRow } from './queue-metrics.ts';
import { AnalyticsError } from './analytics.errors.ts';
import { drillDown, type DrillDownFilters } from './report-drill-down.ts';
import { reportRangeOf, type ReportRange } from './report-range.ts';
import { agentReportFromSlots, channelReportFromSlots, csatReportFromSlots, queueReportFromSlots, rollupsServe, type ReportKind } from './rollup-reports.ts';
import { rebuildRollups } from './rollup-store.ts';
import { isTimeZone, startOfBucket } from './time-buckets.ts';
import { wallboardOf } from './wallboard.ts';

export interface AnalyticsSources extends FactSources {
  /** Agents' status changes in [fromMs, toMs) and each agent's last one before (routing). */
  statusChangesAround(appId: string, fromMs: number, toMs: number): Promise<StatusChange[]>;
  /** The app's queue, agent and channel names, for exports. */
  namesOf(appId: string): Promise<ExportNames>;
  /** One app's closed conversations, a page at a time in id order (rebuilds). */
  closedConversations(appId: string, afterId: string, limit: number): Promise<{ id: string }[]>;
  /** Routing's live overview (the wallboard's "now"). */
  overview(appId: string): Promise<z.infer<typeof RoutingOverview>>;
}

export interface ReportFilters {
  from: string;
  to: string;
  tz: string;
  interval: ReportInterval;
  queueId?: string | undefined;
  agentId?: string | undefined;
  channelId?: string | undefined;
  serviceLevelSeconds: number;
}

/** How long the wallboard's "today" may be reused when nothing says it moved (see todayCache). */
const TODAY_TTL_MS = 10_000;

/** Local midnight of any zone is at most this long ago: a day with a clock change lasts 25 h, plus a read in flight. */
const TODAY_SPAN_MS = 26 * 3_600_000;

/** A wrap-up or an assignment may outlast the range by this much and still be measured whole (an assignment holds its agent at most this long). */
const SPILL_MS = HELD_CAP_MS;

/**
 * Reports over the read model (analytics.schema.ts): each reads one app's rows of the range
 * through the (app_id, time) indexes and hands them to the pure metric functions, which bucket
 * them in the caller's time zone. This node's worker writes the facts of closed conversations.
 */
export function createAnalytics(deps: {
  storage: Storage;
  clock: Clock;
  log: Logger;
  sources: AnalyticsSources;
  publicUrl: string;
  exportsDir: string;
  pollIntervalMs?: number;
  onFactsWritten?: (appId: string) => void;
  /** False: every report reads the rows, never the roll-ups (FRONTDESK_REPORT_ROLLUPS=off, to compare). */
  rollups?: boolean;
}) {
  const { storage, clock, sources } = deps;
  const slotsServe = (kind: ReportKind, range: ReportRange, f: ReportFilters) => deps.rollups !== false && rollupsServe(kind, range, f);
  const { db } = storage;
  const log = deps.log.child({ module: 'analytics' });
  const writer = createJobWorker({
    storage,
    clock,
    log,
    kind: factsWriteKind({
      storage,
      clock,
      log,
      sources,
      onWritten: (appId, facts) => {
        // NOTE: only a queue visit entered since local midnight moves "today": a rebuild's old
        // conversations and those the bot ended alone neither re-read the day nor push the board.
        if (!facts.visits.some((v) => v.enteredAt >= clock.now() - TODAY_SPAN_MS)) return;
        todayCache.delete(appId);
        todayGeneration.set(appId, (todayGeneration.get(appId) ?? 0) + 1);
        deps.onFactsWritten?.(appId);
      },
    }),
    // NOTE: background work, two at a time, like CDR writes: a burst of closes must not crowd routing out of the pool.
    options: { concurrency: 2, pollIntervalMs: deps.pollIntervalMs ?? 1_000, leaseMs: 60_000 },
  });

  /** The visits of queues entered in [fromMs, toMs), filtered like the queue report. */
  async function visitsOf(appId: string, fromMs: number, toMs: number, f: Pick<ReportFilters, 'queueId' | 'agentId' | 'channelId'>): Promise<VisitRow[]> {
    let q = db
      .selectFrom('report_queue_visits')
      .select(['queue_id', 'entered_at', 'answered_at', 'wait_ms', 'outcome', 'transferred', 'agent_id', 'handle_ms', 'assignment_ended_at'])
      .where('app_id', '=', appId)
      .where('entered_at', '>=', fromMs)
      .where('entered_at', '<', toMs);
    if (f.queueId) q = q.where('queue_id', '=', f.queueId);
    if (f.agentId) q = q.where('agent_id', '=', f.agentId);
    if (f.channelId) q = q.where(channelMatch('channel_id', f.channelId));
    return (await q.execute()).map((r) => ({
      queueId: r.queue_id,
      enteredAt: r.entered_at,
      answeredAt: r.answered_at,
      waitMs: r.wait_ms,
      outcome: r.outcome as VisitOutcome,
      transferred: r.transferred === 1,
      agentId: r.agent_id,
      handleMs: r.handle_ms,
      assignmentEndedAt: r.assignment_ended_at,
    }));
  }

  async function wrapUpSpans(appId: string, fromMs: number, toMs: number) {
    const changes = await sources.statusChangesAround(appId, fromMs, toMs + SPILL_MS);
    return statusSpansOf(changes, Math.min(toMs + SPILL_MS, clock.now())).filter((s) => s.status === 'wrap_up');
  }

  const wallboardSettings = new Map<string, { tz: string; serviceLevelSeconds: number }>();
  /**
   * The wallboard's "today" per app. NOTE: it moves only when facts are written, not on each
   * routing decision, so it is read again when this node writes an app's facts, and otherwise at
   * most every TODAY_TTL_MS (facts another node wrote, a new day): a queue draining does not
   * re-read the day's rows twice a second.
   */
  const todayCache = new Map<string, { key: string; readAt: number; byQueue: Map<string, QueueMetrics> }>();
  /** Bumped when facts are written: a read begun before is not kept (it may have missed them). */
  const todayGeneration = new Map<string, number>();
  const exports = createExports({ storage, log, namesOf: sources.namesOf, publicUrl: deps.publicUrl });
  const scheduled = createScheduledExports({ storage, clock, log, exports, dir: deps.exportsDir, pollIntervalMs: deps.pollIntervalMs ?? 60_000 });

  return {
    ...exports,
    createSchedule: scheduled.createSchedule,
    listSchedules: scheduled.listSchedules,
    deleteSchedule: scheduled.deleteSchedule,
    listFiles: scheduled.listFiles,
    openFile: scheduled.openFile,

    async queues(appId: string, f: ReportFilters): Promise<QueueReport> {
      const range = reportRangeOf(f);
      const serviceLevelMs = f.serviceLevelSeconds * 1000;
      const head = { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, serviceLevelSeconds: f.serviceLevelSeconds };
      if (slotsServe('queues', range, f)) return { ...head, queues: await queueReportFromSlots(db, appId, range, f, serviceLevelMs, () => wrapUpSpans(appId, range.fromMs, range.toMs)) };
      const [visits, wrapUps] = await Promise.all([visitsOf(appId, range.fromMs, range.toMs, f), wrapUpSpans(appId, range.fromMs, range.toMs)]);
      return { ...head, queues: queueReportOf(visits, wrapUps, range.buckets, serviceLevelMs) };
    },

    async agents(appId: string, f: ReportFilters): Promise<AgentReport> {
      const range = reportRangeOf(f);
      if (slotsServe('agents', range, f)) {
        const agents = await agentReportFromSlots(db, appId, range, f, SPILL_MS, sources.statusChangesAround(appId, range.fromMs, range.toMs), clock.now());
        return { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, agents };
      }
      let assignments = db
        .selectFrom('report_assignments')
        .select(['agent_id', 'assigned_at', 'ended_at', 'handle_ms', 'first_response_ms', 'responses', 'response_total_ms', 'queue_id', 'channel_id'])
        .where('app_id', '=', appId)
        .where('assigned_at', '>=', range.fromMs - SPILL_MS)
        .where('assigned_at', '<', range.toMs);
      let offers = db.selectFrom('report_offers').select(['agent_id', 'offered_at', 'outcome']).where('app_id', '=', appId).where('offered_at', '>=', range.fromMs).where('offered_at', '<', range.toMs);
      let ratings = db.selectFrom('report_ratings').select(['agent_id', 'stars', 'rated_at']).where('app_id', '=', appId).where('rated_at', '>=', range.fromMs).where('rated_at', '<', range.toMs);
      let calls = db.selectFrom('report_calls').select(['agent_id', 'started_at', 'accepted_at']).where('app_id', '=', appId).where('started_at', '>=', range.fromMs).where('started_at', '<', range.toMs);
      if (f.agentId) {
        assignments = assignments.where('agent_id', '=', f.agentId);
        offers = offers.where('agent_id', '=', f.agentId);
        ratings = ratings.where('agent_id', '=', f.agentId);
        calls = calls.where('agent_id', '=', f.agentId);
      }
      if (f.queueId) {
        assignments = assignments.where('queue_id', '=', f.queueId);
        offers = offers.where('queue_id', '=', f.queueId);
        calls = calls.where('queue_id', '=', f.queueId);
      }
      if (f.channelId) assignments = assignments.where(channelMatch('channel_id', f.channelId));
      const [a, o, r, c, changes] = await Promise.all([assignments.execute(), offers.execute(), ratings.execute(), calls.execute(), sources.statusChangesAround(appId, range.fromMs, range.toMs)]);
      const around = a.map((x) => ({ agentId: x.agent_id, assignedAt: x.assigned_at, endedAt: x.ended_at, handleMs: x.handle_ms, firstResponseMs: x.first_response_ms, responses: x.responses, responseTotalMs: x.response_total_ms }));
      const agents = agentReportOf(
        {
          assignments: around.filter((x) => x.assignedAt >= range.fromMs),
          offers: o.map((x) => ({ agentId: x.agent_id, offeredAt: x.offered_at, outcome: x.outcome as OfferOutcome })),
          ratings: r.map((x) => ({ agentId: x.agent_id, stars: x.stars, ratedAt: x.rated_at })),
          calls: c.map((x) => ({ agentId: x.agent_id, startedAt: x.started_at, acceptedAt: x.accepted_at })),
        },
        around,
        f.agentId ? changes.filter((x) => x.agentId === f.agentId) : changes,
        range.buckets,
        clock.now(),
      );
      // A queue or channel filter keeps the agents who worked in it, not everyone with a status.
      const shown = f.queueId || f.channelId ? agents.filter((x) => x.total.conversationsHandled > 0 || x.total.offers > 0 || x.total.callsHandled > 0) : agents;
      return { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, agents: shown };
    },

    async channels(appId: string, f: ReportFilters): Promise<ChannelReport> {
      const range = reportRangeOf(f);
      if (slotsServe('channels', range, f)) return { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, channels: await channelReportFromSlots(db, appId, range, f) };
      let q = db
        .selectFrom('report_conversations')
        .select(['channel_id', 'arrived_at', 'outcome', 'with_bot', 'handed_off'])
        .where('app_id', '=', appId)
        .where('arrived_at', '>=', range.fromMs)
        .where('arrived_at', '<', range.toMs);
      if (f.channelId) q = q.where(channelMatch('channel_id', f.channelId));
      if (f.queueId) q = q.where('queue_id', '=', f.queueId);
      if (f.agentId) q = q.where('last_agent_id', '=', f.agentId);
      const rows = (await q.execute()).map((r) => ({ channelId: r.channel_id, arrivedAt: r.arrived_at, outcome: r.outcome as ConversationOutcome, withBot: r.with_bot === 1, handedOff: r.handed_off === 1 }));
      return { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, channels: channelReportOf(rows, range.buckets) };
    },

    async csat(appId: string, f: ReportFilters): Promise<CsatReport> {
      const range = reportRangeOf(f);
      if (slotsServe('csat', range, f)) return { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, ...(await csatReportFromSlots(db, appId, range, f)) };
      let q = db
        .selectFrom('report_ratings as r')
        .select(['r.stars', 'r.rated_at'])
        .where('r.app_id', '=', appId)
        .where('r.rated_at', '>=', range.fromMs)
        .where('r.rated_at', '<', range.toMs);
      if (f.agentId) q = q.where('r.agent_id', '=', f.agentId);
      // A queue or channel filter keeps ratings of the conversations that entered that queue first, or came through that channel.
      if (f.queueId || f.channelId) {
        let ended = db.selectFrom('report_conversations').select('conversation_id').where('app_id', '=', appId);
        if (f.queueId) ended = ended.where('queue_id', '=', f.queueId);
        if (f.channelId) ended = ended.where(channelMatch('channel_id', f.channelId));
        q = q.where('r.conversation_id', 'in', ended);
      }
      const rows = (await q.execute()).map((r) => ({ stars: r.stars, ratedAt: r.rated_at }));
      return { from: range.fromMs, to: range.toMs, tz: range.tz, interval: range.interval, buckets: range.buckets, ...csatReportOf(rows, range.buckets) };
    },

    /** The ended conversations behind a figure (drill-down from a chart's bar). */
    conversations: (appId: string, f: DrillDownFilters) => drillDown(storage, appId, f),

    /** The live wallboard: routing's overview now, and the queue figures of the local day of `tz` so far. */
    async wallboard(appId: string, options: { tz?: string | undefined; serviceLevelSeconds?: number | undefined } = {}): Promise<Wallboard> {
      // NOTE: a wall screen asks once with its zone and threshold; the frames pushed to the app's
      // supervisors after that use them (one wallboard per app, not one per screen).
      if (options.tz !== undefined && !isTimeZone(options.tz)) throw new AnalyticsError('FD_REPORT_TIMEZONE_INVALID', `tz: "${options.tz}" is not an IANA time zone (e.g. Europe/Berlin)`);
      const remembered = wallboardSettings.get(appId);
      const tz = options.tz ?? remembered?.tz ?? 'UTC';
      const serviceLevelSeconds = options.serviceLevelSeconds ?? remembered?.serviceLevelSeconds ?? 20;
      if (options.tz !== undefined || options.serviceLevelSeconds !== undefined) wallboardSettings.set(appId, { tz, serviceLevelSeconds });
      const at = clock.now();
      const from = startOfBucket(tz, at, 'day');
      const key = `${tz}|${serviceLevelSeconds}|${from}`;
      const cached = todayCache.get(appId);
      const readToday = async () => {
        if (cached && cached.key === key && at - cached.readAt < TODAY_TTL_MS) return cached.byQueue;
        const generation = todayGeneration.get(appId) ?? 0;
        // NOTE: the queue report's figures without its wrap-up spans: the board shows no wrap-up
        // time, and those spans are a read of every agent's status history of the day and before.
        const visits = await visitsOf(appId, from, at + 1, {});
        const today = queueReportOf(visits, [], [{ start: from, end: at + 1, label: 'today' }], serviceLevelSeconds * 1000);
        const byQueue = new Map<string, QueueMetrics>(today.map((q) => [q.queueId, q.total]));
        if ((todayGeneration.get(appId) ?? 0) === generation) todayCache.set(appId, { key, readAt: at, byQueue });
        return byQueue;
      };
      const [overview, todayByQueue] = await Promise.all([sources.overview(appId), readToday()]);
      return wallboardOf({ at, tz, serviceLevelSeconds, overview, todayByQueue });
    },

    /**
     * Rebuilds an app's read model: its roll-ups from the rows now, then a facts-write job per
     * closed conversation (run by the workers; each rewrites its rows and their slots); returns how many.
     */
    async rebuild(appId: string): Promise<number> {
      await rebuildRollups(db, (tx, key) => storage.lockKey(tx, key), appId);
      return enqueueRebuild(storage, clock, appId, sources.closedConversations);
    },

    start(): void {
      writer.start();
      scheduled.start();
    },
    /** Writes the facts of every closed conversation due now, then the due scheduled exports; resolves when nothing is due (tests). */
    async runOnce(): Promise<void> {
      await writer.runOnce();
      await scheduled.runOnce();
    },
    async close(): Promise<void> {
      await writer.close();
      await scheduled.close();
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
