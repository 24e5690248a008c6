import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { api } from '../../apps/server/test/helpers.ts';
import { TEST_ICE_ADDRESS } from './media-harness.ts';

/**
 * The real Frontdesk server as its own process (`bin/frontdesk.js start`) inside the media
 * namespace: SQLite in a temp data dir, the local Janus it supervises offering only 127.0.0.2
 * (`FRONTDESK_MEDIA=local`, `FRONTDESK_MEDIA_ICE_ADDRESS`). It can be stopped and started again on
 * the same port and data (a restart), and its Janus killed.
 */
export interface FrontdeskProcess {
  url: string;
  dataDir: string;
  /** Starts the process (again) and resolves once /healthz answers. */
  start(): Promise<void>;
  /** Stops it with `signal` (SIGTERM: a graceful stop) and resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it for good: its Janus too, which a stop with a call in progress leaves running for the next process. */
  close(): Promise<void>;
  /** The pid of the Janus it supervises now (from its pid file). */
  janusPid(): number | undefined;
  /** What it printed (stderr and stdout), for a failing test. */
  output(): string;
}

const SERVER_BIN = path.resolve(import.meta.dirname, '../../apps/server/bin/frontdesk.js');
const APP_ID = 'acme';
export const PASSWORD = 'correct horse battery';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function envOf(dataDir: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_PUBLIC_URL: `http://127.0.0.1:${port}`,
    FRONTDESK_DEMO: 'off',
    FRONTDESK_LOG_LEVEL: process.env.FRONTDESK_MEDIA_TEST_LOG ?? 'warn',
    FRONTDESK_MEDIA: 'local',
    FRONTDESK_MEDIA_ICE_ADDRESS: TEST_ICE_ADDRESS,
  };
}

export interface Seeded {
  appId: string;
  adminEmail: string;
  agent1: { id: string; email: string };
  agent2: { id: string; email: string };
}

/**
 * The app the media tests use, written once into the data dir by a server built in this process
 * (no media): agents serving chat, audio and video; the default channel offering both kinds of
 * calls through a video click-to-call queue (agent1's), which rings the conversation's agent first.
 */
async function seed(dataDir: string, port: number): Promise<Seeded> {
  const app = await buildApp(loadConfig({ ...envOf(dataDir, port), PORT: '0', FRONTDESK_MEDIA: 'off', FRONTDESK_LOG_LEVEL: 'silent' }));
  try {
    const url = await app.listen();
    const { tenancy, identity } = app.services;
    await tenancy.createApp({ id: APP_ID, name: 'Acme' });
    await tenancy.updateApp(APP_ID, { allowedOrigins: [`http://127.0.0.1:${port}`] });
    const agents = [];
    for (const [email, role] of [[`admin@${APP_ID}.test`, 'admin'], [`agent1@${APP_ID}.test`, 'agent'], [`agent2@${APP_ID}.test`, 'agent']] as const) {
      agents.push(await identity.createAgent(APP_ID, { email, password: PASSWORD, role, mediaTypes: ['chat', 'audio', 'video'], maxConcurrentChats: 5 }));
    }
    const admin = (await api(url, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD } })).body as { token: string };
    const ok = async (method: string, route: string, body: unknown) => {
      const res = await api(url, method, route, { token: admin.token, body });
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };
    // The conversation's agent rings first, for the queue's ring timeout; then the queue's agent.
    const queue = await ok('POST', '/v1/queues', { name: 'video calls', type: 'video_click_to_call', ringTimeoutSeconds: 20, maxWaitSeconds: 60 });
    await ok('PUT', `/v1/agents/${agents[1]!.id}/skills`, { skills: [{ queueId: queue.id, level: 3 }] });
    await ok('PATCH', '/v1/channels/default', { calls: { video: true, audio: true, queueId: queue.id } });
    return { appId: APP_ID, adminEmail: `admin@${APP_ID}.test`, agent1: { id: agents[1]!.id, email: agents[1]!.email }, agent2: { id: agents[2]!.id, email: agents[2]!.email } };
  } finally {
    await app.close();
  }
}

/** Seeds a fresh data dir, then starts the server process on it. */
export async function startFrontdesk(dataDir: string): Promise<{ server: FrontdeskProcess; seeded: Seeded }> {
  const port = await freePort();
  const seeded = await seed(dataDir, port);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';
  const server: FrontdeskProcess = {
    url,
    dataDir,
    async start() {
      const proc = spawn(process.execPath, [SERVER_BIN, 'start'], { env: { ...process.env, ...envOf(dataDir, port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}):\n${output.slice(-4000)}`);
        const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
        if (healthy) return;
        if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 30 s:\n${output.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal = 'SIGTERM') {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async close() {
      const janus = server.janusPid();
      await server.stop();
      if (janus === undefined) return;
      try {
        process.kill(janus, 'SIGKILL');
      } catch {
        // Gone already: the server stopped it.
      }
    },
    janusPid() {
      const file = path.join(dataDir, 'janus', 'janus.pid');
      const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : NaN;
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
    output: () => output,
  };
  await server.start();
  return { server, seeded };
}

/** An agent's login token (REST), for the agent page and the test's own REST calls. */
export async function logIn(url: string, email: string): Promise<string> {
  const res = await api(url, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}
