import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers.ts';

/**
 * Shutdown does not wait on clients: a WebSocket peer that never answers the close frame (a
 * frozen tab, a dead network) is cut off after a short grace period, so the HTTP server closes.
 */
describe('shutdown', () => {
  it('closes within seconds although a WebSocket peer never answers the close handshake', async () => {
    const server = await startTestServer('sqlite');
    await server.app.services.tenancy.createApp({ id: 'acme', name: 'acme' });
    const { port } = new URL(server.url);
    // A raw socket that completes the upgrade, then reads nothing and answers nothing.
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      'GET /v1/ws?appId=acme HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:9\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const answer = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
    expect(answer).toMatch(/^HTTP\/1\.1 101/);
    socket.pause();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    socket.destroy();
  });

  it('lets a request in flight finish, then closes its keep-alive connection instead of waiting for the client', async () => {
    const server = await startTestServer('sqlite');
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const body = JSON.stringify({ appId: 'acme', email: 'nobody@acme.test', password: 'not the password' });
    // Half a body: the request is in flight when close starts.
    socket.write(`POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    const answered = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
    const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const closing = server.close();
    await new Promise((r) => setTimeout(r, 200));
    socket.write(body.slice(10));
    expect(await answered).toMatch(/^HTTP\/1\.1 4\d\d/);
    await closing;
    await closedByServer;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
