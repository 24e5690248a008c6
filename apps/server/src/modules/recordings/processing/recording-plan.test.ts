import { describe, expect, it } from 'vitest';
import { planFfmpeg, slotSizeOf, type DecodedTrack } from './recording-plan.ts';

const track = (participantId: string, kind: 'audio' | 'video', startMs: number, durationMs: number, file = `${participantId}-${kind}-${startMs}`): DecodedTrack => ({
  participantId,
  kind,
  codec: kind === 'audio' ? 'opus' : 'vp8',
  file,
  firstPacketUs: (1_000_000 + startMs) * 1000,
  durationMs,
});

describe('planFfmpeg', () => {
  it('aligns every track by its first packet: delays, duration and start', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 20_000), track('visitor:v', 'video', 80, 19_900), track('agent:a', 'audio', 1500, 18_400), track('agent:a', 'video', 1620, 18_300)], 'audio_video');
    expect(plan.startedAtMs).toBe(1_000_000);
    expect(plan.durationMs).toBe(20_000);
    expect(plan.participantIds).toEqual(['visitor:v', 'agent:a']);
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[0:a]aresample=48000[');
    expect(graph).not.toContain('[0:a]aresample=48000,adelay');
    expect(graph).toContain('[2:a]aresample=48000,adelay=1500:all=1');
    // The visitor's video began 80 ms after its audio: its first picture is held over the lead-in; the agent's starts later (black until then).
    expect(graph).toMatch(/\[1:v\]setpts=PTS-STARTPTS,fps=15,[^;]*,tpad=start_duration=0\.080:start_mode=clone\[/);
    expect(graph).toMatch(/\[3:v\]setpts=PTS-STARTPTS,fps=15,[^;]*,tpad=start_duration=1\.620:start_mode=add:color=black\[/);
    expect(graph).toContain('hstack=inputs=2[vmix]');
    expect(graph).toContain('amix=inputs=2:duration=longest:normalize=0[amix]');
    expect(plan.outputs.map((o) => [o.role, o.participantId, o.name, o.format])).toEqual([
      ['mixed', null, 'mixed.mp4', 'mp4'],
      ['participant', 'visitor:v', 'participant-1.webm', 'webm'],
      ['participant', 'agent:a', 'participant-2.webm', 'webm'],
    ]);
    // The mixed file is encoded for the recording's length; each participant's is its own tracks copied, shifted by their offsets.
    expect(plan.args.filter((a) => a === '-t').length).toBe(1);
    expect(plan.args.filter((a) => a === 'copy').length).toBe(2);
    const shifted = plan.args.flatMap((a, i) => (a === '-itsoffset' ? [[plan.args[i + 1], plan.args[i + 3]]] : []));
    expect(shifted).toEqual([
      ['0.000', 'visitor:v-audio-0'],
      ['0.080', 'visitor:v-video-80'],
      ['1.500', 'agent:a-audio-1500'],
      ['1.620', 'agent:a-video-1620'],
    ]);
    const visitorFile = plan.args.slice(plan.args.indexOf('mixed.mp4') + 1, plan.args.indexOf('participant-1.webm'));
    expect(visitorFile).toEqual(['-map', '4:a', '-map', '5:v', '-c', 'copy']);
  });

  it('the slot is the largest picture fitted into 640×480, never enlarged', () => {
    const video = (width: number, height: number): DecodedTrack => ({ ...track('agent:a', 'video', 0, 1000), width, height });
    expect(slotSizeOf([video(320, 240), video(320, 240)])).toEqual({ width: 320, height: 240 });
    expect(slotSizeOf([video(1280, 720)])).toEqual({ width: 640, height: 360 });
    expect(slotSizeOf([video(640, 360), video(640, 480)])).toEqual({ width: 640, height: 480 });
    expect(slotSizeOf([track('agent:a', 'video', 0, 1000)])).toEqual({ width: 640, height: 480 });
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 1000), video(320, 240)], 'audio_video');
    expect(plan.args[plan.args.indexOf('-filter_complex') + 1]).toContain('scale=320:240:force_original_aspect_ratio=decrease,pad=320:240:');
  });

  it('an H.264 participant is encoded into its own MP4 (WebM cannot hold it as it is)', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 5000), { ...track('visitor:v', 'video', 40, 4960), codec: 'h264' }, track('agent:a', 'audio', 0, 5000), track('agent:a', 'video', 30, 4970)], 'audio_video');
    expect(plan.outputs.map((o) => o.name)).toEqual(['mixed.mp4', 'participant-1.mp4', 'participant-2.webm']);
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('split=2[vm0][vo0]');
    expect(graph).toContain('asplit=2[am0][ao0]');
    expect(graph).not.toContain('[vo1]');
    expect(plan.args.filter((a) => a === '-itsoffset').length).toBe(2);
  });

  it("a shared screen is a slot of its own after the cameras, in the mixed video, and its own video-only file", () => {
    const plan = planFfmpeg(
      [track('agent:a', 'audio', 0, 20_000), track('agent:a', 'video', 50, 19_950), track('screen:visitor:v', 'video', 5000, 8000), track('visitor:v', 'audio', 20, 19_980), track('visitor:v', 'video', 60, 19_940)],
      'audio_video',
    );
    expect(plan.participantIds).toEqual(['visitor:v', 'agent:a', 'screen:visitor:v']);
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    // The screen began 5 s in: black until then, then the screen (not held back over the lead-in), black again once it stopped.
    expect(graph).toMatch(/\[2:v\]setpts=PTS-STARTPTS,fps=15,[^;]*,tpad=start_duration=5\.000:start_mode=add:color=black:stop_duration=7\.000:stop_mode=add:color=black\[/);
    expect(graph).toContain('hstack=inputs=3[vmix]');
    // Two audio slots only: the screen has none.
    expect(graph).toContain('amix=inputs=2:duration=longest:normalize=0[amix]');
    expect(plan.outputs.map((o) => [o.role, o.participantId, o.name])).toEqual([
      ['mixed', null, 'mixed.mp4'],
      ['participant', 'visitor:v', 'participant-1.webm'],
      ['participant', 'agent:a', 'participant-2.webm'],
      ['participant', 'screen:visitor:v', 'screen-1.mp4'],
    ]);
    // The screen's file maps its video and no audio (encoded: black before and after the share).
    const screenArgs = plan.args.slice(plan.args.indexOf('participant-2.webm') + 1, plan.args.indexOf('screen-1.mp4'));
    expect(screenArgs).toContain('[vo2]');
    expect(screenArgs.some((a) => a.startsWith('[ao'))).toBe(false);
  });

  it('a screen shared right after the start is not held back over the lead-in', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 5000), track('visitor:v', 'video', 40, 4960), track('screen:visitor:v', 'video', 300, 2000)], 'audio_video');
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    expect(graph).toMatch(/\[1:v\]setpts=PTS-STARTPTS,fps=15,[^;]*,tpad=start_duration=0\.040:start_mode=clone\[/);
    expect(graph).toMatch(/\[2:v\]setpts=PTS-STARTPTS,fps=15,[^;]*,tpad=start_duration=0\.300:start_mode=add:color=black:stop_duration=2\.700:stop_mode=add:color=black\[/);
  });

  it('a screen recorded in an audio recording is left out', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 1000), track('screen:visitor:v', 'video', 0, 1000)], 'audio');
    expect(plan.participantIds).toEqual(['visitor:v']);
  });

  it('visitors take the first slots, whoever sent first', () => {
    const plan = planFfmpeg([track('agent:a', 'audio', 0, 1000), track('visitor:v', 'audio', 10, 1000)], 'audio');
    expect(plan.participantIds).toEqual(['visitor:v', 'agent:a']);
  });

  it('a republish adds tracks to the same participant slot', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 5000), track('visitor:v', 'video', 0, 5000), track('visitor:v', 'audio', 7000, 3000), track('visitor:v', 'video', 7000, 3000)], 'audio_video');
    expect(plan.participantIds).toEqual(['visitor:v']);
    expect(plan.durationMs).toBe(10_000);
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[vb0_1][vs0_1]overlay');
    expect(graph).toContain('amix=inputs=2:duration=longest:normalize=0[aj0]');
    expect(graph).not.toContain('hstack');
  });

  it('an audio recording leaves video tracks out and writes M4A', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 4000), track('visitor:v', 'video', 0, 4000), track('agent:a', 'audio', 10, 4000)], 'audio');
    expect(plan.args.filter((a) => a === '-i').length).toBe(2);
    expect(plan.args).not.toContain('libx264');
    expect(plan.outputs.map((o) => o.name)).toEqual(['mixed.m4a', 'participant-1.m4a', 'participant-2.m4a']);
  });

  it('refuses a recording without tracks', () => {
    expect(() => planFfmpeg([], 'audio_video')).toThrow(/without any track/);
  });
});
