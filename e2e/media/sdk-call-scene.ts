import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { api } from '../../apps/server/test/helpers.ts';
import { startFrontdesk, type FrontdeskProcess, type Seeded } from './frontdesk-server.ts';
import { assertInsideMediaNamespace, launchMediaBrowser, type Colour, type Tone } from './media-harness.ts';
import { buildSdkBundles, openSdkPage, routeSdkPages, waitForEvent } from './sdk-pages.ts';

/** The real server (its own process, SQLite, the local Janus) and one media browser per party, for the SDK pages. */
export interface SdkScene {
  dataDir: string;
  server: FrontdeskProcess;
  seeded: Seeded;
  /** The visitor's SDK page, in a new context of browser `party`. */
  visitorPage(party: number): Promise<Page>;
  /** An agent's SDK page signed in with `token`, in a new context of browser `party`. */
  agentPage(party: number, token: string): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the server and one browser per party (its fake camera's colour, its microphone's tone), all at once. */
export async function openSdkScene(name: string, parties: { toneHz: Tone; colour: Colour }[]): Promise<SdkScene> {
  assertInsideMediaNamespace();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `frontdesk-${name}-`));
  const [bundles, started, ...browsers] = await Promise.all([buildSdkBundles(), startFrontdesk(dataDir), ...parties.map((p) => launchMediaBrowser(p))]);
  const { server, seeded } = started;
  const contexts: BrowserContext[] = [];
  const pageIn = async (party: number, url: string) => {
    const c = await (browsers[party] as Browser).newContext();
    contexts.push(c);
    await routeSdkPages(c, server.url, bundles);
    return openSdkPage(c, url);
  };
  return {
    dataDir,
    server,
    seeded,
    visitorPage: (party) => pageIn(party, `${server.url}/media-test/visitor.html?appId=${seeded.appId}`),
    agentPage: (party, token) => pageIn(party, `${server.url}/media-test/agent.html?appId=${seeded.appId}&token=${encodeURIComponent(token)}`),
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await Promise.all(browsers.map((b) => (b as Browser).close().catch(() => undefined)));
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The visitor starts a chat, the agent (signed in with `agentToken`) claims it; the visitor calls with
 * video and the agent answers: the call is active on both pages.
 */
export async function startAnsweredVideoCall(scene: SdkScene, visitor: Page, agent: Page, agentToken: string): Promise<{ conversationId: string; callId: string; visitorId: string }> {
  const conversationId = (await visitor.evaluate(async () => (await (window as any).__t.client.startConversation()).id)) as string;
  const claimed = await api(scene.server.url, 'POST', `/v1/conversations/${conversationId}/claim`, { token: agentToken });
  expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
  await agent.waitForFunction((id) => (window as any).__t.sdk.Chat.get({ sessionId: id })?.role === 'assigned', conversationId, { timeout: 10_000 });
  const call = await visitor.evaluate(() => (window as any).__t.client.startCall({ video: true }));
  const callId = call.id as string;
  await waitForEvent(agent, { name: 'callIn', sessionId: callId, type: 'video' });
  const accepted = await agent.evaluate((id) => (window as any).__t.sdk.Video.accept({ sessionId: id }), callId);
  expect(accepted, JSON.stringify(accepted)).toMatchObject({ status: 'success' });
  await waitForEvent(visitor, { name: 'callState', callId, phase: 'active' });
  return { conversationId, callId, visitorId: call.visitorId as string };
}
