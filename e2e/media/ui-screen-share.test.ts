import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCallScene, type CallScene } from './call-scene.ts';
import { dominantChannel, probeElementColour } from './probes.ts';

/**
 * Screen share on the product's screens with real media: the widget (a visitor whose camera shows red
 * 4:3) calls with video, the workbench (blue) answers and presses "Ask for screen"; the widget's
 * consent card: "Not now" tells the workbench, "Share my screen" shares Chromium's fake screen (green,
 * 16:9), which the workbench shows as a second video; the widget's "Stop sharing" removes it. The
 * server runs in this process with its supervised local Janus (SQLite).
 */

describe('screen share on the widget and the workbench, proven by content', () => {
  let scene: CallScene;
  let widget: Page;
  let workbench: Page;

  beforeAll(async () => {
    scene = await openCallScene({ agentColour: 'blue', visitorText: 'Can I show you the error on my screen?', workbenchHeight: 900 });
    ({ widget, workbench } = scene);
  });

  afterAll(() => scene?.close());

  it('Ask for screen: "Not now" tells the agent; "Share my screen" shows the green 16:9 screen beside the red camera; Stop removes it', { timeout: 80_000 }, async () => {
    const call = await scene.answerVideoCall();

    // Asked, the visitor says not now: the workbench says so; nothing is shown.
    await workbench.getByTestId('call-invite-share').click();
    const card = call.locator('[data-screen-share="invite"]');
    await card.waitFor({ timeout: 10_000 });
    expect(await card.textContent()).toContain('The agent asks to see your screen');
    await card.getByRole('button', { name: 'Not now' }).click();
    await expect.poll(() => workbench.getByTestId('call-screen-notice').textContent(), { timeout: 10_000 }).toContain('did not share');
    expect(await workbench.getByTestId('call-visitor-screen').count()).toBe(0);

    // Asked again, the visitor shares: the workbench's second video is the screen (green, 16:9), the first the camera (red).
    await workbench.getByTestId('call-invite-share').click();
    await card.getByRole('button', { name: 'Share my screen' }).click();
    await call.locator('[data-screen-share="sharing"]').waitFor({ timeout: 10_000 });
    const screen = workbench.getByTestId('call-visitor-screen');
    await screen.waitFor({ timeout: 15_000 });
    let colour = await probeElementColour(await screen.elementHandle() as never);
    await expect.poll(async () => dominantChannel((colour = await probeElementColour((await screen.elementHandle()) as never))), { timeout: 15_000, interval: 250 }).toBe('green');
    expect(colour.width / colour.height).toBeCloseTo(16 / 9, 1);
    const camera = await probeElementColour((await workbench.getByTestId('call-remote-video').elementHandle()) as never);
    expect(dominantChannel(camera)).toBe('red');
    await widget.screenshot({ path: 'e2e/screenshots/media-widget-screen-share.png' }).catch(() => undefined);
    await workbench.screenshot({ path: 'e2e/screenshots/media-workbench-screen-share.png' }).catch(() => undefined);

    // The visitor stops: the workbench's screen goes, the camera stays.
    await call.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => screen.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => workbench.getByTestId('call-screen-notice').textContent(), { timeout: 10_000 }).toContain('screen share ended');
    expect(await workbench.getByTestId('call-remote-video').count()).toBe(1);
    await workbench.getByTestId('call-hang-up').click();
  });
});
