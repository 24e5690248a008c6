import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal.ts';

/**
 * URLs that work without a token until they expire (AnyChat `fileurl`, valid `activeseconds`):
 * `?expires=<unix seconds>&signature=<base64url HMAC-SHA256 of "path\nexpires">`, the key derived
 * per purpose from the server secret. The path is part of what is signed: a signature opens one
 * resource only.
 */
export function createUrlSigner(serverSecret: Uint8Array, purpose: string) {
  const key = createHmac('sha256', Buffer.from(serverSecret)).update(`frontdesk signed url: ${purpose}`).digest();
  const signatureOf = (path: string, expiresS: number) => createHmac('sha256', key).update(`${path}\n${expiresS}`).digest('base64url');
  return {
    /** The query string (without `?`) that opens `path` until `expiresAtMs`. */
    sign(path: string, expiresAtMs: number): string {
      const expires = Math.ceil(expiresAtMs / 1000);
      return new URLSearchParams({ expires: String(expires), signature: signatureOf(path, expires) }).toString();
    },
    isValid(path: string, query: { expires?: unknown; signature?: unknown }, nowMs: number): boolean {
      const expires = Number(query.expires);
      if (!Number.isSafeInteger(expires) || typeof query.signature !== 'string') return false;
      if (expires * 1000 <= nowMs) return false;
      return constantTimeEqual(signatureOf(path, expires), query.signature);
    },
  };
}

export type UrlSigner = ReturnType<typeof createUrlSigner>;
