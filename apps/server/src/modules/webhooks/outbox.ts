import type { WebhookEventType } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Tx } from '../../platform/storage/storage.ts';

export interface OutboxEvent {
  appId: string;
  type: WebhookEventType;
  /** conversation id: events with one key are delivered in order */
  orderingKey?: string | undefined;
  data: Record<string, unknown>;
}

export interface Outbox {
  /** Writes events in the caller's transaction (same commit as the change). Called on hot paths: one multi-row insert, no reads. */
  enqueue(tx: Tx, events: OutboxEvent[]): Promise<void>;
}

/** Positions per millisecond before the counter runs ahead of the clock (2^53 / 1024 ms is the year 2248). */
const POSITIONS_PER_MS = 1024;
/** Rows per insert statement (SQLite binds at most 32,766 parameters; 8 columns a row). */
const ROWS_PER_INSERT = 500;

// NOTE: one counter per process, not per outbox: every module's outbox of this process shares it,
// so two events of one key written through two outboxes in the same millisecond stay in order.
let lastPosition = 0;

/**
 * The total order of the events of one ordering key: `max(now × 1024, previous + 1)`. It only
 * grows within a process (a clock step back or a burst of more than 1024 events in one ms only
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

export function createOutbox({ clock }: { clock: Clock }): Outbox {
  return {
    async enqueue(tx, events) {
      if (events.length === 0) return;
      const now = clock.now();
      const rows: Database['outbox_events'][] = events.map((event) => ({
        id: newId('evt'),
        app_id: event.appId,
        type: event.type,
        ordering_key: event.orderingKey ?? null,
        data: JSON.stringify(event.data),
        created_at: now,
        position: nextPosition(now),
        fanned_out_at: null,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx.insertInto('outbox_events').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
      }
    },
  };
}
