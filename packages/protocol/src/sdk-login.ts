import { z } from 'zod';
import { Agent, Id } from './model.ts';
import { DeviceId } from './rest.ts';

/**
 * SDK login (SPEC M6, TCCC `CreateSDKLoginToken`): the business backend asks for a single-use
 * login URL for one agent, valid 10 minutes; loading that script in the business's CRM page
 * signs the agent in and mounts the workbench.
 */
export const SDK_LOGIN_TTL_MS = 10 * 60 * 1000;

export const CreateSdkLoginBody = z
  .object({
    /** Where the script mounts the workbench: a CSS selector; without it, a floating panel. */
    target: z.string().min(1).max(200).optional(),
  })
  .nullish();

export const CreateSdkLoginReply = z.object({
  /** `<script src="…">` this in the CRM page: `{publicUrl}/sdk/login.js?token=…` (add `data-target` to mount in place). */
  url: z.string(),
  /** The single-use token itself, for `createAgentClient({ credentials: { sdkLoginToken } })`. */
  token: z.string(),
  expiresAt: z.number().int(),
});
export type CreateSdkLoginReply = z.infer<typeof CreateSdkLoginReply>;

/** Exchange the single-use token for an agent session (what login.js and the SDK call). */
export const SdkLoginExchangeBody = z.object({
  token: z.string().min(10).max(200),
  /** When given, the token must be of this app. */
  appId: Id.optional(),
  deviceId: DeviceId.optional(),
});
export const SdkLoginExchangeReply = z.object({ token: z.string(), expiresAt: z.number().int(), agent: Agent });
