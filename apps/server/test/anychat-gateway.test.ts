import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { formatAnyChatTimestamp, md5Signature } from '../src/modules/compat/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 5, 10, 0);

describe('AnyChat MD5 signature', () => {
  it("matches the seed's own example vector", () => {
    expect(md5Signature('record_notify', 'E205F8EC-D896-4451-B815-460D36ED7FBD', '20150503103548', 'anychat')).toBe('077AB6353B129837B281FAF99D4F439D');
  });
  it('reads timestamps as UTC+8', () => {
    expect(formatAnyChatTimestamp(Date.UTC(2015, 4, 3, 2, 35, 48))).toBe('20150503103548');
  });
});

describe.each(STORAGES)('AnyChat gateway (%s)', (storage) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(NOW);
    server = await startTestServer(storage, {}, { clock });
    const acme = await seedApp(server, 'acme');
    const other = await seedApp(server, 'other');
    const srv = server;
    const secretOf = { acme: acme.app.secrets.gatewaySecret, other: other.app.secrets.gatewaySecret } as Record<string, string>;
    const gw = async (method: string, body: unknown, opts: { appid?: string; secret?: string; ts?: string; signtype?: string; signstr?: string; raw?: string } = {}) => {
      const appid = opts.appid ?? 'acme';
      const ts = opts.ts ?? formatAnyChatTimestamp(clock.now());
      const signstr = opts.signstr ?? md5Signature(method, appid, ts, opts.secret ?? secretOf[appid] ?? 'x');
      const q = new URLSearchParams({ method, appid, timestamp: ts, signtype: opts.signtype ?? 'MD5', signstr });
      const res = await fetch(`${srv.url}/gateway?${q}`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: opts.raw ?? (body === undefined ? '' : JSON.stringify(body)) });
      return { status: res.status, body: (await res.json()) as any };
    };
    return { clock, srv, acme, other, gw };
  }

  it('answers SUCCESS for a good MD5 signature, compared case-insensitively', async () => {
    const { gw, acme } = await setup();
    const ts = formatAnyChatTimestamp(NOW);
    const lower = md5Signature('object_idlist_get', 'acme', ts, acme.app.secrets.gatewaySecret).toLowerCase();
    const res = await gw('object_idlist_get', { objecttype: -1 }, { signstr: lower });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ return_code: 'SUCCESS', objectcount: 0, objectguids: [] });
  });

  it('refuses an unknown appid (100702), a bad signature (100704), a bad body (100703), another app\'s secret', async () => {
    const { gw, other } = await setup();
    expect((await gw('object_idlist_get', { objecttype: 4 }, { appid: 'nope' })).body).toMatchObject({ return_code: 'FAIL', error_code: 100702 });
    const bad = await gw('object_idlist_get', { objecttype: 4 }, { signstr: '0'.repeat(32) });
    // Every answer is HTTP 200 (seed 003: the reply fields are "valid only on 200"); the code says what failed.
    expect([bad.status, bad.body.error_code, bad.body.return_code]).toEqual([200, 100704, 'FAIL']);
    expect((await gw('object_idlist_get', { objecttype: 4 }, { secret: other.app.secrets.gatewaySecret })).body.error_code).toBe(100704);
    const body = await gw('object_idlist_get', { objecttype: 'x' });
    expect([body.status, body.body.error_code]).toEqual([200, 100703]);
    expect((await gw('object_idlist_get', undefined, { raw: '{not json' })).body.error_code).toBe(100703);
    expect((await gw('object_idlist_get', undefined)).body.error_code).toBe(100703);
  });

  it('refuses a timestamp 5 minutes and 1 second old (100705) and accepts one exactly 5 minutes old', async () => {
    const { gw } = await setup();
    const stale = await gw('object_idlist_get', { objecttype: 4 }, { ts: formatAnyChatTimestamp(NOW - 5 * 60_000 - 1000) });
    expect([stale.status, stale.body.error_code]).toEqual([200, 100705]);
    expect((await gw('object_idlist_get', { objecttype: 4 }, { ts: formatAnyChatTimestamp(NOW - 5 * 60_000) })).body.return_code).toBe('SUCCESS');
    expect((await gw('object_idlist_get', { objecttype: 4 }, { ts: '2026-01-05' })).body.error_code).toBe(100705);
  });

  it('verifies RSA signatures with the public key an admin set, and refuses tampered ones', async () => {
    const { gw, srv, acme } = await setup();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ts = formatAnyChatTimestamp(NOW);
    const signature = sign('md5', Buffer.from(`object_idlist_get&acme&${ts}`), privateKey).toString('hex').toUpperCase();
    expect((await gw('object_idlist_get', { objecttype: 4 }, { signtype: 'RSA', signstr: signature })).body.error_code).toBe(100704);
    expect((await api(srv.url, 'PUT', '/v1/compat/anychat', { token: acme.agent1.token, body: { rsaPublicKeyPem: pem } })).status).toBe(403);
    expect((await api(srv.url, 'PUT', '/v1/compat/anychat', { token: acme.admin.token, body: { rsaPublicKeyPem: 'nope' } })).status).toBe(400);
    expect((await api(srv.url, 'PUT', '/v1/compat/anychat', { token: acme.admin.token, body: { rsaPublicKeyPem: pem } })).status).toBe(200);
    expect((await gw('object_idlist_get', { objecttype: 4 }, { signtype: 'RSA', signstr: signature })).body.return_code).toBe('SUCCESS');
    const tampered = (signature.startsWith('0') ? '1' : '0') + signature.slice(1);
    expect((await gw('object_idlist_get', { objecttype: 4 }, { signtype: 'RSA', signstr: tampered })).body.error_code).toBe(100704);
    const base64 = sign('md5', Buffer.from(`object_idlist_get&acme&${ts}`), privateKey).toString('base64');
    expect((await gw('object_idlist_get', { objecttype: 4 }, { signtype: 'RSA', signstr: base64 })).body.return_code).toBe('SUCCESS');
  });

  it('answers unknown methods with 100708', async () => {
    const { gw } = await setup();
    const unknown = await gw('no_such_method', {});
    expect([unknown.status, unknown.body.error_code]).toEqual([200, 100708]);
  });

  it('online_useridlist_get lists the users connected now, everyone or agents only; a closed socket leaves it', async () => {
    const { gw, srv, acme } = await setup();
    const v = await newVisitor(srv, 'acme');
    const visitor = await TestClient.connect(srv.wsUrl('acme'));
    expect((await visitor.request({ type: 'hello', token: v.token })).ok).toBe(true);
    const agent = await TestClient.connect(srv.wsUrl('acme'));
    expect((await agent.request({ type: 'hello', token: acme.agent1.token })).ok).toBe(true);
    const online = async (userflags: number) => (await gw('online_useridlist_get', { userflags })).body;
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await until(async () => (await online(0)).userscount === 2);
    expect((await online(0)).useridlist.sort()).toEqual([acme.agent1.agent.id, v.visitorId].sort());
    expect(await online(2)).toMatchObject({ userscount: 1, useridlist: [acme.agent1.agent.id] });
    expect((await gw('online_useridlist_get', { userflags: 0 }, { appid: 'other' })).body.userscount).toBe(0);
    expect((await gw('online_useridlist_get', { userflags: 5 })).body.error_code).toBe(100703);
    await visitor.close();
    await until(async () => (await online(0)).userscount === 1);
    expect((await online(0)).useridlist).toEqual([acme.agent1.agent.id]);
    expect((await api(srv.url, 'GET', '/v1/presence', { token: acme.admin.token })).body).toEqual({ agents: [acme.agent1.agent.id], visitors: [] });
    await agent.close();
  });

  it('creates, lists, reads, modifies and deletes areas, queues and queue groups', async () => {
    const { gw } = await setup();
    const area = (await gw('object_info_set', { action: 1, objecttype: 4, name: 'GuangZhou' })).body.objectguid as string;
    const queue = (await gw('object_info_set', { action: 1, objecttype: 5, name: 'Sales', parentobjectguid: area, priority: 5 })).body.objectguid as string;
    const group = (await gw('object_info_set', { action: 1, objecttype: 10, name: 'All', queuegroups: [queue] })).body.objectguid as string;
    expect((await gw('object_idlist_get', { objecttype: -1 })).body.objectguids).toEqual([area, queue, group]);
    expect((await gw('object_idlist_get', { objecttype: 5 })).body).toMatchObject({ objectcount: 1, objectguids: [queue] });
    expect((await gw('object_list_get', { objecttype: 5, objectguid: area })).body.objectlist).toEqual([{ objectguid: queue, objecttype: 5, name: 'Sales', objectid: 1, description: '' }]);
    expect((await gw('object_info_get', { objectguid: queue })).body).toMatchObject({ return_code: 'SUCCESS', objecttype: 5, name: 'Sales', priority: 5, parentobjectguid: area });
    // Seed 003: queuegroups is an Integer-Array, the queues' objectids.
    expect((await gw('object_info_get', { objectguid: group })).body).toMatchObject({ objecttype: 10, queuegroups: [1] });
    expect((await gw('object_info_get', { objectguid: 'missing' })).body.error_code).toBe(100701);
    expect((await gw('object_info_set', { action: 3, objectguid: queue, name: 'Support' })).body.return_code).toBe('SUCCESS');
    expect((await gw('object_info_get', { objectguid: queue })).body.name).toBe('Support');
    // Skill objects (9) are kept now (anychat-fidelity.test.ts); a type the seed does not define is refused.
    expect((await gw('object_info_set', { action: 1, objecttype: 7, name: 'what' })).body.error_code).toBe(100701);
    expect((await gw('object_info_set', { action: 2 })).body.error_code).toBe(100703);
    // The queue is in a group: native routing refuses, translated to 100701.
    expect((await gw('object_info_set', { action: 2, objectguid: queue })).body.error_code).toBe(100701);
    expect((await gw('object_info_set', { action: 2, objectguid: group })).body.return_code).toBe('SUCCESS');
    expect((await gw('object_info_set', { action: 2, objectguid: queue })).body.return_code).toBe('SUCCESS');
    expect((await gw('object_info_set', { action: 2, objectguid: area })).body.return_code).toBe('SUCCESS');
    expect((await gw('object_idlist_get', { objecttype: -1 })).body.objectcount).toBe(0);
  });

  it('reports live status of areas, queues and agents, and user info', async () => {
    const { gw, srv, acme } = await setup();
    const area = (await gw('object_info_set', { action: 1, objecttype: 4, name: 'GZ' })).body.objectguid as string;
    const queue = (await gw('object_info_set', { action: 1, objecttype: 5, name: 'Sales', parentobjectguid: area })).body.objectguid as string;
    const agentId = acme.agent1.agent.id;
    expect((await api(srv.url, 'PUT', `/v1/agents/${agentId}/skills`, { token: acme.admin.token, body: { skills: [{ queueId: queue }] } })).status).toBe(200);
    const status = (infotype: number, extra: Record<string, unknown> = {}) => gw('object_status_get', { objectguid: area, infotype, ...extra });
    expect((await status(401)).body).toMatchObject({ return_code: 'SUCCESS', objecttype: 4, infotype: 401, infovalue: { agentcount: 0 } });
    expect((await status(402)).body.infovalue).toEqual({ guestcount: 0 });
    expect((await status(403)).body.infovalue).toEqual({ queueusercount: 0 });
    expect((await status(404)).body.infovalue).toEqual({ queuecount: 1 });
    expect((await status(405)).body.infovalue).toEqual({ userscount: 0, useridlist: [] });
    expect((await gw('object_status_get', { objectguid: queue, infotype: 504 })).body.infovalue).toEqual({ queuelength: 0 });
    expect((await gw('object_status_get', { objectguid: queue, struserid: agentId, infotype: 601 })).body.infovalue).toEqual({ agentstatus: 0 });
    expect((await gw('object_status_get', { objectguid: queue, struserid: agentId, infotype: 606 })).body.infovalue).toEqual({});
    expect((await gw('object_status_get', { objectguid: queue, struserid: 'nobody', infotype: 601 })).body.error_code).toBe(100701);
    expect((await gw('object_status_get', { objectguid: 'missing', infotype: 401 })).body.error_code).toBe(100701);
    expect((await gw('object_status_get', { objectguid: area, infotype: 999 })).body.error_code).toBe(100701);
    const users = await gw('userinfo_get', { userscount: 2, useridlist: [agentId, 'nobody'] });
    expect(users.body).toMatchObject({ return_code: 'SUCCESS', userscount: 1, userinfolist: [{ struserid: agentId, userflags: 2 }] });
    expect((await gw('userinfo_get', { useridlist: [] })).body.error_code).toBe(100703);

    // With traffic: the agent (room for one chat) serves one visitor while a second waits in the queue.
    const admin = { token: acme.admin.token };
    expect((await api(srv.url, 'PATCH', `/v1/agents/${agentId}`, { ...admin, body: { maxConcurrentChats: 1 } })).status).toBe(200);
    expect((await api(srv.url, 'PATCH', '/v1/channels/default', { ...admin, body: { queueId: queue } })).status).toBe(200);
    expect((await api(srv.url, 'PUT', '/v1/agents/me/status', { token: acme.agent1.token, body: { status: 'free' } })).status).toBe(200);
    const served = await newVisitor(srv, 'acme');
    expect((await api(srv.url, 'POST', `/v1/conversations/${served.conversationId}/accept`, { token: acme.agent1.token })).status).toBe(200);
    const waiting = await newVisitor(srv, 'acme');
    expect((await api(srv.url, 'GET', `/v1/conversations/${waiting.conversationId}/routing`, admin)).body.conversation).toMatchObject({ routingState: 'queued' });
    expect((await status(401)).body.infovalue).toEqual({ agentcount: 1 });
    expect((await status(402)).body.infovalue).toEqual({ guestcount: 1 });
    expect((await status(403)).body.infovalue).toEqual({ queueusercount: 1 });
    expect((await status(405)).body.infovalue).toEqual({ userscount: 1, useridlist: [agentId] });
    expect((await gw('object_status_get', { objectguid: queue, infotype: 504 })).body.infovalue).toEqual({ queuelength: 1 });
    expect((await gw('object_status_get', { objectguid: queue, struserid: agentId, infotype: 601 })).body.infovalue).toEqual({ agentstatus: 2 });
    expect((await gw('object_status_get', { objectguid: queue, struserid: agentId, infotype: 606 })).body.infovalue).toMatchObject({ struserid: served.visitorId });
  });

  it('answers fileinfo_get with a conversation file of the app, and not of another app', async () => {
    const { gw, srv } = await setup();
    const v = await newVisitor(srv, 'acme');
    const up = await fetch(`${srv.url}/v1/conversations/${v.conversationId}/files?name=note.txt&clientId=c-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${v.token}`, 'content-type': 'text/plain' },
      body: 'hello anychat',
    });
    expect(up.status).toBe(201);
    const fileId = ((await up.json()) as any).file.id as string;
    const res = await gw('fileinfo_get', { filelist: [{ fileid: fileId }] });
    expect(res.body).toMatchObject({ return_code: 'SUCCESS', filecount: 1, filelist: [{ fileid: fileId, filename: 'note.txt', filelength: 13, filetype: 4 }] });
    // An absolute link that works without a token (signed, for activeseconds).
    expect(res.body.filelist[0].fileurl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:9/v1/files/${fileId}\\?expires=\\d+&signature=`));
    expect((await gw('fileinfo_get', { filelist: [{ fileid: fileId }] }, { appid: 'other' })).body.error_code).toBe(100710);
  });

  it('lists files by page and name with filelist_get, renames and deletes them with fileinfo_ctrl', async () => {
    const { gw, srv } = await setup();
    const v = await newVisitor(srv, 'acme');
    const upload = async (name: string, i: number) => {
      const up = await fetch(`${srv.url}/v1/conversations/${v.conversationId}/files?name=${name}&clientId=f-${i}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${v.token}`, 'content-type': 'text/plain' },
        body: `file ${i}`,
      });
      expect(up.status).toBe(201);
      return ((await up.json()) as any).file.id as string;
    };
    const ids = [await upload('a.txt', 1), await upload('b.txt', 2), await upload('notes-b.txt', 3)];
    const page = await gw('filelist_get', { pageindex: 1, perpagecount: 2 });
    expect(page.body).toMatchObject({ return_code: 'SUCCESS', pagecount: 2, pageindex: 1, totalcount: 3, filecount: 2 });
    expect(page.body.filelist[0]).toMatchObject({ filetype: 4, flags: 0, createtime: expect.stringMatching(/^\d{14}$/) });
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 30, filename: 'b.txt' })).body.totalcount).toBe(2);
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 30, filename: 'b.txt', filenamematch: 1 })).body.totalcount).toBe(1);
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 30, filetype: 3 })).body.totalcount).toBe(0);
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 31 })).body.error_code).toBe(100703);
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 30 }, { appid: 'other' })).body.totalcount).toBe(0);

    expect((await gw('fileinfo_ctrl', { ctrltype: 2, filelist: [{ fileid: ids[0], renamefile: 'renamed.txt' }] })).body.return_code).toBe('SUCCESS');
    expect((await gw('fileinfo_get', { filelist: [{ fileid: ids[0] }] })).body.filelist[0].filename).toBe('renamed.txt');
    expect((await gw('fileinfo_ctrl', { ctrltype: 2, filelist: [{ fileid: ids[1] }] })).body.error_code).toBe(100703);
    // Seed 003: fileinfo_ctrl answers filecount and an errorcode per file.
    expect((await gw('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: ids[1] }] }, { appid: 'other' })).body).toMatchObject({ return_code: 'SUCCESS', filecount: 1, filelist: [{ fileid: ids[1], errorcode: 100710 }] });
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 30 })).body.totalcount).toBe(3);
    expect((await gw('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: ids[1] }, { fileid: 'nope' }] })).body).toMatchObject({ return_code: 'SUCCESS', filecount: 2, filelist: [{ fileid: ids[1], errorcode: 0 }, { fileid: 'nope', errorcode: 100710 }] });
    expect((await gw('filelist_get', { pageindex: 1, perpagecount: 30 })).body.totalcount).toBe(2);
    expect((await gw('fileinfo_get', { filelist: [{ fileid: ids[1] }] })).body.error_code).toBe(100710);
  });

  it('transbuffer reaches the user over its socket and userinfo_ctrl 1 kicks it out; data a client sends becomes a transparent.data event', async () => {
    const { gw, srv, acme } = await setup();
    const v = await newVisitor(srv, 'acme');
    const client = await TestClient.connect(srv.wsUrl('acme'));
    expect((await client.request({ type: 'hello', token: v.token })).ok).toBe(true);
    const data = Buffer.from('good girl!').toString('base64');
    expect((await gw('transbuffer', { struserid: v.visitorId, databuf: data })).body.return_code).toBe('SUCCESS');
    await client.waitFor(() => client.events.some((e) => e.type === 'transparent' && e.data === data));
    // the native server API does the same
    expect((await api(srv.url, 'POST', `/v1/users/${v.visitorId}/transparent`, { token: acme.admin.token, body: { data } })).status).toBe(200);
    expect((await api(srv.url, 'POST', `/v1/users/${v.visitorId}/transparent`, { token: acme.admin.token, body: { data: 'not base64!' } })).status).toBe(400);
    expect((await api(srv.url, 'POST', `/v1/users/${v.visitorId}/transparent`, { token: acme.agent1.token, body: { data } })).status).toBe(403);
    expect((await gw('transbuffer', { struserid: v.visitorId, databuf: data }, { appid: 'other' })).body.return_code).toBe('FAIL');
    expect((await gw('transbuffer', { struserid: v.visitorId, databuf: 'x'.repeat(8196) })).body.error_code).toBe(100703);
    // the client's data is stored as an event for the business backend
    expect((await client.request({ type: 'transparent.send', data })).ok).toBe(true);
    const events = await srv.app.storage.db.selectFrom('outbox_events').select(['type', 'data']).where('app_id', '=', 'acme').where('type', '=', 'transparent.data').execute();
    expect(events.map((e) => JSON.parse(e.data))).toEqual([{ userType: 'visitor', userId: v.visitorId, data }]);
    // kick: the socket is closed with the kicked-out code
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    expect((await gw('userinfo_ctrl', { struserid: v.visitorId, ctrlcode: 1, ctrlvalue: '' })).body.return_code).toBe('SUCCESS');
    expect(await closed).toBe(4009);
    expect((await gw('userinfo_ctrl', { struserid: 'vis_nobody', ctrlcode: 1 })).body.return_code).toBe('FAIL');
  });

  it('userinfo_ctrl 11 sets an agent priority and queue groups', async () => {
    const { gw, srv, acme } = await setup();
    const q = (await api(srv.url, 'POST', '/v1/queues', { token: acme.admin.token, body: { name: 'q' } })).body;
    const group = (await api(srv.url, 'POST', '/v1/queue-groups', { token: acme.admin.token, body: { name: 'g', queueIds: [q.id] } })).body;
    const agentId = acme.agent1.agent.id;
    const res = await gw('userinfo_ctrl', { struserid: agentId, ctrlcode: 11, ctrlvalue: { flags: 2, priority: 7, queuegroups: [group.id] } });
    expect(res.body.return_code).toBe('SUCCESS');
    expect((await api(srv.url, 'GET', `/v1/agents/${agentId}/skills`, { token: acme.admin.token })).body).toMatchObject({ priority: 7, queueGroups: [{ queueGroupId: group.id }] });
    expect((await gw('userinfo_ctrl', { struserid: agentId, ctrlcode: 11, ctrlvalue: 'x' })).body.error_code).toBe(100703);
  });

  it('answers fileinfo_get for a missing file with 100710', async () => {
    const { gw } = await setup();
    const res = await gw('fileinfo_get', { filelist: [{ fileid: 'nope' }] });
    expect([res.status, res.body.error_code]).toEqual([200, 100710]);
    expect((await gw('fileinfo_get', { filelist: [] })).body.error_code).toBe(100703);
  });
});
