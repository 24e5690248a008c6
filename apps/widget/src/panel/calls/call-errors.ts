import type { CallKind } from '@frontdesk/sdk-visitor';
import type { CallStrings } from '../../locales/calls/index.ts';

/** A call failure in the visitor's words (SDK media codes and the server's call codes). */
export function callErrorText(code: string, kind: CallKind | null, ct: CallStrings): string {
  switch (code) {
    case 'FD_SDK_MEDIA_PERMISSION_DENIED':
      return kind === 'audio' ? ct.errPermissionAudio : ct.errPermissionVideo;
    case 'FD_SDK_MEDIA_NO_MICROPHONE':
      return ct.errNoMicrophone;
    case 'FD_SDK_MEDIA_NO_CAMERA':
      return ct.errNoCamera;
    case 'FD_SDK_MEDIA_DEVICE_BUSY':
      return ct.errDeviceBusy;
    case 'FD_SDK_MEDIA_UNSUPPORTED':
      return ct.errUnsupported;
    case 'FD_CALL_NO_AGENT':
      return ct.errNoAgent;
    case 'FD_CALL_MEDIA_UNAVAILABLE':
      return ct.errUnavailable;
    case 'FD_CALL_NOT_ENABLED':
      return ct.errNotEnabled;
    case 'FD_CALL_VISITOR_IN_CALL':
    case 'FD_CALL_CONVERSATION_IN_CALL':
      return ct.errInCall;
    case 'FD_SDK_MEDIA_FAILED':
      return ct.errFailed;
    default:
      return ct.errGeneric;
  }
}

/** Failures the visitor can fix and try again (allow a device, plug one in, close another app, wait). */
export function isRetryable(code: string): boolean {
  return code.startsWith('FD_SDK_MEDIA_') && code !== 'FD_SDK_MEDIA_UNSUPPORTED';
}
