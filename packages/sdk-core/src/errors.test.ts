import { ERROR_CODES } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { AGENT_SDK_ERROR_CODES, isTransientRefusal, MEDIA_ERROR_CODES, retryDelayOf, SdkError, toSdkError, TRANSIENT_SERVER_CODES, VISITOR_SDK_ERROR_CODES } from './errors.ts';

describe('the SDK error model', () => {
  it('names only codes of the protocol catalogue as server codes, and never reuses one for an SDK code', () => {
    const catalogue: readonly string[] = ERROR_CODES;
    for (const code of TRANSIENT_SERVER_CODES) expect(catalogue).toContain(code);
    for (const code of [...VISITOR_SDK_ERROR_CODES, ...AGENT_SDK_ERROR_CODES, ...MEDIA_ERROR_CODES]) expect(catalogue).not.toContain(code);
  });

  it('keeps an SdkError, keeps the code, message and status of an error-like value, and wraps anything else', () => {
    const own = new SdkError('FD_SDK_CLOSED', 'closed');
    expect(toSdkError(own, 'FD_SDK_NETWORK')).toBe(own);
    expect(toSdkError({ code: 'FD_FILE_TOO_LARGE', message: 'files are limited to 10 bytes', status: 413 }, 'FD_SDK_NETWORK')).toMatchObject({
      code: 'FD_FILE_TOO_LARGE',
      message: 'files are limited to 10 bytes',
      status: 413,
    });
    const wrapped = toSdkError(new TypeError('fetch failed'), 'SDK_NETWORK');
    expect(wrapped).toBeInstanceOf(SdkError);
    expect(wrapped).toMatchObject({ code: 'SDK_NETWORK', message: 'fetch failed', status: undefined });
  });
});

describe('retryDelayOf', () => {
  const busy = (retryAfterMs?: number) => new SdkError('FD_BUSY', 'busy', undefined, retryAfterMs);
  it('FD_BUSY waits about the hint, with ±50 % jitter, at least 100 ms', () => {
    expect(retryDelayOf(busy(300), 1000, () => 0.5)).toBe(300);
    expect(retryDelayOf(busy(300), 1000, () => 0)).toBe(150);
    expect(retryDelayOf(busy(300), 1000, () => 0.999)).toBe(450);
    expect(retryDelayOf(busy(), 1000, () => 0.5)).toBe(100);
  });
  it('other transient refusals wait the fixed delay; FD_BUSY is transient', () => {
    expect(retryDelayOf(new SdkError('FD_STORAGE_UNAVAILABLE', 'down'), 1000)).toBe(1000);
    expect(isTransientRefusal('FD_BUSY')).toBe(true);
  });
});
