import type { Events } from '../../events.ts';
import type { RecordingsService } from './recordings.service.ts';

/** A recorded call that ends gets its post-processing job in the transaction of the end. */
export function registerRecordingsListeners(events: Events, { recordings }: { recordings: RecordingsService }): void {
  events.onInTransaction('call.decided', 'recordings: post-process an ended call', async ({ appId, call, actions }, ctx) => {
    if (actions.some((a) => a.type === 'call.ended')) await recordings.onCallEnded(ctx, appId, call.id, call.endedAt ?? 0);
  });
}
