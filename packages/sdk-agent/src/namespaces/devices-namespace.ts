import { isCallSupported, listMediaDevices } from '@frontdesk/sdk-core/calls';
import type { DevicesNamespace } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

/** TCCC `tccc.Devices`. Device lists are empty where the browser has no media devices API (or in Node). */
export function createDevices({ invoke }: NamespaceContext): DevicesNamespace {
  return {
    isBrowserSupported: () => typeof WebSocket !== 'undefined' && typeof fetch !== 'undefined' && isCallSupported(),
    getMicrophones: async () => (await listMediaDevices()).microphones,
    getSpeakers: async () => (await listMediaDevices()).speakers,
    getCameras: async () => (await listMediaDevices()).cameras,
    selectMicrophone: ({ deviceId }) => invoke<undefined>('Call.switchDevices', { audioInputId: deviceId }),
    selectCamera: ({ deviceId }) => invoke<undefined>('Call.switchDevices', { videoInputId: deviceId }),
  };
}
