import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** What a sealed value starts with: the scheme and its version. */
const SEALED_PREFIX = 'fdsb1:';

/**
 * Secrets kept in the database encrypted (AES-256-GCM, a fresh 96-bit IV each time, the tag
 * checked on opening): a dump of the database alone does not give a channel's identity secret
 * away, when the key comes from FRONTDESK_JWT_SECRET (set in the environment, not the database).
 * `purpose` binds a value to what it is (one key per purpose, derived from the server secret).
 */
export function createSecretBox(serverSecret: Uint8Array, purpose: string) {
  const key = createHmac('sha256', Buffer.from(serverSecret)).update(`frontdesk secret box: ${purpose}`).digest();
  return {
    seal(plaintext: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${SEALED_PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    /** The plaintext of a sealed value; throws when it was not sealed with this key (or was changed). */
    open(sealed: string): string {
      const [iv, tag, body] = sealed.slice(SEALED_PREFIX.length).split('.');
      if (!isSealed(sealed) || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

export type SecretBox = ReturnType<typeof createSecretBox>;

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}
