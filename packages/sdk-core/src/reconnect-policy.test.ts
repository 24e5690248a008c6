import { describe, expect, it } from 'vitest';
import { ExponentialBackoffPolicy } from './reconnect-policy.ts';

const context = (retryCount: number, elapsedMs = 0) => ({ retryCount, elapsedMs, reason: 'test' });

describe('ExponentialBackoffPolicy', () => {
  it('doubles from the initial delay up to the maximum, without jitter', () => {
    const policy = new ExponentialBackoffPolicy({ initialDelayMs: 100, maxDelayMs: 1000, jitterRatio: 0 });
    expect([0, 1, 2, 3, 4, 5, 60].map((n) => policy.nextRetryDelayMs(context(n)))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('keeps the jittered delay between (1 − jitterRatio) × ceiling and the ceiling', () => {
    const low = new ExponentialBackoffPolicy({ initialDelayMs: 1000, jitterRatio: 0.5, random: () => 0 });
    const high = new ExponentialBackoffPolicy({ initialDelayMs: 1000, jitterRatio: 0.5, random: () => 0.999999 });
    expect(low.nextRetryDelayMs(context(1))).toBe(1000);
    expect(high.nextRetryDelayMs(context(1))).toBe(2000);
  });

  it('gives up after maxRetries or maxElapsedMs, and never by default', () => {
    expect(new ExponentialBackoffPolicy({ maxRetries: 3 }).nextRetryDelayMs(context(3))).toBeNull();
    expect(new ExponentialBackoffPolicy({ maxElapsedMs: 60_000 }).nextRetryDelayMs(context(1, 60_000))).toBeNull();
    const forever = new ExponentialBackoffPolicy().nextRetryDelayMs(context(10_000, 86_400_000));
    expect(forever).toBeGreaterThanOrEqual(15_000);
    expect(forever).toBeLessThanOrEqual(30_000);
  });
});
