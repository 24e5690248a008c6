import { Webhook } from 'standardwebhooks';
import { randomToken } from '../../platform/crypto/index.ts';

/**
 * Standard Webhooks signing: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` computed by
 * the `standardwebhooks` package. During a rotation both the current and the previous secret
 * sign, space-separated, so receivers holding either verify.
 */

/** A new signing secret: `whsec_` + 32 random bytes in base64 (the scheme takes 24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${randomToken(32, 'base64')}`;
}

// Signers by secret: decoding the key once per secret, not per request. Bounded; cleared when full.
const signers = new Map<string, Webhook>();
function signerOf(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= 1000) signers.clear();
    signers.set(secret, (signer = new Webhook(secret)));
  }
  return signer;
}

/** The `webhook-signature` header value for a message signed by each of `secrets`. */
export function signatureHeader(secrets: readonly string[], msgId: string, timestampMs: number, body: string): string {
  const at = new Date(timestampMs);
  return secrets.map((secret) => signerOf(secret).sign(msgId, at, body)).join(' ');
}
