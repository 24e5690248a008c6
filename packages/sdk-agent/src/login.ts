import type { Agent } from '@frontdesk/protocol';
import { browserDeviceId, isTokenExpired, safeStorage } from './browser-storage.ts';
import type { RestClient } from './rest.ts';
import { failure } from './results.ts';
import type { AgentClientOptions, KeyValueStorage } from './types.ts';

type LoginReply = { token: string; expiresAt: number; agent: Agent };

export interface LogInDeps {
  options: Pick<AgentClientOptions, 'credentials' | 'multiTab'>;
  /** A token given by the embedder (e.g. from the SDK login URL exchange), or null. */
  token: string | null;
  appId: string | null;
  rest: RestClient;
  storage: KeyValueStorage;
  /** Where the tabs of this browser share the login token. */
  tokenKey: string;
}

/**
 * The agent's login token: the one given, else (multi-tab) the one another tab of this browser
 * holds, else a new login with the credentials (password, or a single-use SDK login token).
 * With multi-tab, the token is shared through `storage` and the browser's device id is sent, so
 * the tabs' logins do not replace each other.
 */
export async function logIn({ options, token, appId, rest, storage, tokenKey }: LogInDeps): Promise<string> {
  if (token) {
    // Given a token (SDK login): the other tabs of this browser take it over from here.
    if (options.multiTab) safeStorage(() => storage.setItem(tokenKey, token));
    return token;
  }
  if (options.multiTab) {
    const stored = safeStorage(() => storage.getItem(tokenKey));
    if (stored && !isTokenExpired(stored)) return stored;
  }
  const credentials = options.credentials;
  if (!credentials) throw failure('SDK_NOT_STARTED', 'give a token or credentials');
  const deviceId = options.multiTab ? browserDeviceId(storage) : undefined;
  let reply: LoginReply;
  if ('sdkLoginToken' in credentials) {
    reply = await rest.post<LoginReply>('/v1/auth/sdk-login', { token: credentials.sdkLoginToken, ...(appId ? { appId } : {}), ...(deviceId ? { deviceId } : {}) });
  } else {
    if (!appId) throw failure('FD_REQ_INVALID', 'appId is needed for a password login');
    reply = await rest.post<LoginReply>('/v1/auth/login', { appId, email: credentials.email, password: credentials.password, ...(deviceId ? { deviceId } : {}) });
  }
  if (options.multiTab) safeStorage(() => storage.setItem(tokenKey, reply.token));
  return reply.token;
}
