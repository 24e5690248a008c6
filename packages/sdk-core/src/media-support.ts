/**
 * Whether calls can run here, and where the WebRTC APIs come from. Apart from the rest of the call
 * code so that an SDK can answer `isCallSupported()` without loading it (the visitor SDK loads calls lazily).
 */

/** Where the WebRTC APIs come from: the page's globals by default; tests and other runtimes pass their own. */
export interface MediaEnvironment {
  /** `getDisplayMedia` only for sharing a screen (not every browser has it). */
  mediaDevices?: (Pick<MediaDevices, 'getUserMedia' | 'enumerateDevices'> & Partial<Pick<MediaDevices, 'getDisplayMedia'>>) | undefined;
  RTCPeerConnection?: (new (config?: RTCConfiguration) => RTCPeerConnection) | undefined;
  MediaStream?: (new (tracks?: MediaStreamTrack[]) => MediaStream) | undefined;
  /** getUserMedia exists only in secure contexts (https, localhost). Default: the page's `isSecureContext`. */
  isSecureContext?: boolean | undefined;
  /** Where `online` and network `change` events come from (ICE restart); default the page's window and `navigator.connection`. */
  networkEvents?: Array<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>> | undefined;
}

type Globals = {
  navigator?: { mediaDevices?: MediaDevices; connection?: EventTarget };
  RTCPeerConnection?: MediaEnvironment['RTCPeerConnection'];
  MediaStream?: MediaEnvironment['MediaStream'];
  isSecureContext?: boolean;
  addEventListener?: unknown;
};

export function defaultMediaEnvironment(): MediaEnvironment {
  const g = globalThis as Globals;
  const networkEvents = [typeof g.addEventListener === 'function' ? (globalThis as unknown as EventTarget) : undefined, g.navigator?.connection].filter((t): t is EventTarget => !!t);
  return { mediaDevices: g.navigator?.mediaDevices, RTCPeerConnection: g.RTCPeerConnection, MediaStream: g.MediaStream, isSecureContext: g.isSecureContext, networkEvents };
}

/** Whether calls can run here: WebRTC, getUserMedia and a secure context (https or localhost). */
export function isCallSupported(env: MediaEnvironment = defaultMediaEnvironment()): boolean {
  return env.isSecureContext !== false && typeof env.RTCPeerConnection === 'function' && typeof env.MediaStream === 'function' && typeof env.mediaDevices?.getUserMedia === 'function';
}

