import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Emitter, ExponentialBackoffPolicy, type ReconnectPolicy } from '@frontdesk/sdk-core';
import WebSocket from 'ws';
import type { Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import { janusConfigFiles, type JanusIceOptions } from './janus-config.ts';

export interface JanusSupervisorOptions extends JanusIceOptions {
  /** The server's data dir: the config, log and pid file go to `<dataDir>/janus/`. */
  dataDir: string;
  /** Default /usr/bin/janus (Debian's package, see scripts/media.sh). */
  janusBinary?: string;
  /** Debian's multiarch janus folder. Default: found under /usr/lib. */
  libDir?: string;
  rtpPortRange?: string;
  debugLevel?: number;
  /** When to start Janus again after it died. Default 250 ms doubling to 30 s. */
  restartPolicy?: ReconnectPolicy;
  /** A Janus that ran this long before dying restarts at the first delay again. Default 60 s. */
  stableAfterMs?: number;
  /** The API secret to configure. Default: random per supervisor (only this process talks to it). */
  apiSecret?: string;
  /** Janus must answer on its WebSocket within this long after spawning. Default 15 s. */
  readyTimeoutMs?: number;
  clock: Clock;
  log: Logger;
}

export interface JanusAddress {
  url: string;
  apiSecret: string;
}

export type JanusProcessEvent =
  | { type: 'up'; pid: number; url: string }
  | { type: 'down'; reason: string; restartInMs: number };

export interface JanusSupervisor {
  /** Writes the config, starts Janus and resolves once it answers; rejects when it cannot start at all. */
  start(): Promise<JanusAddress>;
  /** Current process id (tests kill it to see the restart). */
  pid(): number | undefined;
  isUp(): boolean;
  on(listener: (event: JanusProcessEvent) => void): () => void;
  /**
   * Stops Janus (SIGTERM, then SIGKILL after 5 s) and no longer restarts it. `keepRunning`: leave it
   * running for the next server process to adopt (calls in progress keep their media over a restart).
   */
  stop(options?: { keepRunning?: boolean }): Promise<void>;
}

/** What the next server process needs to adopt a Janus left running (kept owner-only). */
interface RunningJanus {
  pid: number;
  wsPort: number;
  apiSecret: string;
}

/**
 * Runs and supervises the local Janus child process (the default when no external instances are
 * configured): a generated config under the data dir, the WebSocket API on a free loopback port with
 * a random API secret, restarts with exponential backoff, and `up`/`down` events so that calls fail
 * with a clear error while it is down.
 */
export function createJanusSupervisor(options: JanusSupervisorOptions): JanusSupervisor {
  const { clock, log } = options;
  const dir = path.join(options.dataDir, 'janus');
  const janusBinary = options.janusBinary ?? '/usr/bin/janus';
  const policy = options.restartPolicy ?? new ExponentialBackoffPolicy({ initialDelayMs: 250, maxDelayMs: 30_000, jitterRatio: 0.2 });
  const stableAfterMs = options.stableAfterMs ?? 60_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const apiSecret = options.apiSecret ?? randomBytes(24).toString('base64url');
  const events = new Emitter<{ event: JanusProcessEvent }>((_, err) => log.error({ err }, 'janus supervisor listener failed'));
  let wsPort = 0;
  let child: ChildProcess | undefined;
  let isStopped = false;
  let isReady = false;
  let restarts = 0;
  let cancelRestart: (() => void) | undefined;
  /** A Janus started by an earlier server process and adopted by this one (not our child: watched by polling). */
  let adopted: { pid: number; watch: NodeJS.Timeout } | undefined;
  const stateFile = path.join(dir, 'running.json');

  /** Adopts the Janus an earlier server process left running for us, if it still answers with its secret. */
  async function adopt(): Promise<JanusAddress | undefined> {
    let running: RunningJanus;
    try {
      running = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as RunningJanus;
      if (!fs.readFileSync(`/proc/${running.pid}/cmdline`, 'utf8').includes(path.join(dir, 'janus.jcfg'))) return undefined;
    } catch {
      return undefined;
    }
    const url = `ws://127.0.0.1:${running.wsPort}`;
    try {
      await janusInfo(url, running.apiSecret);
    } catch {
      return undefined;
    }
    wsPort = running.wsPort;
    // NOTE: a process that is not our child has no exit event: its liveness is polled (real time).
    const watch = setInterval(() => {
      if (fs.existsSync(`/proc/${running.pid}`)) return;
      clearInterval(watch);
      adopted = undefined;
      isReady = false;
      if (!isStopped) scheduleRestart('the adopted janus went away');
    }, 1000);
    watch.unref();
    adopted = { pid: running.pid, watch };
    isReady = true;
    log.info({ janusPid: running.pid, url }, 'janus adopted from the previous server process (calls keep their media)');
    events.emit('event', { type: 'up', pid: running.pid, url });
    return { url, apiSecret: running.apiSecret };
  }

  async function launch(): Promise<JanusAddress> {
    fs.mkdirSync(dir, { recursive: true });
    killStale();
    if (wsPort === 0 || !(await isPortFree(wsPort))) wsPort = await freeLoopbackPort();
    const libDir = options.libDir ?? findLibDir();
    const files = janusConfigFiles({ ...options, wsPort, apiSecret, configDir: dir, libDir });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
    const logFd = fs.openSync(path.join(dir, 'janus.log'), 'a');
    const startedAtMs = clock.now();
    // Its own process group: a Ctrl-C or a restart of the server does not take the calls' media with it.
    const proc = spawn(janusBinary, ['-C', path.join(dir, 'janus.jcfg'), '-F', dir], { stdio: ['ignore', logFd, logFd], detached: true });
    fs.closeSync(logFd);
    child = proc;
    const spawnError = new Promise<never>((_, reject) => proc.once('error', reject));
    spawnError.catch(() => {});
    if (proc.pid) {
      fs.writeFileSync(path.join(dir, 'janus.pid'), `${proc.pid}\n`);
      fs.writeFileSync(stateFile, JSON.stringify({ pid: proc.pid, wsPort, apiSecret } satisfies RunningJanus), { mode: 0o600 });
    }
    proc.once('exit', (code, signal) => onExit(proc, startedAtMs, signal ? `killed by ${signal}` : `exited with code ${code}`));
    const url = `ws://127.0.0.1:${wsPort}`;
    await Promise.race([waitUntilAnswering(url, apiSecret, readyTimeoutMs, () => proc.exitCode !== null || proc.signalCode !== null), spawnError]);
    isReady = true;
    log.info({ janusPid: proc.pid, url }, 'janus up');
    events.emit('event', { type: 'up', pid: proc.pid!, url });
    return { url, apiSecret };
  }

  function onExit(proc: ChildProcess, startedAtMs: number, how: string): void {
    if (child !== proc) return;
    child = undefined;
    isReady = false;
    if (isStopped) return;
    if (clock.now() - startedAtMs >= stableAfterMs) restarts = 0;
    // NOTE: the log's last lines explain a crash or a config error, not a kill.
    const reason = `janus ${how}${/SIGKILL|SIGTERM/.test(how) ? '' : lastLogLines()}`;
    scheduleRestart(reason);
  }

  function scheduleRestart(reason: string): void {
    const restartInMs = policy.nextRetryDelayMs({ retryCount: restarts++, elapsedMs: 0, reason }) ?? 30_000;
    log.warn({ reason, restartInMs }, 'janus down');
    events.emit('event', { type: 'down', reason, restartInMs });
    cancelRestart = clock.at(clock.now() + restartInMs, () => {
      cancelRestart = undefined;
      if (isStopped) return;
      launch().catch((err: Error) => {
        // A start that never answered: kill what is left; its exit (or this) schedules the next try.
        const proc = child;
        if (proc) {
          proc.kill('SIGKILL');
        } else if (!isStopped && !cancelRestart) scheduleRestart(`janus did not start: ${err.message}`);
      });
    });
  }

  /** A Janus left over by a previous server process that died with it still running. */
  function killStale(): void {
    const pidFile = path.join(dir, 'janus.pid');
    const pid = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : NaN);
    if (!Number.isInteger(pid) || pid <= 0 || pid === child?.pid) return;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(path.join(dir, 'janus.jcfg'))) process.kill(pid, 'SIGKILL');
    } catch {
      // not running any more
    }
  }

  function lastLogLines(): string {
    try {
      const text = fs.readFileSync(path.join(dir, 'janus.log'), 'utf8');
      const lines = text.trimEnd().split('\n').slice(-3).join(' | ');
      return lines ? ` (log: ${lines.slice(-400)})` : '';
    } catch {
      return '';
    }
  }

  return {
    async start() {
      if (!fs.existsSync(janusBinary)) throw new Error(`Janus is not installed (${janusBinary} missing): run scripts/media.sh`);
      try {
        return (await adopt()) ?? (await launch());
      } catch (err) {
        // NOTE: a Janus that cannot start the first time is a setup error, not something to retry forever.
        isStopped = true;
        cancelRestart?.();
        child?.kill('SIGKILL');
        child = undefined;
        throw new Error(`Janus did not start: ${(err as Error).message}${lastLogLines()}`, { cause: err });
      }
    },
    pid: () => child?.pid ?? adopted?.pid,
    isUp: () => isReady,
    on: (listener) => events.on('event', listener),
    async stop({ keepRunning = false } = {}) {
      isStopped = true;
      cancelRestart?.();
      if (adopted) {
        clearInterval(adopted.watch);
        if (!keepRunning) {
          process.kill(adopted.pid, 'SIGTERM');
          fs.rmSync(stateFile, { force: true });
        }
        adopted = undefined;
        return;
      }
      if (keepRunning) {
        // Our child outlives us: it must not share our fate when this process's group is signalled.
        child?.unref();
        return;
      }
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(path.join(dir, 'janus.pid'), { force: true });
      fs.rmSync(stateFile, { force: true });
    },
  };
}

