import { describe, expect, it } from 'vitest';
import { planFfmpeg, type DecodedTrack } from './recording-plan.ts';

const track = (participantId: string, kind: 'audio' | 'video', startMs: number, durationMs: number, file = `${participantId}-${kind}-${startMs}`): DecodedTrack => ({
  participantId,
  kind,
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
    expect(graph).toContain('[0:a]aresample=48000,adelay=0:all=1');
    expect(graph).toContain('[2:a]aresample=48000,adelay=1500:all=1');
    // The visitor's video began 80 ms after its audio: its first picture is held over the lead-in; the agent's starts later.
    expect(graph).toContain('[1:v]setpts=PTS-STARTPTS,tpad=start_duration=0.080:start_mode=clone');
    expect(graph).toContain('[3:v]setpts=PTS-STARTPTS+1.620/TB');
    expect(graph).toContain('hstack=inputs=2[vmix]');
    expect(graph).toContain('amix=inputs=2:duration=longest:normalize=0[amix]');
    expect(plan.outputs.map((o) => [o.role, o.participantId, o.name])).toEqual([
      ['mixed', null, 'mixed.mp4'],
      ['participant', 'visitor:v', 'participant-1.mp4'],
      ['participant', 'agent:a', 'participant-2.mp4'],
    ]);
    expect(plan.args.filter((a) => a === '-t').length).toBe(3);
  });

  it("a shared screen is a slot of its own after the cameras, in the mixed video, and its own video-only file", () => {
    const plan = planFfmpeg(
      [track('agent:a', 'audio', 0, 20_000), track('agent:a', 'video', 50, 19_950), track('screen:visitor:v', 'video', 5000, 8000), track('visitor:v', 'audio', 20, 19_980), track('visitor:v', 'video', 60, 19_940)],
      'audio_video',
    );
    expect(plan.participantIds).toEqual(['visitor:v', 'agent:a', 'screen:visitor:v']);
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    // The screen began 5 s in: black until then, then the screen (not held back over the lead-in).
    expect(graph).toContain('[2:v]setpts=PTS-STARTPTS+5.000/TB');
    expect(graph).toContain('hstack=inputs=3[vmix]');
    // Two audio slots only: the screen has none.
    expect(graph).toContain('amix=inputs=2:duration=longest:normalize=0[amix]');
    expect(plan.outputs.map((o) => [o.role, o.participantId, o.name])).toEqual([
      ['mixed', null, 'mixed.mp4'],
      ['participant', 'visitor:v', 'participant-1.mp4'],
      ['participant', 'agent:a', 'participant-2.mp4'],
      ['participant', 'screen:visitor:v', 'screen-1.mp4'],
    ]);
    // The screen's file maps its video and no audio.
    const screenArgs = plan.args.slice(plan.args.indexOf('participant-2.mp4') + 1, plan.args.indexOf('screen-1.mp4'));
    expect(screenArgs).toContain('[vo2]');
    expect(screenArgs.some((a) => a.startsWith('[ao'))).toBe(false);
  });

  it('a screen shared right after the start is not held back over the lead-in', () => {
    const plan = planFfmpeg([track('visitor:v', 'audio', 0, 5000), track('visitor:v', 'video', 40, 4960), track('screen:visitor:v', 'video', 300, 2000)], 'audio_video');
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[1:v]setpts=PTS-STARTPTS,tpad=start_duration=0.040:start_mode=clone');
    expect(graph).toContain('[2:v]setpts=PTS-STARTPTS+0.300/TB');
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
