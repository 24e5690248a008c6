import { MediaStreamTrack, RTCPeerConnection, useOPUS, useVP8, type RtpPacket } from 'werift';
import type { MediaRoomRef, MediaServer } from '../../apps/server/src/modules/calls/media/index.ts';

/**
 * Browserless call parties for load benchmarks: werift peer connections that publish into and
 * subscribe from a call. The signalling is given: straight through our `MediaServer` port to Janus
 * (`janusSignalling`, no Frontdesk) or through Frontdesk's WebSocket (frontdesk-party.ts). Media is
 * RTP pushed in by the caller (see rtp-source.ts: one ffmpeg encode fanned out to every publisher).
 * ICE: werift gathers host candidates on every interface; inside the test network namespace that is
 * 127.0.0.1 and 127.0.0.2, and Janus offers 127.0.0.2.
 */

export const codecs = { audio: [useOPUS()], video: [useVP8()] };

type Jsep = { type: 'offer' | 'answer'; sdp: string };
type Candidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null };

export interface PublishSignalling {
  publish(offer: Jsep): Promise<{ legId: string; answer: Jsep }>;
}
export interface SubscribeSignalling {
  subscribe(): Promise<{ legId: string; offer: Jsep }>;
  answer(legId: string, answer: Jsep): Promise<void>;
}

interface Peer {
  legId: string;
  /** A candidate the media server trickled (null: it has no more). */
  addCandidate(candidate: Candidate | null): Promise<void>;
  close(): Promise<void>;
}

export interface PublisherPeer extends Peer {
  audio: MediaStreamTrack;
  video: MediaStreamTrack;
  /** ms from `publishPeer` call to the peer connection being connected. */
  connectedAfterMs: number;
}

export interface SubscriberPeer extends Peer {
  /** ms from `subscribePeer` call to connected, and to the first RTP packet of each kind. */
  connectedAfterMs: Promise<number>;
  firstRtpAfterMs: { audio: Promise<number>; video: Promise<number> };
  /** RTP packets and payload bytes received so far, per kind. */
  received: { audio: number; video: number; audioBytes: number; videoBytes: number };
}

export function whenConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`peer connection not connected after ${timeoutMs} ms`)), timeoutMs);
    const check = (state: string) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve();
      } else if (state === 'failed') {
        clearTimeout(timer);
        reject(new Error('peer connection failed'));
      }
    };
    pc.connectionStateChange.subscribe(check);
    check(pc.connectionState);
  });
}

function peerOf(pc: RTCPeerConnection, legId: string): Peer {
  return {
    legId,
    addCandidate: async (candidate) => {
      if (candidate?.candidate) await pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined });
    },
    close: () => pc.close(),
  };
}

/**
 * Publishes an audio (Opus) and a video (VP8) track (`video: false`: audio only); write RTP into
 * `audio`/`video` with `writeRtp`.
 */
export async function publishPeer(signalling: PublishSignalling, timeoutMs = 15_000, options: { video?: boolean } = {}): Promise<PublisherPeer> {
  const startMs = performance.now();
  const pc = new RTCPeerConnection({ codecs });
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const video = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(audio, { direction: 'sendonly' });
  if (options.video !== false) pc.addTransceiver(video, { direction: 'sendonly' });
  // NOTE: werift puts its gathered candidates in the SDP (no trickle needed); Janus answers with its own.
  await pc.setLocalDescription(await pc.createOffer());
  // NOTE: we ask Janus to be the DTLS server (a=setup:active in what it sees), so that werift sends the
  // ClientHello as soon as ICE is up. Otherwise Janus's ClientHello can arrive before werift's DTLS
  // listens and waits for OpenSSL's 1 s retransmission: publish times of ~35 ms or ~1050 ms at random.
  const sdp = pc.localDescription!.sdp.replace(/a=setup:actpass/g, 'a=setup:active');
  const { legId, answer } = await signalling.publish({ type: 'offer', sdp });
  await pc.setRemoteDescription(answer);
  await whenConnected(pc, timeoutMs);
  return { ...peerOf(pc, legId), audio, video, connectedAfterMs: performance.now() - startMs };
}

/** Receives one publisher's tracks and counts their RTP packets (each also given to `onRtp`, if any). */
export async function subscribePeer(signalling: SubscribeSignalling, timeoutMs = 15_000, onRtp?: (kind: 'audio' | 'video', rtp: RtpPacket) => void): Promise<SubscriberPeer> {
  const startMs = performance.now();
  const pc = new RTCPeerConnection({ codecs });
  const received = { audio: 0, video: 0, audioBytes: 0, videoBytes: 0 };
  const first: Record<'audio' | 'video', (ms: number) => void> = { audio: () => {}, video: () => {} };
  const firstRtpAfterMs = {
    audio: new Promise<number>((resolve) => (first.audio = resolve)),
    video: new Promise<number>((resolve) => (first.video = resolve)),
  };
  pc.onTrack.subscribe((track) => {
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    track.onReceiveRtp.subscribe((rtp) => {
      received[`${kind}Bytes`] += rtp.payload.length;
      onRtp?.(kind, rtp);
      if (received[kind]++ === 0) first[kind](performance.now() - startMs);
    });
  });
  const { legId, offer } = await signalling.subscribe();
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  await signalling.answer(legId, { type: 'answer', sdp: pc.localDescription!.sdp });
  const connectedAfterMs = whenConnected(pc, timeoutMs).then(() => performance.now() - startMs);
  connectedAfterMs.catch(() => {});
  return { ...peerOf(pc, legId), connectedAfterMs, firstRtpAfterMs, received };
}

/** Signalling straight through the `MediaServer` port (bare Janus, no Frontdesk). */
export const janusSignalling = (media: MediaServer, room: MediaRoomRef, participantId: string) => ({
  publish: (offer: Jsep) => media.publish({ room, participantId, offer: { ...offer, type: 'offer' as const } }),
  subscribeTo: (publisherParticipantId: string): SubscribeSignalling => ({
    subscribe: () => media.subscribe({ room, participantId, publisherParticipantId }),
    answer: (legId, answer) => media.acceptAnswer({ room, legId, answer: { ...answer, type: 'answer' } }),
  }),
});
