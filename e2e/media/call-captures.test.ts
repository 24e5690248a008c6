import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../apps/server/test/helpers.ts';
import { logIn, type FrontdeskProcess } from './frontdesk-server.ts';
import { dominantChannel, probeRemoteColour } from './probes.ts';
import { openSdkScene, startAnsweredVideoCall, type SdkScene } from './sdk-call-scene.ts';
import { events, waitForEvent } from './sdk-pages.ts';

/**
 * Call snapshots and photos through the two SDKs and the real server (its own process, SQLite, the
 * local Janus), proven by the images' content: the visitor's fake camera is red, 320×240
 * (make-fake-media.sh), the agent's green. The agent's snapshot (a frame of the visitor's video drawn
 * on a canvas) must be red; the photo the visitor's page takes from its camera on the agent's request
 * must be red and 320×240 (through ImageCapture, and through the camera frame where the browser has no
 * ImageCapture); a camera turned off gives the agent `snapShotDisabled`, never nothing.
 */

/** The camera's native size: the fake capture file's frame size (make-fake-media.sh). */
const CAMERA = { width: 320, height: 240 };

/** In the agent's page: downloads an image of the conversation with the agent's token and measures it. */
function measureImage(url: string): Promise<{ type: string; width: number; height: number; r: number; g: number; b: number }> {
  return (async () => {
    const token = (window as any).__t.sdk.token as string;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
    const blob = await response.blob();
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]!;
      g += data[i + 1]!;
      b += data[i + 2]!;
    }
    const n = data.length / 4;
    return { type: blob.type, width: bitmap.width, height: bitmap.height, r: r / n, g: g / n, b: b / n };
  })();
}

