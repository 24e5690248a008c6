import { createHash, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { formatAnyChatTimestamp, md5Signature } from '../src/modules/compat/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TEST_PUBLIC_URL, type TestServer } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 5, 10, 0);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** Seed 003 as an integrator reads it: field names, integer ids, HTTP 200 for every answer. */
describe.each(STORAGES)('AnyChat gateway, the seed’s formats (%s)', (storage) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(NOW);
    server = await startTestServer(storage, {}, { clock });
    const acme = await seedApp(server, 'acme');
    const srv = server;
    const gw = async (method: string, body: unknown, opts: { appid?: string; secret?: string; signtype?: string; signstr?: string; raw?: string } = {}) => {
      const appid = opts.appid ?? 'acme';
      const ts = formatAnyChatTimestamp(clock.now());
      const signstr = opts.signstr ?? md5Signature(method, appid, ts, opts.secret ?? acme.app.secrets.gatewaySecret);
      const q = new URLSearchParams({ method, appid, timestamp: ts, signtype: opts.signtype ?? 'MD5', signstr });
      const res = await fetch(`${srv.url}/gateway?${q}`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: opts.raw ?? JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    return { clock, srv, acme, gw };
  }

  it('answers every request with HTTP 200 and return_code / return_msg, failures included (the fields are "valid only on 200")', async () => {
    const { gw } = await setup();
    const failures = [
      await gw('object_idlist_get', { objecttype: -1 }, { appid: 'nobody' }),
      await gw('object_idlist_get', { objecttype: -1 }, { signstr: 'F'.repeat(32) }),
      await gw('object_idlist_get', undefined, { raw: '{not json' }),
      await gw('no_such_method', {}),
      await gw('object_info_get', { objectguid: 'missing' }),
    ];
    expect(failures.map((f) => [f.status, f.body.return_code, f.body.error_code])).toEqual([
      [200, 'FAIL', 100702],
      [200, 'FAIL', 100704],
      [200, 'FAIL', 100703],
      [200, 'FAIL', 100708],
      [200, 'FAIL', 100701],
    ]);
    for (const f of failures) expect(typeof f.body.return_msg).toBe('string');
  });

  it('keeps integer objectid / parentobjectid, description, skillgroups and skill objects (objecttype 9); a queue created under an area lands in it', async () => {
    const { gw, srv, acme } = await setup();
    const set = async (body: Record<string, unknown>) => {
      const res = await gw('object_info_set', body);
      expect(res.body.return_code, JSON.stringify(res.body)).toBe('SUCCESS');
      return res.body.objectguid as string;
    };
    const area = await set({ action: 1, objecttype: 4, objectid: 10001, name: 'GuangZhou', description: '广州营业厅' });
    const skill = await set({ action: 1, objecttype: 9, objectid: 3, name: '粤语', description: 'Cantonese' });
    const queue = await set({ action: 1, objecttype: 5, objectid: 1001, parentobjectid: 10001, name: 'GuangZhou VIP', description: 'VIP', priority: 5, skillgroups: [3] });
    const group = await set({ action: 1, objecttype: 10, objectid: 501, name: 'South', queuegroups: [1001] });

    expect((await gw('object_info_get', { objectguid: queue })).body).toMatchObject({
      return_code: 'SUCCESS',
      objectguid: queue,
      objecttype: 5,
      objectid: 1001,
      parentobjectid: 10001,
      name: 'GuangZhou VIP',
      description: 'VIP',
      priority: 5,
      skillgroups: [3],
    });
    expect((await gw('object_info_get', { objectguid: area })).body).toMatchObject({ objecttype: 4, objectid: 10001, parentobjectid: 0, description: '广州营业厅' });
    expect((await gw('object_info_get', { objectguid: skill })).body).toMatchObject({ objecttype: 9, objectid: 3, name: '粤语', description: 'Cantonese' });
    expect((await gw('object_info_get', { objectguid: group })).body).toMatchObject({ objecttype: 10, objectid: 501, queuegroups: [1001] });
    // The queue is in its area, natively too.
    const native = (await api(srv.url, 'GET', '/v1/queues', { token: acme.admin.token })).body.queues.find((q: { id: string }) => q.id === queue);
    expect(native).toMatchObject({ areaId: area, numericId: 1001 });
    const inArea = (await gw('object_list_get', { objectguid: area, objecttype: 5 })).body;
    expect(inArea.objectlist).toEqual([{ objectguid: queue, objecttype: 5, name: 'GuangZhou VIP', objectid: 1001, description: 'VIP' }]);
    expect((await gw('object_idlist_get', { objecttype: 9 })).body.objectguids).toEqual([skill]);
    // Modify keeps what it is not told; a number in use is refused; delete removes the skill.
    await set({ action: 3, objectguid: queue, description: 'VIP customers' });
    expect((await gw('object_info_get', { objectguid: queue })).body).toMatchObject({ description: 'VIP customers', skillgroups: [3], priority: 5 });
    expect((await gw('object_info_set', { action: 1, objecttype: 5, objectid: 1001, name: 'dup' })).body.return_code).toBe('FAIL');
    await set({ action: 2, objectguid: skill });
    expect((await gw('object_idlist_get', { objecttype: 9 })).body.objectguids).toEqual([]);
  });

  it('userinfo_get answers username, userlevel, loginip and logintime; userinfo_ctrl 11 takes ctrlvalue as the String the seed types, skillgroups included', async () => {
    const { gw, srv, acme } = await setup();
    const v = await newVisitor(srv, 'acme');
    const info = (await gw('userinfo_get', { userscount: 2, useridlist: [acme.agent1.agent.id, v.visitorId] })).body;
    expect(info).toMatchObject({ return_code: 'SUCCESS', userscount: 2, usercount: 2 });
    expect(info.usersinfolist).toEqual(info.userinfolist);
    const [agent, visitor] = info.userinfolist;
    expect(agent).toMatchObject({ struserid: acme.agent1.agent.id, username: 'agent1', userlevel: 0, userflags: 2, logintime: '20260105180000' });
    expect(agent.loginip).toMatch(/127\.0\.0\.1/);
    expect(visitor).toMatchObject({ struserid: v.visitorId, username: 'Visitor', userlevel: 0, userflags: 0, logintime: '20260105180000' });
    expect(visitor.loginip).toMatch(/127\.0\.0\.1/);

    const queue = (await gw('object_info_set', { action: 1, objecttype: 5, objectid: 7, name: 'Cantonese line', skillgroups: [3] })).body.objectguid;
    await gw('object_info_set', { action: 1, objecttype: 9, objectid: 3, name: '粤语' });
    const ctrl = await gw('userinfo_ctrl', { struserid: acme.agent1.agent.id, ctrlcode: 11, ctrlvalue: JSON.stringify({ flags: 2, priority: 7, skillgroups: [3] }) });
    expect(ctrl.body.return_code, JSON.stringify(ctrl.body)).toBe('SUCCESS');
    const skills = (await api(srv.url, 'GET', `/v1/agents/${acme.agent1.agent.id}/skills`, { token: acme.admin.token })).body;
    expect(skills.priority).toBe(7);
    expect(skills.skills.map((s: { queueId: string }) => s.queueId)).toEqual([queue]);
    expect((await gw('userinfo_ctrl', { struserid: acme.agent1.agent.id, ctrlcode: 11, ctrlvalue: '{broken' })).body.error_code).toBe(100703);
  });

  it('file methods answer username, useripaddr, createtime, flags and an absolute fileurl that works without a token for activeseconds; fileinfo_ctrl answers per file', async () => {
    const { gw, srv, clock } = await setup();
    const v = await newVisitor(srv, 'acme');
    const uploaded = await fetch(`${srv.url}/v1/conversations/${v.conversationId}/files?clientId=f1&name=a.png`, { method: 'POST', headers: { authorization: `Bearer ${v.token}`, 'content-type': 'image/png' }, body: PNG });
    const fileId = ((await uploaded.json()) as { file: { id: string } }).file.id;
    const listed = (await gw('filelist_get', { pageindex: 1, perpagecount: 10 })).body.filelist[0];
    expect(listed).toMatchObject({ fileid: fileId, filename: 'a.png', filetype: 4, createtime: '20260105180000', flags: 0, struserid: v.visitorId, username: 'Visitor' });
    expect(listed.useripaddr).toMatch(/127\.0\.0\.1/);
    const got = (await gw('fileinfo_get', { activeseconds: 60, filelist: [{ fileid: fileId }] })).body.filelist[0];
    expect(got).toMatchObject({ fileid: fileId, username: 'Visitor', createtime: '20260105180000', flags: 0 });
    const url = new URL(got.fileurl);
    expect(url.origin).toBe(TEST_PUBLIC_URL);
    const local = `${srv.url}${url.pathname}${url.search}`;
    const download = await fetch(local);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    const tampered = local.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await fetch(tampered)).status).toBe(401);
    clock.advance(61_000);
    expect((await fetch(local)).status).toBe(401);

    const ctrl = (await gw('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: fileId }, { fileid: 'file_missing' }] })).body;
    expect(ctrl).toEqual({ return_code: 'SUCCESS', return_msg: '', filecount: 2, filelist: [{ fileid: fileId, errorcode: 0 }, { fileid: 'file_missing', errorcode: 100710 }] });
    expect((await gw('fileinfo_get', { filelist: [{ fileid: fileId }] })).body.error_code).toBe(100710);
  });

  it('RSA: a seed client that "encrypts" the MD5 with its private key (no DigestInfo) is accepted, as is a standard signature', async () => {
    const { gw, srv, acme, clock } = await setup();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect((await api(srv.url, 'PUT', '/v1/compat/anychat', { token: acme.admin.token, body: { rsaPublicKeyPem: pem } })).status).toBe(200);
    const ts = formatAnyChatTimestamp(clock.now());
    const digest = createHash('md5').update(`object_idlist_get&acme&${ts}`).digest();
    for (const plain of [digest, Buffer.from(digest.toString('hex').toUpperCase()), Buffer.from(digest.toString('hex'))]) {
      const signstr = privateEncrypt(privateKey, plain).toString('base64');
      expect((await gw('object_idlist_get', { objecttype: -1 }, { signtype: 'RSA', signstr })).body.return_code).toBe('SUCCESS');
    }
    const wrong = privateEncrypt(privateKey, createHash('md5').update('something else').digest()).toString('hex');
    expect((await gw('object_idlist_get', { objecttype: -1 }, { signtype: 'RSA', signstr: wrong })).body.error_code).toBe(100704);
  });
});
