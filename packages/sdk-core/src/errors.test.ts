import { ERROR_CODES } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { AGENT_SDK_ERROR_CODES, MEDIA_ERROR_CODES, SdkError, toSdkError, TRANSIENT_SERVER_CODES, VISITOR_SDK_ERROR_CODES } from './errors.ts';

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
