/**
 * @frontdesk/sdk-core/calls: the call side both SDKs share — one client's calls (`CallController`),
 * one participant's media in one call (`CallMedia`: publisher and subscriber legs over the SDK's
 * socket), and the browser's media devices with typed errors. A subpath of its own so that an SDK
 * can load it only when a call starts (the visitor SDK does).
 */
export { CallController, type CallControllerEvents, type CallControllerOptions, type CallMediaState } from './call-controller.ts';
export { captureFrame, takePhoto, type CapturedImage } from './capture-frame.ts';
export { ScreenShareController, type ScreenShareEvents, type ScreenShareOptions, type ScreenShareSignalFrame } from './screen-share.ts';
export { CallMedia, type CallMediaEvents, type CallMediaOptions } from './call-media.ts';
export type { CallIceFrame, CallRequestFrame, CallSignalFrame, CallSignalling } from './call-signalling.ts';
export {
  defaultMediaEnvironment,
  isCallSupported,
  listMediaDevices,
  openLocalMedia,
  toMediaError,
  type DeviceChoice,
  type MediaConstraintsOption,
  type MediaDeviceLists,
  type MediaEnvironment,
} from './media-devices.ts';
