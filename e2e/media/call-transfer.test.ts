import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, type Seeded } from './frontdesk-server.ts';
import { openSdkScene, startAnsweredVideoCall, type SdkScene } from './sdk-call-scene.ts';
import { waitForEvent } from './sdk-pages.ts';
import { expectHears, expectNotReceiving, hasRemoteAudio } from './hearing.ts';

/**
 * Consult and warm transfer of a live call (SPEC M29) through the SDKs and the real server with its
 * Janus, proven by content: the visitor sends 440 Hz, the first agent 880 Hz, the consulted agent
 * 1320 Hz. "Does not hear" means no stream of that party reaches the page (the server never lets it
 * subscribe), checked after a wait while what it must hear plays on.
 */

const VISITOR_HZ = 440;
const AGENT1_HZ = 880;
const AGENT2_HZ = 1320;
/** How long a party is given to (wrongly) receive another before we say it does not. */
const ABSENCE_WAIT_MS = 1_500;

describe('consult and warm transfer of a call, proven by content', () => {
  let scene: SdkScene;
  let seeded: Seeded;
  let visitor: Page;
  let agent1: Page;
  let agent2: Page;
  let agent1Key: string;
  let agent2Key: string;
  let visitorKey: string;
  let callId: string;

  const sdk = (page: Page, method: string, options: Record<string, unknown>) => page.evaluate(({ method, options }) => (window as any).__t.sdk.Call[method](options), { method, options });

  beforeAll(async () => {
    scene = await openSdkScene('call-transfer', [
      { toneHz: VISITOR_HZ, colour: 'red' },
      { toneHz: AGENT1_HZ, colour: 'green' },
      { toneHz: AGENT2_HZ, colour: 'blue' },
    ]);
    seeded = scene.seeded;
    const [token1, token2] = await Promise.all([logIn(scene.server.url, seeded.agent1.email), logIn(scene.server.url, seeded.agent2.email)]);
    [visitor, agent1, agent2] = await Promise.all([scene.visitorPage(0), scene.agentPage(1, token1), scene.agentPage(2, token2)]);
    agent1Key = `agent:${seeded.agent1.id}`;
    agent2Key = `agent:${seeded.agent2.id}`;
    // The visitor chats with agent1 (claimed by hand), calls with video, agent1 answers.
    let visitorId: string;
    ({ callId, visitorId } = await startAnsweredVideoCall(scene, visitor, agent1, token1));
    visitorKey = `visitor:${visitorId}`;
  }, 120_000);

  afterAll(() => scene?.close());

  it('consult: the agents hear each other; the visitor hears neither agent, and neither agent hears the visitor', async () => {
    await Promise.all([expectHears(agent1, visitorKey, VISITOR_HZ), expectHears(visitor, agent1Key, AGENT1_HZ)]);
    const consulted = await sdk(agent1, 'consult', { sessionId: callId, userId: seeded.agent2.id });
    expect(consulted, JSON.stringify(consulted)).toMatchObject({ status: 'success', data: { consult: { phase: 'ringing' } } });
    await waitForEvent(agent2, { name: 'callIn', sessionId: callId });
    expect(await sdk(agent2, 'accept', { sessionId: callId })).toMatchObject({ status: 'success' });
    await Promise.all([expectHears(agent1, agent2Key, AGENT2_HZ), expectHears(agent2, agent1Key, AGENT1_HZ), expectNotReceiving(visitor, agent1Key), expectNotReceiving(agent1, visitorKey)]);
    await new Promise((r) => setTimeout(r, ABSENCE_WAIT_MS));
    for (const [page, key] of [[visitor, agent1Key], [visitor, agent2Key], [agent1, visitorKey], [agent2, visitorKey]] as const) expect(await hasRemoteAudio(page, key), key).toBe(false);
    // The agents still hear each other.
    await Promise.all([expectHears(agent1, agent2Key, AGENT2_HZ), expectHears(agent2, agent1Key, AGENT1_HZ)]);
  });

  it('warm transfer: three-way, then the first agent hangs up; the visitor hears the second agent and not the first', async () => {
    expect(await sdk(agent1, 'completeConsult', { sessionId: callId })).toMatchObject({ status: 'success', data: { consult: { phase: 'three_way' } } });
    await Promise.all([expectHears(visitor, agent1Key, AGENT1_HZ), expectHears(visitor, agent2Key, AGENT2_HZ), expectHears(agent2, visitorKey, VISITOR_HZ)]);
    expect(await sdk(agent1, 'hungUp', { sessionId: callId })).toMatchObject({ status: 'success', data: { phase: 'active', mainAgentId: seeded.agent2.id } });
    await Promise.all([expectNotReceiving(visitor, agent1Key), expectHears(visitor, agent2Key, AGENT2_HZ), expectHears(agent2, visitorKey, VISITOR_HZ)]);
    await new Promise((r) => setTimeout(r, ABSENCE_WAIT_MS));
    expect(await hasRemoteAudio(visitor, agent1Key)).toBe(false);
    await expectHears(visitor, agent2Key, AGENT2_HZ);
    await visitor.evaluate((id) => (window as any).__t.client.hangUp(id), callId);
  });
});
