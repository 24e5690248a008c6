import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANYCHAT_AGENT_STATUS, anychatNotifyOf, anychatNotifyUrl, anychatSignstr, anychatTimestamp } from '../src/modules/webhooks/anychat-format.ts';
import { RETRY_DELAYS_MS } from '../src/modules/webhooks/index.ts';
import type { ReceivedHit } from '../src/modules/webhooks/webhooks.testing.ts';
import { api, newVisitor, STORAGES } from './helpers.ts';
import { webhookBed } from './webhook-bed.ts';

/**
 * AnyChat notify callbacks (SPEC M36, seed 003): a webhook subscription with format `anychat`
 * gets `POST {base}/{method}?timestamp&appid&signtype=MD5&signstr` with the seed's JSON bodies,
 * signed with the app's gateway secret; only HTTP 200 delivers. Real server, injected clock,
 * a loopback receiver.
 */

const START = Date.UTC(2026, 0, 5, 10, 0);
/** START in China time, as AnyChat writes it. */
const START_STAMP = '20260105180000';
const TIMEOUT_MS = 500;

interface Notify {
  method: string;
  params: [string, string][];
  query: Record<string, string>;
  body: Record<string, unknown>;
  path: string;
}

function notifyOf(hit: ReceivedHit): Notify {
  const url = new URL(hit.url, 'http://receiver');
  const params = [...url.searchParams.entries()];
  return { method: url.pathname.split('/').pop()!, path: url.pathname, params, query: Object.fromEntries(params), body: JSON.parse(hit.body) as Record<string, unknown> };
}

function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

