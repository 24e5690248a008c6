import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, useOPUS, useVP8 } from 'werift';
import type { LocalMediaServer } from '../../apps/server/src/modules/calls/media/index.ts';
import { janusSignalling, subscribePeer } from '../../bench/calls/peer.ts';
import { startRtpSource, type RtpSource } from '../../bench/calls/rtp-source.ts';
import { assertInsideMediaNamespace, fakeCapture, startTestJanus } from './media-harness.ts';

/** Browserless peers (the load bench's building blocks) against the real Janus through the port. */
describe('werift peers through the MediaServer port', () => {
  let dataDir: string;
  let media: LocalMediaServer;
  let source: RtpSource;

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-media-'));
    media = await startTestJanus(dataDir);
    source = await startRtpSource(fakeCapture(440, 'red').audioPath);
  });

  afterAll(async () => {
    await source?.close();
    await media?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a subscription asked for before the publisher\'s media is up waits for it, then gets its RTP', async () => {
    const room = await media.createRoom({ callId: 'early-subscriber' });
    const pc = new RTCPeerConnection({ codecs: { audio: [useOPUS()], video: [useVP8()] } });
    const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
    pc.addTransceiver(tracks.audio, { direction: 'sendonly' });
    pc.addTransceiver(tracks.video, { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const { answer } = await media.publish({ room, participantId: 'p', offer: { type: 'offer', sdp: pc.localDescription!.sdp } });
    // The publisher has not even applied Janus's answer: its media cannot be up yet.
    const subscribing = subscribePeer(janusSignalling(media, room, 's').subscribeTo('p'));
    await pc.setRemoteDescription(answer);
    source.add(tracks);
    const sub = await subscribing;
    expect(await sub.firstRtpAfterMs.audio).toBeGreaterThan(0);
    expect(await sub.firstRtpAfterMs.video).toBeGreaterThan(0);
    await expect.poll(() => sub.received.video, { timeout: 5000 }).toBeGreaterThan(20);
    source.remove(tracks);
    await Promise.all([pc.close(), sub.close()]);
    await media.destroyRoom(room);
    expect(media.health()[0]).toMatchObject({ rooms: 0, legs: 0 });
  });
});
