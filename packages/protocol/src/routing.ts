import { z } from 'zod';
import { WorkingHours } from './channels.ts';
import { Conversation, Id, NumericId, TimestampMs } from './model.ts';

/**
 * Routing (ACD) surfaces: skill queues with every field of SPEC M15 and its validation
 * ranges, overflow rules (M16), escalation steps, areas and queue groups (M17), agent
 * status (M18).
 */

/** Huawei queue types: voice, multimedia (chat), video, audio and video click-to-call. */
export const QUEUE_TYPES = ['voice', 'multimedia', 'video', 'audio_click_to_call', 'video_click_to_call'] as const;
export const QueueType = z.enum(QUEUE_TYPES);
export type QueueType = z.infer<typeof QueueType>;

export const MEDIA_OF_QUEUE_TYPE = {
  voice: 'audio',
  multimedia: 'chat',
  video: 'video',
  audio_click_to_call: 'audio',
  video_click_to_call: 'video',
} as const satisfies Record<QueueType, 'chat' | 'audio' | 'video'>;

export const OVERFLOW_TRIGGERS = ['waitTimeout', 'queueFull', 'noAgent', 'offHours'] as const;

export const OverflowRule = z.discriminatedUnion('action', [
  z.object({ action: z.literal('release'), message: z.string().max(1000).optional() }),
  z.object({
    action: z.literal('transfer'),
    toQueueId: Id,
    /** The transfer happens only while the target's occupancy% is below this. */
    maxOccupancyPercent: z.number().min(0).max(100).default(80),
    message: z.string().max(1000).optional(),
  }),
]);
export type OverflowRule = z.infer<typeof OverflowRule>;

export const EscalationStep = z
  .object({
    afterSeconds: z.number().int().min(1).max(60000),
    minLevel: z.number().int().min(1).max(5).optional(),
    addQueueIds: z.array(Id).max(20).optional(),
    overflowQueueId: Id.optional(),
  })
  .refine((s) => s.minLevel !== undefined || (s.addQueueIds?.length ?? 0) > 0 || s.overflowQueueId !== undefined, {
    message: 'a step must lower the level, add queues or overflow',
  });

export const MaxQueueLength = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), value: z.number().int().min(0).max(10000) }),
  /** ceil(percent / 100 × signed-in agents). */
  z.object({ kind: z.literal('ratio'), percent: z.number().int().min(1).max(10000) }),
]);

/** Wrap-up is stored rounded up to the next multiple of 5 seconds (Huawei §1.4.2). */
export const WrapUpSeconds = z
  .number()
  .int()
  .min(0)
  .max(3600)
  .transform((s) => Math.ceil(s / 5) * 5);

const QueueFields = {
  name: z.string().min(1).max(100),
  areaId: Id.nullable().default(null),
  type: QueueType.default('multimedia'),
  channelSubtypes: z.array(z.string().min(1).max(40)).max(20).default([]),
  mode: z.enum(['push', 'pool']).default('push'),
  priority: z.number().int().min(0).max(100).default(0),
  minLevel: z.number().int().min(1).max(5).default(1),
  maxWaitSeconds: z.number().int().min(1).max(60000).default(60),
  maxTalkSeconds: z.number().int().min(1).max(86400).default(86400),
  wrapUpSeconds: WrapUpSeconds.default(0),
  ringTimeoutSeconds: z.number().int().min(5).max(600).default(20),
  maxQueueLength: MaxQueueLength.default({ kind: 'fixed', value: 100 }),
  maxMissedOffers: z.number().int().min(1).max(20).default(3),
  escalation: z.array(EscalationStep).max(10).default([]),
  overflow: z
    .object({ waitTimeout: OverflowRule, queueFull: OverflowRule, noAgent: OverflowRule, offHours: OverflowRule })
    .partial()
    .default({}),
  /** When the queue takes sessions; outside them arrivals overflow by `offHours`. null: always. */
  hours: WorkingHours.nullable().default(null),
};

/** `numericId` (TCCC SkillGroupId, AnyChat objectid): default, the next free number of the app. */
export const CreateQueueBody = z.object({ ...QueueFields, numericId: NumericId.optional() });
export const UpdateQueueBody = CreateQueueBody.partial();
export type CreateQueueBody = z.infer<typeof CreateQueueBody>;

