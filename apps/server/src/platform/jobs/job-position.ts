/** Positions per millisecond before the counter runs ahead of the clock (2^53 / 1024 ms is the year 2248). */
const POSITIONS_PER_MS = 1024;

// NOTE: one counter per process, shared by the webhooks outbox and every job kind, so two events
// or jobs of one key written in the same millisecond stay in order whoever writes them.
let lastPosition = 0;

/**
 * The total order of the events (and jobs) of one ordering key: `max(now × 1024, previous + 1)`.
 * It only grows within a process (a clock step back or a burst of more than 1024 in one ms only
 * runs it ahead of time), and follows time across restarts and nodes. Two events of one key are
 * written in transactions that the key's own row lock serializes (a conversation's), so within a
 * process position order is commit order; across nodes it is as long as node clocks differ by
 * less than the time between two events of one conversation (keep them NTP-synchronized).
 * Chosen over a database sequence because a sequence is taken at insert, not at commit (two
 * writers can commit out of sequence order) and would need a read or a round trip per event.
 */
export function nextPosition(nowMs: number): number {
  lastPosition = Math.max(nowMs * POSITIONS_PER_MS, lastPosition + 1);
  return lastPosition;
}
