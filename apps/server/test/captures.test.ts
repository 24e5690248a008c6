import type { CallKind, Message } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { formatAnyChatTimestamp, md5Signature } from '../src/modules/compat/index.ts';
import { anychatNotifyOf } from '../src/modules/webhooks/anychat-format.ts';
import { callTestBed } from './call-bed.ts';
import { api, seedApp, STORAGES, type TestClient } from './helpers.ts';

/** A 1×1 PNG: what a browser's canvas gives, small. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const SNAPSHOT_FLAG = 0x400;

/** Call snapshots and photos through the real server (calls, conversations' files, gateway, webhooks, AnyChat files). */
describe.each(STORAGES)('call snapshots and photos (%s)', (storage) => {
  const startCallTest = callTestBed(storage);

  async function setup() {
    const t = await startCallTest();
    const { clock, srv, s, ok } = t;
    const other = await seedApp(srv, 'other');
    /** An image (or anything) as the raw body, the way the SDKs upload. */
    const upload = async (route: string, token: string, bytes: Buffer, type = 'image/png') => {
      const res = await fetch(srv.url + route, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(bytes) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    await ok('PATCH', `/v1/agents/${s.agent1.agent.id}`, s.admin.token, { mediaTypes: ['chat', 'video'] });
    await ok('PATCH', '/v1/channels/default', s.admin.token, { calls: { video: true, audio: true } });
    /** A live call between a new visitor and agent1 (both published, media up). */
    const liveCall = (a1: TestClient, kind: CallKind = 'video') => t.liveCall({ a1, kind });
    /** The AnyChat server API (seed 003), signed with the app's gateway secret. */
    const gw = async (method: string, body: unknown, appid = 'acme') => {
      const ts = formatAnyChatTimestamp(clock.now());
      const secret = appid === 'acme' ? s.app.secrets.gatewaySecret : other.app.secrets.gatewaySecret;
      const q = new URLSearchParams({ method, appid, timestamp: ts, signtype: 'MD5', signstr: md5Signature(method, appid, ts, secret) });
      const res = await fetch(`${srv.url}/gateway?${q}`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) });
      return (await res.json()) as any;
    };
    const agent1 = () => t.agent(s.agent1);
    const capturesInOutbox = async () =>
      (await srv.app.storage.db.selectFrom('outbox_events').select(['type', 'data', 'created_at']).where('app_id', '=', 'acme').where('type', '=', 'capture.stored').orderBy('position').execute()).map((row) => ({
        ...row,
        data: JSON.parse(row.data) as Record<string, unknown>,
      }));
    return { ...t, other, upload, liveCall, gw, agent1, capturesInOutbox };
  }

  it("the agent's snapshot is an image message both sides see, announced as recordsnapshot_notify and listed by AnyChat as a snapshot of this app only", async () => {
    const t = await setup();
    const a1 = await t.agent1();
    const call = await t.liveCall(a1);

    const stored = await t.upload(`/v1/calls/${call.callId}/snapshots`, t.s.agent1.token, PNG);
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(stored.body).toMatchObject({ kind: 'snapshot', callId: call.callId, message: { kind: 'image', senderType: 'agent', senderId: t.s.agent1.agent.id, file: { mimeType: 'image/png' } } });
    const fileId = stored.body.fileId as string;
    expect(stored.body.message.file.id).toBe(fileId);
    expect(stored.body.message.file.name).toMatch(/^snapshot-\d{8}-\d{6}\.png$/);
    // Both transcripts: the visitor's socket gets the message, and the visitor may download the image.
    await call.v.waitFor(() => call.v.messages(call.conversationId).some((m) => m.id === stored.body.message.id));
    const visitorHistory = await t.ok('GET', `/v1/conversations/${call.conversationId}/messages`, call.token);
    expect(visitorHistory.messages.map((m: Message) => m.file?.id)).toContain(fileId);
    const download = await fetch(`${t.srv.url}/v1/files/${fileId}`, { headers: { authorization: `Bearer ${call.token}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

    // The business backend: capture.stored, which an AnyChat subscription gets as recordsnapshot_notify with the snapshot flag.
    const [event] = await t.capturesInOutbox();
    expect(event!.data).toMatchObject({ kind: 'snapshot', callId: call.callId, conversationId: call.conversationId, fileId, visitorId: call.visitorId, agentId: t.s.agent1.agent.id, sizeBytes: PNG.length });
    const notify = anychatNotifyOf('acme', { type: 'capture.stored', created_at: event!.created_at, data: event!.data }, { users: new Map([[call.visitorId, { name: 'Ann', loginIp: null }]]) });
    expect(notify).toEqual({
      method: 'recordsnapshot_notify',
      body: expect.objectContaining({ appguid: 'acme', callid: call.callId, recordid: fileId, recordfilename: stored.body.message.file.name, recordtime: 0, flags: SNAPSHOT_FLAG, struserid: call.visitorId, username: 'Ann', errorcode: 0 }),
    });

    // AnyChat files: filetype 2 (snapshot) with the snapshot flag; not among the stored files (4); not in another app.
    const snapshots = await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 2 });
    expect(snapshots.filelist).toEqual([expect.objectContaining({ fileid: fileId, filetype: 2, flags: SNAPSHOT_FLAG, filelength: PNG.length })]);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 4 })).totalcount).toBe(0);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10 })).filelist).toEqual([expect.objectContaining({ fileid: fileId, filetype: 2 })]);
    expect((await t.gw('fileinfo_get', { filelist: [{ fileid: fileId }] })).filelist).toEqual([expect.objectContaining({ fileid: fileId, filetype: 2, flags: SNAPSHOT_FLAG })]);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 2 }, 'other')).totalcount).toBe(0);
    expect((await t.gw('fileinfo_get', { filelist: [{ fileid: fileId }] }, 'other')).errorcode).not.toBe(0);
    // A file sent in the chat stays a stored file (4).
    const sent = await t.upload(`/v1/conversations/${call.conversationId}/files?name=chat.png&clientId=c1`, call.token, PNG);
    expect(sent.status).toBe(201);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 4 })).filelist).toEqual([expect.objectContaining({ fileid: sent.body.file.id, filetype: 4, flags: 0 })]);
  });

  it('snapshots and photo requests are for the agents in the live video call; anything but an image is refused', async () => {
    const t = await setup();
    const a1 = await t.agent1();
    const call = await t.liveCall(a1);
    const code = (res: { body: { error?: { code?: string } } }) => res.body?.error?.code;

    // The visitor cannot take a snapshot nor ask for a photo.
    const byVisitor = await t.upload(`/v1/calls/${call.callId}/snapshots`, call.token, PNG);
    expect([byVisitor.status, code(byVisitor)]).toEqual([403, 'FD_AUTH_FORBIDDEN']);
    const askedByVisitor = await api(t.srv.url, 'POST', `/v1/calls/${call.callId}/photo-requests`, { token: call.token });
    expect([askedByVisitor.status, askedByVisitor.body.error.code]).toEqual([403, 'FD_AUTH_FORBIDDEN']);
    // Another agent of the app (not in the call), an agent of another app: no such call.
    const byAgent2 = await t.upload(`/v1/calls/${call.callId}/snapshots`, t.s.agent2.token, PNG);
    expect([byAgent2.status, code(byAgent2)]).toEqual([404, 'FD_CALL_NOT_FOUND']);
    const byOtherApp = await t.upload(`/v1/calls/${call.callId}/snapshots`, t.other.agent1.token, PNG);
    expect([byOtherApp.status, code(byOtherApp)]).toEqual([404, 'FD_CALL_NOT_FOUND']);
    const askedByOtherApp = await api(t.srv.url, 'POST', `/v1/calls/${call.callId}/photo-requests`, { token: t.other.agent1.token });
    expect(askedByOtherApp.status).toBe(404);
    // Not an image, or an image type a canvas does not make.
    const pdf = await t.upload(`/v1/calls/${call.callId}/snapshots`, t.s.agent1.token, PDF, 'image/png');
    expect([pdf.status, code(pdf)]).toEqual([415, 'FD_FILE_TYPE_NOT_ALLOWED']);
    expect(await t.capturesInOutbox()).toEqual([]);

    // An audio call has no video to capture; an ended call none either.
    await a1.request({ type: 'call.hangup', callId: call.callId });
    const ended = await t.upload(`/v1/calls/${call.callId}/snapshots`, t.s.agent1.token, PNG);
    expect(code(ended)).toBe('FD_CALL_ENDED');
    const audio = await t.liveCall(a1, 'audio');
    const noVideo = await t.upload(`/v1/calls/${audio.callId}/snapshots`, t.s.agent1.token, PNG);
    expect(code(noVideo)).toBe('FD_CALL_NOT_ALLOWED');
  });

  it("a photo: the agent asks, the visitor's page gets a grant and uploads once; a forged, expired or foreign grant is refused; a page that cannot take it says snapShotDisabled", async () => {
    const t = await setup();
    const a1 = await t.agent1();
    const call = await t.liveCall(a1);

    const asked = await t.ok('POST', `/v1/calls/${call.callId}/photo-requests`, t.s.agent1.token);
    expect(asked.requestId).toMatch(/^photo_/);
    await call.v.waitFor(() => call.v.events.some((e) => e.type === 'call.photo-request' && e.requestId === asked.requestId));
    const request = call.v.events.find((e) => e.type === 'call.photo-request')! as { expires: number; signature: string; callId: string };
    expect(request.callId).toBe(call.callId);
    // The agent never gets the grant (only its request id).
    expect(a1.events.some((e) => e.type === 'call.photo-request')).toBe(false);
    const photoRoute = (grant: { expires: number; signature: string }, callId = call.callId, requestId = asked.requestId) => `/v1/calls/${callId}/photos/${requestId}?expires=${grant.expires}&signature=${encodeURIComponent(grant.signature)}`;

    // Forged signature, another request id, the agent uploading, another visitor's call: refused.
    const forged = await t.upload(photoRoute({ expires: request.expires, signature: `${request.signature.slice(0, -2)}AA` }), call.token, PNG);
    expect([forged.status, forged.body.error.code]).toEqual([403, 'FD_CAPTURE_GRANT_INVALID']);
    expect((await t.upload(photoRoute(request, call.callId, 'photo_other'), call.token, PNG)).body.error.code).toBe('FD_CAPTURE_GRANT_INVALID');
    expect((await t.upload(photoRoute(request), t.s.agent1.token, PNG)).body.error.code).toBe('FD_AUTH_FORBIDDEN');
    const otherVisitor = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    expect((await t.upload(photoRoute(request), otherVisitor.token, PNG)).body.error.code).toBe('FD_CALL_NOT_FOUND');

    // The visitor's photo: its image message, once (a retried upload is the same message); the agent hears of it.
    const photo = await t.upload(photoRoute(request), call.token, PNG);
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    expect(photo.body).toMatchObject({ kind: 'photo', message: { kind: 'image', senderType: 'visitor', senderId: call.visitorId } });
    expect(photo.body.message.file.name).toMatch(/^photo-/);
    const again = await t.upload(photoRoute(request), call.token, PNG);
    expect(again.body.message.id).toBe(photo.body.message.id);
    await a1.waitFor(() => a1.events.some((e) => e.type === 'call.photo' && e.requestId === asked.requestId));
    expect(a1.events.filter((e) => e.type === 'call.photo')).toEqual([expect.objectContaining({ callId: call.callId, requestId: asked.requestId, error: null, message: expect.objectContaining({ id: photo.body.message.id }) })]);
    expect((await t.capturesInOutbox()).map((e) => e.data.kind)).toEqual(['photo']);
    expect((await t.gw('filelist_get', { pageindex: 1, perpagecount: 10, filetype: 2 })).filelist).toEqual([expect.objectContaining({ fileid: photo.body.fileId, filetype: 2 })]);

    // A page that cannot take a photo: the agent gets snapShotDisabled, nothing is stored.
    const second = await t.ok('POST', `/v1/calls/${call.callId}/photo-requests`, t.s.agent1.token);
    await call.v.waitFor(() => call.v.events.some((e) => e.type === 'call.photo-request' && e.requestId === second.requestId));
    const grant2 = call.v.events.find((e) => e.type === 'call.photo-request' && e.requestId === second.requestId)! as { expires: number; signature: string };
    const failed = await api(t.srv.url, 'POST', `/v1/calls/${call.callId}/photos/${second.requestId}/failure`, { token: call.token, body: { expires: grant2.expires, signature: grant2.signature, reason: 'no camera track' } });
    expect([failed.status, failed.body]).toEqual([200, { requestId: second.requestId }]);
    await a1.waitFor(() => a1.events.some((e) => e.type === 'call.photo' && e.requestId === second.requestId));
    expect(a1.events.find((e) => e.type === 'call.photo' && e.requestId === second.requestId)).toMatchObject({ message: null, error: { type: 'snapShotDisabled', msg: 'no camera track' } });

    // A grant expires after a minute.
    const third = await t.ok('POST', `/v1/calls/${call.callId}/photo-requests`, t.s.agent1.token);
    await call.v.waitFor(() => call.v.events.some((e) => e.type === 'call.photo-request' && e.requestId === third.requestId));
    const grant3 = call.v.events.find((e) => e.type === 'call.photo-request' && e.requestId === third.requestId)! as { expires: number; signature: string };
    t.clock.advance(61_000);
    expect((await t.upload(photoRoute(grant3, call.callId, third.requestId), call.token, PNG)).body.error.code).toBe('FD_CAPTURE_GRANT_INVALID');
    expect((await t.capturesInOutbox()).length).toBe(1);
  });
});
