import type { WebhookEventType } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { nextPosition } from '../../platform/jobs/index.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Tx } from '../../platform/storage/storage.ts';

export interface OutboxEvent {
  appId: string;
  type: WebhookEventType;
  /** conversation id: events with one key are delivered in order */
  orderingKey?: string | undefined;
  data: Record<string, unknown>;
  /**
   * No enabled subscription wanted it when it was written: stored for a later replay only, never
   * fanned out (the fan-out worker skips it).
   */
  skipFanOut?: boolean;
}

export interface Outbox {
  /** Writes events in the caller's transaction (same commit as the change). Called on hot paths: one multi-row insert, no reads. */
  enqueue(tx: Tx, events: OutboxEvent[]): Promise<void>;
}

/** Rows per insert statement (SQLite binds at most 32,766 parameters; 8 columns a row). */
const ROWS_PER_INSERT = 500;

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
        // The order of the events of one key (shared with every job kind of this process: platform/jobs).
        position: nextPosition(now),
        fanned_out_at: event.skipFanOut ? now : null,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx.insertInto('outbox_events').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
      }
    },
  };
}
