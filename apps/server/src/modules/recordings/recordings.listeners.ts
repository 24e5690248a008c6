import type { Events } from '../../events.ts';
import { FIRST_ATTEMPT_AFTER_MS } from './post-process-job.ts';
import type { RecordingsService } from './recordings.service.ts';

/** A recorded call that ends gets its post-processing job in the transaction of the end. */
export function registerRecordingsListeners(events: Events, { recordings }: { recordings: RecordingsService }): void {
  events.onInTransaction('call.decided', 'recordings: post-process an ended call', async ({ appId, call, actions }, ctx) => {
    if (actions.some((a) => a.type === 'call.ended')) await recordings.onCallEnded(ctx, appId, call.id, call.endedAt ?? 0);
  });
  // Once the end committed: the worker runs when the job is due instead of at its next poll.
  events.onAfterCommit('call.decided', 'recordings: wake the post-processing when it is due', ({ call, actions }) => {
    if (actions.some((a) => a.type === 'call.ended')) recordings.wakeAt((call.endedAt ?? 0) + FIRST_ATTEMPT_AFTER_MS);
  });
}
