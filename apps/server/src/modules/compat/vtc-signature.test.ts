import { describe, expect, it } from 'vitest';
import { isVtcRequestAuthentic, parseVtcTimestamp, vtcSecretOf } from './vtc-signature.ts';

const NOW = 1_459_235_417_475;
const request = (overrides: Partial<Parameters<typeof isVtcRequestAuthentic>[0]> = {}) => {
  const timestamp = overrides.timestamp ?? String(NOW);
  return { appId: '11501', timestamp, appToken: 'tok', secret: vtcSecretOf('11501', timestamp, 'tok'), nowMs: NOW, ...overrides };
};

describe('VTC md5 secret (seed 000 §3.1)', () => {
  it('is md5 of "appId=…&timestamp=…&appToken=…" in lower-case hex', () => {
    // md5("appId=11501&timestamp=1459235417475&appToken=tok"), computed with coreutils md5sum.
    expect(vtcSecretOf('11501', '1459235417475', 'tok')).toBe('18cb6d337ed1aa7b2e450383b67fb7e7');
  });

  it('accepts a timestamp 59 s old or ahead, refuses 61 s', () => {
    expect(isVtcRequestAuthentic(request())).toBe(true);
    expect(isVtcRequestAuthentic(request({ nowMs: NOW + 59_000 }))).toBe(true);
    expect(isVtcRequestAuthentic(request({ nowMs: NOW - 59_000 }))).toBe(true);
    expect(isVtcRequestAuthentic(request({ nowMs: NOW + 61_000 }))).toBe(false);
    expect(isVtcRequestAuthentic(request({ nowMs: NOW - 61_000 }))).toBe(false);
  });

  it('refuses a wrong token, another app, a changed timestamp and malformed secrets', () => {
    expect(isVtcRequestAuthentic(request({ appToken: 'other' }))).toBe(false);
    const signed = request();
    expect(isVtcRequestAuthentic({ ...signed, appId: '11502' })).toBe(false);
    expect(isVtcRequestAuthentic({ ...signed, timestamp: String(NOW + 1) })).toBe(false);
    expect(isVtcRequestAuthentic({ ...signed, secret: signed.secret.toUpperCase() })).toBe(true);
    expect(isVtcRequestAuthentic({ ...signed, secret: signed.secret.slice(1) })).toBe(false);
    expect(isVtcRequestAuthentic({ ...signed, secret: `${signed.secret.slice(1)}z` })).toBe(false);
    expect(parseVtcTimestamp('12.5')).toBeUndefined();
    expect(parseVtcTimestamp('-1')).toBeUndefined();
  });
});
