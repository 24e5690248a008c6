import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../apps/server/test/helpers.ts';
import { logIn, startFrontdesk, type FrontdeskProcess, type Seeded } from './frontdesk-server.ts';
import { assertInsideMediaNamespace, launchMediaBrowser } from './media-harness.ts';
import { buildSdkBundles, openSdkPage, routeSdkPages } from './sdk-pages.ts';
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
  let dataDir: string;
  let server: FrontdeskProcess;
  let seeded: Seeded;
  const browsers: Browser[] = [];
  const contexts: BrowserContext[] = [];
  let visitor: Page;
  let agent1: Page;
  let agent2: Page;
  let agent1Key: string;
  let agent2Key: string;
  let visitorKey: string;
  let callId: string;

  const sdk = (page: Page, method: string, options: Record<string, unknown>) => page.evaluate(({ method, options }) => (window as any).__t.sdk.Call[method](options), { method, options });
  const rung = (page: Page, id: string) =>
    page.waitForFunction((callId) => (window as any).__t.events.filter((e: { name: string; sessionId?: string }) => e.name === 'callIn' && e.sessionId === callId).length > 0, id, { timeout: 15_000 });

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-call-transfer-'));
    const [bundles, started, ...launched] = await Promise.all([
      buildSdkBundles(),
      startFrontdesk(dataDir),
      launchMediaBrowser({ toneHz: VISITOR_HZ, colour: 'red' }),
      launchMediaBrowser({ toneHz: AGENT1_HZ, colour: 'green' }),
      launchMediaBrowser({ toneHz: AGENT2_HZ, colour: 'blue' }),
    ]);
    browsers.push(...launched);
    ({ server, seeded } = started);
    const [token1, token2] = await Promise.all([logIn(server.url, seeded.agent1.email), logIn(server.url, seeded.agent2.email)]);
    const pageIn = async (browser: Browser, url: string) => {
      const context = await browser.newContext();
      contexts.push(context);
      await routeSdkPages(context, server.url, bundles);
      return openSdkPage(context, url);
    };
    const agentUrl = (token: string) => `${server.url}/media-test/agent.html?appId=${seeded.appId}&token=${encodeURIComponent(token)}`;
    [visitor, agent1, agent2] = await Promise.all([
      pageIn(launched[0]!, `${server.url}/media-test/visitor.html?appId=${seeded.appId}`),
      pageIn(launched[1]!, agentUrl(token1)),
      pageIn(launched[2]!, agentUrl(token2)),
    ]);
    agent1Key = `agent:${seeded.agent1.id}`;
    agent2Key = `agent:${seeded.agent2.id}`;
    // The visitor chats with agent1 (claimed by hand), calls with video, agent1 answers.
    const conversationId = (await visitor.evaluate(async () => (await (window as any).__t.client.startConversation()).id)) as string;
    expect((await api(server.url, 'POST', `/v1/conversations/${conversationId}/claim`, { token: token1 })).status).toBe(200);
    const call = await visitor.evaluate(() => (window as any).__t.client.startCall({ video: true }));
    callId = call.id;
    visitorKey = `visitor:${call.visitorId}`;
    await rung(agent1, callId);
    expect(await sdk(agent1, 'accept', { sessionId: callId })).toMatchObject({ status: 'success' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('consult: the agents hear each other; the visitor hears neither agent, and neither agent hears the visitor', async () => {
    await Promise.all([expectHears(agent1, visitorKey, VISITOR_HZ), expectHears(visitor, agent1Key, AGENT1_HZ)]);
    const consulted = await sdk(agent1, 'consult', { sessionId: callId, userId: seeded.agent2.id });
    expect(consulted, JSON.stringify(consulted)).toMatchObject({ status: 'success', data: { consult: { phase: 'ringing' } } });
    await rung(agent2, callId);
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
