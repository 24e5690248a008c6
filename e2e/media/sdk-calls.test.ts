import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../apps/server/test/helpers.ts';
import { logIn, startFrontdesk, type FrontdeskProcess, type Seeded } from './frontdesk-server.ts';
import { assertInsideMediaNamespace, launchMediaBrowser } from './media-harness.ts';
import { dominantChannel, probeRemoteAudio, probeRemoteColour, probeRemoteVideoActivity } from './probes.ts';
import { buildSdkBundles, openSdkPage, routeSdkPages, type SdkBundles } from './sdk-pages.ts';

/**
 * Calls through the two SDKs and the real Frontdesk server (its own process, SQLite, the local Janus
 * it supervises), proven by content: the visitor's browser sends 440 Hz and red, the agent's 880 Hz
 * and green; each checks what it receives. One server and one browser per party for the whole file:
 * the tests follow one another like a working day (a call, its mute, camera, hold, a reload, its end;
 * then the other endings, calling out, a Janus crash and a server restart).
 */

type Recorded = { name: string; at: number; [key: string]: unknown };
type PageT = { events: Recorded[]; codes: { flow: string; state: string; callId: string | null; error: string | null }[] };

const VISITOR_HZ = 440;
const AGENT_HZ = 880;

describe('calls through the SDKs and the real server, proven by content', () => {
  let dataDir: string;
  let server: FrontdeskProcess;
  let seeded: Seeded;
  let bundles: SdkBundles;
  let visitorBrowser: Browser;
  let agentBrowser: Browser;
  const contexts: BrowserContext[] = [];
  let visitor: Page;
  let agent: Page;
  let agentToken: string;
  let conversationId: string;
  /** The outbound call agent2 made to a second visitor who never answers (its 30 s ring runs behind the other tests). */
  let unanswered: Promise<{ callId: string; agent2: Page; visitor2: Page }>;

  const events = (page: Page) => page.evaluate(() => (window as unknown as { __t: PageT }).__t.events);
  const codes = (page: Page) => page.evaluate(() => (window as unknown as { __t: PageT }).__t.codes);
  /** Waits until the page recorded an event with these fields. */
  async function waitForEvent(page: Page, match: Record<string, unknown>, timeoutMs = 15_000): Promise<Recorded> {
    const handle = await page.waitForFunction(
      (m) => (window as unknown as { __t: PageT }).__t.events.find((e) => Object.entries(m).every(([k, v]) => e[k] === v)) ?? null,
      match,
      { timeout: timeoutMs, polling: 50 },
    );
    return (await handle.jsonValue()) as Recorded;
  }
  async function waitForCode(page: Page, callId: string, state: string, timeoutMs = 15_000): Promise<void> {
    await page.waitForFunction(({ callId, state }) => (window as unknown as { __t: PageT }).__t.codes.some((c) => c.callId === callId && c.state === state), { callId, state }, { timeout: timeoutMs, polling: 50 });
  }
  /** Until both remote tracks of `role` arrived on the page. */
  async function waitForRemote(page: Page, role: 'visitor' | 'agent', timeoutMs = 15_000): Promise<void> {
    await page.waitForFunction((role) => {
      const r = (window as unknown as { __call: { remote: Record<string, { audio?: MediaStreamTrack; video?: MediaStreamTrack }> } }).__call.remote[role];
      return !!r?.audio && !!r.video;
    }, role, { timeout: timeoutMs, polling: 50 });
  }
  async function expectHears(page: Page, role: 'visitor' | 'agent', hz: number): Promise<void> {
    await expect
      .poll(async () => {
        const heard = await probeRemoteAudio(page, role, 400);
        return Math.abs(heard.dominantHz - hz) < 25 && heard.levelDb > -40;
      }, { timeout: 15_000, interval: 50 })
      .toBe(true);
  }
  async function expectSilence(page: Page, role: 'visitor' | 'agent'): Promise<number> {
    let levelDb = 0;
    await expect.poll(async () => (levelDb = (await probeRemoteAudio(page, role, 400)).levelDb), { timeout: 10_000, interval: 100 }).toBeLessThan(-60);
    return levelDb;
  }
  async function expectSees(page: Page, role: 'visitor' | 'agent', colour: 'red' | 'green'): Promise<void> {
    await expect.poll(async () => dominantChannel(await probeRemoteColour(page, role)), { timeout: 15_000, interval: 200 }).toBe(colour);
  }

  /** The visitor calls (video); the agent answers with the Easemob `videoPickUp`; both media arrive. */
  async function visitorCallsAgentAnswers(): Promise<string> {
    const call = await visitor.evaluate(() => (window as any).__t.client.startCall({ video: true }));
    expect(call).toMatchObject({ kind: 'video', direction: 'inbound', conversationId });
    await waitForEvent(agent, { name: 'callIn', sessionId: call.id, type: 'video' });
    const picked = await agent.evaluate(
      ({ conversationId }) => (window as any).__t.im.videoPickUp({ session_id: conversationId }, (window as any).__t.easemob('pickUp')),
      { conversationId },
    );
    expect(picked, JSON.stringify(picked) + JSON.stringify(await events(agent))).toMatchObject({ status: 'success' });
    await Promise.all([waitForRemote(visitor, 'agent'), waitForRemote(agent, 'visitor')]);
    return call.id as string;
  }

  /** The agent calls the conversation's visitor with the Easemob `videoInviteCurrentVisitor`; the visitor's leg rings. */
  async function agentInvitesVisitor(page = agent, visitorPage = visitor): Promise<string> {
    const invited = await page.evaluate(() => (window as any).__t.im.videoInviteCurrentVisitor(null, (window as any).__t.easemob('invite')));
    expect(invited).toMatchObject({ status: 'success', data: { direction: 'outbound', kind: 'video' } });
    const callId = invited.data.id as string;
    await waitForCode(page, callId, '003002');
    await waitForEvent(page, { name: 'callOuted', sessionId: callId });
    await visitorPage.waitForFunction((id) => (window as any).__t.events.some((e: Recorded) => e.name === 'call' && e.callId === id && String(e.legs).includes('visitor:ringing')), callId, { timeout: 15_000 });
    return callId;
  }

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-sdk-calls-'));
    let started: Awaited<ReturnType<typeof startFrontdesk>>;
    [bundles, started, visitorBrowser, agentBrowser] = await Promise.all([
      buildSdkBundles(),
      startFrontdesk(dataDir),
      launchMediaBrowser({ toneHz: VISITOR_HZ, colour: 'red' }),
      launchMediaBrowser({ toneHz: AGENT_HZ, colour: 'green' }),
    ]);
    ({ server, seeded } = started);
    const context = async (browser: Browser) => {
      const c = await browser.newContext();
      contexts.push(c);
      await routeSdkPages(c, server.url, bundles);
      return c;
    };
    const [agent1Token, agent2Token] = await Promise.all([logIn(server.url, seeded.agent1.email), logIn(server.url, seeded.agent2.email)]);
    agentToken = agent1Token;
    const [visitorContext, visitor2Context, agentContext, agent2Context] = await Promise.all([context(visitorBrowser), context(visitorBrowser), context(agentBrowser), context(agentBrowser)]);
    const agentUrl = (token: string) => `${server.url}/media-test/agent.html?appId=${seeded.appId}&token=${encodeURIComponent(token)}`;
    const visitorUrl = `${server.url}/media-test/visitor.html?appId=${seeded.appId}`;
    let agent2: Page;
    let visitor2: Page;
    [visitor, agent, visitor2, agent2] = await Promise.all([openSdkPage(visitorContext, visitorUrl), openSdkPage(agentContext, agentUrl(agent1Token)), openSdkPage(visitor2Context, visitorUrl), openSdkPage(agent2Context, agentUrl(agent2Token))]);
    // Each visitor chats with its agent (the agent claimed the conversation by hand).
    const chat = async (visitorPage: Page, agentPage: Page, token: string) => {
      const id = (await visitorPage.evaluate(async () => (await (window as any).__t.client.startConversation()).id)) as string;
      const claimed = await api(server.url, 'POST', `/v1/conversations/${id}/claim`, { token });
      expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
      await agentPage.waitForFunction((id) => (window as any).__t.sdk.Chat.get({ sessionId: id })?.role === 'assigned', id, { timeout: 10_000 });
      return id;
    };
    [conversationId] = await Promise.all([chat(visitor, agent, agent1Token), chat(visitor2, agent2, agent2Token)]);
    // NOTE: an outbound call rings 30 s (the engine's ring timeout): it starts now and is checked near the end.
    unanswered = agentInvitesVisitor(agent2, visitor2).then((callId) => ({ callId, agent2, visitor2 }));
    unanswered.catch(() => undefined);
  });

  afterEach(async ({ task }) => {
    // A test that failed mid-call leaves no call for the next ones (the tests of one call share it).
    if (task.result?.state !== 'fail') return;
    const state = await api(server.url, 'GET', '/v1/agents/me/state', { token: agentToken }).catch((err) => ({ body: String(err) }));
    console.error(`agent1's state: ${JSON.stringify(state.body)}\nthe server's log:\n${server.output().slice(-3000)}`);
    for (const [name, page] of [['visitor', visitor], ['agent', agent]] as const) {
      const recent = await events(page).catch(() => []);
      console.error(`${name}'s last events:\n${recent.slice(-12).map((e) => JSON.stringify(e)).join('\n')}`);
    }
    await visitor
      ?.evaluate(async () => {
        const c = (window as any).__t.client;
        if (c.call && c.call.phase !== 'ended') await c.hangUp(c.call.id).catch(() => undefined);
      })
      .catch(() => undefined);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await Promise.all([visitorBrowser?.close(), agentBrowser?.close()]);
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let callId: string;

  it('a visitor video call answered by the agent: each hears the other\'s tone and sees the other\'s colour', async () => {
    callId = await visitorCallsAgentAnswers();
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    await Promise.all([expectSees(agent, 'visitor', 'red'), expectSees(visitor, 'agent', 'green')]);
    await waitForCode(agent, callId, '006013');
    await waitForEvent(agent, { name: 'userAccessed', sessionId: callId });
    await waitForEvent(visitor, { name: 'callState', callId, phase: 'active' });
  });

  it('the visitor mutes: the agent hears silence, then the tone again; the server knows it', async () => {
    await visitor.evaluate(() => (window as any).__t.client.setMicMuted(true));
    const mutedDb = await expectSilence(agent, 'visitor');
    expect(await agent.evaluate((id) => (window as any).__t.sdk.Call.get({ sessionId: id }).participants.find((p: { role: string }) => p.role === 'visitor').micMuted, callId)).toBe(true);
    // The other way still carries sound.
    await expectHears(visitor, 'agent', AGENT_HZ);
    await visitor.evaluate(() => (window as any).__t.client.setMicMuted(false));
    await expectHears(agent, 'visitor', VISITOR_HZ);
    // And the agent's own mute (TCCC Video.muteMic) silences it for the visitor.
    expect(await agent.evaluate(() => (window as any).__t.sdk.Video.muteMic())).toMatchObject({ status: 'success' });
    expect(await agent.evaluate(() => (window as any).__t.sdk.Call.isMicMuted())).toEqual({ status: 'success', data: true });
    await expectSilence(visitor, 'agent');
    await agent.evaluate(() => (window as any).__t.sdk.Video.unmuteMic());
    await expectHears(visitor, 'agent', AGENT_HZ);
    console.info(`mute: the agent hears the muted visitor at ${mutedDb.toFixed(1)} dBFS`);
  });

  it('the visitor turns the camera off: the agent\'s picture goes dark or still, and red again once on', async () => {
    const before = await probeRemoteVideoActivity(agent, 'visitor', 800);
    expect(before.frames).toBeGreaterThan(4);
    await visitor.evaluate(() => (window as any).__t.client.setCameraOff(true));
    let off = before;
    await expect
      .poll(async () => {
        off = await probeRemoteVideoActivity(agent, 'visitor', 800);
        const isDark = off.colour !== null && off.colour.r + off.colour.g + off.colour.b < 60;
        return off.frames <= 1 || isDark;
      }, { timeout: 10_000, interval: 100 })
      .toBe(true);
    await visitor.evaluate(() => (window as any).__t.client.setCameraOff(false));
    await expectSees(agent, 'visitor', 'red');
    console.info(`camera off: ${before.frames} frames in 0.8 s before, ${off.frames} after (last frame ${JSON.stringify(off.colour && { r: Math.round(off.colour.r), g: Math.round(off.colour.g), b: Math.round(off.colour.b) })})`);
  });

  it('the agent holds the call: neither side hears the other; after unHold both do again', async () => {
    expect(await agent.evaluate(() => (window as any).__t.sdk.Call.hold())).toMatchObject({ status: 'success', data: { phase: 'held' } });
    await waitForEvent(visitor, { name: 'callState', callId, phase: 'held' });
    await Promise.all([expectSilence(agent, 'visitor'), expectSilence(visitor, 'agent')]);
    expect(await agent.evaluate(() => (window as any).__t.sdk.Call.unHold())).toMatchObject({ status: 'success', data: { phase: 'active' } });
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
  });

  it('the visitor reloads the page: the call is rejoined and media flows both ways again', async () => {
    const startedMs = Date.now();
    await visitor.reload();
    await visitor.waitForFunction(() => (window as any).__t?.ready === true, undefined, { timeout: 20_000 });
    await Promise.all([waitForRemote(visitor, 'agent'), waitForRemote(agent, 'visitor')]);
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    await expectSees(visitor, 'agent', 'green');
    expect(await visitor.evaluate(() => (window as any).__t.client.call)).toMatchObject({ id: callId, phase: 'active' });
    console.info(`reload → media back both ways in ${Date.now() - startedMs} ms`);
  });

  it('the visitor hangs up: both sides see the end (visitor_hung_up, Easemob 005007, TCCC closeBy client)', async () => {
    const ended = await visitor.evaluate((id) => (window as any).__t.client.hangUp(id), callId);
    expect(ended).toMatchObject({ phase: 'ended', endReason: 'visitor_hung_up', hungUpSide: 'visitor' });
    await waitForEvent(visitor, { name: 'callEnded', callId, reason: 'visitor_hung_up' });
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: callId, closeBy: 'client', type: 'video' });
    await waitForCode(agent, callId, '005007');
    // The media stopped on both sides.
    await waitForEvent(agent, { name: 'remoteStream', callId, role: 'visitor', hasStream: false });
    await waitForEvent(visitor, { name: 'localStream', callId, hasStream: false });
    expect((await codes(agent)).filter((c) => c.callId === callId).map((c) => c.state)).toEqual(['006013', '005007']);
  });

  it('the agent hangs up an audio call it answered with Call.accept (agent_hung_up, 005008)', async () => {
    const call = await visitor.evaluate(() => (window as any).__t.client.startCall({ video: false }));
    expect(call).toMatchObject({ kind: 'audio' });
    await waitForEvent(agent, { name: 'callIn', sessionId: call.id, type: 'voip' });
    expect(await agent.evaluate((id) => (window as any).__t.sdk.Call.accept({ sessionId: id }), call.id)).toMatchObject({ status: 'success' });
    await expectHears(agent, 'visitor', VISITOR_HZ);
    await expectHears(visitor, 'agent', AGENT_HZ);
    expect(await agent.evaluate((id) => (window as any).__t.sdk.Call.hungUp({ sessionId: id }), call.id)).toMatchObject({ status: 'success', data: { endReason: 'agent_hung_up' } });
    await waitForEvent(visitor, { name: 'callEnded', callId: call.id, reason: 'agent_hung_up', side: 'agent' });
    await waitForEvent(agent, { name: 'callNotice', callId: call.id, code: '005008' });
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: call.id, closeBy: 'seat' });
  });

  it('the agent calls the current visitor (videoInviteCurrentVisitor), who answers: media both ways; the agent hangs up (006012, 005006)', async () => {
    const id = await agentInvitesVisitor();
    expect(await visitor.evaluate(() => (window as any).__t.client.acceptCall())).toMatchObject({ id, direction: 'outbound' });
    await waitForCode(agent, id, '006012');
    await waitForEvent(agent, { name: 'calloutAccepted', sessionId: id });
    await Promise.all([waitForRemote(visitor, 'agent'), waitForRemote(agent, 'visitor')]);
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    await Promise.all([expectSees(agent, 'visitor', 'red'), expectSees(visitor, 'agent', 'green')]);
    expect(await agent.evaluate(() => (window as any).__t.im.videoDisconnect())).toMatchObject({ status: 'success' });
    await waitForCode(agent, id, '005006');
    await waitForEvent(visitor, { name: 'callEnded', callId: id, reason: 'agent_hung_up' });
  });

  it('the visitor refuses the agent\'s call (002006, userReject); then answers busy (002008, busy)', async () => {
    const refused = await agentInvitesVisitor();
    await visitor.evaluate(() => (window as any).__t.client.refuseCall());
    await waitForCode(agent, refused, '002006');
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: refused, closeBy: 'client', endStatus: 'userReject' });
    await waitForEvent(visitor, { name: 'callEnded', callId: refused, reason: 'visitor_refused' });

    const busy = await agentInvitesVisitor();
    await visitor.evaluate(() => (window as any).__t.client.refuseCall({ busy: true }));
    await waitForCode(agent, busy, '002008');
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: busy, endStatus: 'busy' });
    await waitForEvent(visitor, { name: 'callEnded', callId: busy, reason: 'visitor_busy' });
  });

  it('a call the visitor does not answer rings out after 30 s (002007, notAnswer)', async () => {
    const { callId: id, agent2, visitor2 } = await unanswered;
    await waitForCode(agent2, id, '002007', 40_000);
    await waitForEvent(agent2, { name: 'sessionEnded', sessionId: id, closeBy: 'timer', endStatus: 'notAnswer' });
    await waitForEvent(visitor2, { name: 'callEnded', callId: id, reason: 'visitor_timeout' });
    expect((await codes(agent2)).filter((c) => c.callId === id).map((c) => c.state)).toEqual(['003002', '002007']);
  });

  it('Janus killed mid-call: the call ends with a media failure at once; a new call works once it is back', async () => {
    const id = await visitorCallsAgentAnswers();
    await expectHears(agent, 'visitor', VISITOR_HZ);
    const pid = server.janusPid()!;
    const killedMs = Date.now();
    process.kill(pid, 'SIGKILL');
    const ended = await waitForEvent(visitor, { name: 'callEnded', callId: id, reason: 'media_failure' });
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: id, closeBy: 'admin' });
    await waitForCode(agent, id, '002011');
    const endedAfterMs = (ended.at as number) - killedMs;
    // The supervisor restarts Janus (backoff from 250 ms) and our connection to it comes back (backoff
    // too): until then a call fails at once with a media failure; then a new call carries media again.
    await expect.poll(() => server.janusPid() !== pid, { timeout: 15_000 }).toBe(true);
    let again = '';
    await expect
      .poll(
        async () => {
          const call = await visitor.evaluate(() => (window as any).__t.client.startCall({ video: true }));
          await waitForEvent(agent, { name: 'callIn', sessionId: call.id });
          await agent.evaluate((id) => (window as any).__t.sdk.Video.accept({ sessionId: id }), call.id);
          const settled = await visitor.waitForFunction((id) => (window as any).__t.events.find((e: Recorded) => e.callId === id && ((e.name === 'callState' && e.phase === 'active') || e.name === 'callEnded'))?.name ?? null, call.id, { timeout: 10_000 });
          if ((await settled.jsonValue()) === 'callEnded') return false;
          again = call.id;
          return true;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    await expectSees(visitor, 'agent', 'green');
    await visitor.evaluate((id) => (window as any).__t.client.hangUp(id), again);
    console.info(`Janus SIGKILL → call ended (media_failure) after ${endedAfterMs} ms; new Janus pid ${server.janusPid()}`);
  });

  it('our server restarted mid-call: its Janus keeps the media flowing, the next process adopts it, the clients rejoin, the call goes on', async () => {
    const id = await visitorCallsAgentAnswers();
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    const janusBefore = server.janusPid()!;
    const stoppedMs = Date.now();
    await server.stop('SIGTERM');
    const stopMs = Date.now() - stoppedMs;
    // With a call in progress a graceful stop leaves Janus running: the media goes on while we are down.
    expect(fs.existsSync(`/proc/${janusBefore}`)).toBe(true);
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    const startedMs = Date.now();
    await server.start();
    const startMs = Date.now() - startedMs;
    expect(server.janusPid()).toBe(janusBefore);
    // The clients reconnect, find the call in hello, rejoin the room (adopted) and publish again.
    const remoteStreamSinceStart = (page: Page) =>
      page
        .waitForFunction((since) => (window as any).__t.events.find((e: Recorded) => e.name === 'remoteStream' && e.at > since) ?? null, startedMs, { timeout: 20_000, polling: 50 })
        .then((h) => h.jsonValue() as Promise<Recorded>);
    const [rejoinedVisitor, rejoinedAgent] = await Promise.all([remoteStreamSinceStart(visitor), remoteStreamSinceStart(agent)]);
    await Promise.all([expectHears(agent, 'visitor', VISITOR_HZ), expectHears(visitor, 'agent', AGENT_HZ)]);
    await Promise.all([expectSees(agent, 'visitor', 'red'), expectSees(visitor, 'agent', 'green')]);
    expect((await api(server.url, 'GET', `/v1/calls/${id}`, { token: agentToken })).body).toMatchObject({ phase: 'active', endReason: null });
    // It ends as any call does.
    await visitor.evaluate((id) => (window as any).__t.client.hangUp(id), id);
    await waitForEvent(visitor, { name: 'callEnded', callId: id, reason: 'visitor_hung_up' });
    await waitForEvent(agent, { name: 'sessionEnded', sessionId: id });
    console.info(
      `server restart: stopped in ${stopMs} ms with Janus ${janusBefore} left running (media heard both ways while down), started in ${startMs} ms; ` +
        `remote media back on the visitor ${(rejoinedVisitor.at as number) - startedMs} ms and on the agent ${(rejoinedAgent.at as number) - startedMs} ms after the start`,
    );
  });
});
