import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { createTokenSigner, verifyHs256 } from './tokens.ts';

const SECRET = 'a-secret-of-the-tests-long-enough-for-hs256-0123456789';
const key = new TextEncoder().encode(SECRET);
const NOW_S = 1_800_000_000;

function signed(claims: Record<string, unknown>, header: { alg: string } = { alg: 'HS256' }, secret = key) {
  return new SignJWT(claims).setProtectedHeader(header).sign(secret);
}
/** Signed by hand: jose refuses to sign a header it would not accept. */
function signedRaw(header: Record<string, unknown>, claims: Record<string, unknown>) {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}
const valid = { iss: 'frontdesk', sub: 'v_1', iat: NOW_S - 10, exp: NOW_S + 60, kind: 'visitor', app: 'acme' };

/** What jose's own verify says of a token, with the options the server used with it. */
async function joseAccepts(token: string): Promise<boolean> {
  return jwtVerify(token, key, { issuer: 'frontdesk', algorithms: ['HS256'], currentDate: new Date(NOW_S * 1000), requiredClaims: ['exp', 'iat', 'sub'] }).then(
    () => true,
    () => false,
  );
}

describe('verifyHs256', () => {
  it('accepts what jose accepts and refuses what it refuses', async () => {
    const [header, body] = (await signed(valid)).split('.');
    const cases: Record<string, string> = {
      valid: await signed(valid),
      'not yet expired, nbf now': await signed({ ...valid, nbf: NOW_S }),
      'expired at this second': await signed({ ...valid, exp: NOW_S }),
      'not valid before a later time': await signed({ ...valid, nbf: NOW_S + 1 }),
      'no exp': await signed({ ...valid, exp: undefined }),
      'no iat': await signed({ ...valid, iat: undefined }),
      'no sub': await signed({ ...valid, sub: undefined }),
      'another issuer': await signed({ ...valid, iss: 'someone' }),
      'another secret': await signed(valid, { alg: 'HS256' }, new TextEncoder().encode(`${SECRET}!`)),
      'HS512': await signed(valid, { alg: 'HS512' }),
      'a crit header': signedRaw({ alg: 'HS256', crit: ['x'], x: 1 }, valid),
      'signed by hand': signedRaw({ alg: 'HS256', typ: 'JWT' }, valid),
      'alg none': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`,
      'payload swapped': `${header}.${Buffer.from(JSON.stringify({ ...valid, sub: 'v_2' })).toString('base64url')}.${(await signed(valid)).split('.')[2]}`,
      'two parts': `${header}.${body}`,
      'not base64 JSON': `${header}.bm90IGpzb24.${(await signed(valid)).split('.')[2]}`,
    };
    for (const [name, token] of Object.entries(cases)) {
      const ours = (() => {
        try {
          verifyHs256(token, key, 'frontdesk', NOW_S);
          return true;
        } catch {
          return false;
        }
      })();
      expect({ name, accepted: ours }).toEqual({ name, accepted: await joseAccepts(token) });
    }
    expect(verifyHs256(cases.valid!, key, 'frontdesk', NOW_S)).toMatchObject({ sub: 'v_1', kind: 'visitor', app: 'acme' });
  });

  it('accepts a signature in one spelling only (a character appended or changed is refused)', async () => {
    const token = await signed(valid);
    const last = token.at(-1)!;
    for (const tampered of [`${token}=`, `${token}A`, `${token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`]) {
      expect(() => verifyHs256(tampered, key, 'frontdesk', NOW_S)).toThrow();
    }
  });
});

describe('the token signer', () => {
  it('verifies the tokens it signs, with their claims, until they expire', async () => {
    const clock = new ManualClock(NOW_S * 1000);
    const signer = await createTokenSigner({ storage: undefined as unknown as Storage, clock, configuredSecret: SECRET });
    const agent = await signer.sign({ kind: 'agent', appId: 'acme', subject: 'a_1', sessionId: 's_1' }, 60_000);
    const visitor = await signer.sign({ kind: 'visitor', appId: 'acme', subject: 'v_1', generation: 2 }, 60_000);
    expect(await signer.verify(agent.token)).toEqual({ kind: 'agent', appId: 'acme', subject: 'a_1', sessionId: 's_1' });
    expect(await signer.verify(visitor.token)).toEqual({ kind: 'visitor', appId: 'acme', subject: 'v_1', generation: 2 });
    clock.advance(60_000);
    await expect(signer.verify(visitor.token)).rejects.toMatchObject({ code: 'FD_AUTH_TOKEN_INVALID' });
  });
});
