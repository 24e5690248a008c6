import { createAgentClient, type AgentClient, type AgentClientOptions, type AgentEventMap, type AgentEventName, type WebSocketConstructor } from '@frontdesk/sdk-agent';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, freshStorage, seedApp, STORAGES, startTestServer, TEST_PUBLIC_URL, TestClient, type TestServer } from './helpers.ts';

/** Monday 2026-01-05 10:00 UTC. */
const START = Date.UTC(2026, 0, 5, 10, 0);
const PASSWORD = 'correct horse battery';

type Seeded = Awaited<ReturnType<typeof seedApp>>;

/** Records every event of an SDK client, and waits for one. */
function record(client: AgentClient) {
  const seen: { name: AgentEventName; payload: unknown }[] = [];
  for (const name of Object.values(client.events)) client.on(name, (payload) => seen.push({ name, payload }));
  return {
    seen,
    of<E extends AgentEventName>(name: E): AgentEventMap[E][] {
      return seen.filter((e) => e.name === name).map((e) => e.payload as AgentEventMap[E]);
    },
    async waitFor<E extends AgentEventName>(name: E, match: (payload: AgentEventMap[E]) => boolean = () => true, timeoutMs = 5000): Promise<AgentEventMap[E]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = this.of(name).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${name} event; saw ${seen.map((e) => e.name).join(', ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describe.each(STORAGES)('agent SDK through the real server (%s)', (storage) => {
  let server: TestServer | undefined;
  const sdks: AgentClient[] = [];
  const sockets: TestClient[] = [];

  afterEach(async () => {
    for (const sdk of sdks.splice(0)) sdk.stop();
    await Promise.all(sockets.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const clock = new ManualClock(START);
    server = await startTestServer(storage, {}, { clock });
    const s: Seeded = await seedApp(server, 'acme');
    const srv = server;
    const ok = async (method: string, route: string, token: string | undefined, body?: unknown) => {
      const res = await api(srv.url, method, route, { ...(token ? { token } : {}), body });
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const opened: WebSocket[] = [];
    /** `ws`, remembering each socket the SDK opens (to cut one). */
    const Recording = class extends WebSocket {
      constructor(url: string) {
        super(url);
        opened.push(this);
      }
    };
    const lastSocket = () => opened.at(-1)!;
    const sdk = (options: Partial<AgentClientOptions>) => {
      const client = createAgentClient({
        baseUrl: srv.url,
        appId: 'acme',
        WebSocket: Recording as unknown as WebSocketConstructor,
        reconnectPolicy: { nextRetryDelayMs: () => 300 },
        ...options,
      });
      sdks.push(client);
      return client;
    };
    const visitor = async () => {
      const session = await ok('POST', '/v1/visitor/session', undefined, { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      const client = await TestClient.connect(srv.wsUrl('acme'));
      sockets.push(client);
      expect((await client.request({ type: 'hello', token: session.token, resume: { [conversation.id]: 0 } })).ok).toBe(true);
      return { token: session.token as string, id: conversation.id as string, client };
    };
    return { clock, s, ok, sdk, visitor, srv, lastSocket };
  }

  it('an agent goes online, rests with a reason, takes an offer, chats, transfers and sees the session end', async () => {
    const t = await setup();
    const queue = await t.ok('POST', '/v1/queues', t.s.admin.token, { name: 'sales', ringTimeoutSeconds: 20 });
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.s.admin.token, { skills: [{ queueId: queue.id }] });
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { queueId: queue.id });

    const one = t.sdk({ token: t.s.agent1.token });
    const events = record(one);
    const ready = await one.start();
    expect(ready).toMatchObject({ status: 'success', data: { agent: { id: t.s.agent1.agent.id }, isLeader: true } });
    expect(events.of('ready')).toHaveLength(1);
    expect(one.connectionState).toBe('connected');
    expect(one.Agent.getStatus().status).toBe('offline');

    const rest = await one.Agent.setStatus({ status: 'rest', restReason: 'lunch' });
    expect(rest).toMatchObject({ status: 'success', data: { status: 'rest', reason: 'lunch', easemobCode: '001000' } });
    await events.waitFor('statusChanged', (e) => e.status === 'rest' && e.reason === 'lunch');
    expect(one.Agent.getStatus()).toMatchObject({ status: 'rest', reason: 'lunch' });
    const online = await one.Agent.online();
    expect(online).toMatchObject({ status: 'success', data: { status: 'free' } });
    await events.waitFor('statusChanged', (e) => e.status === 'free' && e.from === 'rest');

    // A visitor arrives: the offer rings (callIn, type im), the agent accepts (userAccessed).
    const v = await t.visitor();
    const callIn = await events.waitFor('callIn', (e) => e.sessionId === v.id);
    expect(callIn).toMatchObject({ type: 'im', queueId: queue.id, nickname: 'Visitor' });
    expect(one.Chat.get({ sessionId: v.id })?.role).toBe('offered');
    expect(await one.Chat.accept({ sessionId: v.id })).toMatchObject({ status: 'success' });
    await events.waitFor('userAccessed', (e) => e.sessionId === v.id);
    expect(one.Chat.get({ sessionId: v.id })?.role).toBe('assigned');

    // Messages both ways, deduplicated by seq; the outbox empties on the ack.
    const sent = await one.Chat.send({ sessionId: v.id, text: 'hello, how can I help?' });
    expect(sent).toMatchObject({ status: 'success', data: { text: 'hello, how can I help?', senderType: 'agent' } });
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.text === 'hello, how can I help?'));
    expect((await v.client.request({ type: 'message.send', conversationId: v.id, clientId: 'v1', text: 'my order is late' })).ok).toBe(true);
    await events.waitFor('message', (e) => e.message.text === 'my order is late');
    const view = one.Chat.get({ sessionId: v.id })!;
    const seqs = view.messages.map((m) => m.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(view.pending).toEqual([]);
    expect(view.unreadCount).toBeGreaterThan(0);
    expect(await one.Chat.markRead({ sessionId: v.id })).toMatchObject({ status: 'success' });
    expect(one.Chat.get({ sessionId: v.id })?.unreadCount).toBe(0);
    expect(await one.Chat.getVisitor({ sessionId: v.id })).toMatchObject({ status: 'success', data: { name: 'Visitor' } });

    // Transfer to agent2, who is free: agent1 sees it leave, agent2 gets it (transfer in, userAccessed).
    const two = t.sdk({ token: t.s.agent2.token });
    const events2 = record(two);
    await two.start();
    await two.Agent.online();
    const transferred = await one.Chat.transfer({ sessionId: v.id, userId: t.s.agent2.agent.id, note: 'VIP' });
    expect(transferred).toMatchObject({ status: 'success' });
    expect(await events.waitFor('transfer', (e) => e.sessionId === v.id)).toMatchObject({ direction: 'out', toAgentId: t.s.agent2.agent.id });
    expect(one.Chat.get({ sessionId: v.id })).toBeNull();
    await events2.waitFor('transfer', (e) => e.sessionId === v.id && e.direction === 'in');
    await events2.waitFor('userAccessed', (e) => e.sessionId === v.id);

    // agent2 ends it: sessionEnded with closeBy seat.
    expect(await two.Chat.end({ sessionId: v.id })).toMatchObject({ status: 'success', data: { status: 'closed', closeBy: 'seat' } });
    expect(await events2.waitFor('sessionEnded', (e) => e.sessionId === v.id)).toEqual({ sessionId: v.id, closeBy: 'seat' });
    expect(two.Chat.get({ sessionId: v.id })?.role).toBe('ended');
    two.Chat.dismiss({ sessionId: v.id });
    await new Promise((r) => setTimeout(r, 20));
    expect(two.Chat.get({ sessionId: v.id })).toBeNull();

    // A second visitor ends it from their side: closeBy client.
    const v2 = await t.visitor();
    await events.waitFor('callIn', (e) => e.sessionId === v2.id);
    expect(await one.Chat.accept({ sessionId: v2.id })).toMatchObject({ status: 'success' });
    await events.waitFor('userAccessed', (e) => e.sessionId === v2.id);
    await t.ok('POST', `/v1/conversations/${v2.id}/close`, v2.token);
    expect(await events.waitFor('sessionEnded', (e) => e.sessionId === v2.id)).toEqual({ sessionId: v2.id, closeBy: 'client' });

    // A supervisor moves a session away to another queue: the agent is told at once (transfer out), no reconnect needed.
    const billing = await t.ok('POST', '/v1/queues', t.s.admin.token, { name: 'billing' });
    const v3 = await t.visitor();
    await events.waitFor('callIn', (e) => e.sessionId === v3.id);
    expect(await one.Chat.accept({ sessionId: v3.id })).toMatchObject({ status: 'success' });
    await events.waitFor('userAccessed', (e) => e.sessionId === v3.id);
    await t.ok('POST', `/v1/conversations/${v3.id}/transfer`, t.s.admin.token, { queueId: billing.id, note: 'billing question' });
    expect(await events.waitFor('transfer', (e) => e.sessionId === v3.id)).toEqual({ sessionId: v3.id, direction: 'out' });
    expect(one.Chat.get({ sessionId: v3.id })).toBeNull();
    expect(events.of('transfer').filter((e) => e.sessionId === v.id)).toHaveLength(1);
  });

  it('a conversation ringing for this agent or waiting for a claim shows its messages and unread count live before it is taken; declined, it no longer does', async () => {
    const t = await setup();
    const queue = await t.ok('POST', '/v1/queues', t.s.admin.token, { name: 'sales', ringTimeoutSeconds: 60 });
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.s.admin.token, { skills: [{ queueId: queue.id }] });
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { queueId: queue.id });
    const one = t.sdk({ token: t.s.agent1.token });
    const events = record(one);
    await one.start();
    await one.Agent.online();

    const v = await t.visitor();
    await events.waitFor('callIn', (e) => e.sessionId === v.id);
    expect((await v.client.request({ type: 'message.send', conversationId: v.id, clientId: 'v1', text: 'is anyone there?' })).ok).toBe(true);
    await events.waitFor('message', (e) => e.message.text === 'is anyone there?');
    expect(one.Chat.get({ sessionId: v.id })).toMatchObject({ role: 'offered', unreadCount: 1 });
    expect(one.Chat.get({ sessionId: v.id })!.messages.map((m) => m.text)).toEqual(['is anyone there?']);
    v.client.send({ type: 'typing', conversationId: v.id, isTyping: true });
    await events.waitFor('sessionUpdated', (e) => e.session.conversation.id === v.id && e.session.isVisitorTyping);

    expect(await one.Chat.decline({ sessionId: v.id })).toMatchObject({ status: 'success' });
    await events.waitFor('offerWithdrawn', (e) => e.sessionId === v.id);
    expect((await v.client.request({ type: 'message.send', conversationId: v.id, clientId: 'v2', text: 'hello?' })).ok).toBe(true);

    // Waiting to be claimed by hand (a channel without a queue): every agent sees it, and its messages.
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { queueId: null });
    const w = await t.visitor();
    await events.waitFor('sessionUpdated', (e) => e.session.conversation.id === w.id && e.session.role === 'unclaimed');
    expect((await w.client.request({ type: 'message.send', conversationId: w.id, clientId: 'w1', text: 'my parcel is lost' })).ok).toBe(true);
    await events.waitFor('message', (e) => e.message.text === 'my parcel is lost');
    expect(one.Chat.get({ sessionId: w.id })).toMatchObject({ role: 'unclaimed', unreadCount: 1 });
    expect(events.of('message').map((e) => e.message.text)).not.toContain('hello?');
  });

  it('a supervisor supervises a chat through the Chat namespace: monitor, whisper, modes, barge-in, take-over', async () => {
    const t = await setup();
    const one = t.sdk({ token: t.s.agent1.token });
    const events = record(one);
    await one.start();
    await one.Agent.online();
    const v = await t.visitor();
    await events.waitFor('sessionUpdated', (e) => e.session.conversation.id === v.id && e.session.role === 'unclaimed');
    expect(await one.Chat.claim({ sessionId: v.id })).toMatchObject({ status: 'success' });

    const boss = t.sdk({ token: t.s.admin.token });
    await boss.start();
    expect(await boss.Chat.monitor({ sessionId: v.id })).toMatchObject({ status: 'success', data: { mode: 'monitor' } });
    expect(await boss.Chat.whisper({ sessionId: v.id, text: 'offer the voucher', clientId: 'w-1' })).toMatchObject({ status: 'success', data: { text: 'offer the voucher' } });
    await events.waitFor('whisper', (e) => e.sessionId === v.id && e.whisper.text === 'offer the voucher');
    expect(await one.Chat.getWhispers({ sessionId: v.id })).toMatchObject({ status: 'success', data: [{ text: 'offer the voucher' }] });
    expect(await boss.Chat.getSupervision({ sessionId: v.id })).toMatchObject({ status: 'success', data: { whispers: [{ text: 'offer the voucher' }] } });
    expect(await boss.Chat.stopSupervision({ sessionId: v.id })).toEqual({ status: 'success', data: undefined });

    expect(await boss.Chat.setSupervision({ sessionId: v.id, mode: 'barge' })).toMatchObject({ status: 'success', data: { mode: 'barge' } });
    expect(await boss.Chat.barge({ sessionId: v.id, text: 'Hello, I am the team lead.' })).toMatchObject({ status: 'success', data: { text: 'Hello, I am the team lead.', senderId: t.s.admin.agent.id } });
    await v.client.waitFor(() => v.client.messages(v.id).some((m) => m.text === 'Hello, I am the team lead.'));
    expect(await boss.Chat.intercept({ sessionId: v.id })).toMatchObject({ status: 'success', data: { id: v.id, agentId: t.s.admin.agent.id } });
    // An agent may not supervise.
    expect(await one.Chat.monitor({ sessionId: v.id })).toMatchObject({ status: 'error' });
  });

  it('conversations that ended lately stay listed after a new login until dismissed; a dismissed one does not come back', async () => {
    // The system clock: the SDK keeps what ended within the last hours of the browser's clock.
    server = await startTestServer(storage);
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const kv = new Map<string, string>();
    const browserStorage = { getItem: (k: string) => kv.get(k) ?? null, setItem: (k: string, v: string) => void kv.set(k, v), removeItem: (k: string) => void kv.delete(k) };
    const login = () => {
      const client = createAgentClient({ baseUrl: srv.url, appId: 'acme', WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { email: 'agent1@acme.test', password: PASSWORD }, storage: browserStorage });
      sdks.push(client);
      return client;
    };
    const ended: string[] = [];
    for (let i = 0; i < 2; i++) {
      const session = (await api(srv.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body as { token: string };
      const { id } = (await api(srv.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
      expect((await api(srv.url, 'POST', `/v1/conversations/${id}/claim`, { token: s.agent1.token })).status).toBe(200);
      expect((await api(srv.url, 'POST', `/v1/conversations/${id}/close`, { token: s.agent1.token })).body.status).toBe('closed');
      ended.push(id);
    }
    const first = login();
    expect((await first.start()).status).toBe('success');
    expect(first.Chat.list().map((v) => [v.conversation.id, v.role]).sort()).toEqual(ended.map((id) => [id, 'ended']).sort());
    first.Chat.dismiss({ sessionId: ended[0]! });
    await new Promise((r) => setTimeout(r, 20));
    first.stop();
    const second = login();
    expect((await second.start()).status).toBe('success');
    expect(second.Chat.list().map((v) => [v.conversation.id, v.role])).toEqual([[ended[1], 'ended']]);
  });

  it("speaks the seed's TCCC spellings: setStatus({status: 'arrange'}) is wrap-up (005000) until another status, UI.showfloatButton / hidefloatButton", async () => {
    const t = await setup();
    const one = t.sdk({ token: t.s.agent1.token });
    const events = record(one);
    expect((await one.start()).status).toBe('success');
    await one.Agent.online();
    const arranged = await one.Agent.setStatus({ status: 'arrange' });
    expect(arranged).toMatchObject({ status: 'success', data: { status: 'wrap_up', easemobCode: '005000' } });
    await events.waitFor('statusChanged', (e) => e.status === 'wrap_up');
    // Routing sees it: no offer reaches an agent wrapping up.
    const state = await t.ok('GET', `/v1/agents/${t.s.agent1.agent.id}/state`, t.s.admin.token);
    expect(state.status).toBe('wrap_up');
    expect((await one.Agent.setStatus({ status: 'free' })).data?.status).toBe('free');

    const ui = one.UI as typeof one.UI & { showfloatButton(): void; hidefloatButton(): void };
    ui.hidefloatButton();
    expect(one.UI.getState().floatButtonVisible).toBe(false);
    ui.showfloatButton();
    expect(one.UI.getState().floatButtonVisible).toBe(true);
  });

  it('an offer that rings out raises autoTransfer; the outbox resends after a reconnect without duplicates', async () => {
    const t = await setup();
    const queue = await t.ok('POST', '/v1/queues', t.s.admin.token, { name: 'support', ringTimeoutSeconds: 10 });
    await t.ok('PUT', `/v1/agents/${t.s.agent1.agent.id}/skills`, t.s.admin.token, { skills: [{ queueId: queue.id }] });
    await t.ok('PATCH', '/v1/channels/default', t.s.admin.token, { queueId: queue.id });
    const one = t.sdk({ token: t.s.agent1.token });
    const events = record(one);
    await one.start();
    await one.Agent.online();
    const v = await t.visitor();
    await events.waitFor('callIn', (e) => e.sessionId === v.id);
    t.clock.advance(10_000);
    await events.waitFor('autoTransfer', (e) => e.sessionId === v.id);
    expect(events.of('offerWithdrawn')).toContainEqual({ sessionId: v.id, reason: 'timed_out' });
    expect(one.Chat.get({ sessionId: v.id })).toBeNull();

    // The agent is offered the next one and takes it; then its socket drops.
    await one.Agent.online();
    const v2 = await t.visitor();
    await events.waitFor('callIn', (e) => e.sessionId === v2.id);
    await one.Chat.accept({ sessionId: v2.id });
    await events.waitFor('userAccessed', (e) => e.sessionId === v2.id);
    await v.client.close();
    await v2.client.waitFor(() => v2.client.messages(v2.id).some((m) => m.text === 'agent.joined'));
    await events.waitFor('message', (e) => e.sessionId === v2.id && e.message.text === 'agent.joined');

    const socket = t.lastSocket();
    socket.terminate();
    await events.waitFor('connectionStateChanged', (e) => e.state === 'reconnecting');
    // While it is down: the agent writes (outbox), the visitor writes (resume brings it once).
    const whileDown = one.Chat.send({ sessionId: v2.id, text: 'still there?', clientId: 'outbox-1' });
    expect(one.Chat.get({ sessionId: v2.id })!.pending).toMatchObject([{ clientId: 'outbox-1', state: 'sending' }]);
    expect((await v2.client.request({ type: 'message.send', conversationId: v2.id, clientId: 'v2-1', text: 'sent while you were away' })).ok).toBe(true);
    const stored = await whileDown;
    expect(stored).toMatchObject({ status: 'success', data: { text: 'still there?', clientId: 'outbox-1' } });
    await events.waitFor('message', (e) => e.message.text === 'sent while you were away');
    await events.waitFor('connectionStateChanged', (e) => e.state === 'connected');
    const view = one.Chat.get({ sessionId: v2.id })!;
    expect(view.pending).toEqual([]);
    expect(view.messages.filter((m) => m.clientId === 'outbox-1')).toHaveLength(1);
    expect(view.messages.filter((m) => m.text === 'sent while you were away')).toHaveLength(1);
    const seqs = view.messages.map((m) => m.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(events.of('message').filter((e) => e.message.text === 'sent while you were away')).toHaveLength(1);
    // Older messages come with loadHistory (here all of them are already held).
    expect(await one.Chat.loadHistory({ sessionId: v2.id })).toMatchObject({ status: 'success', data: { hasMore: false } });
  });

  it('a second login of the same agent kicks the first: kicked frame, close 4011, kickedOut, and its token stops working', async () => {
    const t = await setup();
    const first = t.sdk({ credentials: { email: 'agent1@acme.test', password: PASSWORD } });
    const firstEvents = record(first);
    await first.start();
    const firstToken = first.token!;
    // A raw socket of the first session sees the frame and the close code.
    const raw = await TestClient.connect(t.srv.wsUrl('acme'));
    sockets.push(raw);
    expect((await raw.request({ type: 'hello', token: firstToken })).ok).toBe(true);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => raw.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

    const second = t.sdk({ credentials: { email: 'agent1@acme.test', password: PASSWORD } });
    const secondEvents = record(second);
    expect((await second.start()).status).toBe('success');

    expect(await firstEvents.waitFor('kickedOut')).toEqual({ reason: 'replaced' });
    expect(await closed).toEqual({ code: 4011, reason: 'FD_AUTH_SESSION_REPLACED' });
    expect(raw.events).toContainEqual({ type: 'kicked', reason: 'replaced' });
    expect(first.connectionState).toBe('disconnected');
    const stale = await api(t.srv.url, 'GET', '/v1/me', { token: firstToken });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('FD_AUTH_SESSION_REPLACED');
    // The replaced session cannot come back over a socket either.
    const retry = await TestClient.connect(t.srv.wsUrl('acme'));
    sockets.push(retry);
    expect((await retry.request({ type: 'hello', token: firstToken })).error.code).toBe('FD_AUTH_SESSION_REPLACED');
    expect(await first.Agent.online()).toMatchObject({ status: 'error' });

    // The new session works, and was not kicked.
    expect(await second.Agent.online()).toMatchObject({ status: 'success' });
    expect(secondEvents.of('kickedOut')).toEqual([]);
    // Another agent's sessions are untouched.
    expect((await api(t.srv.url, 'GET', '/v1/me', { token: t.s.agent2.token })).status).toBe(200);
  });

  it('a start whose socket the server refuses (an origin the app does not allow) fails with SDK_SOCKET_REFUSED after 10 s of refusals, instead of waiting for ever', async () => {
    const t = await setup();
    const upgrades: string[] = [];
    /** A page on another site: its sockets carry that Origin. */
    const FromElsewhere = class extends WebSocket {
      constructor(url: string) {
        super(url, { origin: 'http://127.0.0.3:8' });
        this.once('error', (err) => upgrades.push(err.message));
      }
    };
    const refused = t.sdk({ credentials: { email: 'agent1@acme.test', password: PASSWORD }, WebSocket: FromElsewhere as unknown as WebSocketConstructor });
    const startedAt = Date.now();
    expect(await refused.start()).toMatchObject({ status: 'error', errorCode: 'SDK_SOCKET_REFUSED' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(10_000);
    expect(upgrades.length).toBeGreaterThanOrEqual(3);
    expect(new Set(upgrades)).toEqual(new Set(['Unexpected server response: 403']));
    expect(refused.connectionState).toBe('disconnected');
    // No more tries after it gave up.
    const tries = upgrades.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(upgrades).toHaveLength(tries);

    // The same login from an allowed page connects.
    await t.ok('PATCH', '/v1/app', t.s.admin.token, { allowedOrigins: ['http://127.0.0.3:8'] });
    const allowed = t.sdk({ credentials: { email: 'agent1@acme.test', password: PASSWORD }, WebSocket: FromElsewhere as unknown as WebSocketConstructor });
    expect((await allowed.start()).status).toBe('success');
  });

  it('logins that declare the same browser (multi-tab sharing) do not kick each other; another browser does', async () => {
    const t = await setup();
    const login = async (deviceId?: string) =>
      (await t.ok('POST', '/v1/auth/login', undefined, { appId: 'acme', email: 'agent1@acme.test', password: PASSWORD, ...(deviceId ? { deviceId } : {}) })).token as string;
    const tabA = await login('browser-one-0001');
    const a = t.sdk({ token: tabA });
    const aEvents = record(a);
    await a.start();
    const tabB = await login('browser-one-0001');
    const b = t.sdk({ token: tabB });
    await b.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(aEvents.of('kickedOut')).toEqual([]);
    expect((await api(t.srv.url, 'GET', '/v1/me', { token: tabA })).status).toBe(200);
    expect((await api(t.srv.url, 'GET', '/v1/me', { token: tabB })).status).toBe(200);

    await login('browser-two-0002');
    expect(await aEvents.waitFor('kickedOut')).toEqual({ reason: 'replaced' });
    expect((await api(t.srv.url, 'GET', '/v1/me', { token: tabB })).body.error.code).toBe('FD_AUTH_SESSION_REPLACED');
  });

  it('an SDK login URL works once, within 10 minutes, for its own app only', async () => {
    const t = await setup();
    const key = (await t.ok('POST', '/v1/app/api-keys', t.s.admin.token, { name: 'crm' })).key as string;
    const agentId = t.s.agent1.agent.id;

    const created = await api(t.srv.url, 'POST', `/v1/agents/${agentId}/sdk-login`, { token: key, body: {} });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe(START + 10 * 60 * 1000);
    const url = new URL(created.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${TEST_PUBLIC_URL}/sdk/login.js`);
    expect(url.searchParams.get('token')).toBe(created.body.token);
    // The script is served, and does not consume the token.
    const script = await fetch(`${t.srv.url}/sdk/login.js?token=${created.body.token}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('FrontdeskWorkbench.mount');

    // First use: the SDK exchanges it and signs in.
    const sdk = t.sdk({ credentials: { sdkLoginToken: created.body.token } });
    const ready = await sdk.start();
    expect(ready).toMatchObject({ status: 'success', data: { agent: { id: agentId } } });
    // Second use: refused.
    const again = await api(t.srv.url, 'POST', '/v1/auth/sdk-login', { body: { token: created.body.token } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('FD_AUTH_SDK_LOGIN_TOKEN_INVALID');
    const reused = t.sdk({ credentials: { sdkLoginToken: created.body.token } });
    const reusedEvents = record(reused);
    expect(await reused.start()).toMatchObject({ status: 'error', errorCode: 'FD_AUTH_SDK_LOGIN_TOKEN_INVALID' });
    expect(reusedEvents.of('tokenExpired')).toHaveLength(1);

    // Valid until 10 minutes, not at 10 minutes.
    const late = (await t.ok('POST', `/v1/agents/${agentId}/sdk-login`, key, {})).token as string;
    const justInTime = (await t.ok('POST', `/v1/agents/${agentId}/sdk-login`, key, {})).token as string;
    t.clock.advance(10 * 60 * 1000 - 1);
    expect((await api(t.srv.url, 'POST', '/v1/auth/sdk-login', { body: { token: justInTime } })).status).toBe(200);
    t.clock.advance(1);
    const expired = await api(t.srv.url, 'POST', '/v1/auth/sdk-login', { body: { token: late } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('FD_AUTH_SDK_LOGIN_TOKEN_INVALID');

    // Wrong app: another app's key cannot make one for this agent; a token asked for as another app's is refused and not used up.
    await t.srv.app.services.tenancy.createApp({ id: 'other', name: 'other' });
    await t.srv.app.services.identity.createAgent('other', { email: 'admin@other.test', password: PASSWORD, role: 'admin', mediaTypes: ['chat'], maxConcurrentChats: 5 });
    const otherAdmin = (await t.ok('POST', '/v1/auth/login', undefined, { appId: 'other', email: 'admin@other.test', password: PASSWORD })).token as string;
    const foreign = await api(t.srv.url, 'POST', `/v1/agents/${agentId}/sdk-login`, { token: otherAdmin, body: {} });
    expect(foreign.status).toBe(404);
    const mine = (await t.ok('POST', `/v1/agents/${agentId}/sdk-login`, key, {})).token as string;
    const asOther = await api(t.srv.url, 'POST', '/v1/auth/sdk-login', { body: { token: mine, appId: 'other' } });
    expect(asOther.status).toBe(401);
    expect((await api(t.srv.url, 'POST', '/v1/auth/sdk-login', { body: { token: mine, appId: 'acme' } })).status).toBe(200);

    // Only admins and API keys make them.
    const byAgent = await api(t.srv.url, 'POST', `/v1/agents/${agentId}/sdk-login`, { token: t.s.agent2.token, body: {} });
    expect(byAgent.status).toBe(403);
  });
});

describe('agent SDK across two nodes (postgres)', () => {
  it('a login on one node kicks the session connected to the other', async () => {
    const db = await freshStorage('postgres');
    const config = (dataDir: string) =>
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        FRONTDESK_DATA_DIR: dataDir,
        FRONTDESK_LOG_LEVEL: 'silent',
        FRONTDESK_DEMO: 'off',
        FRONTDESK_MEDIA: 'off',
        FRONTDESK_JWT_SECRET: 'agent-sdk-test-secret-0123456789-abcdefghij',
        DATABASE_URL: db.databaseUrl!,
      });
    const nodeA = await buildApp(config(db.dataDir));
    const nodeB = await buildApp(config(db.dataDir));
    const sdks: AgentClient[] = [];
    try {
      const urlA = await nodeA.listen();
      const urlB = await nodeB.listen();
      await nodeA.services.tenancy.createApp({ id: 'acme', name: 'acme' });
      await nodeA.services.identity.createAgent('acme', { email: 'agent1@acme.test', password: PASSWORD, role: 'agent', mediaTypes: ['chat'], maxConcurrentChats: 5 });
      const onA = createAgentClient({ baseUrl: urlA, appId: 'acme', WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { email: 'agent1@acme.test', password: PASSWORD } });
      sdks.push(onA);
      const events = record(onA);
      expect((await onA.start()).status).toBe('success');
      const onB = createAgentClient({ baseUrl: urlB, appId: 'acme', WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { email: 'agent1@acme.test', password: PASSWORD } });
      sdks.push(onB);
      expect((await onB.start()).status).toBe('success');
      expect(await events.waitFor('kickedOut')).toEqual({ reason: 'replaced' });
      expect(onA.connectionState).toBe('disconnected');
    } finally {
      for (const sdk of sdks) sdk.stop();
      await nodeA.close();
      await nodeB.close();
      await db.drop();
    }
  });
});
