import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, BrowserContextOptions, Page, PageScreenshotOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { AppOverrides } from '../apps/server/src/app.ts';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/** The password seedApp gives its agents (and the tests give the agents they add). */
export const PASSWORD = 'correct horse battery';
/** Where browser tests save their screenshots (not committed). */
export const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');

export type Seeded = Awaited<ReturnType<typeof seedApp>>;
/** A REST call that must succeed: it throws with the status and the body otherwise. */
export type Ok = (method: string, route: string, body?: unknown, token?: string) => Promise<any>;

/** REST calls on `server` as `token` unless a call names another, each one required to succeed. */
export function okAs(server: TestServer, token: string): Ok {
  return async (method, route, body, as = token) => {
    const res = await api(server.url, method, route, { token: as, body });
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
}

/** A queue of these agents (their default one) that the default channel routes to, with `channel`'s other settings. */
export async function routeThroughQueue(ok: Ok, queue: Record<string, unknown>, agentIds: string[], channel: Record<string, unknown> = {}): Promise<string> {
  const { id } = (await ok('POST', '/v1/queues', queue)) as { id: string };
  for (const agentId of agentIds) await ok('PUT', `/v1/agents/${agentId}/skills`, { skills: [{ queueId: id, level: 3, isDefault: true }] });
  await ok('PATCH', '/v1/channels/default', { ...channel, queueId: id });
  return id;
}

/** Signs in on the workbench's sign-in screen with the app in its URL; resolves once the agent's status shows. */
export async function signInWorkbench(page: Page, baseUrl: string, email: string, appId = 'acme'): Promise<void> {
  await page.goto(`${baseUrl}/workbench/?appId=${encodeURIComponent(appId)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('agent-status').waitFor();
}

/** Signs out with the shell's button; resolves once the signed-out screen shows (the session is forgotten). */
export async function signOutWorkbench(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByText('You are signed out.').waitFor();
}

/** Signs in typing the app id on the sign-in screen (the caller waits for the screen it opens next). */
export async function signInTypingApp(page: Page, baseUrl: string, appId: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/workbench/`);
  await page.getByLabel('App id').fill(appId);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** What `instrumentAlerts` records in each page of its context. */
export interface Alerts {
  __oscillators: number;
  __notifications: string[];
  __hidden: boolean;
}

/**
 * Counts the oscillators of the ringtone and chime and the notifications shown (as `title: body`), and
 * lets the test say the tab is hidden through `__hidden` (headless Chromium has no background tabs).
 * Notifications are granted on `origin`.
 */
export async function instrumentAlerts(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['notifications'], { origin });
  await context.addInitScript(() => {
    const w = window as unknown as Alerts;
    w.__oscillators = 0;
    w.__notifications = [];
    w.__hidden = false;
    const createOscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.__oscillators++;
      return createOscillator.call(this);
    };
    const Original = window.Notification;
    window.Notification = class extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        w.__notifications.push(`${title}: ${options?.body ?? ''}`);
      }
    } as typeof Notification;
    Object.defineProperty(Document.prototype, 'hidden', { get: () => w.__hidden });
  });
}

/** A PNG of one colour, made here (the server checks a file's type from its bytes). */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => [r, g, b][i % 3]!)]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** A visitor and its conversation, driven through the REST API. */
export interface RestVisitor {
  token: string;
  conversationId: string;
  /** Sends a message (a fresh client id each time); throws unless the server took it. */
  say(text: string): Promise<{ status: number; body: unknown }>;
  sendFile(fileName: string, bytes: Buffer, type: string): Promise<void>;
  rate(stars: number, comment: string): Promise<void>;
}

