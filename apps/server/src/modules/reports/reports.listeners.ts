import type { Events } from '../../events.ts';
import { enqueueCallCdrWrite, enqueueCdrWrite } from './cdr-write-job.ts';
import { enqueueRecordPushes } from './data-push-job.ts';
import { findPushSettings } from './data-push-settings.ts';

/** Every conversation closed and every call ended gets one CDR: its job is written in the transaction of the end. */
export function registerReportsListeners(events: Events): void {
  events.onInTransaction('conversation.closed', 'reports: CDR', ({ conversation }, { tx }) =>
    enqueueCdrWrite(tx, { appId: conversation.appId, conversationId: conversation.id, closedAt: conversation.closedAt ?? 0 }),
  );
  // And every call ended: its CDR is built from the call engine's summary.
  events.onInTransaction('call.decided', 'reports: call CDR', async ({ appId, actions }, { tx }) => {
    for (const action of actions) if (action.type === 'call.ended') await enqueueCallCdrWrite(tx, { appId, summary: action.summary });
  });
  // A call's recording is ready: with the data push on, one record push (TCCC `?action=record`) per participant's file.
  events.onInTransaction('recording.completed', 'reports: record data push', async ({ appId, recording }, { tx }) => {
    const settings = await findPushSettings(tx, appId);
    if (settings?.enabled !== 1) return;
    const fileNames = recording.files.filter((f) => f.role === 'participant').map((f) => f.name);
    await enqueueRecordPushes(tx, { appId, recordingId: recording.id, fileNames, nowMs: recording.completedAt ?? recording.createdAt });
  });
}
