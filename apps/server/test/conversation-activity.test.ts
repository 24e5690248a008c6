import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { apiOk, newVisitor, seedApp, startTestServer, STORAGES, type TestServer } from './helpers.ts';

/**
 * A conversation's activity is indexed by the minute (migration 0034): every write of its activity
 * times keeps the minutes the lists and the idle sweep read, and the lists still come newest first
 * to the millisecond.
 */
describe.each(STORAGES)('conversation activity by the minute (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 50));
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, {}, { clock });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('sends, batches, claims and closes keep the minutes; the list is newest first to the millisecond', async () => {
    const appId = `activity-${kind}`;
    const { admin, agent1 } = await seedApp(server, appId);
    const visitors: Awaited<ReturnType<typeof newVisitor>>[] = [];
    for (let i = 0; i < 6; i++) visitors.push(await newVisitor(server, appId));
    const send = (token: string, conversationId: string, clientId: string) => apiOk(server.url, 'POST', `/v1/conversations/${conversationId}/messages`, token, { clientId, text: `hello ${clientId}` });

    // Each step a few seconds after the last, so that some cross into the next minute and some do not.
    const steps: (() => Promise<unknown>)[] = [
      () => send(visitors[0]!.token, visitors[0]!.conversationId, 'a1'),
      // Several at once: one batch of the group commit (PostgreSQL: its one statement for all).
      () => Promise.all(visitors.map((v, i) => send(v.token, v.conversationId, `b${i}`))),
      () => apiOk(server.url, 'POST', `/v1/conversations/${visitors[2]!.conversationId}/claim`, agent1.token),
      () => send(agent1.token, visitors[2]!.conversationId, 'c1'),
      () => Promise.all([send(visitors[1]!.token, visitors[1]!.conversationId, 'd1'), send(agent1.token, visitors[2]!.conversationId, 'd2'), send(visitors[3]!.token, visitors[3]!.conversationId, 'd3')]),
      () => apiOk(server.url, 'POST', `/v1/conversations/${visitors[4]!.conversationId}/close`, visitors[4]!.token),
      () => send(visitors[5]!.token, visitors[5]!.conversationId, 'e1'),
    ];
    for (const [i, step] of steps.entries()) {
      clock.advance(7_000 + 5_000 * i);
      await step();
    }

    const rows = await server.app.storage.db.selectFrom('conversations').selectAll().where('app_id', '=', appId).execute();
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.updated_minute, row.id).toBe(Math.floor(row.updated_at / 60_000));
      expect(row.last_activity_minute, row.id).toBe(Math.floor((row.last_visitor_message_at ?? row.created_at) / 60_000));
    }
    // The steps spread the rows over more than one minute, and some minute holds several of them.
    const minutes = rows.map((r) => r.updated_minute);
    expect(new Set(minutes).size).toBeGreaterThan(1);
    expect(new Set(minutes).size).toBeLessThan(rows.length);

    const { conversations } = await apiOk<{ conversations: { id: string }[] }>(server.url, 'GET', '/v1/conversations?limit=50', admin.token);
    // (A batch's rows share their time: any order among them.)
    const timeOf = new Map(rows.map((r) => [r.id, r.updated_at]));
    expect(conversations.map((c) => c.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(conversations.map((c) => timeOf.get(c.id))).toEqual(rows.map((r) => r.updated_at).sort((a, b) => b - a));
  });
});
