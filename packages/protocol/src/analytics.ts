import { z } from 'zod';
import { Id } from './model.ts';

/**
 * Reports and analytics (SPEC M41): each figure has a written formula in docs/reports.md and is
 * recomputed from the event history of ended conversations. Durations are ms, shares 0–1, and a
 * figure with nothing to average is null (never 0: "no answer yet" is not "answered at once").
 */
export const REPORT_INTERVALS = ['hour', 'day', 'week'] as const;
export const ReportInterval = z.enum(REPORT_INTERVALS);
export type ReportInterval = z.infer<typeof ReportInterval>;

/** `from`/`to`: ms since the epoch or ISO 8601 (without an offset: wall time in `tz`); [from, to). */
export const ReportQuery = z.object({
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().min(1).max(40),
  tz: z.string().trim().min(1).max(64).default('UTC'),
  interval: ReportInterval.default('day'),
  queueId: Id.optional(),
  agentId: Id.optional(),
  channelId: Id.optional(),
  /** Service level: answered within this many seconds. */
  serviceLevelSeconds: z.coerce.number().int().min(1).max(3600).default(20),
});
export type ReportQueryInput = z.input<typeof ReportQuery>;

export const ReportBucket = z.object({ start: z.number(), end: z.number(), label: z.string() });
export type ReportBucket = z.infer<typeof ReportBucket>;

const Ms = z.number().nullable();
const Share = z.number().nullable();

export const QueueMetrics = z.object({
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  abandonRate: Share,
  releasedByOverflow: z.number(),
  overflowedOut: z.number(),
  transferred: z.number(),
  avgSpeedOfAnswerMs: Ms,
  p90SpeedOfAnswerMs: Ms,
  answeredWithinServiceLevel: z.number(),
  serviceLevel: Share,
  longestWaitMs: Ms,
  avgHandleMs: Ms,
  avgWrapUpMs: Ms,
});
export type QueueMetrics = z.infer<typeof QueueMetrics>;

export const AgentMetrics = z.object({
  conversationsHandled: z.number(),
  callsHandled: z.number(),
  avgFirstResponseMs: Ms,
  avgResponseMs: Ms,
  responses: z.number(),
  handleMs: z.number(),
  avgHandleMs: Ms,
  occupancy: Share,
  statusMs: z.object({ free: z.number(), busy: z.number(), wrap_up: z.number(), not_ready: z.number(), rest: z.number() }),
  offers: z.number(),
  missedOffers: z.number(),
  declinedOffers: z.number(),
  csatAverage: z.number().nullable(),
  csatCount: z.number(),
});
export type AgentMetrics = z.infer<typeof AgentMetrics>;

export const ChannelMetrics = z.object({
  conversations: z.number(),
  withBot: z.number(),
  botResolved: z.number(),
  botResolvedShare: Share,
  handedOff: z.number(),
  handOffRate: Share,
  answered: z.number(),
  abandoned: z.number(),
});
export type ChannelMetrics = z.infer<typeof ChannelMetrics>;

export const CsatMetrics = z.object({
  count: z.number(),
  average: z.number().nullable(),
  /** Ratings by stars: index 0 is one star, 4 is five stars. */
  distribution: z.array(z.number()).length(5),
});
export type CsatMetrics = z.infer<typeof CsatMetrics>;

const ReportHead = {
  from: z.number(),
  to: z.number(),
  tz: z.string(),
  interval: ReportInterval,
  buckets: z.array(ReportBucket),
};

export const QueueReport = z.object({
  ...ReportHead,
  serviceLevelSeconds: z.number(),
  queues: z.array(z.object({ queueId: z.string(), total: QueueMetrics, byBucket: z.array(QueueMetrics) })),
});
export type QueueReport = z.infer<typeof QueueReport>;

export const AgentReport = z.object({
  ...ReportHead,
  agents: z.array(z.object({ agentId: z.string(), total: AgentMetrics, byBucket: z.array(AgentMetrics) })),
});
export type AgentReport = z.infer<typeof AgentReport>;

export const ChannelReport = z.object({
  ...ReportHead,
  channels: z.array(z.object({ channelId: z.string(), total: ChannelMetrics, byBucket: z.array(ChannelMetrics) })),
});
export type ChannelReport = z.infer<typeof ChannelReport>;

export const CsatReport = z.object({ ...ReportHead, total: CsatMetrics, byBucket: z.array(CsatMetrics) });
export type CsatReport = z.infer<typeof CsatReport>;

