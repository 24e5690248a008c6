import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

const MONDAY_10_UTC = Date.UTC(2026, 0, 5, 10, 0);

interface Hit {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP receiver that records every request and answers with `reply(hit)`. */
async function startReceiver(reply: (hit: Hit) => { status: number; body: string }) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      hits.push(hit);
      const { status, body } = reply(hit);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(STORAGES)('reports: CDRs and the TCCC data push (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  const receivers: { close: () => Promise<void> }[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(MONDAY_10_UTC);
    server = await startTestServer(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, { clock });
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const admin = s.admin.token;
    const call = (method: string, route: string, token: string, body?: unknown) => api(srv.url, method, route, { token, body });
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await call(method, route, token, body);
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const agent = async (who: { token: string }, status = 'free') => {
      const client = await TestClient.connect(srv.wsUrl('acme'));
      clients.push(client);
      if (!(await client.request({ type: 'hello', token: who.token })).ok) throw new Error('hello failed');
      if (!(await client.request({ type: 'agent.status.set', status })).ok) throw new Error('status failed');
      return client;
    };
    const visitor = async () => {
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      return { token: session.token as string, id: conversation.id as string, visitorId: session.visitor.id as string };
    };
    const receiver = async (reply: (hit: Hit) => { status: number; body: string } = () => ({ status: 200, body: '{"ErrCode":0,"ErrMsg":"ok"}' })) => {
      const r = await startReceiver(reply);
      receivers.push(r);
      return r;
    };
    const run = async (ms = 0) => {
      clock.advance(ms);
      await srv.app.services.reports.runOnce();
    };
    const q1 = await ok('POST', '/v1/queues', admin, { name: 'first line' });
    const q2 = await ok('POST', '/v1/queues', admin, { name: 'billing' });
    await ok('PUT', `/v1/agents/${s.agent1.agent.id}/skills`, admin, { skills: [{ queueId: q1.id }] });
    await ok('PUT', `/v1/agents/${s.agent2.agent.id}/skills`, admin, { skills: [{ queueId: q2.id }] });
    await ok('PATCH', '/v1/channels/default', admin, { queueId: q1.id });
    return { clock, s, admin, call, ok, agent, visitor, receiver, run, q1, q2 };
  }

  /** Routed to agent1, accepted, transferred to agent2 with a note, ended by agent2. */
  async function servedConversation(t: Awaited<ReturnType<typeof setup>>) {
    const a1 = await t.agent(t.s.agent1);
    await t.agent(t.s.agent2);
    const v = await t.visitor();
    await a1.waitFor(() => a1.events.some((e) => e.type === 'offer'));
    t.clock.advance(3_000);
    await t.ok('POST', `/v1/conversations/${v.id}/accept`, t.s.agent1.token);
    t.clock.advance(60_000);
    await t.ok('POST', `/v1/conversations/${v.id}/transfer`, t.s.agent1.token, { agentId: t.s.agent2.agent.id, note: 'billing question' });
    t.clock.advance(120_000);
    await t.ok('POST', `/v1/conversations/${v.id}/close`, t.s.agent2.token);
    return v;
  }

