/**
 * When to try a webhook delivery again: the pure core of the delivery worker. Data in, decision
 * out, no I/O; the random source is passed in so tests replay it.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Waits before attempts 2…10 (the first is immediate): about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 14 h, 20 h, 24 h, so a delivery is tried for about 3 days before it is exhausted.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Each wait is spread by ±10 % so that receivers coming back are not hit by every retry at once. */
export const JITTER_RATIO = 0.1;
/** A receiver's Retry-After is obeyed up to this long. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** What one attempt gave: a status code, or an error when no response came. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  /** From a 429's Retry-After, in ms from the attempt. */
  retryAfterMs: number | null;
}

export type DeliveryDecision =
  | { status: 'delivered' }
  /** `disableSubscription`: the receiver answered 410 Gone. */
  | { status: 'failed'; nextAttemptAt: number; disableSubscription: boolean }
  | { status: 'exhausted'; disableSubscription: boolean };

export function isSuccess(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode <= 299;
}

/** The wait after the `attempts`-th failed attempt (1-based), with jitter; `random` ∈ [0, 1). */
export function retryDelayMs(attempts: number, random: number): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (1 + (random * 2 - 1) * JITTER_RATIO));
}

/**
 * The decision after an attempt. `attempts` counts this one. Only 2xx delivers; a 3xx is not
 * followed and fails like any other status; 410 also disables the subscription; a 429's
 * Retry-After pushes the next attempt at least that far. `delivers` overrides what delivers
 * (AnyChat notifies: HTTP 200 only).
 */
export function decide(outcome: AttemptOutcome, attempts: number, nowMs: number, random: number, delivers: (statusCode: number | null) => boolean = isSuccess): DeliveryDecision {
  if (delivers(outcome.statusCode)) return { status: 'delivered' };
  const disableSubscription = outcome.statusCode === 410;
  if (attempts >= MAX_ATTEMPTS) return { status: 'exhausted', disableSubscription };
  let delayMs = retryDelayMs(attempts, random);
  if (outcome.statusCode === 429 && outcome.retryAfterMs !== null) delayMs = Math.max(delayMs, Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS));
  return { status: 'failed', nextAttemptAt: nowMs + delayMs, disableSubscription };
}

/** A Retry-After header (delay in seconds, or an HTTP date) in ms from `nowMs`; null when absent or unreadable. */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * SECOND;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
