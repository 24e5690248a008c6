/**
 * When to try connecting again after the socket was lost. Swappable: the SDKs take your own as
 * `reconnectPolicy`. Model: LiveKit's ReconnectPolicy.
 */
export interface ReconnectContext {
  /** Attempts made since the connection was lost (0 before the first retry). */
  retryCount: number;
  /** Time since the connection was lost. */
  elapsedMs: number;
  /** Why the last attempt (or the connection) ended (visitor SDK). */
  reason?: string;
  /** The WebSocket close code of the lost connection, when there was one (agent SDK). */
  closeCode?: number;
}

export interface ReconnectPolicy {
  /** Milliseconds to wait before the next attempt, or null to give up (state becomes 'closed'). */
  nextRetryDelayMs(context: ReconnectContext): number | null;
}

export interface ExponentialBackoffOptions {
  /** First delay. Default 300. */
  initialDelayMs?: number;
  /** Largest delay. Default 30_000. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  multiplier?: number;
  /** Share of each delay that is random (0 = none, 1 = full jitter). Default 0.5. */
  jitterRatio?: number;
  /** Give up after this many attempts. Default: never (a widget may sit on a page for hours). */
  maxRetries?: number;
  /** Give up once the connection has been lost this long. Default: never. */
  maxElapsedMs?: number;
  /** Injected for tests. Default Math.random. */
  random?: () => number;
}

/**
 * Exponential backoff with jitter: delay = min(max, initial × multiplier^retry), of which
 * `jitterRatio` is random. NOTE: jitter spreads the reconnect storm after a server restart,
 * when every widget on every page loses its socket in the same second.
 */
export class ExponentialBackoffPolicy implements ReconnectPolicy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly multiplier: number;
  private readonly jitterRatio: number;
  private readonly maxRetries: number;
  private readonly maxElapsedMs: number;
  private readonly random: () => number;

  constructor(options: ExponentialBackoffOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 300;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.multiplier = options.multiplier ?? 2;
    this.jitterRatio = Math.min(1, Math.max(0, options.jitterRatio ?? 0.5));
    this.maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
    this.maxElapsedMs = options.maxElapsedMs ?? Number.POSITIVE_INFINITY;
    this.random = options.random ?? Math.random;
  }

  nextRetryDelayMs({ retryCount, elapsedMs }: ReconnectContext): number | null {
    if (retryCount >= this.maxRetries || elapsedMs >= this.maxElapsedMs) return null;
    const ceilingMs = Math.min(this.maxDelayMs, this.initialDelayMs * this.multiplier ** Math.min(retryCount, 50));
    return Math.round(ceilingMs * (1 - this.jitterRatio) + ceilingMs * this.jitterRatio * this.random());
  }
}
