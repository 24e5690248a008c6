import type { Clock } from '../../../../platform/clock.ts';
import type { MediaKind } from '../media-server.ts';

/**
 * Turns Janus "media" notifications (receiving true/false per kind, sent after `no_media_timer` s of
 * silence, 1 s by default) into "stopped for longer than `thresholdMs`" and "resumed". NOTE: the
 * threshold is ours, not Janus's, so that external instances with another `no_media_timer` give
 * the same M24 semantics.
 */
export class MediaStoppedWatch {
  private readonly pending = new Map<MediaKind, () => void>();
  private readonly stopped = new Set<MediaKind>();

  constructor(
    private readonly clock: Clock,
    private readonly thresholdMs: number,
    private readonly onStopped: (media: MediaKind, silentMs: number) => void,
    private readonly onResumed: (media: MediaKind) => void,
  ) {}

  /** `silentSeconds`: how long Janus had already seen nothing when it told us (its `seconds` field). */
  report(media: MediaKind, isReceiving: boolean, silentSeconds = 0): void {
    if (isReceiving) {
      this.pending.get(media)?.();
      this.pending.delete(media);
      if (this.stopped.delete(media)) this.onResumed(media);
      return;
    }
    if (this.pending.has(media) || this.stopped.has(media)) return;
    const silentSinceMs = this.clock.now() - silentSeconds * 1000;
    const fire = () => {
      this.pending.delete(media);
      this.stopped.add(media);
      this.onStopped(media, this.clock.now() - silentSinceMs);
    };
    const dueAtMs = silentSinceMs + this.thresholdMs + 1;
    if (dueAtMs <= this.clock.now()) fire();
    else this.pending.set(media, this.clock.at(dueAtMs, fire));
  }

  dispose(): void {
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
    this.stopped.clear();
  }
}
