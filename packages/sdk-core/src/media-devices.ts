import { SdkError } from './errors.ts';
import { defaultMediaEnvironment, isCallSupported, type MediaEnvironment } from './media-support.ts';

export { defaultMediaEnvironment, isCallSupported, type MediaEnvironment };

/**
 * The browser's media APIs a call needs, and their failures as the SDKs' typed errors. Nothing here
 * keeps state; `call-media.ts` runs a call's peer connections over what this opens.
 */

/** The devices a call uses; left out, the browser's default ones. */
export interface DeviceChoice {
  audioInputId?: string | undefined;
  videoInputId?: string | undefined;
}

/** Extra constraints for the captured tracks, e.g. `audio: { echoCancellation: false }` for music. */
export interface MediaConstraintsOption {
  audio?: MediaTrackConstraints | undefined;
  video?: MediaTrackConstraints | undefined;
}

export interface MediaDeviceLists {
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
}

/**
 * The microphones, speakers and cameras. NOTE: browsers give labels (and, in some, ids) only after
 * the page was allowed a device once; before that the lists hold unnamed entries.
 */
export async function listMediaDevices(env: MediaEnvironment = defaultMediaEnvironment()): Promise<MediaDeviceLists> {
  const all = env.mediaDevices?.enumerateDevices ? await env.mediaDevices.enumerateDevices() : [];
  return { microphones: all.filter((d) => d.kind === 'audioinput'), speakers: all.filter((d) => d.kind === 'audiooutput'), cameras: all.filter((d) => d.kind === 'videoinput') };
}

/** The constraints of one kind: the chosen device (exactly), over the embedder's extra constraints. */
export function trackConstraints(extra: MediaTrackConstraints | undefined, deviceId: string | undefined): MediaTrackConstraints | true {
  if (!extra && !deviceId) return true;
  return { ...extra, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
}

/**
 * Opens the microphone (and the camera, for video): the stream a call publishes. Rejects with an
 * SdkError: FD_SDK_MEDIA_UNSUPPORTED, _PERMISSION_DENIED, _NO_MICROPHONE, _NO_CAMERA or _DEVICE_BUSY.
 */
export async function openLocalMedia(options: { video: boolean; devices?: DeviceChoice | undefined; constraints?: MediaConstraintsOption | undefined; env?: MediaEnvironment | undefined }): Promise<MediaStream> {
  const env = options.env ?? defaultMediaEnvironment();
  if (!isCallSupported(env)) throw new SdkError('FD_SDK_MEDIA_UNSUPPORTED', 'this browser cannot make calls (WebRTC and getUserMedia over https are needed)');
  const { devices = {}, constraints = {} } = options;
  try {
    return await env.mediaDevices!.getUserMedia({
      audio: trackConstraints(constraints.audio, devices.audioInputId),
      video: options.video ? trackConstraints(constraints.video, devices.videoInputId) : false,
    });
  } catch (err) {
    throw await toMediaError(err, options.video, env);
  }
}

/** One track of the chosen device (a switch during a call); rejects with the same typed errors as `openLocalMedia`. */
export async function openDeviceTrack(kind: 'audio' | 'video', deviceId: string, extra: MediaTrackConstraints | undefined, env: MediaEnvironment = defaultMediaEnvironment()): Promise<MediaStreamTrack> {
  const constraints = trackConstraints(extra, deviceId);
  const stream = await env.mediaDevices!.getUserMedia(kind === 'audio' ? { audio: constraints } : { video: constraints }).catch(async (err: unknown) => Promise.reject(await toMediaError(err, kind === 'video', env)));
  return stream.getTracks()[0]!;
}

/** Puts `track` in `stream` in place of its track of that kind, which stops; answers the one replaced. */
export function replaceTrack(stream: MediaStream, track: MediaStreamTrack): MediaStreamTrack | undefined {
  const old = stream.getTracks().find((t) => t.kind === track.kind);
  stream.addTrack(track);
  if (old) {
    stream.removeTrack(old);
    old.stop();
  }
  return old;
}

/** Calls `listener` when the network comes back or changes (`online`, the connection's `change`); answers how to stop. */
export function onNetworkChange(env: MediaEnvironment, listener: () => void): () => void {
  const offs = (env.networkEvents ?? []).flatMap((target) =>
    ['online', 'change'].map((type) => {
      target.addEventListener(type, listener);
      return () => target.removeEventListener(type, listener);
    }),
  );
  return () => offs.forEach((off) => off());
}

/** Stops every track of a captured stream (the camera's light goes off, a screen share ends). */
export function stopTracks(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * A getUserMedia failure as a typed error. NOTE: "not found" does not say which device is missing,
 * so the device list decides between no microphone and no camera.
 */
export async function toMediaError(err: unknown, wantsVideo: boolean, env: MediaEnvironment = defaultMediaEnvironment()): Promise<SdkError> {
  const name = (err as { name?: unknown } | null)?.name;
  const message = err instanceof Error ? err.message : String(err);
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new SdkError('FD_SDK_MEDIA_PERMISSION_DENIED', 'access to the microphone or camera was denied');
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError': {
      const { microphones, cameras } = await listMediaDevices(env).catch(() => ({ microphones: [], cameras: [] }));
      if (wantsVideo && microphones.length > 0 && cameras.length === 0) return new SdkError('FD_SDK_MEDIA_NO_CAMERA', 'no camera was found');
      if (microphones.length === 0) return new SdkError('FD_SDK_MEDIA_NO_MICROPHONE', 'no microphone was found');
      return new SdkError(wantsVideo && cameras.length === 0 ? 'FD_SDK_MEDIA_NO_CAMERA' : 'FD_SDK_MEDIA_NO_MICROPHONE', `the chosen device was not found (${message})`);
    }
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new SdkError('FD_SDK_MEDIA_DEVICE_BUSY', 'the microphone or camera cannot be opened (is another program using it?)');
    case 'TypeError':
      return new SdkError('FD_SDK_MEDIA_UNSUPPORTED', `this browser cannot capture media: ${message}`);
    default:
      return new SdkError('FD_SDK_MEDIA_FAILED', `media capture failed: ${message}`);
  }
}
