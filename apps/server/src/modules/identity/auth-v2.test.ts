import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTH_V2_MAX_SKEW_MS,
  authV2HeadersOf,
  canonicalRequestOf,
  normalize,
  parseAuthV2Timestamp,
  parseAuthorization,
  sha256Hex,
  signAuthV2,
  verifyAuthV2,
} from './auth-v2.ts';

/**
 * A worked example, computed independently (a short Python script following seed 002 §2.5.1) and
 * pinned here; docs/identity.md shows the same numbers.
 */
const EXAMPLE = {
  secret: 'fd-example-secret-0123456789abcdef',
  channelId: 'chan_example',
  timestamp: '2026-01-15T08:30:00.000Z',
  body: '{"thirdUserId":"u-1001","thirdUserName":"张三 Tom","tenantSpaceId":"acme","channelConfigId":"chan_example","locale":"zh"}',
  signingKey: '85e4daf424b3612718e9e83eaa46f32d24acdd87468f66582fe0868dabebcc05',
  canonicalRequest: [
    'POST',
    '/v1/visitor/session',
    'content-length;content-type',
    'content-length:123\ncontent-type:application%2Fjson%3Bcharset%3DUTF-8',
    '%7B%22thirdUserId%22%3A%22u-1001%22%2C%22thirdUserName%22%3A%22%E5%BC%A0%E4%B8%89%20Tom%22%2C%22tenantSpaceId%22%3A%22acme%22%2C%22channelConfigId%22%3A%22chan_example%22%2C%22locale%22%3A%22zh%22%7D',
  ].join('\n'),
  authorization: 'auth-v2/chan_example/2026-01-15T08:30:00.000Z/content-length;content-type/e9b516dd7e5562676f3e788ab0d5a0d51655ae4fd7d4d464c1c4b8e9a95c0c53',
};
const EXAMPLE_NOW = Date.UTC(2026, 0, 15, 8, 30, 0);

const verify = (overrides: Partial<Parameters<typeof verifyAuthV2>[0]> = {}) =>
  verifyAuthV2({ authorization: EXAMPLE.authorization, secret: EXAMPLE.secret, channelId: EXAMPLE.channelId, body: EXAMPLE.body, nowMs: EXAMPLE_NOW, ...overrides });

describe('auth-v2 signature (seed 002 §2.5.1)', () => {
  it('reproduces the pinned worked example step by step', () => {
    const prefix = 'auth-v2/chan_example/2026-01-15T08:30:00.000Z/content-length;content-type';
    expect(sha256Hex(EXAMPLE.secret, prefix)).toBe(EXAMPLE.signingKey);
    expect(authV2HeadersOf(EXAMPLE.body)).toEqual({ 'Content-Length': '123', 'Content-Type': 'application/json;charset=UTF-8' });
    expect(canonicalRequestOf({ method: 'post', uri: 'v1/visitor/session', headers: authV2HeadersOf(EXAMPLE.body), body: EXAMPLE.body })).toBe(EXAMPLE.canonicalRequest);
    expect(signAuthV2(EXAMPLE)).toBe(EXAMPLE.authorization);
  });

  it('normalizes every UTF-8 byte but the unreserved characters, in upper-case hex', () => {
    expect(normalize('aZ09-._~')).toBe('aZ09-._~');
    expect(normalize(' /:;{}"é')).toBe('%20%2F%3A%3B%7B%7D%22%C3%A9');
    expect(normalize('')).toBe('');
  });

  it('accepts the example at, and up to 5 minutes either side of, its timestamp', () => {
    expect(verify()).toEqual({ ok: true, signature: EXAMPLE.authorization.slice(-64), timestampMs: EXAMPLE_NOW });
    expect(verify({ nowMs: EXAMPLE_NOW + AUTH_V2_MAX_SKEW_MS }).ok).toBe(true);
    expect(verify({ nowMs: EXAMPLE_NOW - AUTH_V2_MAX_SKEW_MS }).ok).toBe(true);
  });

  it('refuses a timestamp older than 5 minutes or more than 5 minutes ahead', () => {
    expect(verify({ nowMs: EXAMPLE_NOW + AUTH_V2_MAX_SKEW_MS + 1 })).toMatchObject({ ok: false, reason: 'expired' });
    expect(verify({ nowMs: EXAMPLE_NOW - AUTH_V2_MAX_SKEW_MS - 1 })).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a tampered body, a wrong key, another channel and a changed signature', () => {
    expect(verify({ body: EXAMPLE.body.replace('u-1001', 'u-1002') })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verify({ body: `${EXAMPLE.body} ` })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verify({ secret: `${EXAMPLE.secret}x` })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verify({ channelId: 'chan_other' })).toMatchObject({ ok: false, reason: 'wrong-channel' });
    const flipped = EXAMPLE.authorization.slice(0, -1) + (EXAMPLE.authorization.endsWith('3') ? '4' : '3');
    expect(verify({ authorization: flipped })).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses malformed authorizations', () => {
    for (const authorization of [
      '',
      'auth-v1/chan_example/2026-01-15T08:30:00.000Z/content-length;content-type/' + 'a'.repeat(64),
      'auth-v2/chan_example/2026-01-15 08:30:00/content-length;content-type/' + 'a'.repeat(64),
      'auth-v2/chan_example/2026-02-30T08:30:00.000Z/content-length;content-type/' + 'a'.repeat(64),
      'auth-v2/chan_example/2026-01-15T08:30:00.000Z/content-type/' + 'a'.repeat(64),
      'auth-v2/chan_example/2026-01-15T08:30:00.000Z/content-length;content-type/' + 'A'.repeat(64),
      'auth-v2/chan_example/2026-01-15T08:30:00.000Z/content-length;content-type/abc',
    ]) {
      expect(verify({ authorization })).toMatchObject({ ok: false, reason: 'malformed' });
    }
    expect(parseAuthorization(EXAMPLE.authorization)?.channelId).toBe('chan_example');
    expect(parseAuthV2Timestamp('2026-01-15T08:30:00.000Z')).toBe(EXAMPLE_NOW);
  });

  it('verifies what it signs, and nothing else, for any body, user and time (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.string({ minLength: 1, maxLength: 5 }), (secret, body, at, extra) => {
        const timestamp = new Date(at).toISOString();
        const authorization = signAuthV2({ secret, channelId: 'chan_p', timestamp, body });
        expect(verifyAuthV2({ authorization, secret, channelId: 'chan_p', body, nowMs: at }).ok).toBe(true);
        expect(verifyAuthV2({ authorization, secret, channelId: 'chan_p', body: body + extra, nowMs: at }).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
