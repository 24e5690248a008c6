import { fail } from '../results.ts';
import type { CallNamespace, SdkResult, VideoNamespace } from '../types.ts';

const notSupported = <T>(): Promise<SdkResult<T>> => Promise.resolve(fail('SDK_NOT_SUPPORTED', 'calls are not available yet'));

/** TCCC `tccc.Call`: present so integrations compile; SDK_NOT_SUPPORTED until calls exist. */
export function createCallNamespace(): CallNamespace {
  return {
    startOutboundCall: notSupported,
    accept: notSupported,
    hungUp: notSupported,
    muteMic: notSupported,
    unmuteMic: notSupported,
    isMicMuted: notSupported,
    transfer: notSupported,
    hold: notSupported,
    unHold: notSupported,
    sendDigits: notSupported,
  };
}

/** TCCC `tccc.Video`: SDK_NOT_SUPPORTED until calls exist. */
export function createVideoNamespace(): VideoNamespace {
  return {
    accept: notSupported,
    end: notSupported,
    muteMic: notSupported,
    unmuteMic: notSupported,
    muteVideo: notSupported,
    unmuteVideo: notSupported,
    transfer: notSupported,
  };
}
