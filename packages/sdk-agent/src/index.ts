/**
 * @frontdesk/sdk-agent — a framework-free agent SDK over the Frontdesk protocol, shaped like the
 * TCCC agent Web SDK (seed 004). Start with `createAgentClient`; see ../README.md.
 */
export type * from './types.ts';
export { ApiError, RestClient, type RestClientOptions, type QueryValue } from './rest.ts';
export { createAgentClient } from './agent-client.ts';
export { DefaultReconnectPolicy } from './reconnect-policy.ts';
export { EASEMOB_CODE_OF_STATUS } from './status.ts';
export { IMClient, type EasemobCallback, type EasemobInnerCallbacks, type EasemobPayload } from './im-client.ts';
export * from './admin.ts';
