import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';

/**
 * Call recording (SPEC M25). A queue or channel records its calls `off`, as `audio`, or as
 * `audio_video`; the queue's setting wins. Janus records each participant's tracks; after the call
 * a job makes one mixed file (participants side by side, their audio mixed; MP4 H.264/AAC, or M4A
 * for audio) and one file per participant. Files are downloaded through signed links that expire.
 */
export const RecordingSetting = z.enum(['off', 'audio', 'audio_video']);
export type RecordingSetting = z.infer<typeof RecordingSetting>;

export const RecordingPolicyScope = z.enum(['queue', 'channel']);
export type RecordingPolicyScope = z.infer<typeof RecordingPolicyScope>;

export const RecordingPolicy = z.object({
  scope: RecordingPolicyScope,
  scopeId: Id,
  mode: RecordingSetting,
  /** Recordings are deleted this many days after their call ended. */
  retentionDays: z.number().int().min(1).max(3650),
  updatedAt: TimestampMs,
});
export type RecordingPolicy = z.infer<typeof RecordingPolicy>;

export const SetRecordingPolicyBody = z.object({ mode: RecordingSetting, retentionDays: z.number().int().min(1).max(3650).optional() });
export type SetRecordingPolicyBody = z.infer<typeof SetRecordingPolicyBody>;

export const RecordingPolicyList = z.object({ policies: z.array(RecordingPolicy) });

export const RecordingStatus = z.enum(['recording', 'processing', 'ready', 'failed']);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const RecordingFile = z.object({
  /** `mixed`: everyone; `participant`: one participant's own tracks. */
  role: z.enum(['mixed', 'participant']),
  /** Our media participant id (`visitor:<id>`, `agent:<id>`); null for the mixed file. */
  participantId: z.string().nullable(),
  name: z.string(),
  /** `webm`: a participant's own file remuxed as it was recorded (Opus and VP8/VP9), not re-encoded. */
  format: z.enum(['mp4', 'm4a', 'webm']),
  sizeBytes: z.number().int().nonnegative(),
  /** AnyChat record flags (BRAC_RECORD_FLAGS_*) of this file. */
  recordFlags: z.number().int().nonnegative(),
});
export type RecordingFile = z.infer<typeof RecordingFile>;

export const Recording = z.object({
  id: Id,
  appId: Id,
  callId: Id,
  conversationId: Id,
  mode: z.enum(['audio', 'audio_video']),
  status: RecordingStatus,
  name: z.string(),
  /** Media participant ids, left to right in the mixed video. */
  participants: z.array(z.string()),
  /** The first packet of any track (the real start); null until processed. */
  startedAt: TimestampMs.nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  /** All files together. */
  sizeBytes: z.number().int().nonnegative().nullable(),
  format: z.enum(['mp4', 'm4a']).nullable(),
  /** AnyChat record flags of the mixed file. */
  recordFlags: z.number().int().nonnegative(),
  files: z.array(RecordingFile),
  error: z.string().nullable(),
  callEndedAt: TimestampMs.nullable(),
  /** Deleted at this time (retention). */
  expiresAt: TimestampMs.nullable(),
  createdAt: TimestampMs,
  completedAt: TimestampMs.nullable(),
});
export type Recording = z.infer<typeof Recording>;

export const RecordingList = z.object({ recordings: z.array(Recording) });
export const RenameRecordingBody = z.object({ name: z.string().trim().min(1).max(200) });
export const RecordingLink = z.object({ url: z.string(), expiresAt: TimestampMs });
export type RecordingLink = z.infer<typeof RecordingLink>;