/** One row per conversation (by when it opened) or per call (by when it started), in CSV or XLSX. */
export const ReportExportQuery = z.object({
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().min(1).max(40),
  tz: z.string().trim().min(1).max(64).default('UTC'),
  kind: z.enum(['conversations', 'calls']).default('conversations'),
  format: z.enum(['csv', 'xlsx']).default('csv'),
  queueId: Id.optional(),
  agentId: Id.optional(),
  channelId: Id.optional(),
});
export type ReportExportQueryInput = z.input<typeof ReportExportQuery>;

/** An export written by a job every local day or week of `tz`, of the period just ended. */
export const CreateExportScheduleBody = z.object({
  kind: z.enum(['conversations', 'calls']).default('conversations'),
  format: z.enum(['csv', 'xlsx']).default('csv'),
  tz: z.string().trim().min(1).max(64).default('UTC'),
  every: z.enum(['day', 'week']).default('day'),
});
export const ExportSchedule = z.object({
  id: Id,
  kind: z.enum(['conversations', 'calls']),
  format: z.enum(['csv', 'xlsx']),
  tz: z.string(),
  every: z.enum(['day', 'week']),
  nextRunAt: z.number(),
  createdBy: z.string(),
  createdAt: z.number(),
});
export type ExportSchedule = z.infer<typeof ExportSchedule>;
export const ExportScheduleList = z.object({ schedules: z.array(ExportSchedule) });
export const ExportFile = z.object({ id: Id, scheduleId: Id, fileName: z.string(), fromMs: z.number(), toMs: z.number(), sizeBytes: z.number(), createdAt: z.number() });
export type ExportFile = z.infer<typeof ExportFile>;
export const ExportFileList = z.object({ files: z.array(ExportFile) });

/** Drill-down: the ended conversations behind a figure (a bucket of a queue, agent or channel). */
export const ReportConversationsQuery = z.object({
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().min(1).max(40),
  tz: z.string().trim().min(1).max(64).default('UTC'),
  queueId: Id.optional(),
  agentId: Id.optional(),
  channelId: Id.optional(),
  /** Rated conversations only, by when the rating was given (the CSAT chart's bars). */
  rated: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ReportConversationsQueryInput = z.input<typeof ReportConversationsQuery>;
export const ReportConversation = z.object({
  conversationId: z.string(),
  channelId: z.string().nullable(),
  queueId: z.string().nullable(),
  lastAgentId: z.string().nullable(),
  arrivedAt: z.number(),
  endedAt: z.number(),
  outcome: z.string(),
  waitMs: z.number().nullable(),
  stars: z.number().nullable(),
});
export type ReportConversation = z.infer<typeof ReportConversation>;
/** `hasMore`: more than `limit` matched (narrow the range). */
export const ReportConversationList = z.object({ conversations: z.array(ReportConversation), hasMore: z.boolean() });
export type ReportConversationList = z.infer<typeof ReportConversationList>;

/**
 * The live wallboard (supervisors): now from routing (waiting, oldest wait, agents by status), and
 * today (the local day of `tz`) from the ended conversations: service level, answered, abandoned.
 */
const WallboardToday = z.object({
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  answeredWithinServiceLevel: z.number(),
  serviceLevel: z.number().nullable(),
  avgSpeedOfAnswerMs: z.number().nullable(),
});
export const Wallboard = z.object({
  /** When it was computed: the oldest waits tick on from here. */
  at: z.number(),
  tz: z.string(),
  serviceLevelSeconds: z.number(),
  waiting: z.number(),
  oldestWaitMs: z.number(),
  activeConversations: z.number(),
  /** Conversations an agent holds now (assigned, calls left out). */
  handlingNow: z.number(),
  agentsByStatus: z.object({ free: z.number(), busy: z.number(), wrap_up: z.number(), not_ready: z.number(), rest: z.number() }),
  today: WallboardToday,
  queues: z.array(
    z.object({
      queueId: z.string(),
      name: z.string(),
      waiting: z.number(),
      oldestWaitMs: z.number(),
      signedInAgents: z.number(),
      freeAgents: z.number(),
      today: WallboardToday,
    }),
  ),
});
export type Wallboard = z.infer<typeof Wallboard>;
/** Pushed to supervisors' sockets when routing changes (at most every half second per app). */
export const WallboardEvent = z.object({ type: z.literal('wallboard'), wallboard: Wallboard });
export type WallboardEvent = z.infer<typeof WallboardEvent>;
