import http from 'node:http';
import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../../platform/clock.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { createOutbox, type OutboxEvent } from './outbox.ts';
import type { Webhooks } from './webhooks.service.ts';

/**
 * Real receivers for webhook tests and the benchmark: node:http servers on loopback that record
 * every request. Not used by the server itself.
 */

export interface ReceivedHit {
  /** The request target: path and query string. */
  url: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  headers: http.IncomingHttpHeaders;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer this late (real time). */
  delayMs?: number;
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly hits: ReceivedHit[];
  /** How the next requests are answered (204 by default). */
  respond: (hit: ReceivedHit, index: number) => Reply;
  /** Stops listening and drops open connections: the receiver is down (connections refused). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(options: { host?: string; port?: number; path?: string } = {}): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  let server: http.Server | undefined;
  const receiver: Receiver = {
    url: '',
    port: options.port ?? 0,
    hits: [],
    respond: () => ({ status: 204 }),
    stop: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    restart: async () => {
      const s = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (c: Buffer) => chunks.push(c));
        request.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const header = (name: string) => String(request.headers[name] ?? '');
          let payload: ReceivedHit['payload'];
          try {
            payload = JSON.parse(body);
          } catch {
            payload = { type: '', timestamp: '', data: {} };
          }
          const hit: ReceivedHit = { url: request.url ?? '', id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature'), body, payload, headers: request.headers };
          const index = receiver.hits.push(hit) - 1;
          const reply = receiver.respond(hit, index);
          const answer = () => {
            if (response.destroyed) return;
            response.writeHead(reply.status, reply.headers ?? {});
            response.end(reply.body ?? '');
          };
          if (reply.delayMs) setTimeout(answer, reply.delayMs);
          else answer();
        });
      });
      s.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(receiver.port, host, () => resolve());
      });
      (receiver as { port: number }).port = (s.address() as net.AddressInfo).port;
      (receiver as { url: string }).url = `http://${host.includes(':') ? `[${host}]` : host}:${receiver.port}${options.path ?? '/hooks'}`;
      server = s;
    },
    close: () => receiver.stop(),
  };
  await receiver.restart();
  return receiver;
}

/** A TCP listener on every loopback address that only counts connections: nothing may reach it. */
export async function startCanary(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '::', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Verifies a hit with the standardwebhooks package as a receiver would, at the moment the
 * request was signed (`webhook-timestamp`): the package checks the 5-minute skew against
 * Date.now(), and tests run on an injected clock. Returns the parsed payload or throws.
 */
export function verifyHit(secret: string, hit: ReceivedHit): unknown {
  const realNow = Date.now;
  Date.now = () => Number(hit.timestamp) * 1000;
  try {
    return new Webhook(secret).verify(hit.body, { 'webhook-id': hit.id, 'webhook-timestamp': hit.timestamp, 'webhook-signature': hit.signature });
  } finally {
    Date.now = realNow;
  }
}

/** What `serverWebhooks` needs of a running test server (the shape of test/helpers.ts' TestServer). */
export interface ServerForWebhooks {
  url: string;
  app: { storage: Storage; services: { webhooks: Webhooks } };
}

export interface ServerWebhooks {
  webhooks: Webhooks;
  /** Base URL that serves the /v1/webhooks routes. */
  baseUrl: string;
  /** Writes events to the outbox in one transaction, as a business change would. */
  enqueue(events: OutboxEvent[]): Promise<void>;
}

/** The server's own webhooks (wired in app.ts, configured by its environment), and a way to write events. */
export function serverWebhooks(server: ServerForWebhooks, clock: Clock): ServerWebhooks {
  const outbox = createOutbox({ clock });
  return {
    webhooks: server.app.services.webhooks,
    baseUrl: server.url,
    enqueue: (events) => server.app.storage.db.transaction().execute((tx) => outbox.enqueue(tx, events)),
  };
}
