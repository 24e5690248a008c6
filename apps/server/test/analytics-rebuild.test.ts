import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, STORAGES, type TestServer } from './helpers.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/frontdesk.js');

describe.each(STORAGES)('analytics rebuild (%s)', (storage) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('frontdesk analytics rebuild writes the rows of conversations closed before the read model, the same figures, once', async () => {
    server = await startTestServer(storage);
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const admin = s.admin.token;
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(srv.url, method, route, { token, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const queue = await ok('POST', '/v1/queues', admin, { name: 'Support', maxWaitSeconds: 600 });
    await ok('PUT', `/v1/agents/${s.agent1.agent.id}/skills`, admin, { skills: [{ queueId: queue.id }] });
    await ok('PATCH', '/v1/channels/default', admin, { queueId: queue.id });
    await ok('PUT', '/v1/agents/me/status', s.agent1.token, { status: 'free' });
    const open = async () => {
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      return { token: session.token as string, id: (await ok('POST', '/v1/conversations', session.token)).id as string };
    };
    // One answered, replied to, ended and rated 4; one abandoned while nobody was ready.
    const c1 = await open();
    await ok('POST', `/v1/conversations/${c1.id}/accept`, s.agent1.token);
    await ok('POST', `/v1/conversations/${c1.id}/messages`, c1.token, { clientId: 'v1', text: 'hello' });
    await ok('POST', `/v1/conversations/${c1.id}/messages`, s.agent1.token, { clientId: 'a1', text: 'hi' });
    await ok('POST', `/v1/conversations/${c1.id}/close`, s.agent1.token);
    await ok('PUT', `/v1/conversations/${c1.id}/rating`, c1.token, { stars: 4 });
    await ok('PUT', '/v1/agents/me/status', s.agent1.token, { status: 'not_ready' });
    const c2 = await open();
    await ok('POST', `/v1/conversations/${c2.id}/close`, c2.token);
    await srv.app.services.analytics.runOnce();

    const now = Date.now();
    const range = `from=${now - 3_600_000}&to=${now + 3_600_000}&tz=UTC&interval=day`;
    const figures = async () => ({
      queues: (await ok('GET', `/v1/reports/queues?${range}`, admin)).queues,
      agents: (await ok('GET', `/v1/reports/agents?${range}`, admin)).agents.map((a: { agentId: string; total: { conversationsHandled: number; csatAverage: number | null; offers: number } }) => [a.agentId, a.total.conversationsHandled, a.total.csatAverage, a.total.offers]),
      channels: (await ok('GET', `/v1/reports/channels?${range}`, admin)).channels,
      csat: (await ok('GET', `/v1/reports/csat?${range}`, admin)).total,
    });
    const before = await figures();
    expect(before.queues[0].total).toMatchObject({ offered: 2, answered: 1, abandoned: 1 });
    expect(before.csat).toEqual({ count: 1, average: 4, distribution: [0, 0, 0, 1, 0] });
    // The channel filter, in every report: their channel keeps both, 'none' (no channel) neither.
    const [channel] = before.channels.map((c: { channelId: string }) => c.channelId);
    expect((await ok('GET', `/v1/reports/queues?${range}&channelId=${channel}`, admin)).queues).toEqual(before.queues);
    expect((await ok('GET', `/v1/reports/agents?${range}&channelId=${channel}`, admin)).agents.map((a: { total: { conversationsHandled: number } }) => a.total.conversationsHandled)).toEqual([1]);
    expect((await ok('GET', `/v1/reports/queues?${range}&channelId=none`, admin)).queues[0]?.total.offered ?? 0).toBe(0);
    expect((await ok('GET', `/v1/reports/channels?${range}&channelId=none`, admin)).channels).toEqual([]);

    // As if the read model had not existed when they ended: no rows, no jobs.
    const { db } = srv.app.storage;
    for (const table of ['report_conversations', 'report_queue_visits', 'report_assignments', 'report_offers', 'report_ratings'] as const) await db.deleteFrom(table).where('app_id', '=', 'acme').execute();
    await db.deleteFrom('jobs').where('kind', '=', 'analytics.facts-write').execute();
    expect((await figures()).queues).toEqual([]);

    const config = srv.app.config;
    const env = { ...process.env, FRONTDESK_DATA_DIR: config.dataDir, FRONTDESK_LOG_LEVEL: 'silent', FRONTDESK_MEDIA: 'off', ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}) };
    const frontdesk = (...args: string[]) => run(process.execPath, [bin, ...args], { env });
    const out = JSON.parse((await frontdesk('analytics', 'rebuild', '--app', 'acme', '--wait')).stdout);
    expect(out).toEqual({ app: 'acme', conversations: 2, status: 'written' });
    expect(await figures()).toEqual(before);

    // Again: the rows are replaced, never added to.
    await frontdesk('analytics', 'rebuild', '--app', 'acme', '--wait');
    expect(await figures()).toEqual(before);
    const rows = await db.selectFrom('report_conversations').select(['conversation_id']).where('app_id', '=', 'acme').execute();
    expect(rows.map((r) => r.conversation_id).sort()).toEqual([c1.id, c2.id].sort());
    await expect(frontdesk('analytics', 'rebuild', '--app', 'nope')).rejects.toMatchObject({ stderr: expect.stringMatching(/FD_APP_NOT_FOUND/) });
  });
});