  it('a routed, accepted, transferred conversation ended by the agent yields a CDR with two participants, pushed with Basic auth', async () => {
    const t = await setup();
    const r = await t.receiver();
    await t.ok('PUT', '/v1/data-push', t.admin, { url: `${r.url}/cdr?tenant=7`, auth: { kind: 'basic', username: 'tccc', password: 's3cret' } });
    const shown = await t.ok('GET', '/v1/data-push', t.admin);
    expect(shown.auth).toEqual({ kind: 'basic', username: 'tccc', hasPassword: true });
    expect(JSON.stringify(shown)).not.toContain('s3cret');

    const v = await servedConversation(t);
    await t.run();
    const cdr = await t.ok('GET', `/v1/cdrs/${v.id}`, t.admin);
    const start = Math.floor(MONDAY_10_UTC / 1000);
    // Seed 004 (电话 CDR 数据推送): numeric SdkAppId and skill group ids, the seat's email as Mail, Uui a
    // string, every root field present (empty where unknown), CallType from the seed's values (2: inbound).
    expect(cdr).toMatchObject({
      SdkAppId: t.s.app.numericId,
      SessionId: v.id,
      Caller: v.visitorId,
      Direction: 0,
      CallType: 2,
      MediaType: 'chat',
      StartTimestamp: start,
      StartTimeStamp: start,
      QueuedTimestamp: start,
      RingTimestamp: start,
      AcceptTimestamp: start + 3,
      EndedTimestamp: start + 183,
      Duration: 180,
      QueuedSkillGroupId: t.q1.numericId,
      QueuedSkillGroupName: 'first line',
      HungUpSide: 'seat',
      EndStatusString: 'ok',
      Uui: '',
      CallerLocation: '',
      IVRKeyPressed: [],
      IVRKeyPressedEx: [],
      PostIVRKeyPressed: [],
      RecordId: '',
      UserRemark: '',
      TelLocation: { TelNumber: '', Country: '', Province: '', City: '', Operator: '' },
    });
    expect(typeof cdr.SdkAppId).toBe('number');
    expect(typeof cdr.QueuedSkillGroupId).toBe('number');
    expect(cdr.SeatUser).toEqual({
      UserId: t.s.agent2.agent.id,
      Mail: 'agent2@acme.test',
      Name: 'agent2',
      Nick: 'agent2',
      Phone: '',
      StaffNumber: t.s.agent2.agent.staffNumber,
      SkillGroupNameList: ['billing'],
    });
    expect(cdr.SeatUser.StaffNumber).toMatch(/^\d+$/);
    expect(cdr.ServeParticipants).toHaveLength(2);
    expect(cdr.ServeParticipants[0]).toMatchObject({ Mail: 'agent1@acme.test', AcceptTimestamp: start + 3, EndedTimestamp: start + 63, TransferTo: 'agent2@acme.test', TransferNote: 'billing question', SkillGroupId: t.q1.numericId, SkillGroupName: 'first line', RecordId: '' });
    expect(cdr.ServeParticipants[1]).toMatchObject({ Mail: 'agent2@acme.test', AcceptTimestamp: start + 63, EndedTimestamp: start + 183, TransferFrom: 'agent1@acme.test' });

    expect(r.hits).toHaveLength(1);
    const hit = r.hits[0]!;
    const url = new URL(hit.url, r.url);
    expect(url.pathname).toBe('/cdr');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tenant: '7', action: 'cdr', version: '1' });
    expect(hit.headers['content-type']).toBe('application/json; charset=utf8');
    expect(hit.headers['x-tccc-push-uuid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(hit.headers.authorization!.replace('Basic ', ''), 'base64').toString()).toBe('tccc:s3cret');
    expect(JSON.parse(hit.body)).toEqual(cdr);

    // A second pass writes nothing again; reconciliation lists it by end time; another app sees nothing.
    await t.run(10_000);
    expect(r.hits).toHaveLength(1);
    const list = await t.ok('GET', `/v1/cdrs?from=${MONDAY_10_UTC}&to=${MONDAY_10_UTC + 3_600_000}`, t.admin);
    expect(list.cdrs.map((c: any) => c.SessionId)).toEqual([v.id]);
    expect((await t.ok('GET', `/v1/cdrs?from=${MONDAY_10_UTC + 3_600_000}&to=${MONDAY_10_UTC + 7_200_000}`, t.admin)).cdrs).toEqual([]);
    expect((await t.call('GET', '/v1/cdrs?from=0&to=1', t.s.agent1.token)).status).toBe(403);
    const other = await seedApp(server!, 'globex');
    expect((await t.call('GET', `/v1/cdrs/${v.id}`, other.admin.token)).status).toBe(404);
    expect((await t.ok('GET', `/v1/cdrs?from=0&to=${MONDAY_10_UTC + 3_600_000}`, other.admin.token)).cdrs).toEqual([]);
    expect((await t.call('GET', '/v1/data-push', other.admin.token)).status).toBe(404);
  });

  it('a conversation abandoned while queued yields EndStatus waitingGiveUp, hung up by the user', async () => {
    const t = await setup();
    // With no agent signed in the queue's overflow releases a conversation at once: that is its own end status.
    const released = await t.visitor();
    await t.ok('POST', `/v1/conversations/${released.id}/close`, released.token);
    await t.run();
    expect(await t.ok('GET', `/v1/cdrs/${released.id}`, t.admin)).toMatchObject({ EndStatus: 300, EndStatusString: 'overflowReleased' });
    // An agent signed in but not ready: the conversation waits in the queue.
    await t.agent(t.s.agent1, 'not_ready');
    const v = await t.visitor();
    t.clock.advance(30_000);
    await t.ok('POST', `/v1/conversations/${v.id}/close`, v.token);
    await t.run();
    const cdr = await t.ok('GET', `/v1/cdrs/${v.id}`, t.admin);
    expect(cdr).toMatchObject({ EndStatus: 103, EndStatusString: 'waitingGiveUp', HungUpSide: 'user', AcceptTimestamp: 0, Duration: 0, ServeParticipants: [], SeatUser: null, QueuedSkillGroupId: t.q1.numericId });
  });