describe('call snapshots and photos through the SDKs and the real server, proven by content', () => {
  let scene: SdkScene;
  let server: FrontdeskProcess;
  let visitor: Page;
  let agent: Page;
  let agentToken: string;
  let conversationId: string;
  let callId: string;

  beforeAll(async () => {
    scene = await openSdkScene('captures', [
      { toneHz: 440, colour: 'red' },
      { toneHz: 880, colour: 'green' },
    ]);
    server = scene.server;
    agentToken = await logIn(server.url, scene.seeded.agent1.email);
    [visitor, agent] = await Promise.all([scene.visitorPage(0), scene.agentPage(1, agentToken)]);
    // The visitor calls with video; the agent answers; the agent sees the visitor's red.
    ({ conversationId, callId } = await startAnsweredVideoCall(scene, visitor, agent, agentToken));
  });

  afterAll(async () => {
    if (server && callId) console.info(`captures: the server's log tail:\n${server.output().slice(-1500)}`);
    await scene?.close();
  });

  it("the agent's snapshot is a frame of the visitor's video: an image of the conversation whose dominant colour is the visitor's red", async () => {
    await expect.poll(async () => dominantChannel(await probeRemoteColour(agent, 'visitor')), { timeout: 15_000, interval: 200 }).toBe('red');
    const started = Date.now();
    const result = await agent.evaluate((id) => (window as any).__t.sdk.Call.snapshot({ sessionId: id }), callId);
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'success', data: { kind: 'snapshot', callId, message: { kind: 'image', senderType: 'agent' } } });
    const tookMs = Date.now() - started;
    const image = await agent.evaluate(measureImage, result.data.message.file.url as string);
    expect(image.type).toBe('image/jpeg');
    expect(dominantChannel(image), JSON.stringify(image)).toBe('red');
    expect(image.r).toBeGreaterThan(150);
    const history = await api(server.url, 'GET', `/v1/conversations/${conversationId}/messages`, { token: agentToken });
    expect(history.body.messages.map((m: { id: string }) => m.id)).toContain(result.data.message.id);
    console.info(`snapshot: ${image.width}×${image.height} ${image.type}, mean rgb(${image.r.toFixed(0)}, ${image.g.toFixed(0)}, ${image.b.toFixed(0)}), taken and stored in ${tookMs} ms`);
  });

  it("takePhoto: the visitor's page takes a photo from its camera at the camera's native size, uploads it as the visitor's image, and is told", async () => {
    const started = Date.now();
    const result = await agent.evaluate((id) => (window as any).__t.sdk.Call.takePhoto({ sessionId: id }), callId);
    expect(result, JSON.stringify(result) + JSON.stringify((await events(visitor)).slice(-4))).toMatchObject({ status: 'success', data: { kind: 'photo', callId, message: { kind: 'image', senderType: 'visitor' } } });
    const tookMs = Date.now() - started;
    const image = await agent.evaluate(measureImage, result.data.message.file.url as string);
    expect(dominantChannel(image), JSON.stringify(image)).toBe('red');
    expect({ width: image.width, height: image.height }).toEqual(CAMERA);
    // The visitor's page: photoTaken (the widget's transcript notice is made of it), with the same size.
    const taken = await waitForEvent(visitor, { name: 'photoTaken', callId });
    expect(taken).toMatchObject({ width: CAMERA.width, height: CAMERA.height, messageId: result.data.message.id });
    await waitForEvent(agent, { name: 'callPhoto', callId, messageId: result.data.message.id });
    console.info(`photo: ${image.width}×${image.height} ${image.type}, mean rgb(${image.r.toFixed(0)}, ${image.g.toFixed(0)}, ${image.b.toFixed(0)}), asked to stored in ${tookMs} ms`);
  });

  it("without ImageCapture (other browsers) the photo is the camera track's frame at its native size", async () => {
    await visitor.evaluate(() => {
      (window as any).__imageCapture = (window as any).ImageCapture;
      delete (window as any).ImageCapture;
    });
    try {
      const result = await agent.evaluate((id) => (window as any).__t.sdk.Call.takePhoto({ sessionId: id }), callId);
      expect(result, JSON.stringify(result)).toMatchObject({ status: 'success', data: { kind: 'photo', message: { kind: 'image', senderType: 'visitor' } } });
      const image = await agent.evaluate(measureImage, result.data.message.file.url as string);
      expect(image.type).toBe('image/jpeg');
      expect(dominantChannel(image), JSON.stringify(image)).toBe('red');
      expect({ width: image.width, height: image.height }).toEqual(CAMERA);
    } finally {
      await visitor.evaluate(() => {
        (window as any).ImageCapture = (window as any).__imageCapture;
      });
    }
  });

  it('a visitor whose camera is off cannot be photographed: the agent gets snapShotDisabled (the Easemob message too), the visitor a notice', async () => {
    await visitor.evaluate(() => (window as any).__t.client.setCameraOff(true));
    const result = await agent.evaluate((id) => (window as any).__t.sdk.Call.takePhoto({ sessionId: id }), callId);
    expect(result).toMatchObject({ status: 'error', errorCode: 'snapShotDisabled' });
    await waitForEvent(visitor, { name: 'photoFailed', callId });
    await waitForEvent(agent, { name: 'callPhoto', callId, error: 'snapShotDisabled' });
    // The Easemob IMClient's takePhoto: the seed's error message.
    const easemob = await agent.evaluate(
      () =>
        new Promise((resolve) => {
          void (window as any).__t.im.takePhoto({ success: () => resolve('success'), error: (e: unknown) => resolve(e) });
        }),
    );
    expect(easemob).toEqual({ mark: 'takePhoto', subMark: 'error', error: { type: 'snapShotDisabled', msg: 'snapShotDisabled' } });
    await visitor.evaluate(() => (window as any).__t.client.setCameraOff(false));
    // Two photos asked for, none stored: the visitor's images are the two photos taken before.
    const history = await api(server.url, 'GET', `/v1/conversations/${conversationId}/messages`, { token: agentToken });
    expect(history.body.messages.filter((m: { kind: string; senderType: string }) => m.kind === 'image' && m.senderType === 'visitor')).toHaveLength(2);
  });
});
