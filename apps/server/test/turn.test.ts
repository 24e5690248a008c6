import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iceServersFor } from '../src/modules/calls/ice-servers.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const SECRET = 'frontdesk-turn-test-secret-0123456789';
const PORT = 34781;

/**
 * RELIABILITY 14: the documented coturn config (deploy/coturn.conf) with the credentials Frontdesk
 * hands to browsers. A TURN relay to this host is refused (403, CVE-2020-26262); expired or forged
 * credentials get no allocation (401). Every peer address tried is on loopback.
 */
describe('TURN with the documented coturn config', () => {
  let turn: ChildProcess | undefined;
  let dir = '';

  beforeAll(async () => {
    execFileSync('bash', [path.join(root, 'scripts/media.sh'), 'turn'], { stdio: ['ignore', 'ignore', 'inherit'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-turn-'));
    const config = fs
      .readFileSync(path.join(root, 'deploy/coturn.conf'), 'utf8')
      .replace(/=(LISTEN_IP|RELAY_IP|PUBLIC_IP)$/gm, '=127.0.0.1')
      .replace('realm=REALM', 'realm=frontdesk.test')
      .replace('static-auth-secret=SECRET', `static-auth-secret=${SECRET}`)
      .replace('listening-port=3478', `listening-port=${PORT}`);
    fs.writeFileSync(path.join(dir, 'turn.conf'), `${config}\nlog-file=${path.join(dir, 'turn.log')}\npidfile=${path.join(dir, 'turn.pid')}\n`);
    turn = spawn('turnserver', ['-c', path.join(dir, 'turn.conf')], { stdio: 'ignore' });
    // Ready once it allocates for valid credentials.
    for (let i = 0; i < 50 && !(await allocate(credentials(Date.now()))).includes('Received relay addr'); i++) await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(() => {
    turn?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function credentials(nowMs: number, secret = SECRET): { username: string; credential: string } {
    const [server] = iceServersFor({ urls: [`turn:127.0.0.1:${PORT}`], secret, ttlSeconds: 3600 }, 'visitor-vis_1', nowMs);
    return { username: server!.username!, credential: server!.credential! };
  }

  /** turnutils_uclient: allocate, then ask to relay one packet to 127.0.0.1:3481. Its output. */
  async function allocate({ username, credential }: { username: string; credential: string }): Promise<string> {
    const { stdout, stderr } = await run('turnutils_uclient', ['-v', '-u', username, '-w', credential, '-p', String(PORT), '-e', '127.0.0.1', '-r', '3481', '-n', '1', '127.0.0.1'], { timeout: 10_000 }).catch(
      (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
    );
    return stdout + stderr;
  }

  it('credentials Frontdesk hands out allocate a relay, but the relay refuses loopback peers with 403', async () => {
    const out = await allocate(credentials(Date.now()));
    expect(out).toContain('Received relay addr');
    expect(out).toContain('403 (Forbidden IP)');
  });

  it('expired or forged credentials get no allocation', async () => {
    expect(await allocate(credentials(Date.now() - 2 * 3600_000))).toContain('Cannot complete Allocation');
    expect(await allocate(credentials(Date.now(), 'not-the-secret-of-this-turn-server'))).toContain('Cannot complete Allocation');
  });
});
