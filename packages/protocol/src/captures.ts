import { z } from 'zod';
import { Id, Message, TimestampMs } from './model.ts';

/**
 * Snapshots and photos of a video call (SPEC M24, Easemob `snapshot` / `takePhoto`, seed 001). Both
 * are stored as image files of the call's conversation (an image message in both transcripts):
 *
 * - a **snapshot** is a frame of the visitor's video taken in the agent's browser and uploaded by the
 *   agent (`POST /v1/calls/:id/snapshots`, the image as the body);
 * - a **photo** is taken by the visitor's device from its camera at the camera's own resolution: the
 *   agent asks (`POST /v1/calls/:id/photo-requests`), the visitor's page gets `call.photo-request`
 *   and uploads the photo (`POST /v1/calls/:id/photos/:requestId`) or says it cannot
 *   (`…/failure`); the agent gets `call.photo` with the image message or the `snapShotDisabled` error.
 */

export const CAPTURE_KINDS = ['snapshot', 'photo'] as const;
export const CaptureKind = z.enum(CAPTURE_KINDS);
export type CaptureKind = z.infer<typeof CaptureKind>;

/** The Easemob error type of a photo the visitor's browser could not take (seed 001). */
export const SNAPSHOT_DISABLED = 'snapShotDisabled';

/** The reply of a snapshot upload or a photo upload: the image message stored in the conversation. */
export const CaptureStored = z.object({ kind: CaptureKind, callId: Id, fileId: Id, message: Message });
export type CaptureStored = z.infer<typeof CaptureStored>;

/** The reply of a photo request: its id (the visitor's answer names it). */
export const PhotoRequested = z.object({ requestId: Id, expiresAt: TimestampMs });
export type PhotoRequested = z.infer<typeof PhotoRequested>;

/** The query of a photo upload or failure: the request's signed grant, as the visitor received it. */
export const PhotoGrant = z.object({ expires: z.coerce.number().int().positive(), signature: z.string().min(1).max(200) });
export const PhotoFailure = PhotoGrant.extend({ reason: z.string().max(200).default('') });

// ── server → client ────────────────────────────────────────────────────────────────────────────
/** To the visitor: the agent asks for a photo from its camera; upload it with this grant before it expires. */
export const CallPhotoRequestEvent = z.object({ type: z.literal('call.photo-request'), callId: Id, requestId: Id, expires: z.number().int(), signature: z.string() });
export type CallPhotoRequestEvent = z.infer<typeof CallPhotoRequestEvent>;

/** To the agent who asked: the photo's image message, or why there is none (`snapShotDisabled`). */
export const CallPhotoEvent = z.object({
  type: z.literal('call.photo'),
  callId: Id,
  requestId: Id,
  message: Message.nullable(),
  error: z.object({ type: z.literal(SNAPSHOT_DISABLED), msg: z.string() }).nullable(),
});
export type CallPhotoEvent = z.infer<typeof CallPhotoEvent>;

export const CAPTURE_SERVER_FRAMES = [CallPhotoRequestEvent, CallPhotoEvent] as const;

/** Webhook data of `capture.stored` (AnyChat: `recordsnapshot_notify` with the snapshot flag). */
export const CaptureStoredData = z.object({
  kind: CaptureKind,
  callId: Id,
  conversationId: Id,
  fileId: Id,
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Who it shows: the visitor. */
  visitorId: Id,
  /** Who took it (snapshot) or asked for it (photo). */
  agentId: Id.nullable(),
  at: TimestampMs,
});
export type CaptureStoredData = z.infer<typeof CaptureStoredData>;
