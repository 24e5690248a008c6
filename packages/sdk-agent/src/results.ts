import type { ErrorCode } from '@frontdesk/protocol';
import { SdkError, toSdkError } from '@frontdesk/sdk-core';
import type { SdkErrorCode, SdkResult } from './types.ts';

/** A server code from the protocol catalogue, or one of the agent SDK's own. */
export type FailureCode = ErrorCode | SdkErrorCode;

/** How this SDK throws inside: sdk-core's one error class, with this SDK's codes. */
export type SdkFailure = SdkError<FailureCode>;

export function failure(code: FailureCode, message: string, retryAfterMs?: number): SdkFailure {
  return new SdkError(code, message, undefined, retryAfterMs);
}

export function fail<T = never>(code: FailureCode, message: string): SdkResult<T> {
  return { status: 'error', errorCode: code, errorMsg: message };
}

/** Anything thrown (an SdkError from REST or the socket, a network error) as an error with a code. */
export function asFailure(err: unknown): SdkFailure {
  return toSdkError(err, 'SDK_NETWORK') as SdkFailure;
}

/** Runs a call and turns its outcome into an SdkResult (the TCCC-shaped calls never reject). */
export async function run<T>(fn: () => Promise<T>): Promise<SdkResult<T>> {
  try {
    return { status: 'success', data: await fn() };
  } catch (err) {
    const { code, message } = asFailure(err);
    return fail(code, message);
  }
}