describe('AnyChat notify builder', () => {
  it("signs the seed's example vector: record_notify&E205F8EC-…&20150503103548&anychat → 077AB635…", () => {
    expect(anychatSignstr('record_notify', 'E205F8EC-D896-4451-B815-460D36ED7FBD', '20150503103548', 'anychat')).toBe('077AB6353B129837B281FAF99D4F439D');
    // 2015-05-03 10:35:48 in China is 02:35:48 UTC.
    expect(anychatTimestamp(Date.UTC(2015, 4, 3, 2, 35, 48))).toBe('20150503103548');
    expect(anychatNotifyUrl('https://app.example/cb/', 'userlogin_notify', 'E205F8EC-D896-4451-B815-460D36ED7FBD', '20150503103548', 'A2E1ECA56B298D6D673F590574F04CC8')).toBe(
      'https://app.example/cb/userlogin_notify?timestamp=20150503103548&appid=E205F8EC-D896-4451-B815-460D36ED7FBD&signtype=MD5&signstr=A2E1ECA56B298D6D673F590574F04CC8',
    );
  });

  it('maps events to notifies: sign-in, status, sign-out, text messages, files; others have none', () => {
    const at = Date.UTC(2016, 9, 12, 13, 42, 59);
    const status = (from: string, to: string) => anychatNotifyOf('app', { type: 'agent.status_changed', created_at: at, data: { agentId: 'agt_1', from, to, reason: null, at } });
    // userflags 0x02: an agent (seed 5.6); without the user's details the id stands for its name.
    expect(status('offline', 'free')).toEqual({ method: 'userlogin_notify', body: { appguid: 'app', struserid: 'agt_1', username: 'agt_1', loginipaddr: '', logintime: '20161012214259', strparam: '', userflags: 2 } });
    const known = { users: new Map([['agt_1', { name: 'trew', loginIp: '192.168.1.100' }]]) };
    expect(anychatNotifyOf('app', { type: 'agent.status_changed', created_at: at, data: { agentId: 'agt_1', from: 'offline', to: 'free', reason: null, at } }, known)?.body).toMatchObject({ username: 'trew', loginipaddr: '192.168.1.100', userflags: 2 });
    expect(status('busy', 'offline')).toEqual({ method: 'userlogout_notify', body: { appguid: 'app', struserid: 'agt_1', username: 'agt_1', errorcode: 0, logouttime: '20161012214259' } });
    expect(status('free', 'wrap_up')?.body.agentstatus).toBe(2);
    expect(ANYCHAT_AGENT_STATUS).toEqual({ offline: 0, free: 1, busy: 2, wrap_up: 2, not_ready: 3, rest: 3 });
    const message = (kind: string, senderType: string) => anychatNotifyOf('app', { type: 'message.created', created_at: at, data: { message: { conversationId: 'cnv_1', senderType, senderId: 'vis_1', kind, text: 'hi' } } });
    expect(message('text', 'visitor')?.method).toBe('textmsg_notify');
    expect(message('system', 'system')).toBeNull();
    expect(message('text', 'system')).toBeNull();
    const upload = { type: 'file.uploaded', created_at: at, data: { conversationId: 'cnv_1', uploadedBy: { type: 'visitor', id: 'vis_1' }, file: { id: 'fil_1', name: 'a.pdf', mimeType: 'application/pdf', sizeBytes: 8497, url: '/v1/files/fil_1' } } };
    expect(anychatNotifyOf('app', upload, { users: new Map([['vis_1', { name: 'ds', loginIp: null }]]) })).toEqual({
      method: 'transfile_notify',
      body: { appguid: 'app', struserid: 'vis_1', username: 'ds', fileid: 'fil_1', filename: 'a.pdf', pathname: '/v1/files/fil_1', filesize: 8497, strparam: 'cnv_1' },
    });
    expect(anychatNotifyOf('app', { type: 'message.created', created_at: at, data: { message: { conversationId: 'cnv_1', senderType: 'visitor', senderId: 'vis_1', kind: 'text', text: 'hi' } } }, { users: new Map(), roomId: 2 })?.body.roomid).toBe(2);
    expect(anychatNotifyOf('app', { type: 'transparent.data', created_at: at, data: { userType: 'visitor', userId: 'vis_1', data: 'Z29vZCBnaXJsIQ==' } })).toEqual({
      method: 'transbuffer_notify',
      body: { appguid: 'app', struserid: 'vis_1', username: 'vis_1', datasize: 16, databuf: 'Z29vZCBnaXJsIQ==' },
    });
    expect(anychatNotifyOf('app', { type: 'conversation.created', created_at: at, data: {} })).toBeNull();
  });

  it("maps call and recording events to videocall_notify and recordsnapshot_notify with the seed's bodies", () => {
    const at = Date.UTC(2016, 9, 12, 13, 42, 59);
    const call = (event: string) =>
      anychatNotifyOf('app', {
        type: 'call.state_changed',
        created_at: at,
        data: { callId: 'call_1', conversationId: 'cnv_1', event, fromUserId: 'vis_1', fromUserName: 'ytre', toUserId: 'agt_1', toUserName: 'rtyui', errorCode: 0, at },
      });
    expect(call('answered')).toEqual({
      method: 'videocall_notify',
      body: { appguid: 'app', eventtype: 2, callid: 'call_1', strsrcuserid: 'vis_1', srcusername: 'ytre', strtaruserid: 'agt_1', tarusername: 'rtyui', errorcode: 0, flags: 0, param: 0, strparam: 'cnv_1' },
    });
    expect(['requested', 'answered', 'started', 'ended'].map((e) => call(e)?.body.eventtype)).toEqual([1, 2, 3, 4]);
    expect(call('teleported')).toBeNull();
    expect(
      anychatNotifyOf('app', {
        type: 'recording.completed',
        created_at: at,
        data: { recordingId: 'rec_1', callId: 'call_1', fileName: '/v1/recordings/rec_1.webm', durationSeconds: 32, userId: 'agt_1', userName: 'chenr', errorCode: 0, at },
      }),
    ).toEqual({
      method: 'recordsnapshot_notify',
      body: { appguid: 'app', callid: 'call_1', recordid: 'rec_1', recordfilename: '/v1/recordings/rec_1.webm', recordtime: 32, flags: 0, recordserverid: '', param: 0, strparam: '', struserid: 'agt_1', username: 'chenr', errorcode: 0 },
    });
  });
});

