import { MEDIA_OF_QUEUE_TYPE, type CreateQueueBody, type Queue, type QueueGroup } from '@frontdesk/protocol';
import { isWithinHours } from '../channels/index.ts';
import type { OverflowTrigger, QueueConfig } from './engine/types.ts';
import type { RoutingTables } from './routing.schema.ts';

/** Rows of routing's configuration tables as the API shows them, and as the core sees them. */

const TRIGGER_OF: Record<keyof CreateQueueBody['overflow'], OverflowTrigger> = {
  waitTimeout: 'wait_timeout',
  queueFull: 'queue_full',
  noAgent: 'no_agent',
  offHours: 'off_hours',
};

export function toQueueGroup(row: RoutingTables['queue_groups']): QueueGroup {
  return { id: row.id, appId: row.app_id, numericId: Number(row.numeric_id), name: row.name, queueIds: JSON.parse(row.queue_ids) as string[], createdAt: row.created_at, updatedAt: row.updated_at };
}

export function toQueue(row: RoutingTables['queues']): Queue {
  return { ...(JSON.parse(row.config) as CreateQueueBody), id: row.id, appId: row.app_id, numericId: Number(row.numeric_id), createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The core's view of a queue: units in ms, overflow keyed by the core's trigger names. */
export function toQueueConfig(queue: Queue, nowMs: number): QueueConfig {
  const overflow: QueueConfig['overflow'] = {};
  for (const [key, rule] of Object.entries(queue.overflow)) if (rule) overflow[TRIGGER_OF[key as keyof typeof TRIGGER_OF]] = rule;
  return {
    id: queue.id,
    mode: queue.mode,
    mediaType: MEDIA_OF_QUEUE_TYPE[queue.type],
    priority: queue.priority,
    minLevel: queue.minLevel,
    maxWaitMs: queue.maxWaitSeconds * 1000,
    ringTimeoutMs: queue.ringTimeoutSeconds * 1000,
    wrapUpMs: queue.wrapUpSeconds * 1000,
    maxTalkMs: queue.maxTalkSeconds * 1000,
    maxQueueLength: queue.maxQueueLength,
    maxMissedOffers: queue.maxMissedOffers,
    escalation: queue.escalation.map((s) => ({ afterMs: s.afterSeconds * 1000, minLevel: s.minLevel, addQueueIds: s.addQueueIds, overflowQueueId: s.overflowQueueId })),
    overflow,
    isOpen: queue.hours === null || isWithinHours(queue.hours, nowMs),
  };
}

