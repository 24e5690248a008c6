/**
 * @frontdesk/sdk-core/calls: the call side both SDKs share — one client's calls (`CallController`),
 * one participant's media in one call (`CallMedia`: publisher and subscriber legs over the SDK's
 * socket), and the browser's media devices with typed errors. A subpath of its own so that an SDK
 * can load it only when a call starts (the visitor SDK does).
 */
export { CallController, type CallControllerEvents, type CallControllerOptions, type CallMediaState } from './call-controller.ts';
export { captureFrame, takePhoto, type CapturedImage } from './capture-frame.ts';
export {
  ScreenShareController,
  type ScreenShareEvents,
  type ScreenShareIceFrame,
  type ScreenShareOptions,
  type ScreenShareRequestFrame,
  type ScreenShareSignalFrame,
  type ScreenShareSignalling,
} from './screen-share.ts';
export { CallMedia, type CallIceFrame, type CallMediaEvents, type CallMediaOptions, type CallRequestFrame, type CallSignalFrame, type CallSignalling } from './call-media.ts';
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
