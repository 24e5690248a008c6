import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, type Seeded } from './frontdesk-server.ts';
import { expectHears, expectNotReceiving } from './hearing.ts';
import { openSdkScene, startAnsweredVideoCall, type SdkScene } from './sdk-call-scene.ts';
import { waitForEvent } from './sdk-pages.ts';

/**
 * A multi-party call (SPEC M24, Easemob videoInviteAgent / multipleVideoPickUp / visitorStreamOffline)
 * through the SDKs, the real server and its Janus, proven by content: the visitor's microphone plays
 * 440 Hz, agent1's 880 Hz, agent2's 1320 Hz. Each of the three must come to hear both others; the
 * third agent leaving keeps the call; the main agent hanging up ends it for everyone; a member whose
 * media stops is reported to the agents after 3 s.
 */

const VISITOR_HZ = 440;
const AGENT1_HZ = 880;
const AGENT2_HZ = 1320;

type Codes = { flow: string; state: string; callId: string | null }[];

describe('a three-party call, proven by content', () => {
  let scene: SdkScene;
  let seeded: Seeded;
  let visitor: Page;
  let agent1: Page;
  let agent2: Page;
  let token1: string;

  const codes = (page: Page, flow: string) => page.evaluate((f) => ((window as any).__t.codes as Codes).filter((c) => c.flow === f).map((c) => c.state), flow);
  /** Until the page's `flow` got `state` `times` times in all. */
  const waitForCode = (page: Page, flow: string, state: string, times = 1) =>
    page.waitForFunction(({ flow, state, times }) => ((window as any).__t.codes as Codes).filter((c) => c.flow === flow && c.state === state).length >= times, { flow, state, times }, { timeout: 15_000, polling: 50 });
  /** agent1 invites agent2 (videoInviteAgent), who answers (multipleVideoPickUp); both record their flow's codes. */
  async function addAgent2(callId: string, time: number): Promise<void> {
    const invited = await agent1.evaluate((name) => (window as any).__t.im.videoInviteAgent({ agentName: name }, (window as any).__t.easemob('invite')), seeded.agent2.id);
    expect(invited, JSON.stringify(invited)).toMatchObject({ status: 'success' });
    await agent2.waitForFunction(({ id, time }) => (window as any).__t.events.filter((e: { name: string; sessionId?: string }) => e.name === 'callIn' && e.sessionId === id).length >= time, { id: callId, time }, { timeout: 15_000 });
    const picked = await agent2.evaluate(() => (window as any).__t.im.multipleVideoPickUp(null, (window as any).__t.easemob('pickup')));
    expect(picked, JSON.stringify(picked)).toMatchObject({ status: 'success' });
    await waitForCode(agent1, 'invite', '008002', time);
  }

  beforeAll(async () => {
    scene = await openSdkScene('multi-party', [
      { toneHz: VISITOR_HZ, colour: 'red' },
      { toneHz: AGENT1_HZ, colour: 'green' },
      { toneHz: AGENT2_HZ, colour: 'blue' },
    ]);
    seeded = scene.seeded;
    let token2: string;
    [token1, token2] = await Promise.all([logIn(scene.server.url, seeded.agent1.email), logIn(scene.server.url, seeded.agent2.email)]);
    [visitor, agent1, agent2] = await Promise.all([scene.visitorPage(0), scene.agentPage(1, token1), scene.agentPage(2, token2)]);
    for (const page of [agent1, agent2]) {
      await page.evaluate(() => {
        const t = (window as any).__t;
        t.offline = [];
        t.im.initInnerCallBack({ visitorStreamOffline: (data: Record<string, unknown>) => t.offline.push({ ...data, at: Date.now() }) });
      });
    }
  }, 120_000);

  afterAll(() => scene?.close());

  it('agent1 invites agent2; each of the three hears both others; a stopped stream is reported after 3 s; agent2 leaves and the call goes on; agent1 hangs up and it ends for all', async () => {
    const { callId, visitorId } = await startAnsweredVideoCall(scene, visitor, agent1, token1);
    const [visitorKey, agent1Key, agent2Key] = [`visitor:${visitorId}`, `agent:${seeded.agent1.id}`, `agent:${seeded.agent2.id}`];
    expect(await agent1.evaluate(() => (window as any).__t.im.isMultipleVideo())).toMatchObject({ status: 'success', data: { data: false } });

    await addAgent2(callId, 1);
    expect(await codes(agent1, 'invite')).toEqual(['007002', '008002']);
    expect(await codes(agent2, 'pickup')).toEqual(['004000', '006014']);
    expect(await agent1.evaluate(() => (window as any).__t.im.isMultipleVideo())).toMatchObject({ status: 'success', data: { data: true } });
    await Promise.all([
      expectHears(visitor, agent1Key, AGENT1_HZ),
      expectHears(visitor, agent2Key, AGENT2_HZ),
      expectHears(agent1, visitorKey, VISITOR_HZ),
      expectHears(agent1, agent2Key, AGENT2_HZ),
      expectHears(agent2, visitorKey, VISITOR_HZ),
      expectHears(agent2, agent1Key, AGENT1_HZ),
    ]);

    // The visitor's microphone and camera stop at the source (the tracks end): both agents are told, 3 s on.
    const stoppedAt = await visitor.evaluate((id) => {
      for (const track of (window as any).__t.client.callMedia(id).localStream.getTracks()) track.stop();
      return Date.now();
    }, callId);
    const offline = await Promise.all(
      [agent1, agent2].map(async (page) => {
        await page.waitForFunction(() => (window as any).__t.offline.length > 0, undefined, { timeout: 15_000, polling: 100 });
        return page.evaluate(() => (window as any).__t.offline[0]);
      }),
    );
    for (const o of offline) {
      expect(o).toMatchObject({ callId, role: 'visitor', userId: visitorId });
      expect(o.at - stoppedAt).toBeGreaterThanOrEqual(3_000);
      expect(o.at - stoppedAt).toBeLessThan(8_000);
    }

    // agent2 leaves (exitSuccess): the call goes on between the visitor and agent1.
    expect(await agent2.evaluate(() => (window as any).__t.im.videoDisconnect())).toMatchObject({ status: 'success', data: { phase: 'active' } });
    await waitForCode(agent1, 'invite', '006010');
    await waitForCode(agent2, 'pickup', '005010');
    await Promise.all([expectNotReceiving(agent1, agent2Key), expectNotReceiving(visitor, agent2Key)]);
    expect(await agent1.evaluate((id) => (window as any).__t.sdk.Call.get({ sessionId: id })?.phase, callId)).toBe('active');
    await expectHears(visitor, agent1Key, AGENT1_HZ);

    // Invited again, agent2 is in when agent1 hangs up: the call ends for everyone (005002 for the main agent).
    await addAgent2(callId, 2);
    expect(await agent1.evaluate(() => (window as any).__t.im.videoDisconnect())).toMatchObject({ status: 'success', data: { phase: 'ended' } });
    await waitForCode(agent1, 'invite', '005002');
    await waitForEvent(visitor, { name: 'callEnded', callId });
    await waitForEvent(agent2, { name: 'sessionEnded', sessionId: callId });
    expect((await codes(agent2, 'pickup')).at(-1)).toBe('005010');
  });
});
