import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMediaServer, MediaEvent, MediaRoomRef } from '../../apps/server/src/modules/calls/media/index.ts';
import type { CallClientWindow } from './call-client.ts';
import { assertInsideMediaNamespace, launchParty, startTestJanus, type Party } from './media-harness.ts';
import { dominantChannel, probeRemoteAudio, probeRemoteColour } from './probes.ts';
import { startSignallingRelay, type SignallingRelay } from './signalling-relay.ts';

/**
 * Two parties in one call room through our MediaServer port and the real Janus: A sends 440 Hz and
 * red, B sends 880 Hz and green; each must hear the other's tone and see the other's colour.
 */
describe('a 1:1 call through Janus, proven by content', () => {
  let dataDir: string;
  let media: LocalMediaServer;
  let room: MediaRoomRef;
  let relay: SignallingRelay;
  let a: Party;
  let b: Party;
  const events: MediaEvent[] = [];

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-media-'));
    media = await startTestJanus(dataDir);
    media.onEvent((e) => events.push(e));
    room = await media.createRoom({ callId: 'call-1' });
    relay = await startSignallingRelay(media, () => room);
    [a, b] = await Promise.all([
      launchParty({ participantId: 'a', toneHz: 440, colour: 'red', pageUrl: relay.pageUrl, signalUrl: relay.signalUrl }),
      launchParty({ participantId: 'b', toneHz: 880, colour: 'green', pageUrl: relay.pageUrl, signalUrl: relay.signalUrl }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await relay?.close();
    if (room) await media?.destroyRoom(room);
    await media?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (party: Party) => party.page.evaluate.bind(party.page);

  it('each party publishes, subscribes to the other, and both legs come up', async () => {
    await Promise.all([call(a)(() => (window as unknown as CallClientWindow).__call.publish()), call(b)(() => (window as unknown as CallClientWindow).__call.publish())]);
    await Promise.all([
      call(a)(() => (window as unknown as CallClientWindow).__call.subscribe('b')),
      call(b)(() => (window as unknown as CallClientWindow).__call.subscribe('a')),
    ]);
    await Promise.all([
      call(a)(() => (window as unknown as CallClientWindow).__call.waitForRemote('b', 15_000)),
      call(b)(() => (window as unknown as CallClientWindow).__call.waitForRemote('a', 15_000)),
    ]);
    await expect.poll(() => events.filter((e) => e.type === 'leg.up').length, { timeout: 10_000 }).toBe(4);
    expect(media.health()[0]).toMatchObject({ isUp: true, rooms: 1, legs: 4 });
  });

  it('A hears 880 Hz and sees green; B hears 440 Hz and sees red', async () => {
    const [aHears, bHears] = await Promise.all([probeRemoteAudio(a.page, 'b'), probeRemoteAudio(b.page, 'a')]);
    expect(aHears.dominantHz).toBeGreaterThan(860);
    expect(aHears.dominantHz).toBeLessThan(900);
    expect(bHears.dominantHz).toBeGreaterThan(420);
    expect(bHears.dominantHz).toBeLessThan(460);
    const [aSees, bSees] = await Promise.all([probeRemoteColour(a.page, 'b'), probeRemoteColour(b.page, 'a')]);
    expect(dominantChannel(aSees)).toBe('green');
    expect(dominantChannel(bSees)).toBe('red');
    expect(bSees.r).toBeGreaterThan(150);
    expect(aSees.g).toBeGreaterThan(80);
  });

  it('muting A at the source drops the level B hears', async () => {
    const before = await probeRemoteAudio(b.page, 'a', 600);
    await a.page.evaluate(() => (window as unknown as CallClientWindow).__call.setLocalAudioEnabled(false));
    let mutedDb = 0;
    await expect
      .poll(async () => (mutedDb = (await probeRemoteAudio(b.page, 'a', 400)).levelDb), { timeout: 10_000, interval: 200 })
      .toBeLessThan(before.levelDb - 30);
    // And the tone comes back with the track.
    await a.page.evaluate(() => (window as unknown as CallClientWindow).__call.setLocalAudioEnabled(true));
    let resumed = before;
    await expect.poll(async () => (resumed = await probeRemoteAudio(b.page, 'a', 400)).levelDb, { timeout: 10_000, interval: 200 }).toBeGreaterThan(before.levelDb - 10);
    expect(resumed.dominantHz).toBeCloseTo(440, -2);
    console.info(`B hears A at ${before.levelDb.toFixed(1)} dBFS, ${mutedDb.toFixed(1)} dBFS muted, ${resumed.levelDb.toFixed(1)} dBFS unmuted`);
  });

  it('holding A at the server (no relay of its audio and video) silences A for B, not B for A', async () => {
    const before = await probeRemoteAudio(b.page, 'a', 400);
    await media.setRelay({ room, participantId: 'a', audio: false, video: false });
    await expect.poll(async () => (await probeRemoteAudio(b.page, 'a', 400)).levelDb, { timeout: 10_000, interval: 200 }).toBeLessThan(before.levelDb - 30);
    const aHears = await probeRemoteAudio(a.page, 'b', 400);
    expect(aHears.dominantHz).toBeCloseTo(880, -2);
    expect(aHears.levelDb).toBeGreaterThan(-40);
    await media.setRelay({ room, participantId: 'a', audio: true, video: true });
    await expect.poll(async () => (await probeRemoteAudio(b.page, 'a', 400)).levelDb, { timeout: 10_000, interval: 200 }).toBeGreaterThan(before.levelDb - 10);
  });

  it('a publisher that stops sending is reported after 3 s, and again when it resumes', async () => {
    const aPublisher = events.find((e) => e.type === 'leg.up' && e.participantId === 'a' && e.legKind === 'publisher');
    expect(aPublisher).toBeDefined();
    const stoppedAtMs = Date.now();
    await a.page.evaluate(() => (window as unknown as CallClientWindow).__call.setSending('audio', false));
    const isAudioStop = (e: MediaEvent) => e.type === 'leg.media-stopped' && e.participantId === 'a' && e.media === 'audio';
    await expect.poll(() => events.some(isAudioStop), { timeout: 10_000 }).toBe(true);
    const stopped = events.find(isAudioStop) as Extract<MediaEvent, { type: 'leg.media-stopped' }>;
    expect(stopped).toMatchObject({ legKind: 'publisher', legId: (aPublisher as Extract<MediaEvent, { type: 'leg.up' }>).legId });
    expect(stopped.silentMs).toBeGreaterThan(3000);
    expect(Date.now() - stoppedAtMs).toBeGreaterThanOrEqual(3000);
    // Video kept flowing: no stop reported for it.
    expect(events.some((e) => e.type === 'leg.media-stopped' && e.participantId === 'a' && e.media === 'video')).toBe(false);
    await a.page.evaluate(() => (window as unknown as CallClientWindow).__call.setSending('audio', true));
    await expect.poll(() => events.some((e) => e.type === 'leg.media-resumed' && e.participantId === 'a' && e.media === 'audio'), { timeout: 10_000 }).toBe(true);
  });

  it('ICE restarts of a publisher leg and of a subscription keep the media flowing', async () => {
    const publisher = await a.page.evaluate(() => (window as unknown as CallClientWindow).__call.restartPublisherIce());
    const subscription = await b.page.evaluate(() => (window as unknown as CallClientWindow).__call.restartSubscriptionIce('a'));
    for (const { before, after } of [publisher, subscription]) {
      expect(before).not.toBe('');
      expect(after).not.toBe(before);
    }
    const heard = await probeRemoteAudio(b.page, 'a', 600);
    expect(heard.dominantHz).toBeCloseTo(440, -2);
    expect(heard.levelDb).toBeGreaterThan(-40);
  });

  it('removing B ends its legs and A\'s subscription to it', async () => {
    const downBefore = events.filter((e) => e.type === 'leg.down').length;
    await media.removeParticipant({ room, participantId: 'b' });
    const down = events.filter((e) => e.type === 'leg.down').slice(downBefore);
    expect(down.map((e) => (e.type === 'leg.down' ? `${e.participantId}:${e.legKind}:${e.reason}` : '')).sort()).toEqual([
      'a:subscriber:publisher left',
      'b:publisher:participant removed',
      'b:subscriber:participant removed',
    ]);
    expect(media.health()[0]).toMatchObject({ rooms: 1, legs: 1 });
    const timings = await a.page.evaluate(() => (window as unknown as CallClientWindow).__call.timings);
    const sub = timings.subscriptions.b!;
    console.info(
      `A: publish → connected ${(timings.publishConnectedMs! - timings.publishStartMs!).toFixed(0)} ms (getUserMedia included); ` +
        `subscribe → connected ${(sub.connectedMs! - sub.startMs).toFixed(0)} ms`,
    );
  });
});
