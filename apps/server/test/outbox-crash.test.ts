import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, freshStorage, STORAGES } from './helpers.ts';
import { processEnv, running, ServerProcess } from './server-process.ts';

/**
 * The outbox survives kill -9 between commit and send (RELIABILITY 5): a visitor sends 400
 * messages to the real server process, which is SIGKILLed mid-burst and restarted. Afterwards a
 * loopback receiver has been sent a `message.created` webhook for every stored message, each
 * signature verifies, and an idempotent receiver processed each event id exactly once.
 */

const APP_ID = 'outbox';
const PASSWORD = 'correct horse battery';
const MESSAGES = 400;
const KILL_AT = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(STORAGES)('outbox: kill -9 between commit and send (%s)', (kind) => {
  let storage: Awaited<ReturnType<typeof freshStorage>>;
  let server: ServerProcess;
  let receiver: http.Server;
  const received: { id: string; body: string; headers: Record<string, string> }[] = [];

  beforeAll(async () => {
    storage = await freshStorage(kind);
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        received.push({ id: headers['webhook-id']!, body, headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    server = new ServerProcess(await processEnv(storage, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }));
  });

  afterAll(async () => {
    await server?.kill();
    if (server) running.delete(server);
    await new Promise((r) => receiver?.close(r));
    await storage?.drop();
  });

  it('every stored message reaches the receiver, signed, each event id processed once', async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`server output (${kind}):\n${server.log.join('')}`));
    await server.cli('app', 'create', '--name', APP_ID, '--id', APP_ID);
    await server.cli('agent', 'create', '--app', APP_ID, '--email', `admin@${APP_ID}.test`, '--password', PASSWORD, '--role', 'admin');
    await server.start();
    const admin = (await api(server.url, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD } })).body.token;
    const { port } = receiver.address() as AddressInfo;
    const subscription = await api(server.url, 'POST', '/v1/webhooks/subscriptions', { token: admin, body: { url: `http://127.0.0.1:${port}/hook`, eventTypes: ['message.created'] } });
    expect(subscription.status).toBeLessThan(300);
    const visitor = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: APP_ID } })).body.token;
    const conversationId = (await api(server.url, 'POST', '/v1/conversations', { token: visitor })).body.id;

    // The visitor sends with retries (same clientId): a send cut by the kill is sent again.
    let acked = 0;
    let killed: Promise<void> | undefined;
    const send = async (i: number) => {
      for (;;) {
        try {
          const res = await api(server.url, 'POST', `/v1/conversations/${conversationId}/messages`, { token: visitor, body: { clientId: `m${i}`, text: `message ${i}` } });
          if (res.status < 300) break;
        } catch {
          // the server is down: try again once it is back
        }
        await sleep(50);
      }
      if (++acked === KILL_AT) killed = server.kill().then(async () => void (await server.start()));
    };
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < MESSAGES) await send(next++);
    }));
    await killed;

    // Every event in the outbox reaches the receiver (at least once).
    const stored = await storedMessageIds(storage);
    expect(stored.size).toBe(MESSAGES);
    const deadline = Date.now() + 60_000;
    const eventsOfMessages = () => new Set(received.map((r) => (JSON.parse(r.body) as { data: { message: { id: string } } }).data.message.id));
    while (eventsOfMessages().size < MESSAGES && Date.now() < deadline) await sleep(100);
    expect([...eventsOfMessages()].sort()).toEqual([...stored].sort());

    // An idempotent receiver processes each webhook id once: one id per event, signatures valid.
    const verifier = new Webhook(subscription.body.secret);
    const processed = new Map<string, string>();
    for (const r of received) {
      expect(() => verifier.verify(r.body, r.headers)).not.toThrow();
      const messageId = (JSON.parse(r.body) as { data: { message: { id: string } } }).data.message.id;
      if (processed.has(r.id)) expect(processed.get(r.id)).toBe(messageId);
      processed.set(r.id, messageId);
    }
    expect(processed.size).toBe(MESSAGES);
    console.log(`outbox crash (${kind}): ${received.length} requests for ${MESSAGES} events (${received.length - MESSAGES} redelivered after the kill)`);
  }, 180_000);
});

async function storedMessageIds(storage: { dataDir: string; databaseUrl?: string }): Promise<Set<string>> {
  if (storage.databaseUrl) {
    const client = new pg.Client({ connectionString: storage.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`select id from messages where app_id = $1`, [APP_ID]);
      return new Set(rows.map((r) => r.id as string));
    } finally {
      await client.end();
    }
  }
  const db = new SqliteDatabase(path.join(storage.dataDir, 'frontdesk.db'), { readonly: true });
  try {
    return new Set((db.prepare('select id from messages where app_id = ?').all(APP_ID) as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
}
