/**
 * Recordings (SPEC M25) own recording policies and recordings (`recordings.schema.ts`). A call whose
 * queue or channel records is recorded by Janus track by track; when it ends a durable job
 * (platform/jobs) post-processes the tracks (janus-pp-rec, ffmpeg) into a mixed file and one per
 * participant, stored in the BlobStore and downloaded through signed links; retention prunes them.
 */
export type { RecordingEvents } from './recordings.events.ts';
export { registerRecordingsListeners } from './recordings.listeners.ts';
export { registerRecordingsRoutes } from './recordings.routes.ts';
export { createRecordingsService, type RecordableCall, type RecordingsService } from './recordings.service.ts';
