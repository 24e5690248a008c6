import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJobs } from '../src/platform/jobs/index.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage, STORAGES } from './helpers.ts';
import { copyRecordedTracks, HAS_MEDIA_TOOLS } from './recording-fixture.ts';
import { processEnv, running, ServerProcess } from './server-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * kill -9 of the server while it post-processes a recording: the restarted process takes the job's
 * lease back (its holder has ended; else it would lapse, 3 s here), runs it again from the raw
 * tracks, and the recording completes once — one `recording.completed` event, one set of files.
 */
describe.runIf(HAS_MEDIA_TOOLS).each(STORAGES)('recording post-processing survives kill -9 (%s)', (kind) => {
  let fresh: Awaited<ReturnType<typeof freshStorage>>;
  let server: ServerProcess;
  let storage: Storage | undefined;

  beforeAll(async () => {
    fresh = await freshStorage(kind);
    server = new ServerProcess(await processEnv(fresh, { FRONTDESK_RECORDING_LEASE_SECONDS: '3' }));
  });

  afterAll(async () => {
    await server?.kill();
    if (server) running.delete(server);
    await storage?.close();
    await fresh?.drop();
  });

  it('the recording completes once after the node dies mid-way', async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`server output (${kind}):\n${server.log.join('')}`));
    await server.cli('app', 'create', '--name', 'rec', '--id', 'rec');
    storage = await openStorage({ dataDir: fresh.dataDir, ...(fresh.databaseUrl ? { databaseUrl: fresh.databaseUrl } : {}) });
    // A recorded call that just ended: its row and its job, as the call's end writes them.
    const rawDir = path.join(fresh.dataDir, 'recordings', 'raw', 'rec_crash1');
    fs.mkdirSync(rawDir, { recursive: true });
    copyRecordedTracks(rawDir);
    const now = Date.now();
    await storage.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('recordings')
        .values({ id: 'rec_crash1', app_id: 'rec', call_id: 'call_crash1', conversation_id: 'conv_crash1', mode: 'audio_video', status: 'processing', name: 'crash', raw_dir: rawDir, started_at: null, duration_ms: null, size_bytes: null, format: null, participants: '[]', files: '[]', record_flags: 0, error: null, call_ended_at: now, expires_at: now + 86_400_000, created_at: now, updated_at: now, completed_at: null })
        .execute();
      await enqueueJobs(tx, [{ kind: 'recordings.post-process', appId: 'rec', dedupeKey: 'rec_crash1', payload: { recordingId: 'rec_crash1' } }], now);
    });

    await server.start();
    // Killed while it post-processes (its work directory exists, the recording is not ready).
    const workRoot = path.join(fresh.dataDir, 'recordings', 'work');
    const deadline = Date.now() + 30_000;
    while (!(fs.existsSync(workRoot) && fs.readdirSync(workRoot).some((n) => n.startsWith('rec_crash1-')))) {
      if (Date.now() > deadline) throw new Error('post-processing never started');
      await sleep(10);
    }
    await server.kill();
    const afterKill = await storage.db.selectFrom('recordings').select('status').where('id', '=', 'rec_crash1').executeTakeFirstOrThrow();
    expect(afterKill.status).toBe('processing');

    const restartedAt = Date.now();
    await server.start();
    await expect
      .poll(async () => (await storage!.db.selectFrom('recordings').select('status').where('id', '=', 'rec_crash1').executeTakeFirstOrThrow()).status, { timeout: 60_000, interval: 200 })
      .toBe('ready');
    console.info(`recording ready ${Date.now() - restartedAt} ms after the restart`);
    const row = await storage.db.selectFrom('recordings').selectAll().where('id', '=', 'rec_crash1').executeTakeFirstOrThrow();
    expect(JSON.parse(row.files).map((f: { name: string }) => f.name)).toEqual(['mixed.mp4', 'participant-1.webm', 'participant-2.webm']);
    expect(fs.readdirSync(path.join(fresh.dataDir, 'blobs', 'recordings', 'rec', 'rec_crash1')).sort()).toEqual(['mixed.mp4', 'participant-1.webm', 'participant-2.webm']);
    const completed = await storage.db.selectFrom('outbox_events').select('data').where('app_id', '=', 'rec').where('type', '=', 'recording.completed').execute();
    expect(completed).toHaveLength(1);
    // The attempt is recorded after it returns (the raw tracks removed first): wait for it.
    await expect
      .poll(async () => (await storage!.db.selectFrom('jobs').select(['status']).where('kind', '=', 'recordings.post-process').executeTakeFirstOrThrow()).status, { timeout: 10_000, interval: 100 })
      .toBe('done');
    // The raw tracks go once the files are made.
    expect(fs.existsSync(rawDir)).toBe(false);
  }, 120_000);
});
