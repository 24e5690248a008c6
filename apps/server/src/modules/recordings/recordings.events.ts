import type { Recording } from '@frontdesk/protocol';

/** What the recordings module announces (platform/events). */
export interface RecordingEvents {
  /** A call's recording is ready (its files are stored), once per recording, in the transaction that marks it ready. */
  'recording.completed': { appId: string; recording: Recording };
}
