import type { ReconnectPolicy } from './types.ts';

/**
 * Exponential backoff with full jitter, capped, retrying forever (an agent's workbench should come
 * back by itself after any outage). Model: LiveKit `DefaultReconnectPolicy`.
 */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  constructor(
    private readonly options: { initialDelayMs?: number; maxDelayMs?: number; random?: () => number } = {},
  ) {}

  nextRetryDelayMs({ retryCount }: { retryCount: number }): number {
    const initialDelayMs = this.options.initialDelayMs ?? 300;
    const maxDelayMs = this.options.maxDelayMs ?? 15_000;
    const random = this.options.random ?? Math.random;
    // The first retry is quick (a blip, a server restart); later ones spread out so that a
    // thousand workbenches do not reconnect in lockstep.
    const ceilingMs = Math.min(maxDelayMs, initialDelayMs * 2 ** retryCount);
    return Math.round(ceilingMs / 2 + (random() * ceilingMs) / 2);
  }
}
