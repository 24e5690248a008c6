/**
 * Captures (SPEC M24, Easemob `snapshot` / `takePhoto`): snapshots of the visitor's video taken by the
 * agent and photos taken by the visitor's camera on the agent's request, stored as image files of the
 * call's conversation (the conversations module's files, marked with their kind). No tables of its
 * own: a photo request is a signed grant the visitor's upload brings back.
 */
export type { CaptureEvents } from './captures.events.ts';
export { registerCapturesRoutes } from './captures.routes.ts';
export { createCapturesService, PHOTO_GRANT_MS, type CapturesService } from './captures.service.ts';
