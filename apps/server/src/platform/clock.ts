/** Time is injected so timers and expiries are testable without sleeping. */
export interface Clock {
  now(): number;
  /** Calls `fn` once the clock reaches `atMs`; returns the cancel function. */
  at(atMs: number, fn: () => void): () => void;
}

// setTimeout takes at most 2^31-1 ms; a later deadline is re-armed when that fires.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  at(atMs, fn) {
    let timer: NodeJS.Timeout;
    // NOTE: a timer can fire a millisecond before Date.now() reaches its time (timers run on
    // another clock): armed again then, so `fn` never sees the clock short of `atMs`.
    const arm = () => {
      const delayMs = atMs - Date.now();
      timer = setTimeout(() => (Date.now() < atMs ? arm() : fn()), Math.min(Math.max(0, delayMs), MAX_TIMEOUT_MS));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  },
};

/** A clock tests move by hand; `advance` runs the timers that come due, in time order. */
export class ManualClock implements Clock {
  private timers: { atMs: number; fn: () => void }[] = [];

  constructor(private current = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  at(atMs: number, fn: () => void): () => void {
    const timer = { atMs, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.atMs <= target).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.atMs);
      due.fn();
    }
    this.current = target;
  }
}
