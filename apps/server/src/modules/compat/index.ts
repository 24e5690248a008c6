/**
 * Compat owns the AnyChat gateway surface (SPEC M36): `POST /gateway` translated onto the native
 * modules' public functions, its per-app settings (`compat_settings`), and what AnyChat objects
 * carry that native ones do not (`anychat_objects`: descriptions, skill groups, skill objects). It holds no business
 * logic beyond translation; AnyChat codes never leave this module. It also owns the VTC
 * third-party user API (SPEC M2, `/vtc/`, vtc.routes.ts) onto the identity module's third-party
 * users, and the VTC manage rate limit (`vtc_manage_calls`).
 */
export { createCompatSettings, type CompatSettings } from './compat.settings.ts';
export { registerCompatRoutes } from './compat.routes.ts';
export { md5Signature, formatAnyChatTimestamp, parseAnyChatTimestamp } from './anychat-signature.ts';
/** The VTC third-party user API (SPEC M2) under /vtc/: vtc.routes.ts. */
export { registerVtcRoutes, VTC_RESULTS, VTC_SESSION_COOKIE } from './vtc.routes.ts';
export { vtcSecretOf } from './vtc-signature.ts';
