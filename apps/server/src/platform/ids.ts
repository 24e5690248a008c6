import { randomBytes } from 'node:crypto';

/** Opaque ids with a readable prefix: `conv_3fJ9…`. 120 bits of randomness. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
