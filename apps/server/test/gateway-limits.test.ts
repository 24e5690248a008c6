import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, newVisitor, seedApp, startTestServer, TestClient, type TestServer } from './helpers.ts';

/** A raw socket that records every frame and how it closed. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; frames: any[]; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url);
  const frames: any[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('gateway limits (transport)', () => {
  let server: TestServer | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await server?.close();
    server = undefined;
  });

  it('an unauthenticated socket may send only hello and ping: any other frame, valid, invalid or unknown, closes it 4001 without a reply', async () => {
    server = await startTestServer('sqlite');
    await seedApp(server, 'acme');
    for (const frame of [{ type: 'bogus.frame', id: 'x1' }, { type: 'message.send', id: 'x2' }, { type: 'message.send', id: 'x3', conversationId: 'c', clientId: 'k', text: 'hi' }]) {
      const s = await rawSocket(server.wsUrl('acme'));
      sockets.push(s.ws);
      s.ws.send(JSON.stringify(frame));
      expect(await within(s.closed, 3000, 'close')).toEqual({ code: 4001, reason: 'FD_WS_NOT_AUTHENTICATED' });
      expect(s.frames).toEqual([]);
    }
    // ping is allowed before hello, and hello still works after it.
    const s = await rawSocket(server.wsUrl('acme'));
    sockets.push(s.ws);
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(s.frames.map((f) => f.type)).toEqual(['pong']);
  });

  it('four unauthenticated sockets flooding junk are cut at their first frame, and /healthz stays fast', async () => {
    server = await startTestServer('sqlite');
    await seedApp(server, 'acme');
    const flooders = await Promise.all([1, 2, 3, 4].map(() => rawSocket(server!.wsUrl('acme'))));
    sockets.push(...flooders.map((f) => f.ws));
    const junk = JSON.stringify({ type: 'nope', id: 'x' });
    for (const f of flooders) for (let i = 0; i < 2000; i++) f.ws.send(junk);
    const closes = await within(Promise.all(flooders.map((f) => f.closed)), 5000, 'flooders closed');
    expect(closes.every((c) => c.code === 4001)).toBe(true);
    expect(flooders.reduce((n, f) => n + f.frames.length, 0)).toBe(0);
    const t0 = performance.now();
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('invalid frames of an authenticated socket count against its rate limit, and it is closed 4400 after 20 of them', async () => {
    server = await startTestServer('sqlite');
    await seedApp(server, 'acme');
    const v = await newVisitor(server, 'acme');
    const s = await rawSocket(server.wsUrl('acme'));
    sockets.push(s.ws);
    s.ws.send(JSON.stringify({ type: 'hello', id: 'h', token: v.token }));
    await new Promise((r) => setTimeout(r, 300));
    expect(s.frames.find((f) => f.id === 'h')?.ok).toBe(true);
    for (let i = 0; i < 200; i++) s.ws.send(JSON.stringify({ type: 'message.send', id: `bad${i}` }));
    expect(await within(s.closed, 3000, 'close')).toEqual({ code: 4400, reason: 'FD_REQ_INVALID' });
    const replies = s.frames.filter((f) => f.type === 'reply' && f.id !== 'h');
    expect(replies.length).toBeLessThanOrEqual(20);
    expect(replies.every((r) => r.ok === false && r.error.code === 'FD_REQ_INVALID')).toBe(true);
  });

  it('frames that fail validation cost rate-limit tokens: after 15 of them, a burst of pings gets at most the 45 pongs left', async () => {
    server = await startTestServer('sqlite');
    await seedApp(server, 'acme');
    const v = await newVisitor(server, 'acme');
    const client = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(client.ws);
    expect((await client.request({ type: 'hello', token: v.token })).ok).toBe(true);
    for (let i = 0; i < 15; i++) client.send({ type: i % 2 ? 'who.knows' : 'message.send' });
    for (let i = 0; i < 60; i++) client.send({ type: 'ping' });
    await new Promise((r) => setTimeout(r, 500));
    const pongs = client.events.filter((e) => e.type === 'pong').length;
    expect(pongs).toBeGreaterThan(0);
    // The burst is 60 tokens: hello took one, the 15 invalid frames 15 (a second of refill at most adds a few).
    expect(pongs).toBeLessThanOrEqual(46);
  });

  it('caps sockets per address (the upgrade is refused with 429) and per principal (hello answers FD_REQ_RATE_LIMITED and closes 4429)', async () => {
    server = await startTestServer('sqlite', { FRONTDESK_WS_MAX_SOCKETS_PER_ADDRESS: '4', FRONTDESK_WS_MAX_SOCKETS_PER_PRINCIPAL: '2' });
    await seedApp(server, 'acme');
    const v = await newVisitor(server, 'acme');
    const first = await TestClient.connect(server.wsUrl('acme'));
    const second = await TestClient.connect(server.wsUrl('acme'));
    const third = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(first.ws, second.ws, third.ws);
    expect((await first.request({ type: 'hello', token: v.token })).ok).toBe(true);
    expect((await second.request({ type: 'hello', token: v.token })).ok).toBe(true);
    const closed = new Promise<number>((resolve) => third.ws.once('close', (code) => resolve(code)));
    const refused = await third.request({ type: 'hello', token: v.token });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FD_REQ_RATE_LIMITED' } });
    expect(await within(closed, 3000, 'close')).toBe(4429);
    // The address has 2 sockets left open now (the third closed): two more fit, a fifth does not.
    const fourth = await TestClient.connect(server.wsUrl('acme'));
    const fifth = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(fourth.ws, fifth.ws);
    await expect(TestClient.connect(server.wsUrl('acme'))).rejects.toThrow(/429/);
    // A closed socket frees its place.
    await fifth.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await TestClient.connect(server.wsUrl('acme'));
    sockets.push(again.ws);
  });

  it('a request whose body never finishes is cut after FRONTDESK_REQUEST_TIMEOUT_MS', async () => {
    server = await startTestServer('sqlite', { FRONTDESK_REQUEST_TIMEOUT_MS: '1000' });
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.write('POST /v1/visitor/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"appId":');
    const t0 = performance.now();
    await within(new Promise<void>((resolve) => socket.once('close', () => resolve())), 8000, 'the slow request closed');
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
