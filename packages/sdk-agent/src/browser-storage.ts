import type { KeyValueStorage } from './types.ts';

/** Storage keys shared with /sdk/login.js (the device id) and between the tabs of a browser. */
export const DEVICE_ID_KEY = 'frontdesk.deviceId';

export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** The id the tabs of this browser share: the server does not kick a login with the same one. */
export function browserDeviceId(storage: KeyValueStorage): string {
  const existing = safeStorage(() => storage.getItem(DEVICE_ID_KEY));
  if (existing && /^[A-Za-z0-9_-]{8,128}$/.test(existing)) return existing;
  const id = randomId().replace(/[^A-Za-z0-9]/g, '');
  safeStorage(() => storage.setItem(DEVICE_ID_KEY, id));
  return id;
}

function decodeClaims(token: string): { app?: unknown; exp?: unknown } | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    return JSON.parse(json) as { app?: unknown; exp?: unknown };
  } catch {
    return null;
  }
}

/** The app id a login token names (not verified: the server does that). */
export function appOfToken(token: string): string | null {
  const app = decodeClaims(token)?.app;
  return typeof app === 'string' ? app : null;
}

export function isTokenExpired(token: string): boolean {
  const exp = decodeClaims(token)?.exp;
  return typeof exp !== 'number' || exp * 1000 <= Date.now();
}

/** Storage may throw (private mode, quota, denied): then it is as if empty. */
export function safeStorage<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** `localStorage` when there is one, else memory. */
export function defaultStorage(): KeyValueStorage {
  const ls = safeStorage(() => (globalThis as { localStorage?: KeyValueStorage }).localStorage);
  if (ls) return ls;
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
