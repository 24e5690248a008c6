import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Recording } from '@frontdesk/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../apps/server/test/helpers.ts';
import { logIn, type FrontdeskProcess, type Seeded } from './frontdesk-server.ts';
import { dominantChannel, probeRemoteColour } from './probes.ts';
import { openSdkScene, startAnsweredVideoCall, type SdkScene } from './sdk-call-scene.ts';
import { events, waitForEvent } from './sdk-pages.ts';

/**
 * Screen share through the two SDKs and the real server (its own process, SQLite, the local Janus),
 * proven by content. The visitor's camera is red and 4:3 (320×240, make-fake-media.sh), the agent's
 * blue; Chromium's fake screen capture (`--use-fake-ui-for-media-stream` picks it without a dialog,
 * `--use-fake-device-for-media-stream` makes it) is a green 16:9 picture (1280×720, label `screen:…`).
 * So a second video at the agent that is green and 16:9 while the first stays red and 4:3 is the
 * visitor's screen, not its camera.
 */

const run = promisify(execFile);

/** The dominant colour of each video frame of a file at 4 frames a second (each frame scaled to one pixel), and its streams. */
async function framesOf(file: string): Promise<{ streams: string[]; colours: ('red' | 'green' | 'blue' | 'black')[] }> {
  const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'json', file])).stdout) as { streams: { codec_type: string }[] };
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-vf', 'fps=4,scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
  const colours: ('red' | 'green' | 'blue' | 'black')[] = [];
  for (let i = 0; i + 2 < stdout.length; i += 3) {
    const [r, g, b] = [stdout[i]!, stdout[i + 1]!, stdout[i + 2]!];
    colours.push(Math.max(r, g, b) < 40 ? 'black' : dominantChannel({ r, g, b, width: 1, height: 1 }));
  }
  return { streams: probe.streams.map((s) => s.codec_type), colours };
}

