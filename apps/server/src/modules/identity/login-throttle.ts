/** The window failed logins are counted in, per address. */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Addresses remembered at most (the oldest are forgotten first): a flood of addresses cannot grow memory without bound. */
const MAX_ADDRESSES = 100_000;

/**
 * Password spraying (one password tried on many accounts) from one address: after `maxFailures`
 * failed logins in 15 minutes, whatever the accounts, the address is refused until the oldest
 * failure leaves the window. Only that address is: a real user signs in from its own, and the
 * per-account limit (10 a minute per address, app and email) is separate. Per node, in memory
 * (like the HTTP rate limits). NOTE: real time, not the injected clock: it guards the transport.
 */
export function createLoginThrottle({ maxFailures, windowMs = LOGIN_FAILURE_WINDOW_MS, now = () => Date.now() }: { maxFailures: number; windowMs?: number; now?: () => number }) {
  const failures = new Map<string, number[]>();

  function recent(address: string): number[] {
    const times = failures.get(address);
    if (!times) return [];
    const since = now() - windowMs;
    while (times.length > 0 && times[0]! <= since) times.shift();
    if (times.length === 0) failures.delete(address);
    return times;
  }

  return {
    /** Whether this address has used up its failed logins; `retryAfterMs` until the next one is allowed. */
    check(address: string): { isBlocked: false } | { isBlocked: true; retryAfterMs: number } {
      const times = recent(address);
      if (times.length < maxFailures) return { isBlocked: false };
      return { isBlocked: true, retryAfterMs: Math.max(0, times[times.length - maxFailures]! + windowMs - now()) };
    },
    recordFailure(address: string): void {
      const times = recent(address);
      times.push(now());
      // Map order is insertion order: re-inserting keeps the most recently failing addresses last.
      failures.delete(address);
      failures.set(address, times.slice(-maxFailures));
      if (failures.size > MAX_ADDRESSES) failures.delete(failures.keys().next().value!);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
