import { describe, expect, it } from 'vitest';
import { anyChatRecordFlags, recordingModeOf } from './recording-policy.ts';

describe('recordingModeOf', () => {
  const video = { kind: 'video' as const };
  it("the queue's setting wins over the channel's; none, or off, records nothing", () => {
    expect(recordingModeOf(video, { mode: 'audio', retentionDays: 7 }, { mode: 'audio_video', retentionDays: 30 })).toEqual({ mode: 'audio', retentionDays: 7 });
    expect(recordingModeOf(video, { mode: 'off', retentionDays: 7 }, { mode: 'audio_video', retentionDays: 30 })).toBeNull();
    expect(recordingModeOf(video, undefined, { mode: 'audio_video', retentionDays: 30 })).toEqual({ mode: 'audio_video', retentionDays: 30 });
    expect(recordingModeOf(video, undefined, undefined)).toBeNull();
  });
  it('an audio call is recorded as audio', () => {
    expect(recordingModeOf({ kind: 'audio' }, undefined, { mode: 'audio_video', retentionDays: 30 })).toEqual({ mode: 'audio', retentionDays: 30 });
  });
});

describe('anyChatRecordFlags (seed 003, BRAC_RECORD_FLAGS_*)', () => {
  it('server-side audio and video; the mixed file mixes audio and sets pictures abreast', () => {
    expect(anyChatRecordFlags('audio_video', 'mixed')).toBe(0x1 | 0x2 | 0x4 | 0x10 | 0x100);
    expect(anyChatRecordFlags('audio_video', 'participant')).toBe(0x7);
    expect(anyChatRecordFlags('audio', 'mixed')).toBe(0x2 | 0x4 | 0x10);
    expect(anyChatRecordFlags('audio', 'participant')).toBe(0x6);
  });
});
