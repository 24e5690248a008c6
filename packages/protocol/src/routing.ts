import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';

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
};

export const CreateQueueBody = z.object(QueueFields);
export const UpdateQueueBody = z.object(QueueFields).partial();
export type CreateQueueBody = z.infer<typeof CreateQueueBody>;

export const Queue = CreateQueueBody.extend({
  id: Id,
  appId: Id,
  wrapUpSeconds: z.number().int(),
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type Queue = z.infer<typeof Queue>;

export const AGENT_STATUSES = ['offline', 'free', 'busy', 'wrap_up', 'not_ready', 'rest'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** What an agent (or a supervisor for them) may set; busy and wrap-up are set by routing. */
export const SetAgentStatusBody = z.object({
  status: z.enum(['offline', 'free', 'not_ready', 'rest']),
  reason: z.string().min(1).max(100).optional(),
});

export const AgentSkill = z.object({ queueId: Id, level: z.number().int().min(1).max(5).default(3), isDefault: z.boolean().default(false) });
export const SetAgentSkillsBody = z.object({ skills: z.array(AgentSkill).max(200) });

export const Area = z.object({ id: Id, appId: Id, name: z.string(), createdAt: TimestampMs });
export const CreateAreaBody = z.object({ name: z.string().min(1).max(100) });