describe.each(STORAGES)('AnyChat notify callbacks (%s)', (kind) => {
  const bed = webhookBed(kind, START);

  async function setup() {
    const { clock, server, seeded, key: admin, hooks } = await bed.start({ FRONTDESK_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
    const ok = async (base: string, method: string, route: string, token: string, body?: unknown) => {
      const res = await api(base, method, route, { token, body });
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const secret = (await (server.app.services as any).tenancy.gatewaySecretOf('acme')) as string;
    expect(secret).toBeTruthy();
    const r = await bed.receiver({ path: '/anychat/callback' });
    r.respond = () => ({ status: 200 });
    const sub = await ok(hooks.baseUrl, 'POST', '/v1/webhooks/subscriptions', admin, { url: r.url, format: 'anychat' });
    const tick = async (ms = 0) => {
      clock.advance(ms);
      await hooks.webhooks.runOnce();
    };
    // Whatever happened before (seeding) is delivered now and set aside.
    await tick();
    r.hits.splice(0);
    const deliveries = async () => (await ok(hooks.baseUrl, 'GET', '/v1/webhooks/deliveries?limit=100', admin)).deliveries as any[];
    return { clock, seeded, admin, ok, server, hooks, secret, r, sub, tick, deliveries };
  }

  function expectSigned(n: Notify, secret: string, timestamp = START_STAMP) {
    expect(n.params.map(([k]) => k)).toEqual(['timestamp', 'appid', 'signtype', 'signstr']);
    expect(n.query).toEqual({ timestamp, appid: 'acme', signtype: 'MD5', signstr: md5Upper(`${n.method}&acme&${timestamp}&${secret}`) });
    expect(n.path).toBe(`/anychat/callback/${n.method}`);
  }

  it("sends textmsg_notify for a visitor's text message, signed with the app's gateway secret, and nothing for events without a notify", async () => {
    const t = await setup();
    expect(t.sub.format).toBe('anychat');
    expect((await t.ok(t.hooks.baseUrl, 'GET', `/v1/webhooks/subscriptions/${t.sub.id}`, t.admin)).format).toBe('anychat');
    const visitor = await newVisitor(t.server, 'acme');
    const text = 'hello 你好';
    await t.ok(t.server.url, 'POST', `/v1/conversations/${visitor.conversationId}/messages`, visitor.token, { clientId: 'm1', text });
    await t.tick();
    const notifies = t.r.hits.map(notifyOf);
    // conversation.created, routing…: no AnyChat notify, so not sent at all.
    expect(notifies.map((n) => n.method)).toEqual(['textmsg_notify']);
    const [n] = notifies as [Notify];
    expectSigned(n, t.secret);
    expect(t.r.hits[0]!.headers['content-type']).toBe('application/json;charset=UTF-8');
    // roomid: an integer per conversation (seed 003: Integer), the same for its every message.
    expect(n.body.roomid).toEqual(expect.any(Number));
    expect(n.body.roomid).toBeGreaterThan(0);
    expect(n.body).toEqual({
      appguid: 'acme',
      roomid: n.body.roomid,
      strroomid: visitor.conversationId,
      strsrcuserid: visitor.visitorId,
      srcusername: 'Visitor',
      srcusertype: 'visitor',
      taruserid: -1,
      tarusername: '',
      secret: 0,
      textmsg: text,
      msglen: Buffer.byteLength(text),
    });
    // A signature made with another secret does not match.
    expect(n.query.signstr).not.toBe(md5Upper(`textmsg_notify&acme&${START_STAMP}&other`));
    const log = await t.deliveries();
    expect(log.map((d) => ({ type: d.eventType, status: d.status, codes: d.attemptLog.map((a: any) => a.statusCode) }))).toContainEqual({ type: 'message.created', status: 'delivered', codes: [200] });
    expect(log.every((d) => ['message.created', 'agent.status_changed', 'file.uploaded'].includes(d.eventType))).toBe(true);
  });

  it('textmsg_notify keeps one integer roomid per conversation; transfile_notify names the uploader', async () => {
    const t = await setup();
    const first = await newVisitor(t.server, 'acme');
    const second = await newVisitor(t.server, 'acme');
    await t.ok(t.server.url, 'POST', `/v1/conversations/${first.conversationId}/messages`, first.token, { clientId: 'a1', text: 'one' });
    await t.ok(t.server.url, 'POST', `/v1/conversations/${second.conversationId}/messages`, second.token, { clientId: 'b1', text: 'two' });
    await t.ok(t.server.url, 'POST', `/v1/conversations/${first.conversationId}/messages`, first.token, { clientId: 'a2', text: 'three' });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const up = await fetch(`${t.server.url}/v1/conversations/${first.conversationId}/files?clientId=f1&name=a.png`, { method: 'POST', headers: { authorization: `Bearer ${first.token}`, 'content-type': 'image/png' }, body: png });
    expect(up.status).toBe(201);
    await t.tick();
    const notifies = t.r.hits.map(notifyOf);
    const rooms = notifies.filter((n) => n.method === 'textmsg_notify').map((n) => [n.body.textmsg, n.body.roomid]);
    const roomOf = Object.fromEntries(rooms) as Record<string, number>;
    expect(roomOf.one).toBe(roomOf.three);
    expect(roomOf.one).not.toBe(roomOf.two);
    const file = notifies.find((n) => n.method === 'transfile_notify')!;
    expect(file.body).toMatchObject({ struserid: first.visitorId, username: 'Visitor', filename: 'a.png' });
  });

  it('sends userlogin_notify, agentstatus_notify and userlogout_notify as an agent signs in, changes status and signs out', async () => {
    const t = await setup();
    const agent = t.seeded.agent1;
    const status = async (to: string) => {
      await t.ok(t.server.url, 'PUT', '/v1/agents/me/status', agent.token, { status: to });
      await t.tick(1000);
    };
    await status('free');
    await status('not_ready');
    await status('rest');
    await status('offline');
    const notifies = t.r.hits.map(notifyOf).filter((n) => n.body.struserid === agent.agent.id);
    expect(notifies.map((n) => [n.method, n.body.agentstatus])).toEqual([
      ['userlogin_notify', undefined],
      ['agentstatus_notify', 3],
      ['agentstatus_notify', 3],
      ['userlogout_notify', undefined],
    ]);
    const stamps = ['20260105180001', '20260105180002', '20260105180003', '20260105180004'];
    notifies.forEach((n, i) => expectSigned(n, t.secret, stamps[i]));
    // Body times are when the change happened (each a second before its notify was sent).
    const changed = ['20260105180000', '20260105180001', '20260105180002', '20260105180003'];
    // Seed 003: userflags 0x02 for an agent, its real name, the address it signed in from.
    expect(notifies[0]!.body).toEqual({ appguid: 'acme', struserid: agent.agent.id, username: 'agent1', loginipaddr: expect.stringMatching(/127\.0\.0\.1/), logintime: changed[0], strparam: '', userflags: 2 });
    expect(notifies[1]!.body).toEqual({ appguid: 'acme', struserid: agent.agent.id, username: 'agent1', agentstatus: 3, changetime: changed[1] });
    expect(notifies[3]!.body).toEqual({ appguid: 'acme', struserid: agent.agent.id, username: 'agent1', errorcode: 0, logouttime: changed[3] });
  });

  it('delivers videocall_notify and recordsnapshot_notify for call and recording events, signed like the others', async () => {
    const t = await setup();
    await t.hooks.enqueue([
      { appId: 'acme', type: 'call.state_changed', data: { callId: 'call_1', conversationId: null, event: 'started', fromUserId: 'vis_1', fromUserName: 'v', toUserId: 'agt_1', toUserName: 'a', errorCode: 0, at: START } },
      { appId: 'acme', type: 'recording.completed', data: { recordingId: 'rec_1', callId: 'call_1', fileName: '/v1/recordings/rec_1.webm', durationSeconds: 10, userId: null, userName: '', errorCode: 0, at: START } },
    ]);
    await t.tick();
    const notifies = t.r.hits.map(notifyOf);
    expect(notifies.map((n) => n.method).sort()).toEqual(['recordsnapshot_notify', 'videocall_notify']);
    notifies.forEach((n) => expectSigned(n, t.secret));
    expect(notifies.find((n) => n.method === 'videocall_notify')!.body).toMatchObject({ eventtype: 3, callid: 'call_1' });
    expect(notifies.find((n) => n.method === 'recordsnapshot_notify')!.body).toMatchObject({ recordid: 'rec_1', recordtime: 10 });
  });

  it('retries a notify until the APP answers 200 exactly: 500 and 204 are failures, the same notify comes again', async () => {
    const t = await setup();
    const replies = [500, 204, 200];
    t.r.respond = (_hit, index) => ({ status: replies[index] ?? 200 });
    await t.ok(t.server.url, 'PUT', '/v1/agents/me/status', t.seeded.agent2.token, { status: 'free' });
    await t.tick();
    expect(t.r.hits).toHaveLength(1);
    // The server's own worker jitters retries by ±10 %: nothing before 90 % of the first wait.
    await t.tick(RETRY_DELAYS_MS[0]! * 0.9 - 1);
    expect(t.r.hits).toHaveLength(1);
    const sentAt: number[] = [START];
    for (const n of [2, 3]) {
      const [open] = (await t.deliveries()).filter((d) => d.eventId === t.r.hits[0]!.id);
      expect(open.status).toBe('failed');
      await t.tick(open.nextAttemptAt - t.clock.now());
      sentAt.push(t.clock.now());
      expect(t.r.hits).toHaveLength(n);
    }
    await t.tick(RETRY_DELAYS_MS[2]! * 2);
    expect(t.r.hits).toHaveLength(3);
    const notifies = t.r.hits.map(notifyOf);
    expect(new Set(notifies.map((n) => n.method))).toEqual(new Set(['userlogin_notify']));
    // The same notify (body, event id) each time; signed anew at each send.
    expect(new Set(t.r.hits.map((h) => h.body)).size).toBe(1);
    expect(new Set(t.r.hits.map((h) => h.id)).size).toBe(1);
    notifies.forEach((n, i) => expectSigned(n, t.secret, anychatTimestamp(sentAt[i]!)));
    const [delivery] = (await t.deliveries()).filter((d) => d.eventId === t.r.hits[0]!.id);
    expect({ status: delivery.status, attempts: delivery.attempts, codes: delivery.attemptLog.map((a: any) => a.statusCode) }).toEqual({ status: 'delivered', attempts: 3, codes: [500, 204, 200] });
  });
  it('signs with RSA when the subscription says so: the receiver verifies signstr with the public key it was given; rotation changes the key', async () => {
    const t = await setup();
    const rsa = await t.ok(t.hooks.baseUrl, 'PATCH', `/v1/webhooks/subscriptions/${t.sub.id}`, t.admin, { signType: 'RSA' });
    expect(rsa.signType).toBe('RSA');
    expect(rsa.rsaPublicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // What the APP does with the key it was given (seed 003: RSA over the MD5 digest of "method&appid&timestamp").
    const verifies = (n: Notify, pem: string) => verify('md5', Buffer.from(`${n.method}&acme&${n.query.timestamp}`), pem, Buffer.from(n.query.signstr!, 'base64'));
    await t.ok(t.server.url, 'PUT', '/v1/agents/me/status', t.seeded.agent1.token, { status: 'free' });
    await t.tick();
    const [n] = t.r.hits.map(notifyOf) as [Notify];
    expect(n.method).toBe('userlogin_notify');
    expect(n.params.map(([k]) => k)).toEqual(['timestamp', 'appid', 'signtype', 'signstr']);
    expect(n.query.signtype).toBe('RSA');
    expect(verifies(n, rsa.rsaPublicKeyPem)).toBe(true);
    // The private key never leaves the server.
    expect(JSON.stringify(await t.ok(t.hooks.baseUrl, 'GET', `/v1/webhooks/subscriptions/${t.sub.id}`, t.admin))).not.toContain('PRIVATE KEY');

    const rotated = await t.ok(t.hooks.baseUrl, 'POST', `/v1/webhooks/subscriptions/${t.sub.id}/rotate-secret`, t.admin);
    expect(rotated.rsaPublicKeyPem).not.toBe(rsa.rsaPublicKeyPem);
    t.r.hits.splice(0);
    await t.ok(t.server.url, 'PUT', '/v1/agents/me/status', t.seeded.agent1.token, { status: 'rest' });
    await t.tick(1000);
    const [after] = t.r.hits.map(notifyOf) as [Notify];
    expect(verifies(after, rotated.rsaPublicKeyPem)).toBe(true);
    expect(verifies(after, rsa.rsaPublicKeyPem)).toBe(false);

    // Back to MD5: signed with the gateway secret again.
    await t.ok(t.hooks.baseUrl, 'PATCH', `/v1/webhooks/subscriptions/${t.sub.id}`, t.admin, { signType: 'MD5' });
    t.r.hits.splice(0);
    await t.ok(t.server.url, 'PUT', '/v1/agents/me/status', t.seeded.agent1.token, { status: 'free' });
    await t.tick(1000);
    expectSigned(t.r.hits.map(notifyOf)[0]!, t.secret, '20260105180002');
  });
});
