import { describe, expect, it } from 'vitest';
import { isUserHashValid, userHashOf } from './user-hash.ts';

describe('HMAC user hash (SPEC M5)', () => {
  it('is hex HMAC-SHA256(secret, userId) (RFC 4231 test case 2)', () => {
    expect(userHashOf('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('accepts the right hash in either letter case and refuses any other', () => {
    const hash = userHashOf('s3cret', 'user-42');
    expect(isUserHashValid('s3cret', 'user-42', hash)).toBe(true);
    expect(isUserHashValid('s3cret', 'user-42', hash.toUpperCase())).toBe(true);
    expect(isUserHashValid('s3cret', 'user-43', hash)).toBe(false);
    expect(isUserHashValid('other', 'user-42', hash)).toBe(false);
    expect(isUserHashValid('s3cret', 'user-42', hash.slice(0, 63))).toBe(false);
    expect(isUserHashValid('s3cret', 'user-42', `${hash.slice(0, 63)}g`)).toBe(false);
  });
});