function findLibDir(): string {
  const candidates = fs.existsSync('/usr/lib') ? fs.readdirSync('/usr/lib').map((d) => path.join('/usr/lib', d, 'janus')) : [];
  const found = [...candidates, '/usr/lib/janus', '/usr/local/lib/janus'].find((d) => fs.existsSync(path.join(d, 'plugins', 'libjanus_videoroom.so')));
  if (!found) throw new Error('Janus plugins not found under /usr/lib/*/janus: run scripts/media.sh');
  return found;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls the Janus API ("info") until it answers, the process died, or the time is up. */
async function waitUntilAnswering(url: string, apiSecret: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('janus exited while starting');
    try {
      await janusInfo(url, apiSecret);
      return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`janus did not answer on ${url} within ${timeoutMs} ms (${lastError})`);
}

function janusInfo(url: string, apiSecret: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'janus-protocol', { handshakeTimeout: 1000 });
    const timer = setTimeout(() => ws.terminate(), 2000);
    ws.once('open', () => ws.send(JSON.stringify({ janus: 'info', transaction: 'ready', apisecret: apiSecret })));
    ws.once('message', (data) => {
      const reply = JSON.parse(String(data)) as { janus?: string };
      ws.close();
      if (reply.janus === 'server_info') resolve();
      else reject(new Error(`unexpected reply ${String(data).slice(0, 100)}`));
    });
    ws.once('error', (err) => reject(err));
    ws.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed'));
    });
  });
}
