import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Recording } from '@frontdesk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeMediaServer } from '../src/modules/calls/index.ts';
import { formatAnyChatTimestamp, md5Signature } from '../src/modules/compat/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, TEST_PUBLIC_URL, TestClient, type TestServer } from './helpers.ts';
import { copyRecordedTracks, HAS_MEDIA_TOOLS } from './recording-fixture.ts';

const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' } as const;
if (!HAS_MEDIA_TOOLS) console.warn('recordings: janus-pp-rec/ffmpeg missing (sudo bash scripts/media.sh): post-processing tests skipped');

/** Recording through the real server (calls, jobs, REST) with an in-memory media server and recorded tracks from a fixture. */
describe.each(STORAGES)('call recording (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function setup(env: Record<string, string> = {}) {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0));
    const media = new FakeMediaServer();
    server = await startTestServer(storage, env, { clock, media });
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const other = await seedApp(srv, 'other');
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(srv.url, method, route, { token, body });
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await ok('PATCH', `/v1/agents/${s.agent1.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    await ok('PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true } });
    const connect = async (token: string) => {
      const client = await TestClient.connect(srv.wsUrl('acme'));
      clients.push(client);
      const reply = await client.request({ type: 'hello', token });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return client;
    };
    /** A video call between a visitor and agent1, both published; hung up by the visitor. Returns its room's recording request. */
    const recordedCall = async () => {
      const a1 = await connect(s.agent1.token);
      expect((await a1.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      await ok('POST', `/v1/conversations/${conversation.id}/claim`, s.agent1.token);
      const v = await connect(session.token);
      const started = await v.request({ type: 'call.start', conversationId: conversation.id, kind: 'video' });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      const callId = started.data.call.id as string;
      await a1.waitFor(() => a1.events.some((e) => e.type === 'call' && e.call.id === callId && e.call.participants.some((p: { role: string; leg: string }) => p.role === 'agent' && p.leg === 'ringing')));
      expect((await a1.request({ type: 'call.accept', callId })).ok).toBe(true);
      await v.waitFor(() => v.events.some((e) => e.type === 'call' && e.call.id === callId && e.call.mediaReady));
      const room = [...media.rooms.values()].find((r) => r.request.callId === callId)!;
      for (const client of [v, a1]) {
        const published = await client.request({ type: 'call.publish', callId, offer: OFFER });
        expect(published.ok, JSON.stringify(published)).toBe(true);
        media.emitLegEvent(room.ref, published.data.legId, { type: 'leg.up' });
      }
      // What Janus would have written: the tracks of a real call, old enough to be complete.
      if (room.request.record && room.request.recordingDir) copyRecordedTracks(room.request.recordingDir);
      clock.advance(20_000);
      const hungUp = await v.request({ type: 'call.hangup', callId });
      expect(hungUp.ok).toBe(true);
      return { callId, conversationId: conversation.id as string, request: room.request };
    };
    /** The AnyChat server API (seed 003), signed with the app's gateway secret. */
    const gw = async (method: string, body: unknown, appid = 'acme') => {
      const ts = formatAnyChatTimestamp(clock.now());
      const secret = appid === 'acme' ? s.app.secrets.gatewaySecret : other.app.secrets.gatewaySecret;
      const q = new URLSearchParams({ method, appid, timestamp: ts, signtype: 'MD5', signstr: md5Signature(method, appid, ts, secret) });
      const res = await fetch(`${srv.url}/gateway?${q}`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) });
      return (await res.json()) as any;
    };
    return { clock, media, s, other, ok, recordedCall, gw };
  }

  it('a channel set to audio_video records its calls; off (the default) does not; policies are for admins and real channels only', async () => {
    const t = await setup();
    const unrecorded = await t.recordedCall();
    expect(unrecorded.request.record).toBeUndefined();
    expect((await t.ok('GET', '/v1/recordings', t.s.admin.token)).recordings).toEqual([]);

    expect((await api(server!.url, 'PUT', '/v1/recording-policies/channel/default', { token: t.s.agent1.token, body: { mode: 'audio_video' } })).status).toBe(403);
    expect((await api(server!.url, 'PUT', '/v1/recording-policies/channel/nope', { token: t.s.admin.token, body: { mode: 'audio_video' } })).status).toBe(400);
    expect((await api(server!.url, 'PUT', '/v1/recording-policies/channel/default', { token: t.s.admin.token, body: { mode: 'loud' } })).status).toBe(400);
    const policy = await t.ok('PUT', '/v1/recording-policies/channel/default', t.s.admin.token, { mode: 'audio_video', retentionDays: 30 });
    expect(policy).toMatchObject({ scope: 'channel', mode: 'audio_video', retentionDays: 30 });
    // `default` names the default channel: the policy is kept under its id.
    expect(policy.scopeId).toBe((await t.ok('GET', '/v1/channels/default', t.s.admin.token)).id);
    expect((await t.ok('GET', '/v1/recording-policies', t.s.agent1.token)).policies).toHaveLength(1);
    expect((await t.ok('GET', '/v1/recording-policies', t.other.admin.token)).policies).toEqual([]);

    const recorded = await t.recordedCall();
    expect(recorded.request).toMatchObject({ record: true });
    const [recording] = (await t.ok('GET', '/v1/recordings', t.s.agent1.token)).recordings as Recording[];
    expect(recording).toMatchObject({ callId: recorded.callId, conversationId: recorded.conversationId, mode: 'audio_video', status: 'processing' });
    expect(recording!.expiresAt).toBe(recording!.callEndedAt! + 30 * 24 * 3600 * 1000);
    // Another app sees none of it; a visitor neither.
    expect((await t.ok('GET', '/v1/recordings', t.other.admin.token)).recordings).toEqual([]);
    expect((await api(server!.url, 'GET', `/v1/recordings/${recording!.id}`, { token: t.other.admin.token })).status).toBe(404);
  });

  it.runIf(HAS_MEDIA_TOOLS)('after the call a job makes the mixed and per-participant files once; signed links expire, and open nothing of another app', async () => {
    const t = await setup();
    await t.ok('PUT', '/v1/recording-policies/channel/default', t.s.admin.token, { mode: 'audio_video' });
    const { callId } = await t.recordedCall();
    const app = server!.app;
    let [recording] = (await t.ok('GET', '/v1/recordings', t.s.admin.token)).recordings as Recording[];
    // Not ready yet: no link.
    expect((await api(server!.url, 'POST', `/v1/recordings/${recording!.id}/links`, { token: t.s.admin.token, body: {} })).status).toBe(409);

    t.clock.advance(1000);
    await app.services.recordings.runJobsOnce();
    recording = await t.ok('GET', `/v1/recordings/${recording!.id}`, t.s.admin.token);
    expect(recording).toMatchObject({ status: 'ready', format: 'mp4', participants: ['visitor:v1', 'agent:a1'], recordFlags: 0x117 });
    expect(recording!.durationMs).toBeGreaterThan(6500);
    expect(recording!.durationMs).toBeLessThan(7500);
    expect(recording!.files.map((f) => [f.role, f.participantId, f.name, f.recordFlags])).toEqual([
      ['mixed', null, 'mixed.mp4', 0x117],
      ['participant', 'visitor:v1', 'participant-1.webm', 0x7],
      ['participant', 'agent:a1', 'participant-2.webm', 0x7],
    ]);
    expect(recording!.sizeBytes).toBe(recording!.files.reduce((sum, f) => sum + f.sizeBytes, 0));
    // The call's CDR names the recording and links its mixed file (a link valid for the retention).
    await app.services.reports.runOnce();
    const cdr = await t.ok('GET', `/v1/cdrs/${callId}`, t.s.admin.token);
    expect(cdr.RecordId).toBe(recording!.id);
    expect(cdr.ServeParticipants.map((p: { RecordId: string }) => p.RecordId)).toEqual([recording!.id]);
    expect(cdr.RecordURL).toMatch(new RegExp(`^${TEST_PUBLIC_URL.replaceAll('.', '\\.')}/v1/recording-files/acme/${recording!.id}/mixed\\.mp4\\?expires=`));
    expect((await fetch(cdr.RecordURL.replace(TEST_PUBLIC_URL, server!.url))).status).toBe(200);
    // Once: running the job kind again changes nothing and announces nothing more.
    await app.services.recordings.runJobsOnce();
    const outbox = await app.storage.db.selectFrom('outbox_events').select('data').where('app_id', '=', 'acme').where('type', '=', 'recording.completed').execute();
    expect(outbox.map((row) => JSON.parse(row.data))).toEqual([expect.objectContaining({ recordingId: recording!.id, callId, durationSeconds: 7, recordFlags: 0x117, fileName: `recordings/acme/${recording!.id}/mixed.mp4` })]);

    const link = await t.ok('POST', `/v1/recordings/${recording!.id}/links`, t.s.agent1.token, { ttlSeconds: 60 });
    expect(link.expiresAt).toBe(t.clock.now() + 60_000);
    const local = link.url.replace(TEST_PUBLIC_URL, server!.url);
    const download = await fetch(local);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    expect((await download.arrayBuffer()).byteLength).toBe(recording!.files[0]!.sizeBytes);
    // Another app's id in the same link: refused (the signature covers the app, the recording and the file).
    expect((await fetch(local.replace('/acme/', '/other/'))).status).toBe(403);
    expect((await fetch(local.replace('mixed.mp4', 'participant-1.webm'))).status).toBe(403);
    expect((await fetch(local.replace(/signature=[^&]+/, 'signature=AAAA'))).status).toBe(403);
    // A participant's file through its own link.
    const own = await t.ok('POST', `/v1/recordings/${recording!.id}/links`, t.s.agent1.token, { file: 'participant-2.webm' });
    const ownFile = await fetch(own.url.replace(TEST_PUBLIC_URL, server!.url));
    expect(ownFile.status).toBe(200);
    // Remuxed as recorded (Opus and VP8), not re-encoded.
    expect(ownFile.headers.get('content-type')).toBe('video/webm');
    // Expired (injected clock): refused.
    t.clock.advance(61_000);
    expect((await fetch(local)).status).toBe(403);

    // Rename (staff), delete (admins): the files go with the row.
    expect((await t.ok('PATCH', `/v1/recordings/${recording!.id}`, t.s.agent1.token, { name: 'Claim 42' })).name).toBe('Claim 42');
    expect((await api(server!.url, 'DELETE', `/v1/recordings/${recording!.id}`, { token: t.s.agent1.token })).status).toBe(403);
    expect((await api(server!.url, 'DELETE', `/v1/recordings/${recording!.id}`, { token: t.other.admin.token })).status).toBe(404);
    await t.ok('DELETE', `/v1/recordings/${recording!.id}`, t.s.admin.token);
    expect((await api(server!.url, 'GET', `/v1/recordings/${recording!.id}`, { token: t.s.admin.token })).status).toBe(404);
    expect(fs.existsSync(path.join(app.config.dataDir, 'blobs', 'recordings', 'acme', recording!.id))).toBe(false);
  });

  it.runIf(HAS_MEDIA_TOOLS)('recordings past retention are pruned with their files', async () => {
    const t = await setup();
    await t.ok('PUT', '/v1/recording-policies/channel/default', t.s.admin.token, { mode: 'audio_video' });
    const { callId } = await t.recordedCall();
    t.clock.advance(1000);
    await server!.app.services.recordings.runJobsOnce();
    const [recording] = (await t.ok('GET', '/v1/recordings', t.s.admin.token)).recordings as Recording[];
    expect(recording).toMatchObject({ callId, status: 'ready' });
    const postProcessJobs = () => server!.app.storage.db.selectFrom('jobs').select('status').where('kind', '=', 'recordings.post-process').execute();
    expect(await postProcessJobs()).toEqual([{ status: 'done' }]);
    const dir = path.join(server!.app.config.dataDir, 'blobs', 'recordings', 'acme', recording!.id);
    expect(fs.readdirSync(dir).sort()).toEqual(['mixed.mp4', 'participant-1.webm', 'participant-2.webm']);
    await server!.app.services.recordings.pruneExpired(recording!.expiresAt! - 1);
    expect(fs.existsSync(dir)).toBe(true);
    await server!.app.services.recordings.pruneExpired(recording!.expiresAt!);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await t.ok('GET', '/v1/recordings', t.s.admin.token)).recordings).toEqual([]);
    // The finished post-processing job goes too (kept a week after it finished).
    expect(await postProcessJobs()).toEqual([]);
  });

  it.runIf(HAS_MEDIA_TOOLS)('AnyChat lists, reads, renames and deletes ready recordings as files of filetype 1 (filelist_get, fileinfo_get, fileinfo_ctrl)', async () => {
    const t = await setup();
    await t.ok('PUT', '/v1/recording-policies/channel/default', t.s.admin.token, { mode: 'audio_video' });
    const { callId } = await t.recordedCall();
    // Processing: not listed yet.
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 1 })).totalcount).toBe(0);
    t.clock.advance(1000);
    await server!.app.services.recordings.runJobsOnce();
    const [recording] = (await t.ok('GET', '/v1/recordings', t.s.admin.token)).recordings as Recording[];
    const listed = await t.gw('filelist_get', { pageindex: 1, perpagecount: 10 });
    expect(listed).toMatchObject({ return_code: 'SUCCESS', totalcount: 1, filecount: 1 });
    expect(listed.filelist[0]).toMatchObject({ fileid: recording!.id, filetype: 1, flags: 0x117, filelength: recording!.files[0]!.sizeBytes, strparam: callId, param: 7, createtime: expect.stringMatching(/^\d{14}$/) });
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 4 })).totalcount).toBe(0);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10 }, 'other')).totalcount).toBe(0);
    // fileurl: a signed link to the mixed file, for activeseconds.
    const info = await t.gw('fileinfo_get', { activeseconds: 60, filelist: [{ fileid: recording!.id }] });
    expect(info).toMatchObject({ return_code: 'SUCCESS', filecount: 1, filelist: [{ fileid: recording!.id, filetype: 1 }] });
    const fileUrl = (info.filelist[0].fileurl as string).replace(TEST_PUBLIC_URL, server!.url);
    expect((await fetch(fileUrl)).status).toBe(200);
    expect((await t.gw('fileinfo_get', { filelist: [{ fileid: recording!.id }] }, 'other')).error_code).toBe(100710);
    // Rename, then delete: another app's call changes nothing.
    expect((await t.gw('fileinfo_ctrl', { ctrltype: 2, filelist: [{ fileid: recording!.id, renamefile: 'Claim 7' }] })).filelist).toEqual([{ fileid: recording!.id, errorcode: 0 }]);
    expect((await t.ok('GET', `/v1/recordings/${recording!.id}`, t.s.admin.token)).name).toBe('Claim 7');
    expect((await t.gw('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: recording!.id }] }, 'other')).filelist).toEqual([{ fileid: recording!.id, errorcode: 100710 }]);
    expect((await t.gw('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: recording!.id }] })).filelist).toEqual([{ fileid: recording!.id, errorcode: 0 }]);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10 })).totalcount).toBe(0);
  });

  it.runIf(HAS_MEDIA_TOOLS)('with the TCCC data push on, each participant file of a ready recording is pushed to ?action=record&version=1 with the seed fields', async () => {
    const hits: { url: string; body: Record<string, unknown> }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        hits.push({ url: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ErrCode":0,"ErrMsg":"ok"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const t = await setup({ FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
      const { port } = receiver.address() as { port: number };
      await t.ok('PUT', '/v1/data-push', t.s.admin.token, { url: `http://127.0.0.1:${port}/tccc?tenant=7`, auth: { kind: 'none' } });
      await t.ok('PUT', '/v1/recording-policies/channel/default', t.s.admin.token, { mode: 'audio_video' });
      const { callId } = await t.recordedCall();
      t.clock.advance(1000);
      await server!.app.services.recordings.runJobsOnce();
      const [recording] = (await t.ok('GET', '/v1/recordings', t.s.admin.token)).recordings as Recording[];
      await server!.app.services.reports.runOnce();
      await expect.poll(() => hits.filter((h) => h.url.includes('action=record')).length, { timeout: 10_000 }).toBe(2);
      const records = hits.filter((h) => h.url.includes('action=record'));
      expect(records.every((h) => h.url.startsWith('/tccc?tenant=7&action=record&version=1'))).toBe(true);
      const numericId = (await server!.app.services.tenancy.getApp('acme')).numericId;
      // The fixture's tracks name their participants visitor:v1 and agent:a1 (a test agent id: its id is its endpoint).
      expect(records.map((h) => h.body).sort((a, b) => String(a.RecordURL).localeCompare(String(b.RecordURL)))).toEqual([
        { SdkAppId: numericId, RecordId: recording!.id, SessionId: callId, Timestamp: Math.floor(recording!.completedAt! / 1000), EndpointUser: 'v1', RecordURL: expect.stringContaining(`/v1/recording-files/acme/${recording!.id}/participant-1.webm?expires=`), CustomRecordURL: null },
        { SdkAppId: numericId, RecordId: recording!.id, SessionId: callId, Timestamp: Math.floor(recording!.completedAt! / 1000), EndpointUser: 'a1', RecordURL: expect.stringContaining(`/v1/recording-files/acme/${recording!.id}/participant-2.webm?expires=`), CustomRecordURL: null },
      ]);
      const url = String(records[0]!.body.RecordURL).replace(TEST_PUBLIC_URL, server!.url);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
