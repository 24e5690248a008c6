import type { Events } from '../../events.ts';
import { enqueueCdrWrite } from './cdr-write-job.ts';

/** Every conversation closed gets one CDR: its job is written in the close transaction. */
export function registerReportsListeners(events: Events): void {
  events.onInTransaction('conversation.closed', 'reports: CDR', ({ conversation }, { tx }) =>
    enqueueCdrWrite(tx, { appId: conversation.appId, conversationId: conversation.id, closedAt: conversation.closedAt ?? 0 }),
  );
}
