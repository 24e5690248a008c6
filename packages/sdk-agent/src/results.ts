import { SdkFailure } from './connection.ts';
import type { SdkResult } from './types.ts';

export function fail<T = never>(code: SdkFailure['code'], message: string): SdkResult<T> {
  return { status: 'error', errorCode: code, errorMsg: message };
}

/** Anything thrown (SdkFailure, ApiError, a network error) as an SdkFailure with a code. */
export function asFailure(err: unknown): SdkFailure {
  if (err instanceof SdkFailure) return err;
  const e = err as { code?: string; message?: string } | undefined;
  if (e?.code) return new SdkFailure(e.code as SdkFailure['code'], e.message ?? e.code);
  return new SdkFailure('SDK_NETWORK', err instanceof Error ? err.message : String(err));
}

/** For `.catch(rethrow)` on REST calls: ApiError → SdkFailure with the same code and message. */
export function rethrow(err: unknown): never {
  throw asFailure(err);
}

/** Runs a call and turns its outcome into an SdkResult (calls never reject). */
export async function run<T>(fn: () => Promise<T>): Promise<SdkResult<T>> {
  try {
    return { status: 'success', data: await fn() };
  } catch (err) {
    const failure = asFailure(err);
    return fail(failure.code, failure.message);
  }
}
