import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type AppOverrides, type FrontdeskApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config/config.ts';

/** The public URL test servers are configured with: loopback, a port nothing listens on (links are only read, never followed). */
export const TEST_PUBLIC_URL = 'http://127.0.0.1:9';
import type { ServerFrame } from '@frontdesk/protocol';

export type StorageKind = 'sqlite' | 'postgres';
export const STORAGES: StorageKind[] = ['sqlite', 'postgres'];

/** A fresh empty database of the given kind: a temp data dir, or a new PostgreSQL database. */
export async function freshStorage(kind: StorageKind): Promise<{ dataDir: string; databaseUrl?: string; drop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-test-'));
  if (kind === 'sqlite') return { dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  const adminUrl = inject('postgresUrl');
  const name = `fd_test_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestServer {
  app: FrontdeskApp;
  url: string;
  wsUrl: (appId: string) => string;
  /** Stops the server and builds it again on the same storage (a restart); `app` and `url` change. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
}

/** A test server's configuration on `storage` (loopback, a random port, quiet, no media server), `env` on top. */
export function testConfig(storage: { dataDir: string; databaseUrl?: string | null }, env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FRONTDESK_DATA_DIR: storage.dataDir,
    // Calls run without a media server unless a test gives one (AppOverrides.media) or asks for it.
    FRONTDESK_MEDIA: 'off',
    FRONTDESK_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    FRONTDESK_PUBLIC_URL: TEST_PUBLIC_URL,
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    ...env,
  });
}

/** Builds the app through the same factory as production, on a random port and a fresh database. */
export async function startTestServer(kind: StorageKind, env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<TestServer> {
  const storage = await freshStorage(kind);
  const config = testConfig(storage, env);
  const server: TestServer = {
    app: await buildApp(config, overrides),
    url: '',
    wsUrl: (appId) => `${server.url.replace('http', 'ws')}/v1/ws?appId=${encodeURIComponent(appId)}`,
    restart: async () => {
      await server.app.close();
      server.app = await buildApp(config, overrides);
      server.url = await server.app.listen();
    },
    close: async () => {
      await server.app.close();
      await storage.drop();
    },
  };
  server.url = await server.app.listen();
  return server;
}

export async function api<T = any>(base: string, method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(base + route, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** `api` for a step that must succeed: answers the body of a 2xx, throws with the route, status and body otherwise. */
export async function apiOk<T = any>(base: string, method: string, route: string, token: string | undefined, body?: unknown): Promise<T> {
  const res = await api<T>(base, method, route, { token, body });
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Reads until `accept` takes what `read` answers (every 25 ms, at most `timeoutMs`), and answers it. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An app with one admin and one agent, through the services, for tests to start from. */
export async function seedApp(server: Pick<TestServer, 'app' | 'url'>, appId: string) {
  const { tenancy, identity } = server.app.services;
  const app = await tenancy.createApp({ id: appId, name: appId });
  const password = 'correct horse battery';
  await identity.createAgent(appId, { email: `admin@${appId}.test`, password, role: 'admin', mediaTypes: ['chat'], maxConcurrentChats: 5 });
  await identity.createAgent(appId, { email: `agent1@${appId}.test`, password, role: 'agent', mediaTypes: ['chat'], maxConcurrentChats: 5 });
  await identity.createAgent(appId, { email: `agent2@${appId}.test`, password, role: 'agent', mediaTypes: ['chat'], maxConcurrentChats: 5 });
  const login = async (who: string) => (await api(server.url, 'POST', '/v1/auth/login', { body: { appId, email: `${who}@${appId}.test`, password } })).body as { token: string; agent: { id: string; staffNumber: string } };
  return { app, admin: await login('admin'), agent1: await login('agent1'), agent2: await login('agent2') };
}

export async function newVisitor(server: Pick<TestServer, 'url'>, appId: string) {
  const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId } })).body as { token: string; visitor: { id: string } };
  const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
  return { token: session.token, visitorId: session.visitor.id, conversationId: conversation.id };
}

/** A test WebSocket client: request/reply by id, and every server event recorded in order. */
export class TestClient {
  readonly events: ServerFrame[] = [];
  private readonly waiters = new Map<string, (frame: any) => void>();
  private n = 0;
  private listeners: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'reply') {
        this.waiters.get(frame.id)?.(frame);
        this.waiters.delete(frame.id);
      } else {
        this.events.push(frame);
      }
      for (const l of this.listeners) l();
    });
  }

  static async connect(url: string, options: { origin?: string } = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options.origin ? { origin: options.origin } : {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return new TestClient(ws);
  }

  request(frame: Record<string, unknown>): Promise<any> {
    const id = `r${++this.n}`;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  messages(conversationId?: string) {
    return this.events.flatMap((e) => (e.type === 'message' && (!conversationId || e.message.conversationId === conversationId) ? [e.message] : []));
  }

  /** Resolves when `predicate` holds over the recorded events, or fails after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    // Made here, so that its stack shows the waiting test line.
    const timeout = new Error(`timed out waiting for events; last: ${JSON.stringify(this.events.slice(-3))}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(timeout);
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
