/**
 * Why a media server operation failed. NOTE: these are not yet codes of the protocol's error catalogue:
 * the call shell maps them to its `FD_CALL_*` codes (media-unavailable → retry later, the others →
 * the call fails with a media reason).
 */
export type MediaErrorReason =
  /** No instance is up (the local Janus is restarting, every external one is down). Retryable. */
  | 'media-unavailable'
  /** The room is not (or no longer) on its instance. */
  | 'room-not-found'
  /** No such leg or participant in the room. */
  | 'leg-not-found'
  /** The participant already publishes in this room. */
  | 'already-publishing'
  /** The media server refused the SDP or the request (its message is kept). */
  | 'negotiation-failed'
  /** The media server did not answer in time. */
  | 'media-timeout';

export class MediaError extends Error {
  constructor(
    readonly reason: MediaErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaError';
  }
}

export function isMediaError(err: unknown, reason?: MediaErrorReason): err is MediaError {
  return err instanceof MediaError && (reason === undefined || err.reason === reason);
}
