import fs from 'node:fs';
import path from 'node:path';
import type { ElementHandle, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../apps/server/test/helpers.ts';
import { logIn, PASSWORD, type FrontdeskProcess, type Seeded } from './frontdesk-server.ts';
import { dominantChannel, probeElementAudio, probeElementColour } from './probes.ts';
import { openSdkScene, startAnsweredVideoCall, type SdkScene } from './sdk-call-scene.ts';
import { waitForEvent } from './sdk-pages.ts';
import { expectHears, expectNotReceiving, hasRemoteAudio } from './hearing.ts';

/**
 * Supervision of a live call (SPEC M28) through the SDKs and the real server with its Janus, proven
 * by content: the visitor sends 440 Hz, the agent 880 Hz, the supervisor (the admin) 1320 Hz and a
 * second supervisor 1760 Hz. Each page's remote streams are keyed `role:id`; "does not hear" means
 * no stream of that party reaches the page (the server never lets it subscribe), checked after a
 * wait, while what it must hear plays on.
 */

const VISITOR_HZ = 440;
const AGENT_HZ = 880;
const BOSS_HZ = 1320;
const LEAD_HZ = 1760;
/** How long a party is given to (wrongly) receive a supervisor before we say it does not. */
const ABSENCE_WAIT_MS = 1_500;
const SHOTS = path.resolve(import.meta.dirname, '../screenshots');

describe('a supervisor monitors, whispers, barges and intercepts a call, proven by content', () => {
  let scene: SdkScene;
  let server: FrontdeskProcess;
  let seeded: Seeded;
  let visitor: Page;
  let agent: Page;
  let boss: Page;
  let lead: Page;
  let bossKey: string;
  let leadKey: string;
  let agentKey: string;
  let visitorKey: string;
  let callId: string;
  let conversationId: string;
  let bossToken: string;
  let agentToken: string;

  /** The CPU Janus used over 3 s, in % of one core (/proc: utime + stime, 100 ticks a second). */
  async function janusCpuPercent(): Promise<string> {
    const pid = server.janusPid();
    if (pid === undefined) return 'n/a';
    const cpuSeconds = () => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ').slice(11, 13).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
    const before = cpuSeconds();
    await new Promise((r) => setTimeout(r, 3_000));
    return (((cpuSeconds() - before) / 3) * 100).toFixed(1);
  }
  const supervise = (page: Page, mode: string) => page.evaluate(({ callId, mode }) => (window as any).__t.sdk.Call.supervise({ sessionId: callId, mode }), { callId, mode });

  beforeAll(async () => {
    scene = await openSdkScene('call-supervision', [
      { toneHz: VISITOR_HZ, colour: 'red' },
      { toneHz: AGENT_HZ, colour: 'green' },
      { toneHz: BOSS_HZ, colour: 'blue' },
      { toneHz: LEAD_HZ, colour: 'yellow' },
    ]);
    ({ server, seeded } = scene);
    // NOTE: one login per person: a newer login of the same agent ends the older one.
    const login = async (email: string) => {
      const res = await api(server.url, 'POST', '/v1/auth/login', { body: { appId: seeded.appId, email, password: PASSWORD } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { token: string; agent: { id: string } };
    };
    const admin = await login(seeded.adminEmail);
    const adminToken = admin.token;
    bossToken = adminToken;
    const created = await api(server.url, 'POST', '/v1/agents', { token: adminToken, body: { email: 'lead@acme.test', password: PASSWORD, role: 'supervisor', name: 'Lead', mediaTypes: ['chat'], maxConcurrentChats: 5 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    let leadLogin: Awaited<ReturnType<typeof login>>;
    [agentToken, leadLogin] = await Promise.all([logIn(server.url, seeded.agent1.email), login('lead@acme.test')]);
    [visitor, agent, boss, lead] = await Promise.all([scene.visitorPage(0), scene.agentPage(1, agentToken), scene.agentPage(2, adminToken), scene.agentPage(3, leadLogin.token)]);
    bossKey = `agent:${admin.agent.id}`;
    leadKey = `agent:${leadLogin.agent.id}`;
    agentKey = `agent:${seeded.agent1.id}`;
    // The visitor chats with agent1 (claimed by hand), calls with video, agent1 answers.
    let visitorId: string;
    ({ callId, visitorId, conversationId } = await startAnsweredVideoCall(scene, visitor, agent, agentToken));
    visitorKey = `visitor:${visitorId}`;
  }, 120_000);

  afterAll(() => scene?.close());

  it('monitor, two supervisors at once: each hears the visitor and the agent; nobody hears them', async () => {
    await Promise.all([expectHears(agent, visitorKey, VISITOR_HZ), expectHears(visitor, agentKey, AGENT_HZ)]);
    const baseline = await janusCpuPercent();
    for (const page of [boss, lead]) {
      const monitored = await page.evaluate((id) => (window as any).__t.sdk.Call.monitor({ sessionId: id }), callId);
      expect(monitored, JSON.stringify(monitored)).toMatchObject({ status: 'success', data: { supervision: { mode: 'monitor', textOnly: false } } });
    }
    await Promise.all([expectHears(boss, visitorKey, VISITOR_HZ), expectHears(boss, agentKey, AGENT_HZ), expectHears(lead, visitorKey, VISITOR_HZ), expectHears(lead, agentKey, AGENT_HZ)]);
    await new Promise((r) => setTimeout(r, ABSENCE_WAIT_MS));
    for (const [page, key] of [[visitor, bossKey], [visitor, leadKey], [agent, bossKey], [agent, leadKey], [boss, leadKey], [lead, bossKey]] as const) expect(await hasRemoteAudio(page, key), `${key}`).toBe(false);
    // The call itself goes on as before.
    await Promise.all([expectHears(agent, visitorKey, VISITOR_HZ), expectHears(visitor, agentKey, AGENT_HZ)]);
    // Measured: what forwarding costs Janus with two supervisors in (it forwards packets, decodes nothing).
    const supervised = await janusCpuPercent();
    console.info(`Janus CPU, 3 s each: the video call alone (4 legs) ${baseline} % of a core; with two voice supervisors (10 legs) ${supervised} %`);
  });

  it('whisper: only the agent (and the other supervisor) hears the supervisor; the visitor does not', async () => {
    expect(await supervise(boss, 'whisper')).toMatchObject({ status: 'success', data: { supervision: { mode: 'whisper' } } });
    await Promise.all([expectHears(agent, bossKey, BOSS_HZ), expectHears(lead, bossKey, BOSS_HZ)]);
    await new Promise((r) => setTimeout(r, ABSENCE_WAIT_MS));
    expect(await hasRemoteAudio(visitor, bossKey)).toBe(false);
    // The supervisor's own media never reconnected: it still hears both parties.
    await Promise.all([expectHears(boss, visitorKey, VISITOR_HZ), expectHears(boss, agentKey, AGENT_HZ)]);
  });

  it('barge: the visitor and the agent both hear the supervisor; back to monitor, neither does', async () => {
    // Measured: from the switch until the visitor's page has the supervisor's track (a new subscription), and until it is gone.
    let startedAt = Date.now();
    expect(await supervise(boss, 'barge')).toMatchObject({ status: 'success' });
    await visitor.waitForFunction((k) => !!(window as any).__call.remote[k]?.audio, bossKey, { timeout: 15_000, polling: 20 });
    const bargeMs = Date.now() - startedAt;
    await Promise.all([expectHears(visitor, bossKey, BOSS_HZ), expectHears(agent, bossKey, BOSS_HZ)]);
    startedAt = Date.now();
    expect(await supervise(boss, 'monitor')).toMatchObject({ status: 'success' });
    await visitor.waitForFunction((k) => !(window as any).__call.remote[k], bossKey, { timeout: 15_000, polling: 20 });
    const backMs = Date.now() - startedAt;
    await Promise.all([expectNotReceiving(visitor, bossKey), expectNotReceiving(agent, bossKey), expectNotReceiving(lead, bossKey)]);
    console.info(`switch to barge: the visitor has the supervisor's track after ${bargeMs} ms; back to monitor: gone after ${backMs} ms`);
    await Promise.all([expectHears(visitor, agentKey, AGENT_HZ), expectHears(boss, visitorKey, VISITOR_HZ)]);
  });

  it('intercept: the visitor hears the supervisor and no longer the agent; the agent is out of the call', async () => {
    const taken = await boss.evaluate((id) => (window as any).__t.sdk.Call.intercept({ sessionId: id }), callId);
    expect(taken).toMatchObject({ status: 'success', data: { phase: 'active' } });
    await Promise.all([expectHears(visitor, bossKey, BOSS_HZ), expectNotReceiving(visitor, agentKey)]);
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: callId });
    await expectHears(boss, visitorKey, VISITOR_HZ);
    const timeline = await api(server.url, 'GET', `/v1/calls/${callId}/supervision`, { token: bossToken });
    expect(timeline.body.steps.filter((s: { supervisorId: string }) => `agent:${s.supervisorId}` === bossKey).map((s: { mode: string }) => s.mode)).toEqual(['monitor', 'whisper', 'barge', 'monitor', 'intercept']);
    // The visitor's chat went with the call to the supervisor.
    const conversation = await api(server.url, 'GET', `/v1/conversations/${conversationId}`, { token: bossToken });
    expect(`agent:${conversation.body.agentId}`).toBe(bossKey);
    await visitor.evaluate((id) => (window as any).__t.client.hangUp(id), callId);
    // The supervisor ends that chat: the next test's call is a new conversation's, agent1's again.
    expect((await api(server.url, 'POST', `/v1/conversations/${conversationId}/close`, { token: bossToken })).status).toBe(200);
  });

  it('the workbench: the supervisor board lists the live call; Monitor plays the visitor\'s and the agent\'s picture and sound', async () => {
    const call = { id: (await startAnsweredVideoCall(scene, visitor, agent, agentToken)).callId };
    // The second supervisor signs in to the workbench (its SDK page's login ends: one login per agent).
    const page = await lead.context().newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    page.on('pageerror', (err) => console.error('[workbench page error]', err.message));
    await page.goto(`${server.url}/workbench/`);
    await page.getByLabel('App id').fill(seeded.appId);
    await page.getByLabel('Email').fill('lead@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('link', { name: 'Supervisor', exact: true }).click();
    const row = page.getByRole('table', { name: 'Live calls' }).getByRole('row').filter({ hasText: 'video calls' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByTestId('call-mode-monitor').click();
    const view = page.getByTestId('supervised-call');
    const visitorVideo = view.getByTestId('supervised-visitor').locator('video');
    const agentVideo = view.getByTestId('supervised-agent').locator('video');
    await Promise.all([visitorVideo.waitFor({ timeout: 20_000 }), agentVideo.waitFor({ timeout: 20_000 })]);
    const handle = async (l: typeof visitorVideo) => (await l.elementHandle()) as unknown as ElementHandle<HTMLVideoElement>;
    await expect.poll(async () => dominantChannel(await probeElementColour(await handle(visitorVideo))), { timeout: 15_000, interval: 200 }).toBe('red');
    await expect.poll(async () => dominantChannel(await probeElementColour(await handle(agentVideo))), { timeout: 15_000, interval: 200 }).toBe('green');
    const heard = await probeElementAudio(await handle(visitorVideo), 1000);
    expect(Math.abs(heard.dominantHz - VISITOR_HZ), JSON.stringify(heard)).toBeLessThan(25);
    await expect.poll(() => row.textContent()).toContain('Lead');
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'media-call-supervision.png'), fullPage: true });
    await view.getByTestId('stop-supervising').click();
    await visitor.evaluate((id) => (window as any).__t.client.hangUp(id), call.id);
  });
});
