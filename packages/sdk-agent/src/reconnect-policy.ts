import { ExponentialBackoffPolicy, type ExponentialBackoffOptions } from '@frontdesk/sdk-core';

/**
 * The agent SDK's default: exponential backoff with half jitter, capped at 15 s, retrying forever
 * (an agent's workbench should come back by itself after any outage). Model: LiveKit
 * `DefaultReconnectPolicy`.
 */
export class DefaultReconnectPolicy extends ExponentialBackoffPolicy {
  constructor(options: ExponentialBackoffOptions = {}) {
    super({ maxDelayMs: 15_000, ...options });
  }
}
