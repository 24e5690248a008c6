import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { api, newVisitor, seedApp, startTestServer, type StorageKind, type TestServer } from './helpers.ts';

/**
 * A full disk, for real: the data dir (and, on PostgreSQL, a tablespace holding the test database) on
 * a small tmpfs, then filled up. Mounting needs root; without it these tests are skipped.
 */
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-mount-probe-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  fs.rmdirSync(dir);
  return ok;
})();

interface SmallDisk {
  dir: string;
  fill: () => void;
  free: () => void;
  remountReadOnly: () => void;
  unmount: () => void;
}

function smallDisk(sizeMb: number): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0777`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    // Writes until the disk refuses: what is left is less than one block.
    fill: () => {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch {
        try {
          for (;;) fs.writeSync(fd, chunk, 0, 512);
        } catch {
          /* full */
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free: () => fs.rmSync(filler, { force: true }),
    remountReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    unmount: () => {
      spawnSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A PostgreSQL database whose tables live in a tablespace on `disk` (the server runs as the postgres user). */
async function postgresOnDisk(disk: SmallDisk): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('postgresUrl');
  const location = path.join(disk.dir, 'pg');
  fs.mkdirSync(location);
  execFileSync('chown', ['postgres', location]);
  const suffix = Math.random().toString(36).slice(2, 10);
  const [space, name] = [`fd_small_${suffix}`, `fd_full_${suffix}`];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create tablespace ${space} location '${location}'`);
  await admin.query(`create database ${name} tablespace ${space}`);
  // The copy of template1 is written through shared buffers: until a checkpoint it is not all on the
  // disk, and pages written after the disk was filled would find no room (they did, failing other
  // files' checkpoints and leaving less than /healthz's minimum once the filler was freed).
  await admin.query('checkpoint');
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`drop tablespace if exists ${space}`);
      await c.end();
    },
  };
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe.skipIf(!canMount)('a full disk', () => {
  let server: TestServer | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await server?.close().catch(() => {});
    server = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.each<StorageKind>(['sqlite', 'postgres'])('answers 503 FD_STORAGE_UNAVAILABLE, /healthz says so, and a failed upload leaves no file behind (%s)', async (kind) => {
    // A new PostgreSQL database is a copy of template1 (7.4 MB on PostgreSQL 15): room for it and the schema.
    const disk = smallDisk(kind === 'postgres' ? 32 : 8);
    cleanups.push(() => disk.unmount());
    const env: Record<string, string> = { FRONTDESK_DATA_DIR: disk.dir };
    if (kind === 'postgres') {
      const db = await postgresOnDisk(disk);
      cleanups.push(db.drop);
      env.DATABASE_URL = db.url;
    }
    server = await startTestServer(kind, env);
    await seedApp(server, 'acme');
    const v = await newVisitor(server, 'acme');
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);

    disk.fill();
    const filesDir = path.join(disk.dir, 'files', 'acme');
    const before = fs.existsSync(filesDir) ? fs.readdirSync(filesDir) : [];
    const big = Buffer.concat([PNG, Buffer.alloc(256 * 1024, 1)]);
    const upload = await fetch(`${server.url}/v1/conversations/${v.conversationId}/files?clientId=f1&name=big.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${v.token}`, 'content-type': 'image/png' },
      body: big,
    });
    expect(upload.status).toBe(503);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe('FD_STORAGE_UNAVAILABLE');
    expect(fs.existsSync(filesDir) ? fs.readdirSync(filesDir) : []).toEqual(before);

    // Messages: the database itself cannot grow. As many as it takes for PostgreSQL's table or SQLite's
    // log to need a new page: SQLite's log starts over in the space it has while its copies back into
    // the database succeed (sqlite-checkpointer.ts), and it grows only once they fail.
    let last = { status: 0, body: undefined as any };
    for (let i = 0; i < 1000 && last.status !== 503; i++) {
      last = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/messages`, { token: v.token, body: { clientId: `m${i}`, text: 'x'.repeat(8000) } });
      expect([201, 503]).toContain(last.status);
    }
    expect(last.status).toBe(503);
    expect(last.body.error.code).toBe('FD_STORAGE_UNAVAILABLE');

    const health = await api(server.url, 'GET', '/healthz');
    expect(health).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'disk full' } });

    disk.free();
    await expect.poll(async () => (await api(server!.url, 'GET', '/healthz')).status, { timeout: 10_000 }).toBe(200);
    const after = await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/messages`, { token: v.token, body: { clientId: 'after', text: 'room again' } });
    expect(after.status).toBe(201);
  });

  it('a read-only database at start is one line on stderr, not a stack trace', async () => {
    const disk = smallDisk(16);
    cleanups.push(() => disk.unmount());
    const bin = path.resolve(import.meta.dirname, '../bin/frontdesk.js');
    const env = { ...process.env, FRONTDESK_DATA_DIR: disk.dir, FRONTDESK_LOG_LEVEL: 'silent', PORT: '0', FRONTDESK_DEMO: 'off' };
    await promisify(execFile)(process.execPath, [bin, 'migrate'], { env });
    disk.remountReadOnly();
    const failed = await promisify(execFile)(process.execPath, [bin, 'start'], { env, timeout: 20_000 }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failed).toBeDefined();
    expect(failed!.code).toBe(1);
    const lines = failed!.stderr!.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cannot open the database .*read-only|^cannot open the database .*readonly/i);
    expect(failed!.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('files the server creates are owner-only', () => {
  it('the data dir, the SQLite database (and its WAL) and uploads are 0700 / 0600', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-modes-'));
    const dataDir = path.join(parent, 'data');
    const previous = process.umask(0o022);
    const server = await startTestServer('sqlite', { FRONTDESK_DATA_DIR: dataDir });
    try {
      await seedApp(server, 'acme');
      const v = await newVisitor(server, 'acme');
      const upload = await fetch(`${server.url}/v1/conversations/${v.conversationId}/files?clientId=f1&name=a.png`, {
        method: 'POST',
        headers: { authorization: `Bearer ${v.token}`, 'content-type': 'image/png' },
        body: PNG,
      });
      expect(upload.status).toBe(201);
      const mode = (file: string) => (fs.statSync(path.join(dataDir, file)).mode & 0o777).toString(8);
      const uploaded = fs.readdirSync(path.join(dataDir, 'files', 'acme'));
      expect(uploaded).toHaveLength(1);
      expect({
        dataDir: mode('.'),
        database: mode('frontdesk.db'),
        wal: mode('frontdesk.db-wal'),
        shm: mode('frontdesk.db-shm'),
        files: mode('files'),
        appFiles: mode('files/acme'),
        file: mode(`files/acme/${uploaded[0]}`),
      }).toEqual({ dataDir: '700', database: '600', wal: '600', shm: '600', files: '700', appFiles: '700', file: '600' });
    } finally {
      process.umask(previous);
      await server.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
