import { pooledRandomToken, randomToken } from './crypto/index.ts';

/** Opaque ids with a readable prefix: `conv_3fJ9…`. 120 bits of randomness. */
export function newId(prefix: string): string {
  return `${prefix}_${pooledRandomToken(15)}`;
}

export function newSecret(bytes = 32): string {
  return randomToken(bytes);
}
