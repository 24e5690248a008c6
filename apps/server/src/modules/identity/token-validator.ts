import { z } from 'zod';
import { checkTargetUrl, createWebhookClient, type TargetPolicy } from '../webhooks/index.ts';
import { IdentityError } from './identity.errors.ts';

/** The longest a validate endpoint may take (connect, send, answer) before the token is refused. */
export const TOKEN_VALIDATE_TIMEOUT_MS = 5000;

/** Seed 002 §1.5.1, table 1-7: `retCode` 0 is success, anything else a refusal. */
const ValidateReply = z.object({ retCode: z.number(), message: z.string().optional() });

export interface TokenCheck {
  token: string;
  userName: string;
  userId: string;
  /** Huawei's tenant space id: the Frontdesk app id. */
  tenantSpaceId: string;
}

export type TokenVerdict = 'accepted' | 'refused' | 'failed';

/**
 * A channel's validate URL, normalized, or FD_IDENTITY_VALIDATE_URL_NOT_ALLOWED when it is not
 * http(s) or the SSRF policy refuses it (the webhooks' rule; checked again at connect time).
 */
export function checkValidateUrl(url: string, policy: TargetPolicy): string {
  try {
    return checkTargetUrl(url, policy);
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^url/, 'validateUrl') : 'validateUrl is not allowed';
    throw new IdentityError('FD_IDENTITY_VALIDATE_URL_NOT_ALLOWED', message);
  }
}

/**
 * Token mode (SPEC M3): asks the business's validate endpoint whether it issued a token, as seed
 * 002 §1.5.1 specifies: `POST {Token, userName, userId, tenantSpaceId}` (JSON) → `{"retCode":0}`.
 * Only a 200 answer with JSON `retCode` 0 accepts; another retCode refuses; a non-200 answer, a
 * body that is not that JSON, a network error or a timeout fail (and also refuse the visitor).
 * Requests go through the webhooks' guarded client: the SSRF policy is checked when the URL is
 * saved and again on the address actually connected to; redirects are not followed.
 */
export function createTokenValidator({ policy, timeoutMs }: { policy: TargetPolicy; timeoutMs: number }) {
  const client = createWebhookClient({ policy, timeoutMs, maxSocketsPerHost: 16 });
  return {
    async validate(url: string, check: TokenCheck, nowMs: number): Promise<{ verdict: TokenVerdict; detail: string }> {
      const body = JSON.stringify({ Token: check.token, userName: check.userName, userId: check.userId, tenantSpaceId: check.tenantSpaceId });
      const response = await client.send({ url, headers: { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json' }, body }, nowMs);
      if (response.error !== null) return { verdict: 'failed', detail: response.error };
      if (response.statusCode !== 200) return { verdict: 'failed', detail: `answered HTTP ${response.statusCode}` };
      let json: unknown;
      try {
        json = JSON.parse(response.responseExcerpt ?? '');
      } catch {
        return { verdict: 'failed', detail: 'answer is not JSON (or longer than 1 KiB)' };
      }
      const reply = ValidateReply.safeParse(json);
      if (!reply.success) return { verdict: 'failed', detail: 'answer has no numeric retCode' };
      return reply.data.retCode === 0 ? { verdict: 'accepted', detail: 'retCode 0' } : { verdict: 'refused', detail: `retCode ${reply.data.retCode}` };
    },

    close(): void {
      client.close();
    },
  };
}

export type TokenValidator = ReturnType<typeof createTokenValidator>;
