import { z } from 'zod';

/**
 * Visitor identity (SPEC M3, M4, M5, M2): how a channel learns who its visitor is before any
 * data is shown. The business page hands an identity to the widget, which passes it verbatim
 * in `POST /v1/visitor/session` (`identity`); the server verifies it against the channel's
 * identity mode. See docs/identity.md for the business-server side of each mode.
 *
 * - `anonymous` (default): a guest, kept across reloads by the visitor token.
 * - `hmac` (M5): `userHash` = hex HMAC-SHA256(channel identity secret, userId).
 * - `token` (M3, Huawei token callback): the server POSTs `{Token, userName, userId, tenantSpaceId}`
 *   to the channel's validate URL and accepts only `{"retCode":0}`.
 * - `auth-v2` (M4, Huawei `auth-v2` signature): `authorization` = `auth-v2/{channelId}/{timestamp}/{signedHeaders}/{signature}`
 *   over `body`, the exact JSON text the business server signed (it names the user: `thirdUserId`,
 *   `thirdUserName`, and `tenantSpaceId` = app id, `channelConfigId` = channel id).
 * - `vtc` (M2): a VTC third-party user (`/vtc/ajx/thirdPartyRegister.do`) with its id and password.
 */
export const IDENTITY_MODES = ['anonymous', 'hmac', 'token', 'auth-v2', 'vtc'] as const;
export const IdentityMode = z.enum(IDENTITY_MODES);
export type IdentityMode = z.infer<typeof IdentityMode>;

/** The business's own id of its user (unique within the app). */
export const ExternalUserId = z.string().min(1).max(128);
/** Shown to agents as the visitor's name. */
export const ExternalUserName = z.string().trim().min(1).max(100);

export const AnonymousIdentity = z.object({ mode: z.literal('anonymous') });

export const HmacIdentity = z.object({
  mode: z.literal('hmac'),
  userId: ExternalUserId,
  /** Lowercase or uppercase hex of HMAC-SHA256(identity secret, userId): 64 characters. */
  userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: 'userHash must be 64 hex characters' }),
  userName: ExternalUserName.optional(),
});

export const TokenIdentity = z.object({
  mode: z.literal('token'),
  /** The business's own token for this user, checked by its validate URL (sent as `Token`). */
  token: z.string().min(1).max(4096),
  userId: ExternalUserId,
  userName: ExternalUserName,
});

/** The `auth-v2` signed body: at most 8 KiB of JSON text, passed exactly as it was signed. */
export const AUTH_V2_MAX_BODY_LENGTH = 8192;

export const AuthV2Identity = z.object({
  mode: z.literal('auth-v2'),
  /** `auth-v2/{channelId}/{yyyy-MM-ddTHH:mm:ss.SSSZ}/{signedHeaders}/{64 hex signature}` */
  authorization: z.string().min(1).max(1024),
  /** The JSON text that was signed, byte for byte: `{"thirdUserId","thirdUserName","tenantSpaceId","channelConfigId",…}`. */
  body: z.string().min(2).max(AUTH_V2_MAX_BODY_LENGTH),
});

export const VtcIdentity = z.object({
  mode: z.literal('vtc'),
  /** The VTC `thirdPartyId`. */
  userId: ExternalUserId,
  password: z.string().min(1).max(256),
});

export const VisitorIdentity = z.discriminatedUnion('mode', [AnonymousIdentity, HmacIdentity, TokenIdentity, AuthV2Identity, VtcIdentity]);
export type VisitorIdentity = z.infer<typeof VisitorIdentity>;

/** The JSON fields of an `auth-v2` signed body the server reads (others, e.g. `locale`, are signed but ignored). */
export const AuthV2Body = z.object({
  thirdUserId: ExternalUserId,
  thirdUserName: ExternalUserName.optional(),
  tenantSpaceId: z.string().min(1),
  channelConfigId: z.string().min(1),
});
export type AuthV2Body = z.infer<typeof AuthV2Body>;

/** A channel's identity settings as admins see them (the secret has its own admin-only routes). */
export const ChannelIdentity = z.object({
  mode: IdentityMode,
  /** Token mode: the business's validate endpoint (http(s); the webhook SSRF guard applies). */
  validateUrl: z.string().nullable(),
});
export type ChannelIdentity = z.infer<typeof ChannelIdentity>;

/** Token mode: where the business validates its tokens (http(s); the webhook SSRF guard applies). */
export const ValidateUrl = z.url({ protocol: /^https?$/, message: 'validateUrl must be an http(s) URL' }).max(2048);

/** In a channel create body: every field left out gets its default (anonymous, no validate URL). */
export const ChannelIdentityInput = z.object({ mode: IdentityMode.default('anonymous'), validateUrl: ValidateUrl.nullable().default(null) });

/** In a channel update body: fields left out are kept; `validateUrl: null` removes it. */
export const ChannelIdentityPatch = z.object({ mode: IdentityMode, validateUrl: ValidateUrl.nullable() }).partial();

/** The channel's identity secret (hmac and auth-v2 modes); shown to admins only. */
export const ChannelIdentitySecret = z.object({ secret: z.string() });
/** Seed 002 §2.4.1: Huawei's secretKey is 43 characters of A–Z a–z 0–9; ours are made so, and one an admin sets must be. */
export const IDENTITY_SECRET_LENGTH = 43;
export const SetChannelIdentitySecretBody = z.object({
  secret: z.string().regex(new RegExp(`^[A-Za-z0-9]{${IDENTITY_SECRET_LENGTH}}$`), `must be ${IDENTITY_SECRET_LENGTH} characters of A-Z, a-z and 0-9 (the Huawei secretKey rule)`),
});
