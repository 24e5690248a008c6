import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, createSecretBox, hmacSha1Base64, hmacSha256Base64, hmacSha256Hex, isSealed, md5Hex, pooledRandomToken, randomAlphanumeric, randomToken, sha256Hex } from './index.ts';

describe('digests', () => {
  it('HMAC-SHA256 matches RFC 4231 test case 2, in hex and base64', () => {
    const hex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(hex);
    expect(hmacSha256Base64('Jefe', 'what do ya want for nothing?')).toBe(Buffer.from(hex, 'hex').toString('base64'));
    expect(hmacSha256Hex(Buffer.from('Jefe'), new TextEncoder().encode('what do ya want for nothing?'))).toBe(hex);
  });

  it('HMAC-SHA1 matches RFC 2202 test case 2 (coturn TURN REST credentials)', () => {
    expect(hmacSha1Base64('Jefe', 'what do ya want for nothing?')).toBe(Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64'));
  });

  it('MD5 and SHA-256 match the published vectors, over UTF-8 text', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('The quick brown fox jumps over the lazy dog')).toBe('9e107d9d372bb6826bd81d3542a419d6');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('客服')).toBe(sha256Hex(Buffer.from('客服', 'utf8')));
  });

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const whole = Buffer.from('xxabcxx');
    expect(sha256Hex(whole.subarray(2, 5))).toBe(sha256Hex('abc'));
  });
});

describe('constantTimeEqual', () => {
  it('is true for equal strings or bytes and false for any difference, without throwing on lengths', () => {
    expect(constantTimeEqual('a1b2', 'a1b2')).toBe(true);
    expect(constantTimeEqual(Buffer.from('a1b2'), 'a1b2')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a1b2', 'a1b3')).toBe(false);
    expect(constantTimeEqual('a1b2', 'a1b')).toBe(false);
    expect(constantTimeEqual('a1b2', 'a1b2 ')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
    expect(constantTimeEqual('A1B2', 'a1b2')).toBe(false);
  });

  it('agrees with plain equality on any pair (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b) && constantTimeEqual(a, a)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => constantTimeEqual(a, b) === Buffer.from(a).equals(Buffer.from(b))),
      { numRuns: 500 },
    );
  });
});

describe('randomToken', () => {
  it('encodes the number of random bytes asked for', () => {
    expect(Buffer.from(randomToken(32, 'base64'), 'base64')).toHaveLength(32);
    expect(randomToken(16, 'hex')).toMatch(/^[0-9a-f]{32}$/);
    expect(randomToken(15)).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(new Set(Array.from({ length: 100 }, () => randomToken(16))).size).toBe(100);
  });

  it('refuses a length that is not a whole positive number of bytes', () => {
    expect(() => randomToken(0)).toThrow(RangeError);
    expect(() => randomToken(1.5)).toThrow(RangeError);
  });
});

describe('pooledRandomToken', () => {
  it('gives base64url tokens of the bytes asked for, all different across many refills of its pool', () => {
    const drawn = Array.from({ length: 3000 }, () => pooledRandomToken(15));
    for (const token of drawn) expect(token).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(Buffer.from(pooledRandomToken(4096), 'base64url')).toHaveLength(4096);
    expect(() => pooledRandomToken(0)).toThrow(RangeError);
    expect(() => pooledRandomToken(4097)).toThrow(RangeError);
  });
});

describe('randomAlphanumeric', () => {
  it('draws only A–Z a–z 0–9, of the length asked, and every one of the 62 shows up', () => {
    const drawn = Array.from({ length: 200 }, () => randomAlphanumeric(43));
    for (const token of drawn) expect(token).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(new Set(drawn.join('')).size).toBe(62);
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(() => randomAlphanumeric(0)).toThrow(RangeError);
  });
});

describe('secret box', () => {
  const serverSecret = new TextEncoder().encode('s'.repeat(48));
  it('opens what it sealed; every seal differs; another key or purpose, or a changed byte, does not open', () => {
    const box = createSecretBox(serverSecret, 'channel identity secret');
    const sealed = box.seal('Hw0123456789abcdefghijklmnopqrstuvwxyzABCDE');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('Hw0123');
    expect(box.open(sealed)).toBe('Hw0123456789abcdefghijklmnopqrstuvwxyzABCDE');
    expect(box.seal('x')).not.toBe(box.seal('x'));
    expect(() => createSecretBox(serverSecret, 'another purpose').open(sealed)).toThrow();
    expect(() => createSecretBox(new TextEncoder().encode('t'.repeat(48)), 'channel identity secret').open(sealed)).toThrow();
    // One bit of the ciphertext flipped (through its bytes: a changed last character of base64 may
    // only change bits that decode to nothing).
    const cut = sealed.lastIndexOf('.') + 1;
    const body = Buffer.from(sealed.slice(cut), 'base64url');
    body[0]! ^= 1;
    const tampered = sealed.slice(0, cut) + body.toString('base64url');
    expect(() => box.open(tampered)).toThrow();
    expect(() => box.open('plain')).toThrow();
  });
});
