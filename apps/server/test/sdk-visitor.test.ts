import type { Message } from '@frontdesk/protocol';
import { ExponentialBackoffPolicy } from '@frontdesk/sdk-visitor';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, TestClient, type TestServer } from './helpers.ts';
import { freePort, memoryStorage, pngOf, TestSocket, until, visitorClient, type TestVisitor } from './sdk-visitor-support.ts';

/** The visitor SDK against the real server, over real WebSockets. */
describe.each(STORAGES)('visitor SDK (%s)', (storage) => {
  const UPLOAD_MAX_BYTES = 200_000;
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const visitors: TestVisitor[] = [];
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    server = await startTestServer(storage, { PORT: String(await freePort()), FRONTDESK_UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) });
    seeded = await seedApp(server, 'acme');
  });
  afterEach(async () => {
    TestSocket.dropOutgoing = undefined;
    for (const v of visitors.splice(0)) v.client.disconnect();
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => server?.close());

  const visitor = (options: Parameters<typeof visitorClient>[1] = {}) => {
    const v = visitorClient(server.url, options);
    visitors.push(v);
    return v;
  };
  const agentSocket = async (token = seeded.agent1.token) => {
    const client = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(client);
    expect((await client.request({ type: 'hello', token })).ok).toBe(true);
    return client;
  };
  const claim = (conversationId: string) => api(server.url, 'POST', `/v1/conversations/${conversationId}/claim`, { token: seeded.agent1.token });
  const stored = async (conversationId: string) => (await api(server.url, 'GET', `/v1/conversations/${conversationId}/messages?limit=500`, { token: seeded.agent1.token })).body.messages as Message[];
  const seqsOf = (messages: Message[]) => messages.map((m) => m.seq);

  it('resumes after a server restart: every message arrives once, in order, and sends made while down go out', async () => {
    const v = visitor();
    await v.client.connect();
    const conversation = await v.client.startConversation();
    await claim(conversation.id);
    for (let i = 0; i < 3; i++) await v.client.send(`before ${i}`);
    await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: seeded.agent1.token, body: { clientId: 'a-before', text: 'agent before' } });
    await until(() => v.seen.message.length === 5, 'the messages before the restart');

    const restarting = server.restart();
    await until(() => v.client.state === 'reconnecting', 'reconnecting');
    const whileDown = [v.client.send('typed while the server was down 1'), v.client.send('typed while the server was down 2')];
    await restarting;
    for (let i = 0; i < 3; i++) {
      await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: seeded.agent1.token, body: { clientId: `a-after-${i}`, text: `agent after ${i}` } });
    }
    await Promise.all(whileDown);
    const all = await stored(conversation.id);
    await until(() => v.seen.message.length === all.length, 'every stored message');
    await new Promise((r) => setTimeout(r, 100));
    expect(seqsOf(v.seen.message)).toEqual(seqsOf(all));
    expect(all.filter((m) => m.text.startsWith('typed while')).length).toBe(2);
    expect(v.seen.state.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(v.client.state).toBe('open');
  });

  it('an answer read before a frame that came first does not undo it: a claim while the conversation is being opened stays', async () => {
    // The answer to opening the conversation is held on its way back until the claim's frame is in.
    let held: { answered: boolean; release: () => void } | undefined;
    const v = visitor({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (held && init?.method === 'POST' && String(input).endsWith('/v1/conversations')) {
          const hold = held;
          await new Promise<void>((resolve) => {
            hold.release = resolve;
            hold.answered = true;
          });
        }
        return response;
      },
    });
    await v.client.connect();
    const conversation = await v.client.startConversation();
    held = { answered: false, release: () => {} };
    const opening = v.client.startConversation();
    await until(() => held!.answered, 'the answer read');
    await claim(conversation.id);
    await until(() => v.seen.conversation.some((c) => c.agentId === seeded.agent1.agent.id), "the claim's frame");
    held.release();
    expect(await opening).toMatchObject({ id: conversation.id, agentId: seeded.agent1.agent.id });
    expect(v.client.conversation).toMatchObject({ id: conversation.id, agentId: seeded.agent1.agent.id });
  });

  it('a claim missed while the socket was down reaches the visitor with the reconnect, on a server whose clock stood still', async () => {
    // Its conversation's updatedAt does not move, so only its seq (the join notice's) tells of the change.
    const still = await startTestServer(storage, { PORT: String(await freePort()) }, { clock: new ManualClock(Date.now()) });
    try {
      const seededStill = await seedApp(still, 'acme');
      const v = visitorClient(still.url);
      visitors.push(v);
      await v.client.connect();
      const conversation = await v.client.startConversation();
      TestSocket.latest().deaf = true;
      expect((await api(still.url, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: seededStill.agent1.token })).status).toBe(200);
      TestSocket.latest().terminate();
      await until(() => v.seen.conversation.some((c) => c.agentId === seededStill.agent1.agent.id), 'the claim, after the reconnect');
      expect(v.client.conversation).toMatchObject({ id: conversation.id, agentId: seededStill.agent1.agent.id });
    } finally {
      await still.close();
    }
  });

  it('re-sends unacknowledged messages with the same client id after a dropped socket: stored once each', async () => {
    const v = visitor();
    await v.client.connect();
    const conversation = await v.client.startConversation();
    // One frame is lost on its way to the server; the next is stored but its reply is lost.
    TestSocket.dropOutgoing = (frame) => frame.type === 'message.send' && frame.text === 'lost on the way';
    const lost = v.client.send('lost on the way');
    TestSocket.dropOutgoing = undefined;
    TestSocket.latest().deaf = true;
    const unacked = v.client.send('stored, reply lost');
    await until(async () => (await stored(conversation.id)).some((m) => m.text === 'stored, reply lost'), 'the second message stored');
    expect(v.seen.messageStatus.filter((s) => s.status === 'sent')).toEqual([]);
    TestSocket.latest().terminate();

    const [first, second] = await Promise.all([lost, unacked]);
    const all = await stored(conversation.id);
    expect(all.filter((m) => m.text === 'lost on the way')).toHaveLength(1);
    expect(all.filter((m) => m.text === 'stored, reply lost')).toHaveLength(1);
    expect(first.clientId).toBe(v.seen.messageStatus[0]!.clientId);
    expect(second.id).toBe(all.find((m) => m.text === 'stored, reply lost')!.id);
    const statuses = (clientId: string | null) => v.seen.messageStatus.filter((s) => s.clientId === clientId).map((s) => s.status);
    expect(statuses(first.clientId)).toEqual(['pending', 'sent']);
    expect(statuses(second.clientId)).toEqual(['pending', 'sent']);
    await until(() => v.seen.message.length === all.length, 'the messages as events');
    expect(seqsOf(v.seen.message)).toEqual(seqsOf(all));
    expect(v.client.pendingMessages()).toEqual([]);
  });

  it('a message still in the outbox when the agent ends the conversation goes to a new conversation, not lost', async () => {
    const v = visitor();
    await v.client.connect();
    const first = await v.client.startConversation();
    await claim(first.id);
    TestSocket.dropOutgoing = (frame) => frame.type === 'message.send';
    const late = v.client.send('sent as the agent ended it');
    await api(server.url, 'POST', `/v1/conversations/${first.id}/close`, { token: seeded.agent1.token });
    await until(() => v.seen.conversation.some((c) => c.id === first.id && c.status === 'closed' && c.closeBy === 'seat'), 'the end');
    TestSocket.dropOutgoing = undefined;
    TestSocket.latest().terminate();
    const message = await late;
    expect(message.conversationId).not.toBe(first.id);
    expect(v.client.conversation).toMatchObject({ id: message.conversationId, status: 'open' });
    expect((await stored(message.conversationId)).map((m) => m.text)).toContain('sent as the agent ended it');
    expect((await stored(first.id)).map((m) => m.text)).not.toContain('sent as the agent ended it');
  });

  it('a policy that gives up ends in closed, with FD_SDK_RECONNECT_GAVE_UP', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const v = visitor({ baseUrl: nowhere, reconnectPolicy: new ExponentialBackoffPolicy({ initialDelayMs: 10, maxRetries: 2 }) });
    await expect(v.client.connect()).rejects.toMatchObject({ code: 'FD_SDK_RECONNECT_GAVE_UP' });
    expect(v.client.state).toBe('closed');
    expect(v.seen.error.map((e) => e.code)).toEqual(['FD_SDK_RECONNECT_GAVE_UP']);
  });

  it('a reload brings back the same visitor, its history and the sends it had not delivered', async () => {
    const storage = memoryStorage();
    const before = visitor({ storage });
    await before.client.connect();
    const conversation = await before.client.startConversation();
    await before.client.send('sent before the reload');
    TestSocket.dropOutgoing = (frame) => frame.type === 'message.send';
    void before.client.send('typed just before the reload');
    await until(() => before.seen.messageStatus.some((s) => s.status === 'pending' && s.text === 'typed just before the reload'), 'pending');
    before.client.disconnect();
    TestSocket.dropOutgoing = undefined;

    const after = visitor({ storage });
    expect(after.client.pendingMessages().map((p) => p.text)).toEqual(['typed just before the reload']);
    await after.client.connect();
    expect(after.client.visitorId).toBe(before.client.visitorId);
    expect(after.client.conversation?.id).toBe(conversation.id);
    await until(() => after.seen.messageStatus.some((s) => s.status === 'sent'), 'the restored send delivered');
    const history = await after.client.history();
    expect(history.messages.map((m) => m.text)).toEqual(['sent before the reload', 'typed just before the reload']);
    expect(history.hasMore).toBe(false);
    // What history returned is not repeated as events.
    await new Promise((r) => setTimeout(r, 100));
    expect(after.seen.message.filter((m) => m.text === 'sent before the reload')).toEqual([]);
    expect(after.seen.message.filter((m) => m.text === 'typed just before the reload').length).toBeLessThanOrEqual(1);
  });

  it('history pages with afterSeq', async () => {
    const v = visitor();
    await v.client.connect();
    const conversation = await v.client.startConversation();
    for (let i = 1; i <= 5; i++) await v.client.send(`m${i}`);
    const first = await v.client.history(conversation.id, { limit: 2 });
    expect(first).toMatchObject({ lastSeq: 5, hasMore: true });
    const second = await v.client.history(conversation.id, { afterSeq: first.messages.at(-1)!.seq, limit: 10 });
    expect([...first.messages, ...second.messages].map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(second.hasMore).toBe(false);
  });

  it('uploads a file with progress, and surfaces the size limit as FD_FILE_TOO_LARGE', async () => {
    const v = visitor();
    await v.client.connect();
    await v.client.startConversation();
    const progress: number[] = [];
    const file = pngOf(150_000);
    const message = await v.client.sendFile(file, 'photo.png', (p) => {
      expect(p.totalBytes).toBe(file.size);
      progress.push(p.loadedBytes);
    });
    expect(message).toMatchObject({ kind: 'image', text: 'photo.png', file: { name: 'photo.png', mimeType: 'image/png', sizeBytes: 150_000 } });
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(file.size);
    expect(progress.length).toBeGreaterThan(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const downloaded = await v.client.fetchFile(message.file!);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(Buffer.from(await file.arrayBuffer()))).toBe(true);
    await expect(v.client.fetchFile({ url: 'https://elsewhere.example/steal' })).rejects.toMatchObject({ code: 'FD_SDK_INVALID_INPUT' });

    const tooLarge = v.client.sendFile(pngOf(UPLOAD_MAX_BYTES + 1), 'huge.png');
    await expect(tooLarge).rejects.toMatchObject({ code: 'FD_FILE_TOO_LARGE', status: 413 });
    await expect(tooLarge).rejects.toThrow(String(UPLOAD_MAX_BYTES));
    const failed = v.seen.messageStatus.find((s) => s.status === 'failed');
    expect(failed).toMatchObject({ kind: 'image', text: 'huge.png', error: { code: 'FD_FILE_TOO_LARGE' } });
    await expect(v.client.sendFile(new Blob(['<html><script>alert(1)</script>'], { type: 'text/html' }), 'x.html')).rejects.toMatchObject({ code: 'FD_FILE_TYPE_NOT_ALLOWED' });
  });

  it('typing is throttled and reaches the agent; the agent’s typing and read state reach the visitor; markRead reaches the agent', async () => {
    const v = visitor({ typingThrottleMs: 1000 });
    await v.client.connect();
    const conversation = await v.client.startConversation();
    await claim(conversation.id);
    const agent = await agentSocket();
    for (let i = 0; i < 5; i++) v.client.typing(true);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'typing' && e.isTyping));
    v.client.typing(false);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'typing' && !e.isTyping));
    expect(agent.events.filter((e) => e.type === 'typing' && e.isTyping)).toHaveLength(1);

    agent.send({ type: 'typing', conversationId: conversation.id, isTyping: true });
    await until(() => v.seen.typing.length === 1, 'the agent typing');
    expect(v.seen.typing[0]).toMatchObject({ conversationId: conversation.id, senderType: 'agent', senderId: seeded.agent1.agent.id, isTyping: true });

    const sent = await v.client.send('please read me');
    expect((await agent.request({ type: 'read', conversationId: conversation.id, seq: sent.seq })).ok).toBe(true);
    await until(() => v.seen.read.some((r) => r.seq === sent.seq), 'the agent read');
    expect(v.seen.read.at(-1)).toMatchObject({ senderType: 'agent', conversationId: conversation.id });

    const reply = await agent.request({ type: 'message.send', conversationId: conversation.id, clientId: 'ag-1', text: 'read?' });
    await v.client.markRead(reply.data.seq);
    await agent.waitFor(() => agent.events.some((e) => e.type === 'read' && e.senderType === 'visitor' && e.seq === reply.data.seq));
  });

  it('rates the conversation during and after it, the last rating wins; ending it tells the visitor closeBy client', async () => {
    const v = visitor();
    await v.client.connect();
    const conversation = await v.client.startConversation();
    expect(await v.client.rate({ stars: 2 })).toMatchObject({ stars: 2, comment: null });
    const ended = await v.client.endConversation();
    expect(ended).toMatchObject({ status: 'closed', closeBy: 'client' });
    await until(() => v.seen.conversation.some((c) => c.id === conversation.id && c.status === 'closed'), 'the closed event');
    expect(v.seen.conversation.find((c) => c.status === 'closed')?.closeBy).toBe('client');
    await v.client.rate({ stars: 5, comment: 'quick and kind' });
    const rating = await api(server.url, 'GET', `/v1/conversations/${conversation.id}/rating`, { token: seeded.admin.token });
    expect(rating.body).toMatchObject({ stars: 5, comment: 'quick and kind' });
    await expect(v.client.rate({ stars: 6 })).rejects.toMatchObject({ code: 'FD_REQ_INVALID', status: 400 });
    // A send after the end opens a new conversation.
    const next = await v.client.send('one more question');
    expect(next.conversationId).not.toBe(conversation.id);
    expect(v.client.conversation?.id).toBe(next.conversationId);
  });

  it('carries transparent data both ways', async () => {
    const v = visitor();
    await v.client.connect();
    const data = Buffer.from('hello from the business').toString('base64');
    const pushed = await api(server.url, 'POST', `/v1/users/${v.client.visitorId}/transparent`, { token: seeded.admin.token, body: { data } });
    expect(pushed.status).toBe(200);
    await until(() => v.seen.transparent.length === 1, 'the pushed data');
    expect(v.seen.transparent[0]).toEqual({ data });

    const up = Buffer.from('hello from the visitor').toString('base64');
    await v.client.sendTransparent(up);
    const events = await server.app.storage.db.selectFrom('outbox_events').select(['data']).where('app_id', '=', 'acme').where('type', '=', 'transparent.data').execute();
    expect(events.map((e) => JSON.parse(String(e.data)))).toEqual(expect.arrayContaining([expect.objectContaining({ userId: v.client.visitorId, data: up })]));
    await expect(v.client.sendTransparent('not base64!')).rejects.toMatchObject({ code: 'FD_REQ_INVALID' });
  });

  it('tells the embedder its state, reports a kick-out as closed with an error, and logs only to the given sink', async () => {
    const v = visitor();
    await v.client.connect();
    expect((await api(server.url, 'POST', `/v1/users/${v.client.visitorId}/kick`, { token: seeded.admin.token })).status).toBe(200);
    await until(() => v.client.state === 'closed', 'closed');
    expect(v.seen.error.map((e) => e.code)).toEqual(['FD_WS_KICKED_OUT']);
    expect(v.seen.state.map((s) => s.state)).toEqual(['connecting', 'open', 'closed']);
    expect(v.logs).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'warn', logger: 'frontdesk.visitor.socket', context: expect.objectContaining({ code: 'FD_WS_KICKED_OUT' }) })]));
    expect(v.logs.every((l) => l.logger.startsWith('frontdesk.visitor'))).toBe(true);
  });

  it('writes nothing to the console without a logger', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name));
    try {
      const v = visitor({ logger: undefined });
      await v.client.connect();
      await v.client.send('quiet');
      TestSocket.latest().terminate();
      await until(() => v.client.state === 'reconnecting' || v.client.state === 'open', 'a reconnect');
      await v.client.send('still quiet');
      v.client.disconnect();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('channelInfo gives the public view of the channel', async () => {
    const v = visitor();
    await v.client.connect();
    const info = await v.client.channelInfo();
    expect(info).toMatchObject({ isOpen: true, offHoursMessage: null, bot: { enabled: false } });
    expect(typeof info.bot.name).toBe('string');
  });

  it("exposes the server's upload limit from the channel's public view; the embedder's option lowers it, never raises it", async () => {
    const v = visitor();
    expect(v.client.uploadMaxBytes).toBeNull();
    expect((await v.client.channelInfo()).limits).toEqual({ uploadMaxBytes: UPLOAD_MAX_BYTES });
    expect(v.client.uploadMaxBytes).toBe(UPLOAD_MAX_BYTES);

    const lower = visitor({ uploadMaxBytes: 50_000 });
    expect(lower.client.uploadMaxBytes).toBe(50_000);
    await lower.client.channelInfo();
    expect(lower.client.uploadMaxBytes).toBe(50_000);

    const higher = visitor({ uploadMaxBytes: 10 * UPLOAD_MAX_BYTES });
    await higher.client.channelInfo();
    expect(higher.client.uploadMaxBytes).toBe(UPLOAD_MAX_BYTES);
  });
});
