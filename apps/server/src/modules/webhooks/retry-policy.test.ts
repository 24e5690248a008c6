import { describe, expect, it } from 'vitest';
import { decide, MAX_ATTEMPTS, parseRetryAfterMs, RETRY_DELAYS_MS, retryDelayMs } from './retry-policy.ts';

const NOW = Date.UTC(2026, 0, 1);
const failure = (statusCode: number | null, retryAfterMs: number | null = null) => ({ statusCode, error: statusCode === null ? 'ECONNREFUSED' : null, retryAfterMs });

describe('webhook retry policy', () => {
  it('retries at about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h, then is exhausted', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 1000)).toEqual([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
    expect(MAX_ATTEMPTS).toBe(10);
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) {
      const decision = decide(failure(500), attempts, NOW, 0.5);
      expect(decision).toEqual({ status: 'failed', nextAttemptAt: NOW + RETRY_DELAYS_MS[attempts - 1]!, disableSubscription: false });
    }
    expect(decide(failure(null), MAX_ATTEMPTS, NOW, 0.5)).toEqual({ status: 'exhausted', disableSubscription: false });
  });

  it('spreads each wait by at most ±10 %', () => {
    expect(retryDelayMs(1, 0)).toBe(4500);
    expect(retryDelayMs(1, 0.999999)).toBe(5500);
    expect(retryDelayMs(9, 0)).toBe(0.9 * 86_400_000);
  });

  it('only 2xx delivers; 3xx and 1xx-like statuses fail', () => {
    expect(decide(failure(200), 1, NOW, 0.5).status).toBe('delivered');
    expect(decide(failure(204), 1, NOW, 0.5).status).toBe('delivered');
    for (const status of [301, 302, 304, 307, 308, 400, 404, 500, 503]) expect(decide(failure(status), 1, NOW, 0.5).status).toBe('failed');
  });

  it('410 disables the subscription', () => {
    expect(decide(failure(410), 1, NOW, 0.5)).toMatchObject({ status: 'failed', disableSubscription: true });
    expect(decide(failure(410), MAX_ATTEMPTS, NOW, 0.5)).toEqual({ status: 'exhausted', disableSubscription: true });
  });

  it("429 waits at least the receiver's Retry-After, at most 24 h", () => {
    expect(decide(failure(429, 120_000), 1, NOW, 0.5)).toMatchObject({ nextAttemptAt: NOW + 120_000 });
    expect(decide(failure(429, 1000), 1, NOW, 0.5)).toMatchObject({ nextAttemptAt: NOW + 5000 });
    expect(decide(failure(429, 10 * 86_400_000), 1, NOW, 0.5)).toMatchObject({ nextAttemptAt: NOW + 86_400_000 });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs('120', NOW)).toBe(120_000);
    expect(parseRetryAfterMs(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfterMs('soon', NOW)).toBeNull();
    expect(parseRetryAfterMs(undefined, NOW)).toBeNull();
  });
});
