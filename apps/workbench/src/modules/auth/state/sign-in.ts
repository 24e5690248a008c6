import { createAgentClient, type AgentClient, type AgentClientOptions } from '@frontdesk/sdk-agent';
import { authStrings } from '../locales/index.ts';

const LAST_APP_ID_KEY = 'frontdesk.workbench.appId';
/** The session token, kept for this tab only (sessionStorage): a reload resumes, a new tab signs in. */
const SESSION_TOKEN_KEY = 'frontdesk.workbench.session';

export interface SignInInput {
  appId: string;
  email: string;
  password: string;
}

export type SignInResult = { ok: true; client: AgentClient } | { ok: false; message: string };

/** What the SDK login passes along with the token (`mount` options). */
export interface ClientOptions {
  baseUrl?: string;
  appId?: string;
  multiTab?: boolean;
}

/** The server the workbench talks to: the origin its bundle came from (also when mounted into a CRM page). */
export function serverBaseUrl(): string {
  return new URL(import.meta.url, window.location.href).origin;
}

async function startClient(options: Omit<AgentClientOptions, 'baseUrl'> & { baseUrl?: string | undefined }): Promise<SignInResult> {
  let client: AgentClient;
  try {
    client = createAgentClient({ ...options, baseUrl: options.baseUrl ?? serverBaseUrl() });
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : 'could not start' };
  }
  const started = await client.start();
  if (started.status === 'success') {
    if (client.token) storeSessionToken(client.token);
    return { ok: true, client };
  }
  client.stop();
  forgetSession();
  return { ok: false, message: messageOf(started.errorCode, started.errorMsg) };
}

export function signInWithPassword(input: SignInInput): Promise<SignInResult> {
  rememberAppId(input.appId);
  return startClient({ appId: input.appId, credentials: { email: input.email, password: input.password } });
}

/** Signs in with a session token handed over by the SDK login (`mount`). */
export function signInWithToken(token: string, options: ClientOptions = {}): Promise<SignInResult> {
  return startClient({
    token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.appId ? { appId: options.appId } : {}),
    ...(options.multiTab ? { multiTab: true } : {}),
  });
}

/** Resumes the session this tab kept (a reload), if there is one. */
export function resumeSession(): Promise<SignInResult> {
  const token = readStorage(() => window.sessionStorage.getItem(SESSION_TOKEN_KEY));
  return token ? startClient({ token }) : Promise.resolve({ ok: false, message: '' });
}

/** Forgets the kept session (sign-out, expiry, kick-out). */
export function forgetSession(): void {
  readStorage(() => window.sessionStorage.removeItem(SESSION_TOKEN_KEY));
}

function storeSessionToken(token: string): void {
  readStorage(() => window.sessionStorage.setItem(SESSION_TOKEN_KEY, token));
}

/** Storage may be disabled (privacy modes): then nothing is kept. */
function readStorage<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

export function lastAppId(): string | null {
  return new URLSearchParams(window.location.search).get('appId') ?? readStorage(() => window.localStorage.getItem(LAST_APP_ID_KEY));
}

function rememberAppId(appId: string) {
  readStorage(() => window.localStorage.setItem(LAST_APP_ID_KEY, appId));
}

function messageOf(code: string, fallback: string): string {
  switch (code) {
    case 'FD_AUTH_INVALID_CREDENTIALS':
      return authStrings().wrongCredentials;
    case 'FD_AGENT_DISABLED':
      return authStrings().accountDisabled;
    case 'FD_APP_NOT_FOUND':
      return authStrings().noSuchApp;
    case 'FD_AUTH_TOKEN_INVALID':
    case 'FD_AUTH_REQUIRED':
      return authStrings().sessionExpired;
    case 'SDK_SOCKET_REFUSED':
      return authStrings().socketRefused;
    case 'SDK_NETWORK':
    case 'SDK_TIMEOUT':
      return authStrings().unreachable;
    default:
      return fallback || authStrings().signInFailed;
  }
}
