/**
 * Compat owns the AnyChat gateway surface (SPEC M36): `POST /gateway` translated onto the native
 * modules' public functions, and its per-app settings (`compat_settings`). It holds no business
 * logic beyond translation; AnyChat codes never leave this module.
 */
export { createCompatSettings, type CompatSettings } from './compat.settings.ts';
export { registerCompatRoutes } from './compat.routes.ts';
export { md5Signature, formatAnyChatTimestamp, parseAnyChatTimestamp } from './anychat-signature.ts';
