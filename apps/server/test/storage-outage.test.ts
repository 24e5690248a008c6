import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type FrontdeskApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { api, TestClient } from './helpers.ts';

/**
 * PostgreSQL goes away and comes back: nothing is acknowledged while it is down (errors
 * and 503s), everything acknowledged before survives, and the same process serves again
 * soon after the database returns. Runs on its own PostgreSQL instance, which it stops.
 */
const script = path.resolve(import.meta.dirname, '../../../scripts/postgres.sh');
const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-outage-pg-'));
const pgEnv = { ...process.env, FRONTDESK_TEST_PG_PORT: '54339', FRONTDESK_TEST_PG_DIR: path.join(pgDir, 'data') };
// NOTE: asynchronous: this process also hosts the server, whose event loop a synchronous call would
// stall (its saturation guard would then answer FD_BUSY for a moment).
const pg = async (command: 'start' | 'stop') => (await promisify(execFile)('bash', [script, command], { env: pgEnv, encoding: 'utf8' })).stdout.trim();

describe('PostgreSQL outage', () => {
  let app: FrontdeskApp;
  let url: string;

  beforeAll(async () => {
    if (process.getuid?.() === 0) fs.chmodSync(pgDir, 0o777);
    const databaseUrl = await pg('start');
    app = await buildApp(
      loadConfig({ PORT: '0', FRONTDESK_DATA_DIR: path.join(pgDir, 'files'), DATABASE_URL: databaseUrl, FRONTDESK_LOG_LEVEL: 'silent', FRONTDESK_MEDIA: 'off' }),
    );
    url = await app.listen();
  });
  afterAll(async () => {
    await app?.close();
    await pg('stop');
    fs.rmSync(pgDir, { recursive: true, force: true });
  });

  it('acks nothing while the database is down, keeps earlier acks, and serves again once it is back', async () => {
    await app.services.tenancy.createApp({ id: 'outage', name: 'outage' });
    const session = (await api(url, 'POST', '/v1/visitor/session', { body: { appId: 'outage' } })).body;
    const conversation = (await api(url, 'POST', '/v1/conversations', { token: session.token })).body;
    const ws = await TestClient.connect(`${url.replace('http', 'ws')}/v1/ws?appId=outage`);
    expect((await ws.request({ type: 'hello', token: session.token })).ok).toBe(true);
    const send = (clientId: string) => ws.request({ type: 'message.send', conversationId: conversation.id, clientId, text: clientId });
    for (let i = 0; i < 5; i++) expect((await send(`before-${i}`)).ok).toBe(true);

    await pg('stop');
    const duringWs = await send('during');
    expect(duringWs.ok).toBe(false);
    expect(duringWs.error.code).toBe('FD_STORAGE_UNAVAILABLE');
    const duringRest = await api(url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: session.token, body: { clientId: 'during-rest', text: 'x' } });
    expect(duringRest.status).toBe(503);
    expect((await api(url, 'GET', '/healthz')).status).toBe(503);

    await pg('start');
    const backAt = Date.now();
    let healthy = false;
    while (!healthy && Date.now() - backAt < 10_000) {
      healthy = (await api(url, 'GET', '/healthz')).status === 200;
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy).toBe(true);
    // the client retries its unacknowledged send with the same client id
    const retried = await send('during');
    expect(retried.ok).toBe(true);
    const stored = (await api(url, 'GET', `/v1/conversations/${conversation.id}/messages`, { token: session.token })).body.messages;
    expect(stored.map((m: { text: string }) => m.text)).toEqual(['before-0', 'before-1', 'before-2', 'before-3', 'before-4', 'during']);
    expect(stored.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    await ws.close();
  });
});
