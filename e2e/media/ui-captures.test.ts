import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCallScene, type CallScene } from './call-scene.ts';
import { dominantChannel } from './probes.ts';

/**
 * Snapshots and photos on the product's screens with real media: the widget (a visitor whose camera
 * shows red, 320×240) calls with video, the workbench (green) answers and presses "Snapshot", then
 * "Take photo". Each image shows in both transcripts (the workbench's and the widget's) and is red;
 * the widget tells the visitor the agent took a photo; a camera turned off gives the workbench a
 * clear notice. The server runs in this process with its supervised local Janus (SQLite).
 */

/** Mean colour and natural size of an <img> the page shows (its object URL decoded on a canvas). */
function imageStats(img: HTMLImageElement): { width: number; height: number; r: number; g: number; b: number } {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < data.length; i += 4) {
    r += data[i]!;
    g += data[i + 1]!;
    b += data[i + 2]!;
  }
  const n = Math.max(1, data.length / 4);
  return { width: canvas.width, height: canvas.height, r: r / n, g: g / n, b: b / n };
}

async function statsOf(image: Locator) {
  await image.waitFor({ timeout: 15_000 });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
  return image.evaluate(imageStats);
}

describe('snapshots and photos on the widget and the workbench, proven by content', () => {
  let scene: CallScene;
  let widget: Page;
  let workbench: Page;

  beforeAll(async () => {
    scene = await openCallScene({ agentColour: 'green', visitorText: 'Can you see my meter?', workbenchHeight: 800 });
    ({ widget, workbench } = scene);
  });

  afterAll(() => scene?.close());

  it('Snapshot and Take photo put red images in both transcripts; the widget says a photo was taken; a camera turned off says the browser cannot', { timeout: 80_000 }, async () => {
    const call = await scene.answerVideoCall();

    // Snapshot: the agent's image, in the workbench's transcript and the widget's, red.
    await workbench.getByTestId('call-snapshot').click();
    await expect.poll(() => workbench.getByTestId('call-capture-notice').textContent(), { timeout: 15_000 }).toContain('Snapshot saved');
    const snapshotInWorkbench = await statsOf(workbench.locator('img.wb-attachment__image[alt^="snapshot-"]').first());
    const snapshotInWidget = await statsOf(widget.locator('frontdesk-widget .thumb img[alt*="snapshot-"]').first());
    expect(dominantChannel(snapshotInWorkbench), JSON.stringify(snapshotInWorkbench)).toBe('red');
    expect(dominantChannel(snapshotInWidget), JSON.stringify(snapshotInWidget)).toBe('red');

    // Take photo: the visitor's image at the camera's size, in both transcripts; the widget tells the visitor.
    await workbench.getByTestId('call-take-photo').click();
    await expect.poll(() => workbench.getByTestId('call-capture-notice').textContent(), { timeout: 20_000 }).toContain('Photo saved');
    await widget.locator('frontdesk-widget li.call-line', { hasText: 'The agent took a photo with your camera' }).waitFor({ timeout: 10_000 });
    const photoInWidget = await statsOf(widget.locator('frontdesk-widget .thumb img[alt*="photo-"]').first());
    const photoInWorkbench = await statsOf(workbench.locator('img.wb-attachment__image[alt^="photo-"]').first());
    expect(dominantChannel(photoInWidget), JSON.stringify(photoInWidget)).toBe('red');
    expect(dominantChannel(photoInWorkbench), JSON.stringify(photoInWorkbench)).toBe('red');
    expect([photoInWorkbench.width, photoInWorkbench.height]).toEqual([320, 240]);
    console.info(`snapshot ${JSON.stringify(snapshotInWorkbench)}; photo ${JSON.stringify(photoInWorkbench)}`);

    // The visitor turns the camera off: Take photo gives the workbench a clear notice, and the widget says so too.
    await call.getByRole('button', { name: 'Turn camera off' }).click();
    await expect.poll(() => workbench.getByTestId('call-remote-video').count(), { timeout: 10_000 }).toBe(0);
    await workbench.getByTestId('call-take-photo').click();
    await expect.poll(() => workbench.getByTestId('call-capture-notice').textContent(), { timeout: 20_000 }).toContain("The visitor's browser cannot take a photo");
    expect(await workbench.getByTestId('call-capture-notice').getAttribute('role')).toBe('alert');
    await widget.locator('frontdesk-widget li.call-line', { hasText: 'your camera could not take one' }).waitFor({ timeout: 10_000 });
    await widget.screenshot({ path: 'e2e/screenshots/media-widget-photo-notice.png' }).catch(() => undefined);
    await workbench.screenshot({ path: 'e2e/screenshots/media-workbench-captures.png' }).catch(() => undefined);
    await workbench.getByTestId('call-hang-up').click();
  });
});
