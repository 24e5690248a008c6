import fs from 'node:fs';
import path from 'node:path';
import type { ElementHandle, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCallScene, type CallScene } from './call-scene.ts';
import { dominantChannel, probeElementAudio, probeElementColour } from './probes.ts';

/**
 * The product's call screens with real media: the widget (a visitor whose camera shows red and whose
 * microphone plays 440 Hz) calls with video, the workbench (green, 880 Hz) answers, and each side's
 * own <video> element shows the other's colour and plays the other's tone. The server runs in this
 * process with its supervised local Janus (SQLite: nothing outside the namespace is reachable).
 * Screenshots: e2e/screenshots/media-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, '../screenshots');

/**
 * Chromium's echo cancellation, noise suppression and gain control fade a steady test tone out: the
 * page's microphone is opened without them (the product's default constraints are left for people).
 */
function withoutVoiceProcessing(): void {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => {
    const raw: MediaTrackConstraints = typeof constraints?.audio === 'object' ? constraints.audio : {};
    const audio = constraints?.audio ? { ...raw, echoCancellation: false, noiseSuppression: false, autoGainControl: false } : false;
    return original({ ...constraints, audio });
  };
}

/** The element a locator finds, for the probes. */
async function elementOf<T extends HTMLMediaElement>(locator: Locator): Promise<ElementHandle<T>> {
  return (await locator.elementHandle()) as unknown as ElementHandle<T>;
}

describe('a video call between the widget and the workbench, proven by content', () => {
  let scene: CallScene;
  let widget: Page;
  let workbench: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // The server opens its media plane before it listens: the supervised Janus is up by then.
    scene = await openCallScene({ agentColour: 'green', visitorText: 'Can you show me on video?', workbenchHeight: 800, callQueue: true, initScript: withoutVoiceProcessing });
    ({ widget, workbench } = scene);
  });

  afterAll(async () => {
    await scene?.close();
  });

  it('the widget calls with video, the workbench answers, and each hears the other\'s tone and sees the other\'s colour', { timeout: 120_000 }, async () => {
    const call = widget.locator('frontdesk-widget section.call');
    await widget.locator('frontdesk-widget button[data-call="video"]').click();
    await workbench.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    const window = workbench.getByTestId('call-window');
    await expect.poll(() => call.getAttribute('data-call-mode'), { timeout: 30_000 }).toBe('active');
    await expect.poll(() => window.getAttribute('data-call-mode'), { timeout: 30_000 }).toBe('active');

    // The visitor's screen: the agent's green picture and 880 Hz.
    const widgetVideo = widget.locator('frontdesk-widget section.call video.remote');
    await widgetVideo.waitFor({ timeout: 20_000 });
    const visitorSees = await probeElementColour(await elementOf(widgetVideo));
    const visitorHears = await probeElementAudio(await elementOf(widgetVideo), 1500);
    // The agent's screen: the visitor's red picture and 440 Hz.
    const workbenchVideo = workbench.getByTestId('call-remote-video');
    await workbenchVideo.waitFor({ timeout: 20_000 });
    const agentSees = await probeElementColour(await elementOf(workbenchVideo));
    const agentHears = await probeElementAudio(await elementOf(workbenchVideo), 1500);
    console.info(`visitor sees ${JSON.stringify(visitorSees)} hears ${JSON.stringify(visitorHears)}; agent sees ${JSON.stringify(agentSees)} hears ${JSON.stringify(agentHears)}`);
    expect(dominantChannel(visitorSees)).toBe('green');
    expect(dominantChannel(agentSees)).toBe('red');
    expect(Math.abs(visitorHears.dominantHz - 880)).toBeLessThan(15);
    expect(Math.abs(agentHears.dominantHz - 440)).toBeLessThan(15);
    expect(visitorHears.levelDb).toBeGreaterThan(-50);
    expect(agentHears.levelDb).toBeGreaterThan(-50);
    // Each self view shows its own camera.
    expect(dominantChannel(await probeElementColour(await elementOf(widget.locator('frontdesk-widget section.call video.self'))))).toBe('red');
    expect(dominantChannel(await probeElementColour(await elementOf(workbench.getByTestId('call-self-video'))))).toBe('green');

    await widget.waitForTimeout(1500);
    await widget.screenshot({ path: path.join(SHOTS, 'media-widget-in-call.png') });
    await workbench.screenshot({ path: path.join(SHOTS, 'media-workbench-in-call.png') });

    await workbench.getByTestId('call-hang-up').click();
    await expect.poll(() => call.getAttribute('data-call-mode'), { timeout: 15_000 }).toBe('ended');
    expect(await call.textContent()).toContain('the agent hung up');
    await widget.screenshot({ path: path.join(SHOTS, 'media-widget-ended.png') });
  });
});
