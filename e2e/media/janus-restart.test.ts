import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMediaError, type JanusProcessEvent, type LocalMediaServer, type MediaEvent, type MediaRoomRef } from '../../apps/server/src/modules/calls/media/index.ts';
import type { CallClientWindow } from './call-client.ts';
import { assertInsideMediaNamespace, launchParty, startTestJanus, type Party } from './media-harness.ts';
import { dominantChannel, probeRemoteAudio, probeRemoteColour } from './probes.ts';
import { startSignallingRelay, type SignallingRelay } from './signalling-relay.ts';

/** RELIABILITY 20: Janus killed mid-call → the room is reported lost, calls fail clearly, then work again. */
describe('the local Janus under its supervisor', () => {
  let dataDir: string;
  let media: LocalMediaServer;
  let relay: SignallingRelay | undefined;
  let party: Party | undefined;
  const events: MediaEvent[] = [];
  const processEvents: JanusProcessEvent[] = [];

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-media-'));
    media = await startTestJanus(dataDir);
    media.onEvent((e) => events.push(e));
    media.supervisor.on((e) => processEvents.push(e));
  });

  afterAll(async () => {
    await party?.close();
    await relay?.close();
    await media?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes its generated config under the data dir, with an API secret and no admin API', () => {
    const config = fs.readFileSync(path.join(dataDir, 'janus', 'janus.jcfg'), 'utf8');
    expect(config).toMatch(/api_secret = "[\w-]{20,}"/);
    expect(config).toContain('ice_enforce_list = "127.0.0.2"');
    const ws = fs.readFileSync(path.join(dataDir, 'janus', 'janus.transport.websockets.jcfg'), 'utf8');
    expect(ws).toContain('ws_ip = "127.0.0.1"');
    expect(ws).toContain('admin_ws = false');
  });

  it('after SIGKILL it reports the room lost and down, refuses new rooms clearly, then comes back with new rooms working', async () => {
    const lostRoom = await media.createRoom({ callId: 'before-kill' });
    const pid = media.supervisor.pid()!;
    process.kill(pid, 'SIGKILL');

    await expect.poll(() => processEvents.find((e) => e.type === 'down'), { timeout: 5000, interval: 5 }).toBeDefined();
    await expect.poll(() => events.some((e) => e.type === 'instance.down'), { timeout: 5000, interval: 5 }).toBe(true);
    expect(processEvents.find((e) => e.type === 'down')).toMatchObject({ reason: 'janus killed by SIGKILL' });
    expect(events.find((e) => e.type === 'room.lost')).toMatchObject({ room: lostRoom });
    expect(media.health()[0]).toMatchObject({ isUp: false, rooms: 0, legs: 0 });
    // NOTE: the first restart waits ≥ 200 ms, so this call lands while Janus is down.
    const refused = await media.createRoom({ callId: 'while-down' }).catch((err: unknown) => err);
    expect(isMediaError(refused, 'media-unavailable')).toBe(true);
    expect((refused as Error).message).toMatch(/media server is up|down/);

    await expect.poll(() => processEvents.some((e) => e.type === 'up'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => media.health()[0]!.isUp, { timeout: 10_000 }).toBe(true);
    expect(media.supervisor.pid()).not.toBe(pid);

    // A new room carries media again: one party publishes and receives its own feed back through Janus.
    const room: MediaRoomRef = await media.createRoom({ callId: 'after-restart' });
    relay = await startSignallingRelay(media, () => room);
    party = await launchParty({ participantId: 'a', toneHz: 440, colour: 'red', pageUrl: relay.pageUrl, signalUrl: relay.signalUrl });
    await party.page.evaluate(async () => {
      const call = (window as unknown as CallClientWindow).__call;
      await call.publish();
      await call.subscribe('a');
      await call.waitForRemote('a', 15_000);
    });
    const heard = await probeRemoteAudio(party.page, 'a');
    expect(heard.dominantHz).toBeCloseTo(440, -2);
    expect(dominantChannel(await probeRemoteColour(party.page, 'a'))).toBe('red');
  });

  it('a server restart with calls in progress leaves Janus running; the next process adopts it and the media goes on', async () => {
    // `party` still receives its own feed through the room made after the restart above.
    const pid = media.supervisor.pid()!;
    await media.detach();
    media = await startTestJanus(dataDir);
    expect(media.supervisor.pid()).toBe(pid);
    await new Promise((r) => setTimeout(r, 1500));
    const heard = await probeRemoteAudio(party!.page, 'a');
    expect(heard.dominantHz).toBeCloseTo(440, -2);
    // The adopted Janus makes new rooms, and stops with the server when no call needs it.
    await media.createRoom({ callId: 'after-adoption' });
    await media.close();
    await expect.poll(() => fs.existsSync(`/proc/${pid}`), { timeout: 10_000 }).toBe(false);
    media = await startTestJanus(dataDir);
  });
});
