import type { RecordingMode } from './processing/recording-plan.ts';

/** A queue's or channel's recording setting. */
export const RECORDING_SETTINGS = ['off', 'audio', 'audio_video'] as const;
export type RecordingSetting = (typeof RECORDING_SETTINGS)[number];

export interface RecordingPolicy {
  mode: RecordingSetting;
  retentionDays: number;
}

/** Kept this long unless a policy says otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

/**
 * How a call is recorded: its queue's setting wins over its channel's (a queue is the narrower
 * choice); none is `off`. An audio call is recorded as audio whatever the setting says.
 */
export function recordingModeOf(call: { kind: 'audio' | 'video' }, queue: RecordingPolicy | undefined, channel: RecordingPolicy | undefined): { mode: RecordingMode; retentionDays: number } | null {
  const policy = queue ?? channel;
  if (!policy || policy.mode === 'off') return null;
  const mode: RecordingMode = call.kind === 'audio' ? 'audio' : policy.mode;
  return { mode, retentionDays: policy.retentionDays };
}

/** AnyChat record flags (seed 003, 5.1): BRAC_RECORD_FLAGS_*. */
export const ANYCHAT_RECORD_FLAGS = { video: 0x1, audio: 0x2, server: 0x4, mixAudio: 0x10, mixVideo: 0x20, abreast: 0x100 } as const;

/**
 * The flags of one of our files: server-side, audio (and video); the mixed file mixes everyone's
 * audio and sets their pictures side by side (ABREAST).
 */
export function anyChatRecordFlags(mode: RecordingMode, role: 'mixed' | 'participant'): number {
  const f = ANYCHAT_RECORD_FLAGS;
  let flags = f.server | f.audio | (mode === 'audio_video' ? f.video : 0);
  if (role === 'mixed') flags |= f.mixAudio | (mode === 'audio_video' ? f.abreast : 0);
  return flags;
}
