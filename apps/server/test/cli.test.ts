import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/frontdesk.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-cli-'));
const env = { ...process.env, FRONTDESK_DATA_DIR: dataDir, FRONTDESK_LOG_LEVEL: 'silent', FRONTDESK_MEDIA: 'off' };
const frontdesk = (...args: string[]) => run(process.execPath, [bin, ...args], { env });

describe('the frontdesk CLI', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates an app (printed as JSON with its secrets) and an agent in it', async () => {
    const created = JSON.parse((await frontdesk('app', 'create', '--name', 'Acme Support', '--id', 'acme')).stdout);
    expect(created).toMatchObject({ id: 'acme', name: 'Acme Support', allowedOrigins: [] });
    expect(created.secrets.appToken).toMatch(/^[\w-]{40,}$/);
    expect(created.secrets.gatewaySecret).not.toBe(created.secrets.appToken);
    const agent = JSON.parse((await frontdesk('agent', 'create', '--app', 'acme', '--email', 'Ana@Acme.test', '--password', 'correct horse battery', '--role', 'supervisor')).stdout);
    expect(agent).toMatchObject({ appId: 'acme', email: 'ana@acme.test', role: 'supervisor' });
    expect(JSON.stringify(agent)).not.toMatch(/correct horse|scrypt/);
  });

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    await expect(frontdesk('app', 'create', '--name', 'Dup', '--id', 'acme')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/FD_APP_ID_TAKEN/) });
    await expect(frontdesk('agent', 'create', '--app', 'acme', '--email', 'nope', '--password', 'short')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/--email: .*\n.*--password/),
    });
    await expect(frontdesk('agent', 'create', '--app', 'missing', '--email', 'a@b.test', '--password', 'long enough pw')).rejects.toMatchObject({
      stderr: expect.stringMatching(/FD_APP_NOT_FOUND/),
    });
    await expect(run(process.execPath, [bin, 'start'], { env: { ...env, PORT: 'eighty' } })).rejects.toMatchObject({ stderr: expect.stringMatching(/PORT/) });
    await expect(frontdesk('frobnicate')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/Usage: frontdesk/) });
  });

  it('demo creates the demo app and agents once and prints where to open them', async () => {
    const first = (await frontdesk('demo')).stdout;
    expect(first).toMatch(/visitor page : http:\/\/localhost:8080\/demo\?appId=demo/);
    const password = /bob@demo\.local \/ (\S+)/.exec(first)?.[1];
    expect(password).toBeTruthy();
    const second = (await frontdesk('demo')).stdout;
    expect(second).toContain(`bob@demo.local / ${password}`);
    expect(fs.statSync(path.join(dataDir, 'demo-credentials.json')).mode & 0o077).toBe(0);
  });
});
