import type { CobrowseSession, Message, ServerFrame } from '@frontdesk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, newVisitor, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';

/**
 * Co-browsing (SPEC M32) through the real server: the consent state machine over the socket, the
 * relay of the visitor's capture to the viewers only, annotations and control only when granted,
 * a fresh snapshot asked for on every (re)join, the history in the conversation.
 */
describe.each(STORAGES)('co-browse (%s)', (storage) => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function setup(clock?: ManualClock) {
    server = await startTestServer(storage, {}, clock ? { clock } : {});
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const other = await seedApp(srv, 'globex');
    const socket = async (token: string, appId = 'acme') => {
      const client = await TestClient.connect(srv.wsUrl(appId));
      clients.push(client);
      const reply = await client.request({ type: 'hello', token });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return client;
    };
    const visitor = await newVisitor(srv, 'acme');
    const claimed = await api(srv.url, 'POST', `/v1/conversations/${visitor.conversationId}/claim`, { token: s.agent1.token });
    expect(claimed.status).toBe(200);
    return { srv, s, other, socket, visitor };
  }

  const ok = async (client: TestClient, frame: Record<string, unknown>): Promise<CobrowseSession> => {
    const reply = await client.request(frame);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    return reply.data as CobrowseSession;
  };
  const codeOf = async (client: TestClient, frame: Record<string, unknown>) => ((await client.request(frame)) as { ok: boolean; error?: { code: string } }).error?.code;
  const data = (sessionId: string, seq: number, payload: string) => ({ type: 'cobrowse.data', sessionId, epoch: 1, seq, kind: seq === 0 ? 'snapshot' : 'delta', encoding: 'json', payload });
  const of = <T extends ServerFrame['type']>(client: TestClient, type: T) => client.events.filter((e): e is Extract<ServerFrame, { type: T }> => e.type === type);
  /** Frames are handled in order per socket: a reply to a later request means the earlier frames were handled. */
  const settle = (client: TestClient) => client.request({ type: 'read', conversationId: 'none', seq: 0 });

  it('a visitor-started co-browse relays the capture to the conversation’s agent and supervisors only, each (re)join asking for a fresh snapshot', async () => {
    const t = await setup();
    const visitor = await t.socket(t.visitor.token);
    const agent1 = await t.socket(t.s.agent1.token);
    const agent2 = await t.socket(t.s.agent2.token);
    const admin = await t.socket(t.s.admin.token);
    const session = await ok(visitor, { type: 'cobrowse.start', conversationId: t.visitor.conversationId });
    expect(session).toMatchObject({ status: 'live', startedBy: 'visitor', viewers: [] });
    await agent1.waitFor(() => of(agent1, 'cobrowse').some((e) => e.session.id === session.id && e.session.status === 'live'));

    // One at a time per conversation.
    expect(await codeOf(visitor, { type: 'cobrowse.start', conversationId: t.visitor.conversationId })).toBe('FD_COBROWSE_ACTIVE');
    // Only the conversation's agent and supervisors watch: agent2 is refused, another app does not find it.
    expect(await codeOf(agent2, { type: 'cobrowse.view', sessionId: session.id, viewing: true })).toBe('FD_COBROWSE_NOT_ALLOWED');
    const globex = await t.socket(t.other.admin.token, 'globex');
    expect(await codeOf(globex, { type: 'cobrowse.view', sessionId: session.id, viewing: true })).toBe('FD_COBROWSE_NOT_FOUND');

    await ok(agent1, { type: 'cobrowse.view', sessionId: session.id, viewing: true });
    await visitor.waitFor(() => of(visitor, 'cobrowse.snapshot-request').length === 1);
    await ok(admin, { type: 'cobrowse.view', sessionId: session.id, viewing: true });
    await visitor.waitFor(() => of(visitor, 'cobrowse.snapshot-request').length === 2);

    visitor.send(data(session.id, 0, '{"snapshot":"<p>hello</p>"}'));
    await agent1.waitFor(() => of(agent1, 'cobrowse.data').length === 1);
    await admin.waitFor(() => of(admin, 'cobrowse.data').length === 1);
    expect(of(agent1, 'cobrowse.data')[0]).toMatchObject({ sessionId: session.id, epoch: 1, seq: 0, kind: 'snapshot', payload: '{"snapshot":"<p>hello</p>"}' });

    // Another visitor (another conversation) naming this session: dropped. A viewer sending data: dropped.
    const stranger = await newVisitor(t.srv, 'acme');
    const strangerSocket = await t.socket(stranger.token);
    strangerSocket.send(data(session.id, 1, 'FORGED-BY-STRANGER'));
    agent1.send(data(session.id, 1, 'FORGED-BY-AGENT'));
    // Too large for a frame's payload: refused by the protocol, never relayed.
    visitor.send(data(session.id, 1, 'x'.repeat(48_001)));
    await settle(strangerSocket);
    await settle(agent1);
    await settle(visitor);
    visitor.send(data(session.id, 1, 'after'));
    await agent1.waitFor(() => of(agent1, 'cobrowse.data').length === 2);
    expect(of(agent1, 'cobrowse.data').map((e) => e.payload)).toEqual(['{"snapshot":"<p>hello</p>"}', 'after']);
    expect(JSON.stringify([...agent2.events, ...strangerSocket.events, ...globex.events])).not.toContain('snapshot');

    // The viewer's socket closes: it stops watching; back on a new socket it watches again and a fresh snapshot is asked for.
    await agent1.close();
    await admin.waitFor(() => of(admin, 'cobrowse').some((e) => e.session.id === session.id && !e.session.viewers.includes(t.s.agent1.agent.id)));
    const agent1Again = await t.socket(t.s.agent1.token);
    await ok(agent1Again, { type: 'cobrowse.view', sessionId: session.id, viewing: true });
    await visitor.waitFor(() => of(visitor, 'cobrowse.snapshot-request').length === 3);

    // The conversation closing ends it; the history keeps who started it.
    expect((await api(t.srv.url, 'POST', `/v1/conversations/${t.visitor.conversationId}/close`, { token: t.s.agent1.token })).status).toBe(200);
    await visitor.waitFor(() => of(visitor, 'cobrowse').some((e) => e.session.status === 'ended' && e.session.endReason === 'conversation-closed'));
    const list = await api(t.srv.url, 'GET', `/v1/conversations/${t.visitor.conversationId}/cobrowse`, { token: t.visitor.token });
    expect(list.body.sessions).toHaveLength(1);
    expect(list.body.sessions[0]).toMatchObject({ status: 'ended', viewers: [] });
    const messages = (await api(t.srv.url, 'GET', `/v1/conversations/${t.visitor.conversationId}/messages?limit=100`, { token: t.visitor.token })).body.messages as Message[];
    expect(messages.filter((m) => m.kind === 'system' && m.text.startsWith('cobrowse.')).map((m) => [m.text, m.senderId])).toEqual([['cobrowse.started', t.visitor.visitorId]]);
    // Steps for the CDR: who started, who viewed and left, the end.
    const steps = await t.srv.app.services.cobrowse.stepsOf('acme', t.visitor.conversationId);
    expect(steps.map((s) => `${s.kind}:${s.actorId ?? 'system'}`)).toEqual([
      `started:${t.visitor.visitorId}`,
      `viewer-joined:${t.s.agent1.agent.id}`,
      `viewer-joined:${t.s.admin.agent.id}`,
      `viewer-left:${t.s.agent1.agent.id}`,
      `viewer-joined:${t.s.agent1.agent.id}`,
      'ended:system',
    ]);
  });

  it('an agent’s proposal needs the visitor’s consent: nothing passes before; a rejection ends it', async () => {
    const t = await setup();
    const visitor = await t.socket(t.visitor.token);
    const agent1 = await t.socket(t.s.agent1.token);
    const agent2 = await t.socket(t.s.agent2.token);
    // Only the agent holding the conversation proposes.
    expect(await codeOf(agent2, { type: 'cobrowse.start', conversationId: t.visitor.conversationId })).toBe('FD_COBROWSE_NOT_ALLOWED');
    const proposed = await ok(agent1, { type: 'cobrowse.start', conversationId: t.visitor.conversationId });
    expect(proposed).toMatchObject({ status: 'proposed', startedBy: 'agent', agentId: t.s.agent1.agent.id });
    await visitor.waitFor(() => of(visitor, 'cobrowse').some((e) => e.session.status === 'proposed'));
    await ok(agent1, { type: 'cobrowse.view', sessionId: proposed.id, viewing: true });
    // Before consent: no snapshot asked for, no data passes, the agent cannot consent nor ask for control.
    visitor.send(data(proposed.id, 0, 'BEFORE-CONSENT'));
    await settle(visitor);
    expect(await codeOf(agent1, { type: 'cobrowse.consent', sessionId: proposed.id, accept: true })).toBe('FD_COBROWSE_NOT_ALLOWED');
    expect(await codeOf(agent1, { type: 'cobrowse.control', sessionId: proposed.id, action: 'request' })).toBe('FD_COBROWSE_NOT_ALLOWED');
    expect(of(visitor, 'cobrowse.snapshot-request')).toEqual([]);

    const rejected = await ok(visitor, { type: 'cobrowse.consent', sessionId: proposed.id, accept: false });
    expect(rejected).toMatchObject({ status: 'ended', endReason: 'rejected' });
    await agent1.waitFor(() => of(agent1, 'cobrowse').some((e) => e.session.status === 'ended'));
    expect(of(agent1, 'cobrowse.data')).toEqual([]);

    // A second proposal, accepted: the viewer's page is asked for its snapshot at once.
    const again = await ok(agent1, { type: 'cobrowse.start', conversationId: t.visitor.conversationId });
    await ok(agent1, { type: 'cobrowse.view', sessionId: again.id, viewing: true });
    expect(await ok(visitor, { type: 'cobrowse.consent', sessionId: again.id, accept: true })).toMatchObject({ status: 'live' });
    await visitor.waitFor(() => of(visitor, 'cobrowse.snapshot-request').some((e) => e.sessionId === again.id));
    visitor.send(data(again.id, 0, 'AFTER-CONSENT'));
    await agent1.waitFor(() => of(agent1, 'cobrowse.data').length === 1);
    expect(of(agent1, 'cobrowse.data')[0]!.payload).toBe('AFTER-CONSENT');
    // Either side ends it: the visitor here; the history names who started and who ended it.
    await ok(visitor, { type: 'cobrowse.end', sessionId: again.id });
    const messages = (await api(t.srv.url, 'GET', `/v1/conversations/${t.visitor.conversationId}/messages?limit=100`, { token: t.s.agent1.token })).body.messages as Message[];
    expect(messages.filter((m) => m.text.startsWith('cobrowse.')).map((m) => [m.text, m.senderId])).toEqual([
      ['cobrowse.started', t.visitor.visitorId],
      ['cobrowse.ended', t.visitor.visitorId],
    ]);
  });

  it('control passes only between the visitor’s grant and its revocation; annotations reach the page and the other viewers', async () => {
    const t = await setup();
    const visitor = await t.socket(t.visitor.token);
    const agent1 = await t.socket(t.s.agent1.token);
    const admin = await t.socket(t.s.admin.token);
    const session = await ok(visitor, { type: 'cobrowse.start', conversationId: t.visitor.conversationId });
    await ok(agent1, { type: 'cobrowse.view', sessionId: session.id, viewing: true });
    await ok(admin, { type: 'cobrowse.view', sessionId: session.id, viewing: true });
    const click = (n: number) => ({ type: 'cobrowse.input', sessionId: session.id, input: { kind: 'click', nodeId: n } });
    const clicks = () => of(visitor, 'cobrowse.input').flatMap((e) => (e.input.kind === 'click' ? [e.input.nodeId] : []));

    agent1.send(click(1));
    await settle(agent1);
    // Only the holder asks; only the visitor grants.
    expect(await codeOf(admin, { type: 'cobrowse.control', sessionId: session.id, action: 'request' })).toBe('FD_COBROWSE_NOT_ALLOWED');
    await ok(agent1, { type: 'cobrowse.control', sessionId: session.id, action: 'request' });
    await visitor.waitFor(() => of(visitor, 'cobrowse').some((e) => e.session.status === 'control-requested'));
    expect(await codeOf(agent1, { type: 'cobrowse.control', sessionId: session.id, action: 'grant' })).toBe('FD_COBROWSE_NOT_ALLOWED');
    agent1.send(click(2));
    await settle(agent1);
    await ok(visitor, { type: 'cobrowse.control', sessionId: session.id, action: 'grant' });
    agent1.send(click(3));
    // A supervisor watching is not the one granted control.
    admin.send(click(4));
    await visitor.waitFor(() => clicks().includes(3));
    await settle(admin);
    await ok(visitor, { type: 'cobrowse.control', sessionId: session.id, action: 'revoke' });
    agent1.send(click(5));
    await settle(agent1);
    // The pen passes at any time while live, to the page and the other viewer.
    agent1.send({ type: 'cobrowse.input', sessionId: session.id, input: { kind: 'pen', id: 'stroke-1', points: [[10, 20], [30, 40]] } });
    await visitor.waitFor(() => of(visitor, 'cobrowse.input').some((e) => e.input.kind === 'pen'));
    await admin.waitFor(() => of(admin, 'cobrowse.input').some((e) => e.input.kind === 'pen' && e.from === t.s.agent1.agent.id));
    expect(clicks()).toEqual([3]);
    expect(of(agent1, 'cobrowse.input')).toEqual([]);
  });

  it('control stays with the conversation’s agent: a transfer takes it from the one who held it', async () => {
    const t = await setup();
    const visitor = await t.socket(t.visitor.token);
    const agent1 = await t.socket(t.s.agent1.token);
    const session = await ok(visitor, { type: 'cobrowse.start', conversationId: t.visitor.conversationId });
    await ok(agent1, { type: 'cobrowse.view', sessionId: session.id, viewing: true });
    await ok(agent1, { type: 'cobrowse.control', sessionId: session.id, action: 'request' });
    await ok(visitor, { type: 'cobrowse.control', sessionId: session.id, action: 'grant' });
    // agent2, online, takes the conversation over.
    const agent2 = await t.socket(t.s.agent2.token);
    expect((await agent2.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const transferred = await api(t.srv.url, 'POST', `/v1/conversations/${t.visitor.conversationId}/transfer`, { token: t.s.agent1.token, body: { agentId: t.s.agent2.agent.id } });
    expect([transferred.status, transferred.body]).toEqual([200, { ok: true }]);
    await visitor.waitFor(() => of(visitor, 'cobrowse').at(-1)?.session.controllerId === null);
    expect(of(visitor, 'cobrowse').at(-1)?.session.status).toBe('live');
    agent1.send({ type: 'cobrowse.input', sessionId: session.id, input: { kind: 'click', nodeId: 7 } });
    await settle(agent1);
    expect(of(visitor, 'cobrowse.input')).toEqual([]);
    const steps = await t.srv.app.services.cobrowse.stepsOf('acme', t.visitor.conversationId);
    expect(steps.map((s) => `${s.kind}:${s.actorRole}`).slice(-1)).toEqual(['control-revoked:system']);
  });

  it('a code for the browser extension: only the holder gets one; it is redeemed once, in its own app, within 10 minutes', async () => {
    const clock = new ManualClock();
    const t = await setup(clock);
    const codeRoute = `/v1/conversations/${t.visitor.conversationId}/cobrowse/code`;
    const join = (appId: string, code: string) => api(t.srv.url, 'POST', '/v1/cobrowse/join', { body: { appId, code } });
    expect((await api(t.srv.url, 'POST', codeRoute, { token: t.s.agent2.token })).status).toBe(403);
    const first = await api(t.srv.url, 'POST', codeRoute, { token: t.s.agent1.token });
    expect(first.status).toBe(201);
    expect(first.body.expiresAt).toBe(clock.now() + 10 * 60_000);

    // Another app does not know it; typed in lower case with a dash, it is the same code.
    expect((await join('globex', first.body.code)).status).toBe(404);
    const typed = `${first.body.code.slice(0, 4)}-${first.body.code.slice(4)}`.toLowerCase();
    const joined = await join('acme', typed);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ conversationId: t.visitor.conversationId, visitorId: t.visitor.visitorId });
    // The token is the conversation's visitor's: it starts the co-browse.
    const extension = await t.socket(joined.body.token);
    expect(await ok(extension, { type: 'cobrowse.start', conversationId: t.visitor.conversationId })).toMatchObject({ status: 'live', visitorId: t.visitor.visitorId });
    expect((await join('acme', first.body.code)).status).toBe(404);

    // Two redemptions at once: one wins.
    const raced = await api(t.srv.url, 'POST', codeRoute, { token: t.s.agent1.token });
    expect((await Promise.all([join('acme', raced.body.code), join('acme', raced.body.code)])).map((r) => r.status).sort()).toEqual([200, 404]);

    // Expired after 10 minutes.
    const late = await api(t.srv.url, 'POST', codeRoute, { token: t.s.agent1.token });
    clock.advance(10 * 60_000);
    expect((await join('acme', late.body.code)).status).toBe(404);

    // Guesses are limited per client address: 20 a minute, then refused before any code is checked.
    const guesses: number[] = [];
    for (let i = 0; i < 20; i++) guesses.push((await join('acme', 'WRONG234')).status);
    expect(guesses.at(-1)).toBe(429);
  });

  it('a channel with co-browsing off refuses a start from either side; a webhook tells when one starts and ends', async () => {
    const t = await setup();
    const visitor = await t.socket(t.visitor.token);
    const agent1 = await t.socket(t.s.agent1.token);
    // A paused page is a path: anything else is refused at the edge, as on create.
    const notAPath = await api(t.srv.url, 'PATCH', '/v1/channels/default', { token: t.s.admin.token, body: { cobrowse: { pausedPages: ['account'] } } });
    expect([notAPath.status, notAPath.body.error?.code]).toEqual([400, 'FD_REQ_INVALID']);
    expect((await api(t.srv.url, 'PATCH', '/v1/channels/default', { token: t.s.admin.token, body: { cobrowse: { enabled: false } } })).status).toBe(200);
    expect(await codeOf(visitor, { type: 'cobrowse.start', conversationId: t.visitor.conversationId })).toBe('FD_COBROWSE_NOT_ALLOWED');
    expect(await codeOf(agent1, { type: 'cobrowse.start', conversationId: t.visitor.conversationId })).toBe('FD_COBROWSE_NOT_ALLOWED');
    expect((await api(t.srv.url, 'PATCH', '/v1/channels/default', { token: t.s.admin.token, body: { cobrowse: { enabled: true } } })).status).toBe(200);
    const session = await ok(visitor, { type: 'cobrowse.start', conversationId: t.visitor.conversationId });
    await ok(agent1, { type: 'cobrowse.end', sessionId: session.id });
    const outbox = await t.srv.app.storage.db.selectFrom('outbox_events').select(['type', 'data']).where('app_id', '=', 'acme').where('type', 'like', 'cobrowse.%').orderBy('position').execute();
    expect(outbox.map((e) => [e.type, (JSON.parse(e.data) as { by: { type: string } }).by.type])).toEqual([
      ['cobrowse.started', 'visitor'],
      ['cobrowse.ended', 'agent'],
    ]);
  });
});
