import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';

/**
 * Wrap-up: when a conversation ends, its agent records how it ended (one disposition code) and what
 * it was about (tags), from lists the admins keep, with an optional note. Labels are archived, never
 * deleted, so past wrap-ups keep their meaning.
 */
export const WRAP_UP_LABEL_KINDS = ['disposition', 'tag'] as const;
export const WrapUpLabelKind = z.enum(WRAP_UP_LABEL_KINDS);
export type WrapUpLabelKind = z.infer<typeof WrapUpLabelKind>;
export const MAX_WRAP_UP_LABELS = 200;
export const MAX_WRAP_UP_TAGS = 20;
export const MAX_WRAP_UP_NOTE_LENGTH = 2000;

export const WrapUpLabel = z.object({
  id: Id,
  kind: WrapUpLabelKind,
  name: z.string(),
  isArchived: z.boolean(),
  createdAt: TimestampMs,
});
export type WrapUpLabel = z.infer<typeof WrapUpLabel>;
export const WrapUpLabelList = z.object({ labels: z.array(WrapUpLabel) });

const LabelName = z.string().trim().min(1).max(60);
export const CreateWrapUpLabelBody = z.object({ kind: WrapUpLabelKind, name: LabelName });
export const UpdateWrapUpLabelBody = z.object({ name: LabelName.optional(), isArchived: z.boolean().optional() });

/** `PUT /v1/conversations/:id/wrap-up`. */
export const SetWrapUpBody = z.object({
  dispositionId: Id.nullable(),
  tagIds: z.array(Id).max(MAX_WRAP_UP_TAGS).default([]),
  note: z.string().trim().max(MAX_WRAP_UP_NOTE_LENGTH).default(''),
});
export type SetWrapUpBody = z.input<typeof SetWrapUpBody>;

export const WrapUp = z.object({
  conversationId: Id,
  /** Who recorded it last (an agent id; null with an API key). */
  agentId: Id.nullable(),
  disposition: WrapUpLabel.nullable(),
  tags: z.array(WrapUpLabel),
  note: z.string(),
  updatedAt: TimestampMs,
});
export type WrapUp = z.infer<typeof WrapUp>;
/** A conversation's wrap-up, null before one is recorded. */
export const WrapUpReply = z.object({ wrapUp: WrapUp.nullable() });
