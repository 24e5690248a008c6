import type { Events } from '../../events.ts';
import { enqueueCallCdrWrite, enqueueCdrWrite } from './cdr-write-job.ts';

/** Every conversation closed and every call ended gets one CDR: its job is written in the transaction of the end. */
export function registerReportsListeners(events: Events): void {
  events.onInTransaction('conversation.closed', 'reports: CDR', ({ conversation }, { tx }) =>
    enqueueCdrWrite(tx, { appId: conversation.appId, conversationId: conversation.id, closedAt: conversation.closedAt ?? 0 }),
  );
  // And every call ended: its CDR is built from the call engine's summary.
  events.onInTransaction('call.decided', 'reports: call CDR', async ({ appId, actions }, { tx }) => {
    for (const action of actions) if (action.type === 'call.ended') await enqueueCallCdrWrite(tx, { appId, summary: action.summary });
  });
}