export const Queue = CreateQueueBody.extend({
  id: Id,
  appId: Id,
  numericId: NumericId,
  wrapUpSeconds: z.number().int(),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type Queue = z.infer<typeof Queue>;

export const AGENT_STATUSES = ['offline', 'free', 'busy', 'wrap_up', 'not_ready', 'rest'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatus>;

/**
 * What an agent (or a supervisor for them) may set; busy is routing's. wrap_up set by hand (TCCC
 * `arrange`, 话后整理) lasts until another status is set; the queue's timed wrap-up is routing's.
 */
export const SetAgentStatusBody = z.object({
  status: z.enum(['offline', 'free', 'not_ready', 'rest', 'wrap_up']),
  reason: z.string().min(1).max(100).optional(),
});

export const AgentSkill = z.object({ queueId: Id, level: z.number().int().min(1).max(5).default(3), isDefault: z.boolean().default(false) });
/** Membership of a queue group: the agent serves each of the group's queues at `level` (an explicit skill wins). */
export const AgentQueueGroup = z.object({ queueGroupId: Id, level: z.number().int().min(1).max(5).default(3) });
export const SetAgentSkillsBody = z.object({
  skills: z.array(AgentSkill).max(200),
  queueGroups: z.array(AgentQueueGroup).max(50).default([]),
  /** Among equally loaded agents, a higher priority is offered first. */
  priority: z.number().int().min(0).max(100).default(0),
});

export const AgentSkills = z.object({
  agentId: Id,
  skills: z.array(z.object({ queueId: Id, level: z.number().int(), isDefault: z.boolean() })),
  queueGroups: z.array(z.object({ queueGroupId: Id, level: z.number().int() })),
  priority: z.number().int(),
});

/** AnyChat queue group (队列组): a named set of queues agents can be given at once. */
export const CreateQueueGroupBody = z.object({ name: z.string().min(1).max(100), queueIds: z.array(Id).max(200).default([]), numericId: NumericId.optional() });
export const UpdateQueueGroupBody = z.object({ name: z.string().min(1).max(100), queueIds: z.array(Id).max(200) }).partial();
/** `numericId`: AnyChat objectid (objecttype 10). */
export const QueueGroup = z.object({ id: Id, appId: Id, numericId: NumericId, name: z.string(), queueIds: z.array(Id), createdAt: TimestampMs, updatedAt: TimestampMs });
export type QueueGroup = z.infer<typeof QueueGroup>;
export const QueueGroupList = z.object({ queueGroups: z.array(QueueGroup) });

/** `numericId`: AnyChat objectid (objecttype 4, 服务区域). */
export const Area = z.object({ id: Id, appId: Id, numericId: NumericId, name: z.string(), createdAt: TimestampMs });
export type Area = z.infer<typeof Area>;
export const CreateAreaBody = z.object({ name: z.string().min(1).max(100), numericId: NumericId.optional() });
export const AreaList = z.object({ areas: z.array(Area) });
export const QueueList = z.object({ queues: z.array(Queue) });

/** An agent's routing state now (SPEC M18, M21: Easemob `sessionCount` / `sessionState`). */
export const AgentState = z.object({
  agentId: Id,
  status: AgentStatus,
  reason: z.string().nullable(),
  /** Sessions served now plus a ringing offer. */
  load: z.number().int(),
  maxConcurrent: z.number().int(),
  /** What the agent holds: conversations, and calls (`subject: 'call'`, the id is then the call's: "on a call" for supervisors). */
  sessions: z.array(z.object({ conversationId: Id, queueId: Id, state: z.enum(['offered', 'assigned']), subject: z.literal('call').optional() })),
});
export type AgentState = z.infer<typeof AgentState>;

export const AgentStatusChange = z.object({ agentId: Id, from: AgentStatus, to: AgentStatus, reason: z.string().nullable(), at: TimestampMs });
export const AgentStatusHistory = z.object({ changes: z.array(AgentStatusChange) });

export const TransferBody = z
  .object({ queueId: Id.optional(), agentId: Id.optional(), note: z.string().max(1000).optional() })
  .refine((b) => (b.queueId === undefined) !== (b.agentId === undefined), { message: 'give exactly one of queueId or agentId' });

/** A conversation's routing steps, oldest first: queued, offered, escalated, assigned, transferred… */
export const RoutingStep = z.object({ type: z.string(), at: TimestampMs, data: z.record(z.string(), z.unknown()) });
export const ConversationRouting = z.object({
  conversation: Conversation,
  /** 1-based place in its queue while queued, else 0. */
  position: z.number().int(),
  estimatedWaitSeconds: z.number().int().nullable(),
  history: z.array(RoutingStep),
});

/** Live counts (SPEC M17, M21): per queue, per area, per agent, and the app's totals. */
export const QueueLive = z.object({
  queueId: Id,
  name: z.string(),
  areaId: Id.nullable(),
  queued: z.number().int(),
  longestWaitMs: z.number().int(),
  signedInAgents: z.number().int(),
  freeAgents: z.number().int(),
  occupancyPercent: z.number(),
  maxQueueLength: z.number().int(),
});
export const RoutingOverview = z.object({
  queues: z.array(QueueLive),
  areas: z.array(z.object({ areaId: Id, name: z.string(), agents: z.number().int(), guests: z.number().int(), queued: z.number().int(), queues: z.number().int() })),
  agents: z.array(AgentState),
  onlineAgents: z.number().int(),
  /** Conversations in routing now: with the bot, queued, offered or assigned. */
  activeConversations: z.number().int(),
});

// ── realtime ──────────────────────────────────────────────────────────────────────

const RequestId = z.string().min(1).max(64);

export const SetStatusFrame = z.object({ type: z.literal('agent.status.set'), id: RequestId, status: SetAgentStatusBody.shape.status, reason: z.string().min(1).max(100).optional() });
export const OfferAcceptFrame = z.object({ type: z.literal('offer.accept'), id: RequestId, conversationId: Id });
export const OfferDeclineFrame = z.object({ type: z.literal('offer.decline'), id: RequestId, conversationId: Id });

/** A push offer ringing for this agent until `expiresAt`. */
export const OfferEvent = z.object({ type: z.literal('offer'), conversationId: Id, expiresAt: TimestampMs });
export const OfferWithdrawnEvent = z.object({
  type: z.literal('offer.withdrawn'),
  conversationId: Id,
  reason: z.enum(['declined', 'timed_out', 'taken', 'ended', 'unavailable']),
});
/** Pool mode: the conversation appears in (visible) or leaves (taken, ended…) this agent's pool. */
export const PoolEvent = z.object({ type: z.literal('pool'), conversationId: Id, visible: z.boolean() });
export const AgentStatusEvent = z.object({ type: z.literal('agent.status'), agentId: Id, from: AgentStatus, status: AgentStatus, reason: z.string().nullable(), at: TimestampMs });
/** To a waiting visitor, every reminder interval (SPEC M11). */
export const QueuePositionEvent = z.object({
  type: z.literal('queue.position'),
  conversationId: Id,
  position: z.number().int().positive(),
  estimatedWaitSeconds: z.number().int().nullable(),
  text: z.string(),
});
