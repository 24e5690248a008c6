/**
 * @frontdesk/sdk-core: the pieces both browser SDKs (visitor and agent) are built from: a typed
 * event emitter and the reconnect policy. Framework-free, no dependencies, imports nothing.
 */
export { Emitter } from './emitter.ts';
export { ExponentialBackoffPolicy, type ExponentialBackoffOptions, type ReconnectContext, type ReconnectPolicy } from './reconnect-policy.ts';