  it('an integrator keeps its TCCC numbers: SdkAppId, SkillGroupId and StaffNumber are settable, unique, and the CDR carries them', async () => {
    const t = await setup();
    expect(t.s.app.numericId).toBeGreaterThan(0);
    expect(await t.ok('PATCH', '/v1/app', t.admin, { numericId: 1400482256 })).toMatchObject({ id: 'acme', numericId: 1400482256 });
    const other = await seedApp(server!, 'globex');
    const taken = await t.call('PATCH', '/v1/app', other.admin.token, { numericId: 1400482256 });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('FD_NUMERIC_ID_TAKEN');
    const queue = await t.ok('POST', '/v1/queues', t.admin, { name: '顾问外呼', numericId: 2734 });
    expect(queue.numericId).toBe(2734);
    expect((await t.call('POST', '/v1/queues', t.admin, { name: 'dup', numericId: 2734 })).status).toBe(409);
    // Another app may use the same queue number.
    expect((await t.ok('POST', '/v1/queues', other.admin.token, { name: 'theirs', numericId: 2734 })).numericId).toBe(2734);
    expect(await t.ok('PATCH', `/v1/agents/${t.s.agent1.agent.id}`, t.admin, { staffNumber: '8546' })).toMatchObject({ staffNumber: '8546' });
    expect((await t.call('PATCH', `/v1/agents/${t.s.agent2.agent.id}`, t.admin, { staffNumber: '8546' })).status).toBe(409);
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.admin, { skills: [{ queueId: queue.id }] });
    await t.ok('PATCH', '/v1/channels/default', t.admin, { queueId: queue.id });
    const a1 = await t.agent(t.s.agent1);
    const v = await t.visitor();
    await a1.waitFor(() => a1.events.some((e) => e.type === 'offer'));
    await t.ok('POST', `/v1/conversations/${v.id}/accept`, t.s.agent1.token);
    await t.ok('POST', `/v1/conversations/${v.id}/close`, t.s.agent1.token);
    await t.run();
    const cdr = await t.ok('GET', `/v1/cdrs/${v.id}`, t.admin);
    expect(cdr).toMatchObject({ SdkAppId: 1400482256, QueuedSkillGroupId: 2734, QueuedSkillGroupName: '顾问外呼' });
    expect(cdr.SeatUser).toMatchObject({ StaffNumber: '8546', SkillGroupNameList: ['顾问外呼'] });
    expect(cdr.ServeParticipants[0]).toMatchObject({ SkillGroupId: 2734, SkillGroupName: '顾问外呼', Mail: 'agent1@acme.test' });
  });

  it("a conversation claimed by hand (routing's manual mode) has its participant and accept time", async () => {
    const t = await setup();
    await t.ok('PATCH', '/v1/channels/default', t.admin, { queueId: null });
    await t.agent(t.s.agent1);
    const v = await t.visitor();
    t.clock.advance(7_000);
    await t.ok('POST', `/v1/conversations/${v.id}/claim`, t.s.agent1.token);
    const history = await t.ok('GET', `/v1/conversations/${v.id}/routing`, t.admin);
    expect(history.history.map((h: { type: string }) => h.type)).toContain('assign');
    t.clock.advance(50_000);
    await t.ok('POST', `/v1/conversations/${v.id}/close`, t.s.agent1.token);
    await t.run();
    const cdr = await t.ok('GET', `/v1/cdrs/${v.id}`, t.admin);
    const start = Math.floor(MONDAY_10_UTC / 1000);
    expect(cdr).toMatchObject({ AcceptTimestamp: start + 7, EndedTimestamp: start + 57, Duration: 50, EndStatusString: 'ok', HungUpSide: 'seat', QueuedSkillGroupId: 0, QueuedSkillGroupName: '' });
    expect(cdr.SeatUser).toMatchObject({ UserId: t.s.agent1.agent.id, Mail: 'agent1@acme.test' });
    expect(cdr.ServeParticipants).toHaveLength(1);
    expect(cdr.ServeParticipants[0]).toMatchObject({ Mail: 'agent1@acme.test', AcceptTimestamp: start + 7, EndedTimestamp: start + 57, SkillGroupId: 0, SkillGroupName: '' });
  });

  it('OAuth2: the token is fetched once with client credentials and reused for two pushes (a 3 KB JWT-sized token too)', async () => {
    const t = await setup();
    // Longer than the 1 KiB the delivery log keeps of an answer: a token answer is read whole.
    const token = `tok-${'x'.repeat(3000)}`;
    const tokenEndpoint = await t.receiver(() => ({ status: 200, body: `{"access_token":"${token}","token_type":"Bearer","expires_in":3600}` }));
    const r = await t.receiver();
    await t.ok('PUT', '/v1/data-push', t.admin, { url: `${r.url}/push`, auth: { kind: 'oauth2', tokenUrl: `${tokenEndpoint.url}/token`, clientId: 'frontdesk', clientSecret: 'cs-123' } });
    expect((await t.ok('GET', '/v1/data-push', t.admin)).auth).toEqual({ kind: 'oauth2', tokenUrl: `${tokenEndpoint.url}/token`, clientId: 'frontdesk', hasClientSecret: true });
    for (let i = 0; i < 2; i++) {
      const v = await t.visitor();
      await t.ok('POST', `/v1/conversations/${v.id}/close`, v.token);
      await t.run(1_000);
    }
    expect(tokenEndpoint.hits).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokenEndpoint.hits[0]!.body))).toEqual({ grant_type: 'client_credentials', client_id: 'frontdesk', client_secret: 'cs-123' });
    expect(r.hits.map((h) => h.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    expect(new Set(r.hits.map((h) => h.headers['x-tccc-push-uuid'])).size).toBe(2);
  });

  it('a push answered with ErrCode ≠ 0 is retried exactly 3 times with the same X-TCCC-PUSH-UUID, then failed; the delivery log shows it and a replay delivers it', async () => {
    const t = await setup();
    let errCode = 1001;
    const r = await t.receiver(() => ({ status: 200, body: `{"ErrCode":${errCode},"ErrMsg":"busy"}` }));
    await t.ok('PUT', '/v1/data-push', t.admin, { url: r.url, auth: { kind: 'none' } });
    const v = await t.visitor();
    await t.ok('POST', `/v1/conversations/${v.id}/close`, v.token);
    await t.run();
    for (const waitMs of [5_000, 30_000, 120_000, 600_000]) await t.run(waitMs);
    expect(r.hits).toHaveLength(4);
    expect(new Set(r.hits.map((h) => h.headers['x-tccc-push-uuid'])).size).toBe(1);
    // The delivery log over REST: one push, failed, with its four attempts.
    const log = await t.ok('GET', `/v1/data-push/deliveries?sessionId=${v.id}`, t.admin);
    expect(log.deliveries).toHaveLength(1);
    const [push] = log.deliveries;
    expect({ status: push.status, attempts: push.attempts, id: push.id }).toEqual({ status: 'failed', attempts: 4, id: r.hits[0]!.headers['x-tccc-push-uuid'] });
    expect(push.attemptLog.map((a: any) => a.errCode)).toEqual([1001, 1001, 1001, 1001]);
    expect((await t.ok('GET', '/v1/data-push/deliveries?status=pending', t.admin)).deliveries).toHaveLength(0);

    // Once the receiver is fixed, a replay sends the same push (same UUID) and it is delivered.
    errCode = 0;
    await t.ok('POST', `/v1/data-push/deliveries/${push.id}/replay`, t.admin);
    await t.run();
    expect(r.hits).toHaveLength(5);
    expect(r.hits[4]!.headers['x-tccc-push-uuid']).toBe(push.id);
    const [after] = (await t.ok('GET', `/v1/data-push/deliveries?sessionId=${v.id}`, t.admin)).deliveries;
    expect({ status: after.status, attempts: after.attempts, log: after.attemptLog.length }).toEqual({ status: 'delivered', attempts: 1, log: 5 });

    // Another app sees none of it and cannot replay it.
    const other = await seedApp(server!, 'other');
    const otherAdmin = (await api(server!.url, 'POST', '/v1/app/api-keys', { token: other.admin.token, body: { name: 'k' } })).body.key as string;
    expect((await t.ok('GET', '/v1/data-push/deliveries', otherAdmin)).deliveries).toHaveLength(0);
    expect((await api(server!.url, 'POST', `/v1/data-push/deliveries/${push.id}/replay`, { token: otherAdmin })).status).toBe(404);
  });
});
