import { CreateQueueBody, OVERFLOW_TRIGGERS, type Queue, type QueueType, type WorkingHours } from '@frontdesk/protocol';
import type { CreateQueueInput } from '@frontdesk/sdk-agent';
import { issuesToFieldErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import { listOf, numberOrUndefined, textOf } from '../../admin/state/numbers.ts';

export type OverflowTrigger = (typeof OVERFLOW_TRIGGERS)[number];

export interface OverflowDraft {
  action: 'none' | 'release' | 'transfer';
  toQueueId: string;
  maxOccupancyPercent: string;
  message: string;
}

export interface EscalationDraft {
  afterSeconds: string;
  minLevel: string;
  addQueueIds: string[];
  overflowQueueId: string;
}

/** A queue form: every M15/M16 field, numbers as the text typed. */
export interface QueueDraft {
  name: string;
  areaId: string;
  type: QueueType;
  channelSubtypes: string;
  mode: 'push' | 'pool';
  priority: string;
  minLevel: string;
  maxWaitSeconds: string;
  maxTalkSeconds: string;
  wrapUpSeconds: string;
  ringTimeoutSeconds: string;
  maxQueueLengthKind: 'fixed' | 'ratio';
  maxQueueLengthValue: string;
  maxMissedOffers: string;
  escalation: EscalationDraft[];
  overflow: Record<OverflowTrigger, OverflowDraft>;
  hours: WorkingHours | null;
}

const noOverflow = (): OverflowDraft => ({ action: 'none', toQueueId: '', maxOccupancyPercent: '80', message: '' });

export function emptyQueueDraft(): QueueDraft {
  return {
    name: '',
    areaId: '',
    type: 'multimedia',
    channelSubtypes: '',
    mode: 'push',
    priority: '0',
    minLevel: '1',
    maxWaitSeconds: '60',
    maxTalkSeconds: '86400',
    wrapUpSeconds: '0',
    ringTimeoutSeconds: '20',
    maxQueueLengthKind: 'fixed',
    maxQueueLengthValue: '100',
    maxMissedOffers: '3',
    escalation: [],
    overflow: { waitTimeout: noOverflow(), queueFull: noOverflow(), noAgent: noOverflow(), offHours: noOverflow() },
    hours: null,
  };
}

export function draftOfQueue(queue: Queue): QueueDraft {
  const overflow = emptyQueueDraft().overflow;
  for (const trigger of OVERFLOW_TRIGGERS) {
    const rule = queue.overflow[trigger];
    if (!rule) continue;
    overflow[trigger] =
      rule.action === 'release'
        ? { ...noOverflow(), action: 'release', message: rule.message ?? '' }
        : { action: 'transfer', toQueueId: rule.toQueueId, maxOccupancyPercent: String(rule.maxOccupancyPercent), message: rule.message ?? '' };
  }
  return {
    name: queue.name,
    areaId: queue.areaId ?? '',
    type: queue.type,
    channelSubtypes: queue.channelSubtypes.join(', '),
    mode: queue.mode,
    priority: textOf(queue.priority),
    minLevel: textOf(queue.minLevel),
    maxWaitSeconds: textOf(queue.maxWaitSeconds),
    maxTalkSeconds: textOf(queue.maxTalkSeconds),
    wrapUpSeconds: textOf(queue.wrapUpSeconds),
    ringTimeoutSeconds: textOf(queue.ringTimeoutSeconds),
    maxQueueLengthKind: queue.maxQueueLength.kind,
    maxQueueLengthValue: textOf(queue.maxQueueLength.kind === 'fixed' ? queue.maxQueueLength.value : queue.maxQueueLength.percent),
    maxMissedOffers: textOf(queue.maxMissedOffers),
    escalation: queue.escalation.map((step) => ({
      afterSeconds: textOf(step.afterSeconds),
      minLevel: textOf(step.minLevel),
      addQueueIds: step.addQueueIds ?? [],
      overflowQueueId: step.overflowQueueId ?? '',
    })),
    overflow,
    hours: queue.hours,
  };
}

/** The request body of a draft: every field, so a PATCH with it sets the queue to what the form shows. */
export function bodyOfQueueDraft(draft: QueueDraft): CreateQueueInput {
  const overflow: NonNullable<CreateQueueInput['overflow']> = {};
  for (const trigger of OVERFLOW_TRIGGERS) {
    const rule = draft.overflow[trigger];
    const message = rule.message.trim() || undefined;
    if (rule.action === 'release') overflow[trigger] = { action: 'release', ...(message ? { message } : {}) };
    if (rule.action === 'transfer') {
      overflow[trigger] = { action: 'transfer', toQueueId: rule.toQueueId, maxOccupancyPercent: numberOrUndefined(rule.maxOccupancyPercent), ...(message ? { message } : {}) };
    }
  }
  const lengthValue = numberOrUndefined(draft.maxQueueLengthValue) ?? Number.NaN;
  return {
    name: draft.name.trim(),
    areaId: draft.areaId || null,
    type: draft.type,
    channelSubtypes: listOf(draft.channelSubtypes),
    mode: draft.mode,
    priority: numberOrUndefined(draft.priority),
    minLevel: numberOrUndefined(draft.minLevel),
    maxWaitSeconds: numberOrUndefined(draft.maxWaitSeconds),
    maxTalkSeconds: numberOrUndefined(draft.maxTalkSeconds),
    wrapUpSeconds: numberOrUndefined(draft.wrapUpSeconds),
    ringTimeoutSeconds: numberOrUndefined(draft.ringTimeoutSeconds),
    maxQueueLength: draft.maxQueueLengthKind === 'fixed' ? { kind: 'fixed', value: lengthValue } : { kind: 'ratio', percent: lengthValue },
    maxMissedOffers: numberOrUndefined(draft.maxMissedOffers),
    escalation: draft.escalation.map((step) => ({
      afterSeconds: numberOrUndefined(step.afterSeconds) ?? Number.NaN,
      ...(step.minLevel ? { minLevel: numberOrUndefined(step.minLevel) } : {}),
      ...(step.addQueueIds.length > 0 ? { addQueueIds: step.addQueueIds } : {}),
      ...(step.overflowQueueId ? { overflowQueueId: step.overflowQueueId } : {}),
    })),
    overflow,
    hours: draft.hours,
  };
}

/** The server's own checks, run before sending: the same schema, so the same messages. */
export function checkQueueBody(body: CreateQueueInput, messages = { chooseTransferQueue: 'choose the queue to transfer to' }): FieldErrors {
  const result = CreateQueueBody.safeParse(body);
  const errors = result.success ? {} : issuesToFieldErrors(result.error.issues);
  for (const trigger of OVERFLOW_TRIGGERS) {
    const rule = body.overflow?.[trigger];
    if (rule?.action === 'transfer' && !rule.toQueueId) errors[`overflow.${trigger}.toQueueId`] = messages.chooseTransferQueue;
  }
  return errors;
}

/** A number with a friendly unit: 90 → "1 min 30 s" (units of the page's language). */
export function secondsText(seconds: number, units = { s: 's', min: 'min', h: 'h' }): string {
  if (seconds < 60) return `${seconds} ${units.s}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} ${units.min}${seconds % 60 ? ` ${seconds % 60} ${units.s}` : ''}`;
  const hours = Math.floor(minutes / 60);
  return `${hours} ${units.h}${minutes % 60 ? ` ${minutes % 60} ${units.min}` : ''}`;
}
