import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { api, mapLimited, sleep } from './http.ts';

/** The real Frontdesk server as a child process, its setup through CLI + REST, and PostgreSQL. */

export const APP_ID = 'bench';
const PASSWORD = 'bench-password-1';

export interface ServerOptions {
  repoRoot: string;
  port: number;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  extraEnv?: Record<string, string>;
}

export interface ServerProcess {
  pid: number;
  base: string;
  /** SIGTERM (graceful: the server closes sockets and storage), SIGKILL after 30 s. */
  stop(): Promise<void>;
}

export function serverEnv(opts: ServerOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    FRONTDESK_DATA_DIR: opts.dataDir,
    FRONTDESK_DEMO: 'off',
    FRONTDESK_MEDIA: 'off',
    FRONTDESK_LOG_LEVEL: 'warn',
    // Tens of thousands of sockets come from a few loopback addresses.
    FRONTDESK_WS_MAX_SOCKETS_PER_ADDRESS: '0',
    ...opts.extraEnv,
  };
  delete env.NODE_OPTIONS;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

const binOf = (repoRoot: string) => path.join(repoRoot, 'apps/server/bin/frontdesk.js');

/** `frontdesk <args>` (app create, agent create, …) against the same storage; returns stdout. */
export function runCli(opts: ServerOptions, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [binOf(opts.repoRoot), ...args], { cwd: opts.repoRoot, env: serverEnv(opts) }, (err, stdout, stderr) =>
      err ? reject(new Error(`frontdesk ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

/** Server processes still running, so the runner can kill them if it is interrupted. */
export const runningServers = new Set<ChildProcess>();

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), binOf(opts.repoRoot), 'start'], {
    cwd: opts.repoRoot,
    env: serverEnv(opts),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  runningServers.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => runningServers.delete(child));
  let gone = false;
  void exited.then(() => (gone = true));
  const base = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`the server exited during start (code ${child.exitCode})`);
    try {
      await api(base, 'GET', '/healthz');
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('the server did not become healthy within 60 s');
      await sleep(100);
    }
  }
  return {
    pid: child.pid!,
    base,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface SetupResult {
  agents: { id: string; token: string }[];
  /** Per visitor: its token, its conversation, and the group (agent) that claimed it. */
  visitors: { token: string; conversationId: string; group: number }[];
  seconds: number;
}

/**
 * The app, its agents and visitors, built the way a deployment would: the app and one admin
 * with the CLI, agents through the admin REST API, each visitor through the public session
 * endpoint, its conversation opened by the visitor and claimed by its group's agent.
 * Visitor `i` belongs to group `groupOf[i]`.
 */
export async function setupFullStack(
  opts: ServerOptions,
  server: ServerProcess,
  plan: { groups: number; groupOf: number[]; convsPerAgent: number; sourceAddresses: string[]; concurrency: number },
  log: (line: string) => void,
): Promise<SetupResult> {
  const t0 = Date.now();
  const base = server.base;
  const from = (i: number) => plan.sourceAddresses[i % plan.sourceAddresses.length];
  const admin = await api<{ token: string }>(base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD } });

  let agentsDone = 0;
  let visitorsDone = 0;
  const progress = setInterval(() => log(`  setup: ${agentsDone}/${plan.groups} agents, ${visitorsDone}/${plan.groupOf.length} visitors (${((Date.now() - t0) / 1000).toFixed(0)} s)`), 5000);
  try {
    // Agents (scrypt-bound, on the server's thread pool) and visitors (main-thread bound) in parallel.
    const agentsP = mapLimited(
      Array.from({ length: plan.groups }, (_, i) => i),
      4,
      async (i) => {
        const email = `agent${i}@${APP_ID}.test`;
        const agent = await api<{ id: string }>(base, 'POST', '/v1/agents', {
          token: admin.token,
          body: { email, password: PASSWORD, role: 'agent', maxConcurrentChats: Math.min(100, plan.convsPerAgent) },
          localAddress: from(i),
        });
        const login = await api<{ token: string }>(base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email, password: PASSWORD }, localAddress: from(i) });
        agentsDone++;
        return { id: agent.id, token: login.token };
      },
    );
    const visitorsP = mapLimited(plan.groupOf, plan.concurrency, async (_group, i) => {
      const session = await api<{ token: string }>(base, 'POST', '/v1/visitor/session', { body: { appId: APP_ID }, localAddress: from(i) });
      const conversation = await api<{ id: string }>(base, 'POST', '/v1/conversations', { token: session.token, localAddress: from(i) });
      visitorsDone++;
      return { token: session.token, conversationId: conversation.id };
    });
    const [agents, visitors] = await Promise.all([agentsP, visitorsP]);
    let claimed = 0;
    await mapLimited(visitors, plan.concurrency, async (v, i) => {
      await api(base, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: agents[plan.groupOf[i]!]!.token, localAddress: from(i) });
      if (++claimed % 5000 === 0) log(`  setup: ${claimed}/${visitors.length} conversations claimed`);
    });
    return { agents, visitors: visitors.map((v, i) => ({ ...v, group: plan.groupOf[i]! })), seconds: (Date.now() - t0) / 1000 };
  } finally {
    clearInterval(progress);
  }
}

/** The app and its admin, with the CLI, before the server starts. */
export async function createAppWithCli(opts: ServerOptions): Promise<void> {
  await runCli(opts, ['app', 'create', '--name', 'bench', '--id', APP_ID]);
  await runCli(opts, ['agent', 'create', '--app', APP_ID, '--email', `admin@${APP_ID}.test`, '--password', PASSWORD, '--role', 'admin']);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export interface Postgres {
  adminUrl: string;
  /** The postmaster's pid when this is the bench's own instance (to measure its CPU). */
  postmasterPid(): number | undefined;
  stop(): void;
}

/** The directory of the Unix socket of a PostgreSQL started by scripts/postgres.sh (its `-k`). */
const PG_SOCKET_DIR = '/tmp';

/**
 * A loopback PostgreSQL. Given an admin URL it is used as is; otherwise the bench starts its
 * own instance with scripts/postgres.sh on another port and data dir than the test suite's,
 * so a test run stopping its instance cannot pull the database from under the benchmark.
 * `viaSocket`: its URL names the Unix socket, as README.md advises for PostgreSQL on the same
 * machine (bench/README.md, round 13); else loopback TCP.
 */
export function startPostgres(repoRoot: string, adminUrl: string | undefined, port: number, dir: string, viaSocket = false): Postgres {
  if (adminUrl) return { adminUrl, postmasterPid: () => undefined, stop: () => {} };
  const script = path.join(repoRoot, 'scripts/postgres.sh');
  const env = { ...process.env, FRONTDESK_TEST_PG_PORT: String(port), FRONTDESK_TEST_PG_DIR: dir };
  let wasRunning = false;
  try {
    execFileSync('bash', [script, 'status'], { env, stdio: 'ignore' });
    wasRunning = true;
  } catch {
    // not running
  }
  const out = execFileSync('bash', [script, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new URL(out.trim().split('\n').at(-1)!);
  if (viaSocket) url.searchParams.set('host', PG_SOCKET_DIR);
  return {
    adminUrl: url.toString(),
    postmasterPid: () => {
      try {
        return Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return undefined;
      }
    },
    stop: () => {
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    },
  };
}

export function psql(adminUrl: string, statement: string): void {
  execFileSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', statement], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// The bus of two nodes: Redis or NATS

export type BusKind = 'redis' | 'nats';

/**
 * A loopback broker started with scripts/redis.sh or scripts/nats.sh on `port` (stopped afterwards
 * if it was started here).
 */
export function startBroker(repoRoot: string, kind: BusKind, port: number): { url: string; pid(): number | undefined; stop(): void } {
  const script = path.join(repoRoot, `scripts/${kind}.sh`);
  const env = { ...process.env, [kind === 'redis' ? 'FRONTDESK_TEST_REDIS_PORT' : 'FRONTDESK_TEST_NATS_PORT']: String(port) };
  let wasRunning = false;
  try {
    execFileSync('bash', [script, 'status'], { env, stdio: 'ignore' });
    wasRunning = true;
  } catch {
    // not running
  }
  const url = execFileSync('bash', [script, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;
  return {
    url,
    pid: () => {
      try {
        return Number(fs.readFileSync(`/tmp/frontdesk-test-${kind}-${port}/${kind}.pid`, 'utf8').trim());
      } catch {
        return undefined;
      }
    },
    stop: () => {
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    },
  };
}