export async function restVisitor(server: TestServer, appId: string, name?: string): Promise<RestVisitor> {
  const ok = okAs(server, '');
  const { token } = (await ok('POST', '/v1/visitor/session', { appId, name })) as { token: string };
  const { id: conversationId } = (await ok('POST', '/v1/conversations', undefined, token)) as { id: string };
  let n = 0;
  return {
    token,
    conversationId,
    say: async (text) => {
      const res = await api(server.url, 'POST', `/v1/conversations/${conversationId}/messages`, { token, body: { clientId: `c${++n}`, text } });
      if (res.status >= 300) throw new Error(`send → ${res.status} ${JSON.stringify(res.body)}`);
      return res;
    },
    sendFile: async (fileName, bytes, type) => {
      const res = await fetch(`${server.url}/v1/conversations/${conversationId}/files?name=${encodeURIComponent(fileName)}&clientId=f${++n}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body: new Uint8Array(bytes),
      });
      if (res.status >= 300) throw new Error(`upload → ${res.status} ${await res.text()}`);
    },
    rate: async (stars, comment) => {
      await ok('PUT', `/v1/conversations/${conversationId}/rating`, { stars, comment }, token);
    },
  };
}

export interface WorkbenchHarnessOptions {
  /** Screenshots are saved as `<shots>-<name>.png`. */
  shots: string;
  env?: Record<string, string>;
  overrides?: AppOverrides;
  /** The test opens the demo shop page: the widget must be built. */
  widget?: boolean;
  /** Runs once the app is seeded, before Chromium starts. */
  setUp?: (harness: Harness) => Promise<void>;
}

/** The server, its seeded app `acme` and Chromium, set up in beforeAll and closed in afterAll. */
export interface Harness {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly seeded: Seeded;
  /** REST as the seeded admin unless a call names another token. */
  ok: Ok;
  /** A context closed in afterAll: 1280×800, en-US unless `options` say otherwise; page errors are logged. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a context of its own. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  signIn(page: Page, email: string): Promise<void>;
  signOut(page: Page): Promise<void>;
  shot(page: Page, name: string, options?: PageScreenshotOptions): Promise<Buffer>;
  /** A visitor of `acme` (named, or anonymous) and its new conversation. */
  visitor(name?: string): Promise<RestVisitor>;
}

/**
 * Registers the beforeAll and afterAll of a browser test of the workbench or the widget: a SQLite
 * server serving the built apps, the app `acme` seeded (admin, agent1, agent2) with the server's
 * own origin allowed, then `setUp`, then Chromium.
 */
export function useWorkbenchHarness(options: WorkbenchHarnessOptions): Harness {
  const contexts: BrowserContext[] = [];
  const state = {} as { server: TestServer; browser: Browser; seeded: Seeded };
  const harness: Harness = {
    get server() {
      return state.server;
    },
    get browser() {
      return state.browser;
    },
    get seeded() {
      return state.seeded;
    },
    ok: (method, route, body, token) => okAs(state.server, state.seeded.admin.token)(method, route, body, token),
    newContext: async (contextOptions = {}) => {
      const context = await state.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...contextOptions });
      contexts.push(context);
      context.on('page', (page) => page.on('pageerror', (err) => console.error(`[page error] ${page.url()}:`, err.message)));
      return context;
    },
    newPage: async (contextOptions) => (await harness.newContext(contextOptions)).newPage(),
    signIn: (page, email) => signInWorkbench(page, state.server.url, email),
    signOut: signOutWorkbench,
    shot: (page, name, shotOptions) => page.screenshot({ ...shotOptions, path: path.join(SCREENSHOTS, `${options.shots}-${name}.png`) }),
    visitor: (name) => restVisitor(state.server, 'acme', name),
  };

  beforeAll(async () => {
    if (options.widget && !fs.existsSync(path.resolve(import.meta.dirname, '../apps/widget/dist/loader.js'))) throw new Error('run npm run build first');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    state.server = await startTestServer('sqlite', options.env, options.overrides);
    state.seeded = await seedApp(state.server, 'acme');
    await harness.ok('PATCH', '/v1/app', { allowedOrigins: [state.server.url] });
    await options.setUp?.(harness);
    state.browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await state.browser?.close();
    await state.server?.close();
  });

  return harness;
}
