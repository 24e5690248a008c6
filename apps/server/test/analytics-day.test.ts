import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

/**
 * A scripted day of traffic on the injected clock, across the end of summer time in Berlin
 * (2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC, so the local day has 25 hours and
 * 02:00–03:00 happens twice). Every figure below is computed by hand from the script.
 */
const at = (hms: string, day = 25) => Date.parse(`2026-10-${day}T${hms}Z`);
const S = 1000;

describe.each(STORAGES)('reports: a scripted day across the Berlin DST change (%s)', (storage) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('every queue, agent, channel and CSAT figure matches the hand-computed value, in the Berlin day and its hours; the exports carry the same rows', async () => {
    const clock = new ManualClock(at('22:59:00', 24));
    server = await startTestServer(storage, {}, { clock });
    const srv = server;
    const s = await seedApp(srv, 'acme');
    await seedApp(srv, 'other');
    let admin = s.admin.token;
    const a1 = s.agent1;
    const a2 = s.agent2;
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(srv.url, method, route, { token, body });
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    /**
     * Moves the clock to an instant of the script and waits until routing has handled what its
     * timers started (a read of the engine queues behind them). The script moves to each routing
     * deadline exactly (ring timeouts, re-offers, wrap-up ends), so each is logged at its instant.
     */
    const goto = async (instant: number) => {
      expect(instant).toBeGreaterThanOrEqual(clock.now());
      clock.advance(instant - clock.now());
      await srv.app.services.routing.agentState('acme', s.agent1.agent.id);
      await new Promise((r) => setTimeout(r, 10));
    };
    const status = (who: { token: string }, value: string) => ok('PUT', '/v1/agents/me/status', who.token, { status: value });
    const open = async () => {
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      return { token: session.token as string, id: conversation.id as string };
    };
    let n = 0;
    const say = (token: string, id: string) => ok('POST', `/v1/conversations/${id}/messages`, token, { clientId: `m${++n}`, text: `words ${n}` });

    const q1 = await ok('POST', '/v1/queues', admin, { name: 'first line', ringTimeoutSeconds: 20, wrapUpSeconds: 30, maxWaitSeconds: 3600 });
    const q2 = await ok('POST', '/v1/queues', admin, { name: 'billing', ringTimeoutSeconds: 20, wrapUpSeconds: 0, maxWaitSeconds: 3600 });
    await ok('PUT', `/v1/agents/${a1.agent.id}/skills`, admin, { skills: [{ queueId: q1.id }] });
    await ok('PUT', `/v1/agents/${a2.agent.id}/skills`, admin, { skills: [{ queueId: q2.id }] });
    await ok('PATCH', '/v1/channels/default', admin, { queueId: q1.id });

    // A daily export of the Berlin day (it is 00:59 on the 25th there), written by a job after the day ends.
    const schedule = await ok('POST', '/v1/reports/export-schedules', admin, { tz: 'Europe/Berlin', every: 'day', format: 'csv' });
    expect(schedule.nextRunAt).toBe(at('23:00:00'));

    // 23:00Z (01:00 CEST): both agents sign in.
    await goto(at('23:00:00', 24));
    await status(a1, 'free');
    await status(a2, 'free');

    // C1, 01:10 CEST: answered after 10 s; two visitor messages answered in 30 s and 10 s; ended by the agent after 300 s; 30 s wrap-up.
    await goto(at('23:10:00', 24));
    const c1 = await open();
    await goto(at('23:10:10', 24));
    await ok('POST', `/v1/conversations/${c1.id}/accept`, a1.token);
    await goto(at('23:10:20', 24));
    await say(c1.token, c1.id);
    await goto(at('23:10:50', 24));
    await say(a1.token, c1.id);
    await goto(at('23:11:00', 24));
    await say(c1.token, c1.id);
    await goto(at('23:11:10', 24));
    await say(a1.token, c1.id);
    await goto(at('23:15:10', 24));
    await ok('POST', `/v1/conversations/${c1.id}/close`, a1.token);
    await goto(at('23:15:40', 24));

    // C2, 02:30 CEST (the first 02:30): declined at once, offered again after the ring time, abandoned at 40 s while it rang.
    await goto(at('00:30:00'));
    const c2 = await open();
    await goto(at('00:30:05'));
    await ok('POST', `/v1/conversations/${c2.id}/decline`, a1.token);
    await goto(at('00:30:25'));
    await goto(at('00:30:40'));
    await ok('POST', `/v1/conversations/${c2.id}/close`, c2.token);

    // C3, 02:30 CET (the second 02:30): rings out (missed), offered again, answered at 45 s; first response 15 s; the visitor ends it after 300 s.
    await goto(at('01:30:00'));
    const c3 = await open();
    await goto(at('01:30:20'));
    await goto(at('01:30:40'));
    await goto(at('01:30:45'));
    await ok('POST', `/v1/conversations/${c3.id}/accept`, a1.token);
    await goto(at('01:31:00'));
    await say(a1.token, c3.id);
    await goto(at('01:35:45'));
    await ok('POST', `/v1/conversations/${c3.id}/close`, c3.token);
    await goto(at('01:36:15'));

    // C4, 09:00 CET: answered at 5 s, first response 30 s, transferred to billing after 60 s; agent2 answers after 15 s,
    // answers the visitor in 20 s and ends it after 120 s; rated 5.
    await goto(at('08:00:00'));
    const c4 = await open();
    await goto(at('08:00:05'));
    await ok('POST', `/v1/conversations/${c4.id}/accept`, a1.token);
    await goto(at('08:00:35'));
    await say(a1.token, c4.id);
    await goto(at('08:01:05'));
    await ok('POST', `/v1/conversations/${c4.id}/transfer`, a1.token, { queueId: q2.id });
    await goto(at('08:01:20'));
    await ok('POST', `/v1/conversations/${c4.id}/accept`, a2.token);
    await goto(at('08:01:30'));
    await say(c4.token, c4.id);
    await goto(at('08:01:50'));
    await say(a2.token, c4.id);
    await goto(at('08:03:20'));
    await ok('POST', `/v1/conversations/${c4.id}/close`, a2.token);
    await goto(at('08:04:00'));
    await ok('PUT', `/v1/conversations/${c4.id}/rating`, c4.token, { stars: 5 });

    // C5: answered at 18 s (within the 20 s level), no words, ended by the visitor after 300 s; rated 3, then 2 (the last counts, once).
    await goto(at('09:00:00'));
    const c5 = await open();
    await goto(at('09:00:18'));
    await ok('POST', `/v1/conversations/${c5.id}/accept`, a1.token);
    await goto(at('09:05:18'));
    await ok('POST', `/v1/conversations/${c5.id}/close`, c5.token);
    await goto(at('09:05:48'));
    await ok('PUT', `/v1/conversations/${c5.id}/rating`, c5.token, { stars: 3 });
    await goto(at('09:06:00'));
    await ok('PUT', `/v1/conversations/${c5.id}/rating`, c5.token, { stars: 2 });

    // C6: agent1 signed out 10:00–10:30; C6 arrives at 10:05 with nobody signed in: released by overflow at once.
    await goto(at('10:00:00'));
    await status(a1, 'offline');
    await goto(at('10:05:00'));
    const c6 = await open();
    await goto(at('10:06:00'));
    await ok('POST', `/v1/conversations/${c6.id}/close`, c6.token);
    await goto(at('10:30:00'));
    await status(a1, 'free');

    // C7: agent1 not ready 10:58–11:10; C7 waits from 11:00 and the visitor leaves at 11:02 (120 s).
    await goto(at('10:58:00'));
    await status(a1, 'not_ready');
    await goto(at('11:00:00'));
    const c7 = await open();
    await goto(at('11:02:00'));
    await ok('POST', `/v1/conversations/${c7.id}/close`, c7.token);
    // Logins last 12 hours: everyone signs in again (a status is the agent's, not its login's).
    const relogin = async (who: string, appId = 'acme') => (await ok('POST', '/v1/auth/login', '', { appId, email: `${who}@${appId}.test`, password: 'correct horse battery' })).token as string;
    admin = await relogin('admin');
    a1.token = await relogin('agent1');
    a2.token = await relogin('agent2');
    await goto(at('11:10:00'));
    await status(a1, 'free');

    // Rest 12:00–12:30; agent2 signs out at 20:00, agent1 at 22:30 (23:30 CET).
    await goto(at('12:00:00'));
    await status(a1, 'rest');
    await goto(at('12:30:00'));
    await status(a1, 'free');
    await goto(at('20:00:00'));
    await status(a2, 'offline');
    await goto(at('22:30:00'));
    await status(a1, 'offline');
    await goto(at('23:30:00'));
    await srv.app.services.analytics.runOnce();
    admin = await relogin('admin');
    a1.token = await relogin('agent1');
    const otherAdmin = await relogin('admin', 'other');

    const report = (kind: string, query: string, token = admin) => api(srv.url, 'GET', `/v1/reports/${kind}?${query}`, { token });
    const berlinDay = 'from=2026-10-25&to=2026-10-26&tz=Europe/Berlin&interval=day';

    // ── per queue ──
    const queues = (await report('queues', berlinDay)).body;
    expect(queues.buckets).toEqual([{ start: at('22:00:00', 24), end: at('23:00:00'), label: '2026-10-25' }]);
    const byQueue = Object.fromEntries(queues.queues.map((q: { queueId: string; total: unknown }) => [q.queueId, q.total]));
    expect(byQueue[q1.id]).toEqual({
      offered: 7,
      answered: 4,
      abandoned: 2,
      abandonRate: 2 / 7,
      releasedByOverflow: 1,
      overflowedOut: 0,
      transferred: 1,
      avgSpeedOfAnswerMs: ((10 + 45 + 5 + 18) / 4) * S,
      p90SpeedOfAnswerMs: 45 * S,
      answeredWithinServiceLevel: 3,
      serviceLevel: 3 / 6,
      longestWaitMs: 120 * S,
      avgHandleMs: ((300 + 300 + 60 + 300) / 4) * S,
      avgWrapUpMs: 30 * S,
    });
    expect(byQueue[q2.id]).toEqual({
      offered: 1,
      answered: 1,
      abandoned: 0,
      abandonRate: 0,
      releasedByOverflow: 0,
      overflowedOut: 0,
      transferred: 0,
      avgSpeedOfAnswerMs: 15 * S,
      p90SpeedOfAnswerMs: 15 * S,
      answeredWithinServiceLevel: 1,
      serviceLevel: 1,
      longestWaitMs: 15 * S,
      avgHandleMs: 120 * S,
      avgWrapUpMs: null,
    });
    // A 10 s service level: only C1 (10 s) and C4 (5 s) of q1 are within it.
    const strict = (await report('queues', `${berlinDay}&serviceLevelSeconds=10&queueId=${q1.id}`)).body;
    expect(strict.queues.map((q: { queueId: string }) => q.queueId)).toEqual([q1.id]);
    expect(strict.queues[0].total).toMatchObject({ answeredWithinServiceLevel: 2, serviceLevel: 2 / 6 });

    // Hours: 25 of them; C2 and C3 both arrived at 02:30 local, in the two different 02:00 hours.
    const hourly = (await report('queues', berlinDay.replace('interval=day', 'interval=hour'))).body;
    expect(hourly.buckets).toHaveLength(25);
    const labels = hourly.buckets.map((b: { label: string }) => b.label);
    const q1Hourly = hourly.queues.find((q: { queueId: string }) => q.queueId === q1.id).byBucket;
    const hour = (label: string) => q1Hourly[labels.indexOf(label)];
    expect(hour('2026-10-25T02:00+02:00')).toMatchObject({ offered: 1, answered: 0, abandoned: 1, longestWaitMs: 40 * S });
    expect(hour('2026-10-25T02:00+01:00')).toMatchObject({ offered: 1, answered: 1, avgSpeedOfAnswerMs: 45 * S });
    expect(hour('2026-10-25T01:00+02:00')).toMatchObject({ offered: 1, answered: 1, avgSpeedOfAnswerMs: 10 * S });
    expect(q1Hourly.reduce((sum: number, b: { offered: number }) => sum + b.offered, 0)).toBe(7);

    // The same traffic by UTC days: C1 (23:10Z) is on the 24th.
    const utcDays = (await report('queues', 'from=2026-10-24&to=2026-10-26&tz=UTC&interval=day')).body;
    expect(utcDays.buckets.map((b: { label: string }) => b.label)).toEqual(['2026-10-24', '2026-10-25']);
    expect(utcDays.queues.find((q: { queueId: string }) => q.queueId === q1.id).byBucket.map((b: { offered: number }) => b.offered)).toEqual([1, 6]);

    // ── per agent ──
    const agents = (await report('agents', berlinDay)).body;
    const byAgent = Object.fromEntries(agents.agents.map((x: { agentId: string; total: unknown }) => [x.agentId, x.total]));
    // agent1, signed in 23:00Z → 22:30Z (84,600 s) less offline 1,800, not ready 720, rest 1,800 and three 30 s wrap-ups.
    const a1Staffed = 84_600 - 1_800 - 720 - 1_800;
    expect(byAgent[a1.agent.id]).toEqual({
      conversationsHandled: 4,
      callsHandled: 0,
      avgFirstResponseMs: ((40 + 15 + 30) / 3) * S,
      avgResponseMs: ((30 + 10) / 2) * S,
      responses: 2,
      handleMs: 960 * S,
      avgHandleMs: 240 * S,
      // Holding a conversation or wrapping up: C1 300 + 30, C3 300 + 30, C4 60, C5 300 + 30.
      occupancy: 1_050 / a1Staffed,
      statusMs: { free: (a1Staffed - 90) * S, busy: 0, wrap_up: 90 * S, not_ready: 720 * S, rest: 1_800 * S },
      // C1, C2 (declined, then withdrawn when the visitor left), C3 (rang out, then accepted), C4, C5.
      offers: 7,
      missedOffers: 1,
      declinedOffers: 1,
      csatAverage: 2,
      csatCount: 1,
    });
    expect(byAgent[a2.agent.id]).toEqual({
      conversationsHandled: 1,
      callsHandled: 0,
      avgFirstResponseMs: 30 * S,
      avgResponseMs: 20 * S,
      responses: 1,
      handleMs: 120 * S,
      avgHandleMs: 120 * S,
      occupancy: 120 / 75_600,
      statusMs: { free: 75_600 * S, busy: 0, wrap_up: 0, not_ready: 0, rest: 0 },
      offers: 1,
      missedOffers: 0,
      declinedOffers: 0,
      csatAverage: 5,
      csatCount: 1,
    });
    expect(Object.keys(byAgent).sort()).toEqual([a1.agent.id, a2.agent.id].sort());
    // A range that starts while agent1 is not ready (since 10:58Z): its status then comes from the change before the range.
    const afternoon = (await report('agents', 'from=2026-10-25T12:00&to=2026-10-26&tz=Europe/Berlin&interval=day')).body;
    const a1Afternoon = afternoon.agents.find((x: { agentId: string }) => x.agentId === a1.agent.id).total;
    expect(a1Afternoon.statusMs).toEqual({ free: (41_400 - 600 - 1_800) * S, busy: 0, wrap_up: 0, not_ready: 600 * S, rest: 1_800 * S });
    expect(a1Afternoon.conversationsHandled).toBe(0);

    // ── per channel and CSAT ──
    const channels = (await report('channels', berlinDay)).body;
    expect(channels.channels).toHaveLength(1);
    expect(channels.channels[0].total).toEqual({ conversations: 7, withBot: 0, botResolved: 0, botResolvedShare: null, handedOff: 0, handOffRate: null, answered: 4, abandoned: 2 });
    const csat = (await report('csat', berlinDay)).body;
    expect(csat.total).toEqual({ count: 2, average: 3.5, distribution: [0, 1, 0, 0, 1] });
    // C4 entered first line first; both rated conversations did.
    expect((await report('csat', `${berlinDay}&queueId=${q1.id}`)).body.total.count).toBe(2);
    expect((await report('csat', `${berlinDay}&queueId=${q2.id}`)).body.total.count).toBe(0);
    expect((await report('csat', `${berlinDay}&agentId=${a2.agent.id}`)).body.total).toEqual({ count: 1, average: 5, distribution: [0, 0, 0, 0, 1] });

    // ── exports: one row per conversation, CSV and XLSX, the same numbers ──
    const csv = await fetch(`${srv.url}/v1/reports/export?${berlinDay}&format=csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="conversations-2026-10-24-2026-10-25.csv"');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    const header = lines[0]!;
    const rows = lines.slice(1).map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
    expect(rows.map((r) => r.conversation_id)).toEqual([c1.id, c2.id, c3.id, c4.id, c5.id, c6.id, c7.id]);
    expect(rows[0]).toMatchObject({ channel: 'Default', queue: 'first line', arrived_at: '2026-10-25T01:10:00+02:00', answered_at: '2026-10-25T01:10:10+02:00', wait_seconds: '10', handle_seconds: '300', first_response_seconds: '40', outcome: 'answered', closed_by: 'seat' });
    expect(rows[2]).toMatchObject({ arrived_at: '2026-10-25T02:30:00+01:00', wait_seconds: '45' });
    expect(rows[3]).toMatchObject({ queue: 'first line', transfers: '1', handle_seconds: '180', csat: '5', transcript_url: `http://127.0.0.1:9/v1/conversations/${c4.id}/messages` });
    expect(rows[3]!.agents!.split('; ')).toHaveLength(2);
    expect(rows[4]).toMatchObject({ csat: '2', outcome: 'answered' });
    expect(rows[5]).toMatchObject({ outcome: 'released', wait_seconds: '0' });
    expect(rows[6]).toMatchObject({ outcome: 'abandoned', wait_seconds: '120', answered_at: '' });
    const xlsx = await fetch(`${srv.url}/v1/reports/export?${berlinDay}&format=xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(8);
    expect(sheet.getRow(1).values).toEqual([undefined, ...header]);
    expect(sheet.getRow(5).getCell(header.indexOf('csat') + 1).value).toBe(5);
    expect(sheet.getRow(5).getCell(1).value).toBe(c4.id);
    expect((await api(srv.url, 'GET', `/v1/reports/export?${berlinDay}`, { token: a1.token })).status).toBe(403);

    // The scheduled export of the Berlin day of the 25th: the same rows as a file staff download.
    const files = (await ok('GET', '/v1/reports/export-files', admin)).files;
    expect(files.map((f: { fromMs: number; toMs: number }) => [f.fromMs, f.toMs])).toEqual([[at('22:00:00', 24), at('23:00:00')]]);
    const file = await fetch(`${srv.url}/v1/reports/export-files/${files[0].id}`, { headers: { authorization: `Bearer ${admin}` } });
    const fileLines = (await file.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(fileLines.slice(1).map((l) => l.split(',')[0])).toEqual(rows.map((r) => r.conversation_id));
    expect((await api(srv.url, 'GET', `/v1/reports/export-files/${files[0].id}`, { token: otherAdmin })).status).toBe(404);

    // ── drill-down: the conversations behind a figure, timed as the report times them ──
    const behind = async (query: string, token = admin) => {
      const res = await report('conversations', query, token);
      expect(res.status).toBe(200);
      return res.body.conversations.map((c: { conversationId: string }) => c.conversationId) as string[];
    };
    // The 7 visits of first line (offered 7), newest first; billing's one; the channel's 7 by when they opened.
    expect(await behind(`${berlinDay}&queueId=${q1.id}`)).toEqual([c7.id, c6.id, c5.id, c4.id, c3.id, c2.id, c1.id]);
    expect(await behind(`${berlinDay}&queueId=${q2.id}`)).toEqual([c4.id]);
    expect(await behind(berlinDay)).toEqual([c7.id, c6.id, c5.id, c4.id, c3.id, c2.id, c1.id]);
    // The repeated hour 02:00–03:00 CET (01:00Z–02:00Z) holds C3 only; the CEST one holds C2.
    expect(await behind(`from=${at('01:00:00')}&to=${at('02:00:00')}&tz=Europe/Berlin&queueId=${q1.id}`)).toEqual([c3.id]);
    expect(await behind(`from=${at('00:00:00')}&to=${at('01:00:00')}&tz=Europe/Berlin&queueId=${q1.id}`)).toEqual([c2.id]);
    // CSAT's bar: the rated conversations; an agent's: the conversations assigned to it.
    expect((await behind(`${berlinDay}&rated=true`)).sort()).toEqual([c4.id, c5.id].sort());
    expect(await behind(`${berlinDay}&agentId=${a2.agent.id}&rated=true`)).toEqual([c4.id]);
    expect(await behind(`${berlinDay}&agentId=${a2.agent.id}`)).toContain(c4.id);
    const limited = (await report('conversations', `${berlinDay}&limit=2`)).body;
    expect([limited.conversations.length, limited.hasMore]).toEqual([2, true]);
    expect((await report('conversations', berlinDay, a1.token)).status).toBe(403);
    expect(await behind(berlinDay, otherAdmin)).toEqual([]);
    expect((await report('conversations', 'from=2026-10-25&to=2026-10-26&tz=Mars/Olympus')).body.error.code).toBe('FD_REPORT_TIMEZONE_INVALID');

    // ── edges: roles, app scope, clear errors ──
    expect((await report('queues', berlinDay, a1.token)).status).toBe(403);
    expect((await report('queues', berlinDay, otherAdmin)).body.queues).toEqual([]);
    const bad = async (query: string, code: string) => {
      const res = await report('agents', query);
      expect([res.status, res.body.error.code]).toEqual([400, code]);
    };
    await bad('from=2026-10-25&to=2026-10-26&tz=Mars/Olympus', 'FD_REPORT_TIMEZONE_INVALID');
    await bad('from=yesterday&to=2026-10-26', 'FD_REPORT_RANGE_INVALID');
    await bad('from=2026-10-26&to=2026-10-25', 'FD_REPORT_RANGE_INVALID');
    await bad('from=2024-01-01&to=2026-10-25', 'FD_REPORT_RANGE_TOO_LARGE');
    await bad('from=2026-01-01&to=2026-10-25&interval=hour', 'FD_REPORT_RANGE_TOO_LARGE');
  });
});
