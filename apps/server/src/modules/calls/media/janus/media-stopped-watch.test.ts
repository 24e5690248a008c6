import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../platform/clock.ts';
import { MediaStoppedWatch } from './media-stopped-watch.ts';

function watch() {
  const clock = new ManualClock();
  const seen: string[] = [];
  const w = new MediaStoppedWatch(clock, 3000, (media, silentMs) => seen.push(`stopped ${media} ${silentMs}`), (media) => seen.push(`resumed ${media}`));
  return { clock, seen, w };
}

describe('MediaStoppedWatch', () => {
  it('reports media stopped once silence passes 3 s, counting the time Janus already waited', () => {
    const { clock, seen, w } = watch();
    w.report('audio', false, 1); // Janus tells after its 1 s no_media_timer
    clock.advance(1999);
    expect(seen).toEqual([]);
    clock.advance(2);
    expect(seen).toEqual(['stopped audio 3001']);
    w.report('audio', false, 2); // repeated notifications change nothing
    clock.advance(10_000);
    w.report('audio', true);
    expect(seen).toEqual(['stopped audio 3001', 'resumed audio']);
  });

  it('says nothing when media comes back within 3 s', () => {
    const { clock, seen, w } = watch();
    w.report('video', false, 1);
    clock.advance(1500);
    w.report('video', true);
    clock.advance(10_000);
    expect(seen).toEqual([]);
  });

  it('watches audio and video apart', () => {
    const { clock, seen, w } = watch();
    w.report('video', false, 1);
    clock.advance(1000);
    w.report('audio', false, 1);
    clock.advance(1001);
    expect(seen).toEqual(['stopped video 3001']);
    clock.advance(1000);
    expect(seen).toEqual(['stopped video 3001', 'stopped audio 3001']);
  });
});
