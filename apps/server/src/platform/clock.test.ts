import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.ts';

describe('systemClock.at', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never calls back before Date.now() reaches the time, even when the timer fires early', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const fn = vi.fn();
    systemClock.at(1_000_100, fn);
    // The wall clock falls 1 ms behind the timers' clock: the timer fires at 999,999 + 100.
    vi.setSystemTime(999_999);
    vi.advanceTimersByTime(100);
    expect(Date.now()).toBe(1_000_099);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits past the longest setTimeout delay, and can be cancelled', () => {
    vi.useFakeTimers({ now: 0 });
    const fn = vi.fn();
    systemClock.at(2 ** 31 + 10, fn);
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(11);
    expect(fn).toHaveBeenCalledTimes(1);
    const other = vi.fn();
    systemClock.at(Date.now() + 5, other)();
    vi.advanceTimersByTime(10);
    expect(other).not.toHaveBeenCalled();
  });
});
