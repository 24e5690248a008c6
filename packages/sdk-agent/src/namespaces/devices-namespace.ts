import type { DevicesNamespace } from '../types.ts';

/** TCCC `tccc.Devices`. Device lists are empty where the browser has no media devices API (or in Node). */
export function createDevices(): DevicesNamespace {
  const list = async (kind: MediaDeviceKind): Promise<MediaDeviceInfo[]> => {
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!media?.enumerateDevices) return [];
    return (await media.enumerateDevices()).filter((d) => d.kind === kind);
  };
  return {
    isBrowserSupported: () =>
      typeof WebSocket !== 'undefined' &&
      typeof fetch !== 'undefined' &&
      typeof navigator !== 'undefined' &&
      typeof navigator.mediaDevices?.getUserMedia === 'function' &&
      typeof RTCPeerConnection !== 'undefined',
    getMicrophones: () => list('audioinput'),
    getSpeakers: () => list('audiooutput'),
    getCameras: () => list('videoinput'),
  };
}
