import { AuthV2Body, type ChannelIdentity, type IdentityMode, type VisitorIdentity } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { originOf } from '../webhooks/index.ts';
import { AUTH_V2_MAX_SKEW_MS, verifyAuthV2 } from './auth-v2.ts';
import { IdentityError } from './identity.errors.ts';
import type { ThirdPartyUsers } from './third-party-users.ts';
import type { TokenValidator } from './token-validator.ts';
import type { UsedSignatures } from './used-signatures.ts';
import { isUserHashValid } from './user-hash.ts';

/** Who a verified identity says the visitor is. */
export type VerifiedVisitor = { mode: 'anonymous' } | { mode: Exclude<IdentityMode, 'anonymous'>; externalId: string; name: string | undefined };

export interface VisitorIdentityDeps {
  clock: Clock;
  log: Logger;
  /** The channel (the app's default one when `channelId` is undefined) and its identity settings. */
  channelOf: (appId: string, channelId: string | undefined) => Promise<{ id: string; identity: ChannelIdentity }>;
  identitySecretOf: (appId: string, channelId: string) => Promise<string>;
  usedSignatures: UsedSignatures;
  tokenValidator: TokenValidator;
  thirdPartyUsers: ThirdPartyUsers;
}

const invalid = (message: string) => new IdentityError('FD_IDENTITY_INVALID', message);

/**
 * Verifies the identity a widget passes against its channel's identity mode, before a session
 * (and so any data) is given. The mode is the channel's, never the caller's: an identity of
 * another mode is refused, and an identified channel refuses anonymous visitors.
 */
export function createVisitorIdentityVerifier(deps: VisitorIdentityDeps) {
  const { clock, log } = deps;

  async function verifyToken(appId: string, validateUrl: string | null, identity: Extract<VisitorIdentity, { mode: 'token' }>): Promise<VerifiedVisitor> {
    if (validateUrl === null) throw new IdentityError('FD_IDENTITY_NOT_CONFIGURED', 'this channel has no validate URL for token mode');
    const { verdict, detail } = await deps.tokenValidator.validate(
      validateUrl,
      { token: identity.token, userName: identity.userName, userId: identity.userId, tenantSpaceId: appId },
      clock.now(),
    );
    if (verdict === 'failed') {
      // The URL's origin only: its query may carry the business's credentials.
      log.warn({ appId, validateOrigin: originOf(validateUrl), detail }, 'token validate endpoint failed');
      throw new IdentityError('FD_IDENTITY_VALIDATE_FAILED', 'the validate endpoint did not answer {"retCode":0}');
    }
    if (verdict === 'refused') throw invalid(`the validate endpoint refused the token (${detail})`);
    return { mode: 'token', externalId: identity.userId, name: identity.userName };
  }

  async function verifyAuthV2Identity(appId: string, channelId: string, identity: Extract<VisitorIdentity, { mode: 'auth-v2' }>): Promise<VerifiedVisitor> {
    const secret = await deps.identitySecretOf(appId, channelId);
    const nowMs = clock.now();
    const verdict = verifyAuthV2({ authorization: identity.authorization, secret, channelId, body: identity.body, nowMs });
    if (!verdict.ok) throw new IdentityError(verdict.reason === 'expired' ? 'FD_IDENTITY_EXPIRED' : 'FD_IDENTITY_INVALID', verdict.message);
    let json: unknown;
    try {
      json = JSON.parse(identity.body);
    } catch {
      throw invalid('the signed body is not JSON');
    }
    const body = AuthV2Body.safeParse(json);
    if (!body.success) throw invalid('the signed body needs thirdUserId, tenantSpaceId and channelConfigId (strings)');
    if (body.data.tenantSpaceId !== appId) throw invalid('tenantSpaceId of the signed body is not this app');
    if (body.data.channelConfigId !== channelId) throw invalid('channelConfigId of the signed body is not this channel');
    // Last, so that refused attempts do not use the signature up.
    if (!(await deps.usedSignatures.markUsed(appId, verdict.signature, verdict.timestampMs + AUTH_V2_MAX_SKEW_MS, nowMs))) {
      throw new IdentityError('FD_IDENTITY_REPLAYED', 'this signature was already used');
    }
    return { mode: 'auth-v2', externalId: body.data.thirdUserId, name: body.data.thirdUserName };
  }

  return {
    async verify(appId: string, channelId: string | undefined, given: VisitorIdentity | undefined): Promise<VerifiedVisitor> {
      const channel = await deps.channelOf(appId, channelId);
      const mode = channel.identity.mode;
      const identity: VisitorIdentity = given ?? { mode: 'anonymous' };
      if (identity.mode !== mode) {
        if (identity.mode === 'anonymous') throw new IdentityError('FD_IDENTITY_REQUIRED', `this channel identifies its visitors (mode ${mode})`);
        throw new IdentityError('FD_IDENTITY_MODE_MISMATCH', `this channel's identity mode is ${mode}, not ${identity.mode}`);
      }
      switch (identity.mode) {
        case 'anonymous':
          return { mode: 'anonymous' };
        case 'hmac': {
          const secret = await deps.identitySecretOf(appId, channel.id);
          if (!isUserHashValid(secret, identity.userId, identity.userHash)) throw invalid('userHash does not match userId');
          return { mode: 'hmac', externalId: identity.userId, name: identity.userName };
        }
        case 'token':
          return verifyToken(appId, channel.identity.validateUrl, identity);
        case 'auth-v2':
          return verifyAuthV2Identity(appId, channel.id, identity);
        case 'vtc': {
          const outcome = await deps.thirdPartyUsers.verifyPassword(appId, identity.userId, identity.password);
          if (outcome !== 'ok') throw invalid('wrong VTC user id or password');
          return { mode: 'vtc', externalId: identity.userId, name: undefined };
        }
      }
    },
  };
}

export type VisitorIdentityVerifier = ReturnType<typeof createVisitorIdentityVerifier>;

