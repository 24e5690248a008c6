import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, type Seeded } from './frontdesk-server.ts';
import { expectHears, expectNotReceiving } from './hearing.ts';
import { openSdkScene, type SdkScene } from './sdk-call-scene.ts';
import { waitForEvent } from './sdk-pages.ts';

/**
 * An internal call (SPEC M29, TCCC `Call.startInternalCall`) through the agent SDK, the real server
 * and its Janus, proven by content: agent1's microphone plays 880 Hz, agent2's 1320 Hz; each agent
 * must come to hear the other's tone, and stop receiving it once the call ends.
 */

const AGENT1_HZ = 880;
const AGENT2_HZ = 1320;

describe('an internal call between two agents, proven by content', () => {
  let scene: SdkScene;
  let seeded: Seeded;
  let agent1: Page;
  let agent2: Page;

  const call = (page: Page, method: string, options: Record<string, unknown>) => page.evaluate(({ method, options }) => (window as any).__t.sdk.Call[method](options), { method, options });

  beforeAll(async () => {
    scene = await openSdkScene('internal-call', [
      { toneHz: AGENT1_HZ, colour: 'green' },
      { toneHz: AGENT2_HZ, colour: 'blue' },
    ]);
    seeded = scene.seeded;
    const [token1, token2] = await Promise.all([logIn(scene.server.url, seeded.agent1.email), logIn(scene.server.url, seeded.agent2.email)]);
    [agent1, agent2] = await Promise.all([scene.agentPage(0, token1), scene.agentPage(1, token2)]);
    await Promise.all([agent1.waitForFunction(() => (window as any).__t.ready === true), agent2.waitForFunction(() => (window as any).__t.ready === true)]);
  }, 120_000);

  afterAll(() => scene?.close());

  it('agent1 calls agent2 by voice; agent2 rings (callIn internal) and answers; each hears the other; agent2 hangs up and the media stops', async () => {
    const started = await call(agent1, 'startInternalCall', { calleeUserId: seeded.agent2.id });
    expect(started, JSON.stringify(started)).toMatchObject({ status: 'success', data: { direction: 'internal', kind: 'audio', conversationId: null, visitorId: null } });
    const callId = started.data.id as string;
    const ring = await waitForEvent(agent2, { name: 'callIn', sessionId: callId, type: 'internal' });
    expect(ring).toMatchObject({ peerUserId: seeded.agent1.id, mediaType: 'voip' });
    expect(await call(agent2, 'accept', { sessionId: callId })).toMatchObject({ status: 'success' });
    await waitForEvent(agent1, { name: 'calloutAccepted', sessionId: callId });
    const [agent1Key, agent2Key] = [`agent:${seeded.agent1.id}`, `agent:${seeded.agent2.id}`];
    await Promise.all([expectHears(agent1, agent2Key, AGENT2_HZ), expectHears(agent2, agent1Key, AGENT1_HZ)]);

    expect(await call(agent2, 'hungUp', { sessionId: callId })).toMatchObject({ status: 'success', data: { phase: 'ended', endReason: 'callee_hung_up' } });
    await waitForEvent(agent1, { name: 'sessionEnded', sessionId: callId, endStatus: 'ok' });
    await Promise.all([expectNotReceiving(agent1, agent2Key), expectNotReceiving(agent2, agent1Key)]);
  });
});
