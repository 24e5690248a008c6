import fs from 'node:fs';
import path from 'node:path';
import type { Browser, ElementHandle, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCallScene, type CallScene } from './call-scene.ts';
import { launchMediaBrowser } from './media-harness.ts';
import { dominantChannel, probeElementColour } from './probes.ts';

/**
 * A multi-party call in the product's screens with real media (Janus): the visitor (red) calls Ann
 * (green) from the widget; Ann adds Bob (blue) from "Add participant" and he accepts from his card.
 * Each workbench shows both other parties as tiles, each tile the right party's colour; the widget
 * shows Ann and Bob as a grid; Bob leaves and Ann's window is back to the visitor's tile alone. That
 * every party hears both others is proven at the SDK level (not repeated here).
 * Screenshots: e2e/screenshots/media-multi-party-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, '../screenshots');
const PASSWORD = 'correct horse battery';

const elementOf = async (locator: Locator) => (await locator.elementHandle()) as unknown as ElementHandle<HTMLVideoElement>;
/** The colour a party's tile shows, once its video plays. */
async function tileColour(tile: Locator): Promise<string> {
  const video = tile.locator('video');
  await video.waitFor({ timeout: 20_000 });
  return dominantChannel(await probeElementColour(await elementOf(video)));
}

describe('a three-party video call in the workbench and the widget, proven by colour', () => {
  let scene: CallScene;
  let bobBrowser: Browser;
  let bob: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    scene = await openCallScene({ agentColour: 'green', visitorText: 'Can you show me on video?', workbenchHeight: 800 });
    const { server, seeded } = scene;
    await scene.ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { name: 'Bob Agent', mediaTypes: ['chat', 'audio', 'video'] });
    bobBrowser = await launchMediaBrowser({ toneHz: 1320, colour: 'blue' });
    bob = await bobBrowser.newPage({ viewport: { width: 1280, height: 800 } });
    bob.on('pageerror', (err) => console.error('[bob page error]', err.message));
    await bob.goto(`${server.url}/workbench/?appId=acme`);
    await bob.getByLabel('Email').fill('agent2@acme.test');
    await bob.getByLabel('Password').fill(PASSWORD);
    await bob.getByRole('button', { name: 'Sign in' }).click();
    await bob.locator('#wb-status-select').selectOption('free');
    await bob.getByTestId('agent-status').filter({ hasText: 'Available' }).waitFor();
  });

  afterAll(async () => {
    await bobBrowser?.close();
    await scene?.close();
  });

  it('Ann adds Bob: every workbench tile and the widget grid show the right party\'s colour; Bob leaves and Ann is back to one tile', { timeout: 150_000 }, async () => {
    const { widget, workbench: ann } = scene;
    const call = await scene.answerVideoCall();
    const window = ann.getByTestId('call-window');
    const visitorTile = (page: Page) => page.getByTestId('call-window').locator('[data-testid="call-party"][data-party^="visitor:"]');
    const agentTile = (page: Page, name: string) => page.getByTestId('call-window').getByTestId('call-party').filter({ hasText: name });

    await ann.getByTestId('call-add-party').click();
    await ann.getByRole('dialog', { name: 'Add participant' }).getByRole('button', { name: 'Invite Bob Agent into the call' }).click();
    await expect.poll(() => ann.getByTestId('call-invite').textContent()).toBe('Ringing Bob Agent…');
    await bob.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => window.getByTestId('call-party').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => bob.getByTestId('call-window').getAttribute('data-call-mode'), { timeout: 30_000 }).toBe('active');

    // Ann sees the visitor red and Bob blue; Bob sees the visitor red and Ann green.
    const annSees = { visitor: await tileColour(visitorTile(ann)), bob: await tileColour(agentTile(ann, 'Bob Agent')) };
    const bobSees = { visitor: await tileColour(visitorTile(bob)), ann: await tileColour(agentTile(bob, 'Ann Agent')) };
    // The visitor's widget: Ann and Bob as a grid.
    const grid = call.locator('.call-grid li.call-tile');
    await expect.poll(() => grid.count(), { timeout: 20_000 }).toBe(2);
    const [annId, bobId] = [scene.seeded.agent1.agent.id, scene.seeded.agent2.agent.id];
    const visitorSees = { ann: await tileColour(call.locator(`li.call-tile[data-party="agent:${annId}"]`)), bob: await tileColour(call.locator(`li.call-tile[data-party="agent:${bobId}"]`)) };
    console.info(`ann sees ${JSON.stringify(annSees)}; bob sees ${JSON.stringify(bobSees)}; visitor sees ${JSON.stringify(visitorSees)}`);
    expect(annSees).toEqual({ visitor: 'red', bob: 'blue' });
    expect(bobSees).toEqual({ visitor: 'red', ann: 'green' });
    expect(visitorSees).toEqual({ ann: 'green', bob: 'blue' });
    await ann.waitForTimeout(1000);
    await ann.screenshot({ path: path.join(SHOTS, 'media-multi-party-workbench.png') });
    await widget.screenshot({ path: path.join(SHOTS, 'media-multi-party-widget.png') });

    // Bob leaves: Ann's window is back to the visitor's tile alone, still red; the widget back to Ann alone.
    await bob.getByTestId('call-window').getByTestId('call-hang-up').click();
    await expect.poll(() => window.getByTestId('call-party').count(), { timeout: 15_000 }).toBe(1);
    expect(await tileColour(visitorTile(ann))).toBe('red');
    await expect.poll(() => grid.count(), { timeout: 15_000 }).toBe(0);
    expect(dominantChannel(await probeElementColour(await elementOf(call.locator('video.remote'))))).toBe('green');

    await ann.getByTestId('call-hang-up').click();
    await expect.poll(() => call.getAttribute('data-call-mode'), { timeout: 15_000 }).toBe('ended');
  });
});
