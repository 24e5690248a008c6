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
});