describe('screen share through the SDKs and the real server, proven by content', () => {
  let scene: SdkScene;
  let server: FrontdeskProcess;
  let seeded: Seeded;
  let visitor: Page;
  let agent: Page;
  let adminToken: string;
  let callId: string;

  const shareState = () => agent.evaluate((id) => (window as any).__t.sdk.Call.shareState({ sessionId: id }), callId);

  beforeAll(async () => {
    scene = await openSdkScene('share', [
      { toneHz: 440, colour: 'red' },
      { toneHz: 880, colour: 'blue' },
    ]);
    ({ server, seeded } = scene);
    const agentToken = await logIn(server.url, seeded.agent1.email);
    // The call is recorded (audio and video): the shares are recorded as tracks of their own.
    adminToken = await logIn(server.url, seeded.adminEmail);
    const policy = await api(server.url, 'PUT', '/v1/recording-policies/channel/default', { token: adminToken, body: { mode: 'audio_video' } });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    [visitor, agent] = await Promise.all([scene.visitorPage(0), scene.agentPage(1, agentToken)]);
    ({ callId } = await startAnsweredVideoCall(scene, visitor, agent, agentToken));
  });

  afterAll(async () => {
    if (server && callId) console.info(`screen share: the server's log tail:\n${server.output().slice(-1500)}`);
    await scene?.close();
  });

  it('consent refused: the visitor says not now, or cancels the picker, and nothing is published', async () => {
    await expect.poll(async () => dominantChannel(await probeRemoteColour(agent, 'visitor')), { timeout: 15_000, interval: 200 }).toBe('red');
    // The Easemob inviteShare: its `error` callback gets the visitor's "not now".
    await agent.evaluate(() => {
      const t = (window as any).__t;
      t.invite = { open: 0, close: 0, error: null };
      void t.im.inviteShare({ open: () => t.invite.open++, close: () => t.invite.close++, error: (e: unknown) => (t.invite.error = e) });
    });
    await waitForEvent(visitor, { name: 'screenShare', callId, event: 'invited', by: 'agent' });
    await visitor.evaluate((id) => (window as any).__t.client.declineScreenShare({ callId: id }), callId);
    await waitForEvent(agent, { name: 'screenShare', callId, event: 'declined', by: 'visitor', reason: 'refused' });
    await agent.waitForFunction(() => (window as any).__t.invite.error !== null, undefined, { timeout: 5000 });
    expect(await agent.evaluate(() => (window as any).__t.invite)).toEqual({ open: 0, close: 0, error: { error: { code: 'refused', msg: 'the visitor did not share a screen' } } });

    // Consent given, then the browser's picker cancelled: the SDK says so and publishes nothing.
    const cancelled = await visitor.evaluate(async (id) => {
      const devices = navigator.mediaDevices as MediaDevices & { __real?: MediaDevices['getDisplayMedia'] };
      devices.__real = devices.getDisplayMedia;
      devices.getDisplayMedia = () => Promise.reject(new DOMException('Permission denied by user', 'NotAllowedError'));
      try {
        await (window as any).__t.client.shareScreen(id);
        return 'shared';
      } catch (err) {
        return (err as { code?: string }).code;
      } finally {
        devices.getDisplayMedia = devices.__real!;
      }
    }, callId);
    expect(cancelled).toBe('FD_SDK_MEDIA_PERMISSION_DENIED');
    expect(await shareState()).toEqual({ status: 'success', data: { callId, shares: [] } });
    const seen = await events(agent);
    expect(seen.filter((e) => e.name === 'remoteScreen' || (e.name === 'screenShare' && e.event === 'open'))).toEqual([]);
  });

  it("the visitor shares its screen: the agent receives a second video, green and 16:9 (the fake screen), while the camera's stays red and 4:3; stop ends the agent's track and says close", async () => {
    await agent.evaluate((id) => (window as any).__t.sdk.Call.inviteShare({ sessionId: id }), callId);
    await waitForEvent(visitor, { name: 'screenShare', callId, event: 'invited' });
    const started = Date.now();
    const label = await visitor.evaluate(async (id) => {
      const stream: MediaStream = await (window as any).__t.client.shareScreen(id);
      return stream.getVideoTracks()[0]!.label;
    }, callId);
    expect(label).toMatch(/^screen:/);
    await waitForEvent(agent, { name: 'screenShare', callId, event: 'open', by: 'visitor', shares: 1 });
    await waitForEvent(agent, { name: 'remoteScreen', callId, role: 'visitor', hasStream: true });
    const isSharing = await agent.evaluate(() => new Promise((resolve) => void (window as any).__t.im.isShareState({ success: (d: { data: boolean }) => resolve(d.data) })));
    expect(isSharing).toBe(true);

    // Content: the second video is the screen (green, 16:9), the first still the camera (red, 4:3).
    let screen = await probeRemoteColour(agent, 'visitor-screen');
    await expect.poll(async () => dominantChannel((screen = await probeRemoteColour(agent, 'visitor-screen'))), { timeout: 15_000, interval: 200 }).toBe('green');
    const openedMs = Date.now() - started;
    const camera = await probeRemoteColour(agent, 'visitor');
    expect(dominantChannel(camera)).toBe('red');
    expect(screen.width / screen.height).toBeCloseTo(16 / 9, 1);
    expect(camera.width / camera.height).toBeCloseTo(4 / 3, 1);
    expect(await agent.evaluate(() => (window as any).__call.remote.visitor.stream.id !== (window as any).__call.remote['visitor-screen'].stream.id)).toBe(true);
    console.info(`screen share: picker to the agent seeing the screen ${openedMs} ms; screen ${screen.width}×${screen.height} rgb(${screen.r.toFixed(0)}, ${screen.g.toFixed(0)}, ${screen.b.toFixed(0)}), camera ${camera.width}×${camera.height}`);

    // The network changes (the browser's `online`): each screen leg restarts its ICE — the visitor's share
    // with a new offer, the agent's subscription with the server's — and the share goes on: no close, no
    // new leg, the screen still green at the agent.
    const sentTypes = (page: Page) => page.evaluate(() => (window as any).__sent as string[]);
    for (const page of [visitor, agent]) {
      await page.evaluate(() => {
        const w = window as any;
        w.__sent = [];
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (this: WebSocket, data: string) {
          w.__sent.push(JSON.parse(String(data)).type);
          return send.call(this, data);
        } as typeof send;
        window.dispatchEvent(new Event('online'));
      });
    }
    await expect.poll(async () => (await sentTypes(visitor)).includes('call.share.renegotiate') && (await sentTypes(agent)).includes('call.share.restart'), { timeout: 10_000 }).toBe(true);
    await visitor.waitForTimeout(1500);
    await expect.poll(async () => dominantChannel(await probeRemoteColour(agent, 'visitor-screen')), { timeout: 10_000, interval: 200 }).toBe('green');
    expect((await sentTypes(visitor)).filter((t) => t.startsWith('call.share.') && t !== 'call.share.ice')).toEqual(['call.share.renegotiate']);
    expect((await sentTypes(agent)).filter((t) => t.startsWith('call.share.') && t !== 'call.share.ice')).toEqual(['call.share.restart', 'call.share.answer']);
    expect((await events(agent)).filter((e) => e.name === 'screenShare' && e.event === 'close')).toEqual([]);

    // Shared for a while, so that the recording has some seconds of it (checked below).
    await visitor.waitForTimeout(1500);
    // The visitor stops: the agent's screen track ends, both hear close (stopped); the camera goes on.
    await visitor.evaluate((id) => (window as any).__t.client.stopScreenShare(id), callId);
    await waitForEvent(agent, { name: 'screenShare', callId, event: 'close', by: 'visitor', reason: 'stopped', shares: 0 });
    await waitForEvent(agent, { name: 'remoteScreen', callId, role: 'visitor', hasStream: false });
    await waitForEvent(visitor, { name: 'localScreen', callId, hasStream: false });
    expect(await agent.evaluate(() => (window as any).__call.screenTracks.visitor.readyState)).toBe('ended');
    expect(dominantChannel(await probeRemoteColour(agent, 'visitor'))).toBe('red');
    expect(await shareState()).toEqual({ status: 'success', data: { callId, shares: [] } });
  });

  it("the agent shares its own screen: the visitor receives it (green, 16:9) beside the agent's blue camera", async () => {
    const shared = await agent.evaluate((id) => (window as any).__t.sdk.Call.shareScreen({ sessionId: id }), callId);
    expect(shared, JSON.stringify(shared)).toMatchObject({ status: 'success' });
    await waitForEvent(visitor, { name: 'screenShare', callId, event: 'open', by: 'agent' });
    await waitForEvent(visitor, { name: 'remoteScreen', callId, role: 'agent', hasStream: true });
    let screen = await probeRemoteColour(visitor, 'agent-screen');
    await expect.poll(async () => dominantChannel((screen = await probeRemoteColour(visitor, 'agent-screen'))), { timeout: 15_000, interval: 200 }).toBe('green');
    expect(screen.width / screen.height).toBeCloseTo(16 / 9, 1);
    expect(dominantChannel(await probeRemoteColour(visitor, 'agent'))).toBe('blue');
    expect(await visitor.evaluate((id) => (window as any).__t.client.isShareState(id), callId)).toBe(true);
    await visitor.waitForTimeout(1500);
    // The agent hangs up: the share closes with the call.
    await agent.evaluate((id) => (window as any).__t.sdk.Call.hungUp({ sessionId: id }), callId);
    await waitForEvent(visitor, { name: 'screenShare', callId, event: 'close', by: 'agent', reason: 'ended' });
    await waitForEvent(visitor, { name: 'remoteScreen', callId, role: 'agent', hasStream: false });
  });

  it("the recording has each share as a file of its own (video only, the screen's green) and in the mixed video; the cameras' files show no screen", async () => {
    let recording: Recording | undefined;
    await expect
      .poll(
        async () => {
          [recording] = (await api(server.url, 'GET', '/v1/recordings', { token: adminToken })).body.recordings as Recording[];
          return recording?.status;
        },
        { timeout: 40_000, interval: 250 },
      )
      .toBe('ready');
    const files = recording!.files.map((f) => [f.role, f.participantId, f.name]);
    const visitorId = (await visitor.evaluate(() => (window as any).__t.client.visitorId ?? null)) as string | null;
    expect(files).toEqual([
      ['mixed', null, 'mixed.mp4'],
      ['participant', expect.stringMatching(/^visitor:/), 'participant-1.webm'],
      ['participant', `agent:${seeded.agent1.id}`, 'participant-2.webm'],
      // Screens last, in the order they were first shared: the visitor's, then the agent's.
      ['participant', expect.stringMatching(/^screen:visitor:/), 'screen-1.mp4'],
      ['participant', `screen:agent:${seeded.agent1.id}`, 'screen-2.mp4'],
    ]);
    if (visitorId) expect(files[3]![1]).toBe(`screen:visitor:${visitorId}`);
    const download = async (name: string) => {
      const link = await api(server.url, 'POST', `/v1/recordings/${recording!.id}/links`, { token: adminToken, body: { file: name } });
      const res = await fetch(link.body.url.startsWith('http') ? link.body.url : `${server.url}${link.body.url}`);
      expect(res.status).toBe(200);
      const file = path.join(scene.dataDir, `check-${name}`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      return framesOf(file);
    };
    const count = (colours: string[], c: string) => colours.filter((x) => x === c).length;
    const [visitorScreen, agentScreen, visitorCamera, mixed] = await Promise.all([download('screen-1.mp4'), download('screen-2.mp4'), download('participant-1.webm'), download('mixed.mp4')]);
    // A screen's file: video only; green while it was shared, black before and after.
    expect(visitorScreen.streams).toEqual(['video']);
    expect(agentScreen.streams).toEqual(['video']);
    // Each was shared for more than 1.5 s: at least a second of green (4 frames a second).
    expect(count(visitorScreen.colours, 'green'), visitorScreen.colours.join(' ')).toBeGreaterThanOrEqual(4);
    expect(count(agentScreen.colours, 'green'), agentScreen.colours.join(' ')).toBeGreaterThanOrEqual(4);
    expect(count(visitorScreen.colours, 'red') + count(visitorScreen.colours, 'blue')).toBe(0);
    // Shared after the call began: black first (a screen is not held back to the start), then the screen.
    expect(visitorScreen.colours[0]).toBe('black');
    expect(visitorScreen.colours.indexOf('green')).toBeGreaterThan(0);
    // The visitor's camera file: its red, never the screen's green; audio and video.
    expect(visitorCamera.streams.sort()).toEqual(['audio', 'video']);
    expect(count(visitorCamera.colours, 'green')).toBe(0);
    expect(count(visitorCamera.colours, 'red')).toBeGreaterThan(0);
    expect(mixed.streams.sort()).toEqual(['audio', 'video']);
    console.info(
      `screen share recording: ${recording!.durationMs} ms, files ${recording!.files.map((f) => `${f.name} ${f.sizeBytes} B`).join(', ')}; ` +
        `screen-1 green ${count(visitorScreen.colours, 'green')}/${visitorScreen.colours.length} frames, screen-2 green ${count(agentScreen.colours, 'green')}/${agentScreen.colours.length}`,
    );
  });
});
