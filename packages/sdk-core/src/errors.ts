/**
 * The one error of both SDKs: `{ code, message, status? }`, the shape of the protocol's error body.
 * `code` is a code of the protocol's catalogue (`FD_…`, what the server answered) or one the SDK
 * raises itself (below); `status` is the HTTP status when the error came from a REST call.
 * The visitor SDK's `VisitorSdkError` and the agent SDK's `ApiError` are this class under their
 * published names.
 */
export class SdkError<Code extends string = string> extends Error {
  override readonly name: string = 'SdkError';
  constructor(
    readonly code: Code,
    message: string,
    /** HTTP status, when the error came from a REST call (0: the request did not complete). */
    readonly status?: number,
    /** FD_BUSY: the server's hint of when to send the same request again (ms). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Codes of failures an SDK detects itself; the server never sends them. NOTE: both spellings are
 * published contracts (the visitor SDK rejects with `FD_SDK_…`, the agent SDK's TCCC-shaped results
 * carry `SDK_…`), so each SDK keeps its own group; a new code goes to the group of the SDK raising it.
 */
export const VISITOR_SDK_ERROR_CODES = ['FD_SDK_NETWORK', 'FD_SDK_NOT_CONNECTED', 'FD_SDK_CLOSED', 'FD_SDK_INVALID_INPUT', 'FD_SDK_BAD_FRAME', 'FD_SDK_RECONNECT_GAVE_UP'] as const;
export type VisitorSdkErrorCode = (typeof VISITOR_SDK_ERROR_CODES)[number];

export const AGENT_SDK_ERROR_CODES = [
  /** A call before `start()` resolved. */
  'SDK_NOT_STARTED',
  /** The call needs the connection and it is down (it is not queued). */
  'SDK_NOT_CONNECTED',
  /** fetch failed, or the connection closed before the reply. */
  'SDK_NETWORK',
  /** No reply within `requestTimeoutMs`. */
  'SDK_TIMEOUT',
  /**
   * `start()`: signed in, but the live connection closed before it opened for 10 s (three tries at least): the
   * page's origin is not the server's public URL nor one of the app's allowed origins, or a proxy
   * does not pass WebSockets.
   */
  'SDK_SOCKET_REFUSED',
  /** Not available on this server or browser. */
  'SDK_NOT_SUPPORTED',
  /** The client was stopped, or the send discarded. */
  'SDK_DESTROYED',
  /** The login was replaced by a newer one. */
  'SDK_KICKED_OUT',
  /** Easemob `takePhoto`: the visitor's browser cannot take a photo (no camera track, the camera refused, no answer). */
  'snapShotDisabled',
] as const;
export type AgentSdkErrorCode = (typeof AGENT_SDK_ERROR_CODES)[number];

/**
 * Codes of a call's own media (getUserMedia, peer connections), raised by `call-media.ts`, which both
 * SDKs share: one spelling for both (the agent SDK's results carry them as `errorCode` too).
 */
export const MEDIA_ERROR_CODES = [
  /** No WebRTC here (no RTCPeerConnection or getUserMedia), or not a secure context (https or localhost). */
  'FD_SDK_MEDIA_UNSUPPORTED',
  /** The user or the browser refused the microphone or the camera. */
  'FD_SDK_MEDIA_PERMISSION_DENIED',
  'FD_SDK_MEDIA_NO_MICROPHONE',
  'FD_SDK_MEDIA_NO_CAMERA',
  /** The device exists but cannot be opened (in use by another program, hardware error). */
  'FD_SDK_MEDIA_DEVICE_BUSY',
  /** The media could not be connected (negotiation or ICE failed and its restarts did not help). */
  'FD_SDK_MEDIA_FAILED',
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

/** The connection went away before an answer: what was sent may go again on the next one. */
const CONNECTION_LOST: ReadonlySet<string> = new Set(['FD_SDK_NETWORK', 'FD_SDK_NOT_CONNECTED', 'SDK_NETWORK', 'SDK_NOT_CONNECTED']);

/** Server refusals that mean "the same request later", not "this request is wrong" (protocol codes). */
export const TRANSIENT_SERVER_CODES = ['FD_REQ_RATE_LIMITED', 'FD_STORAGE_UNAVAILABLE', 'FD_BUSY', 'FD_INTERNAL', 'FD_SERVER_SHUTTING_DOWN'] as const;
const TRANSIENT: ReadonlySet<string> = new Set(TRANSIENT_SERVER_CODES);

export function isConnectionLost(code: string): boolean {
  return CONNECTION_LOST.has(code);
}

export function isTransientRefusal(code: string): boolean {
  return TRANSIENT.has(code);
}

/**
 * Anything thrown as an SdkError: itself, an error-like value with a string `code` (kept with its
 * message and status), or anything else under `fallbackCode` (a network failure, usually).
 */
export function toSdkError(err: unknown, fallbackCode: string): SdkError {
  if (err instanceof SdkError) return err;
  const e = err as { code?: unknown; message?: unknown; status?: unknown } | null | undefined;
  if (e && typeof e.code === 'string') {
    const message = typeof e.message === 'string' ? e.message : e.code;
    return new SdkError(e.code, message, typeof e.status === 'number' ? e.status : undefined);
  }
  return new SdkError(fallbackCode, err instanceof Error ? err.message : String(err));
}

/** FD_BUSY: the server's hint (at least 100 ms) with ±50 % jitter; other transient refusals `fallbackMs`. */
export function retryDelayOf(error: SdkError, fallbackMs: number, random: () => number = Math.random): number {
  return error.code === 'FD_BUSY' ? Math.round(Math.max(error.retryAfterMs ?? 0, 100) * (0.5 + random())) : fallbackMs;
}
