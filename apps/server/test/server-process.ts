import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'apps/server/bin/frontdesk.js');

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of a server process on a test storage, a free port, no demo, quiet logs. */
export async function processEnv(storage: { dataDir: string; databaseUrl?: string | undefined }, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    FRONTDESK_DATA_DIR: storage.dataDir,
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    FRONTDESK_DEMO: 'off',
    FRONTDESK_MEDIA: 'off',
    FRONTDESK_LOG_LEVEL: 'warn',
    FRONTDESK_JWT_SECRET: 'test-process-secret-0123456789-abcdefghijklmnop',
    ...extra,
  };
}

/** The server as a child process on a fixed port and data, killed and restarted at will. */
export class ServerProcess {
  child: ChildProcess | undefined;
  readonly log: string[] = [];
  starts = 0;

  constructor(readonly env: Record<string, string>) {
    running.add(this);
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  wsUrl(appId: string): string {
    return `ws://127.0.0.1:${this.env.PORT}/v1/ws?appId=${encodeURIComponent(appId)}`;
  }

  async cli(...args: string[]): Promise<any> {
    const { stdout } = await execFileAsync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...this.env } });
    return JSON.parse(stdout);
  }

  async start(): Promise<number> {
    const started = Date.now();
    const n = ++this.starts;
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const record = (stream: string) => (chunk: Buffer) => {
      this.log.push(`[start ${n} ${stream}] ${chunk.toString()}`);
      if (this.log.length > 400) this.log.shift();
    };
    child.stdout!.on('data', record('out'));
    child.stderr!.on('data', record('err'));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited while starting (${child.exitCode ?? child.signalCode}):\n${this.log.join('')}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    throw new Error(`server did not become healthy:\n${this.log.join('')}`);
  }

  /** SIGKILL, and wait until the process is gone (its port is free again). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

/** Every server process a test started; none is left behind, whatever way the worker ends. */
export const running = new Set<ServerProcess>();
process.once('exit', () => {
  for (const server of running) server.child?.kill('SIGKILL');
});
