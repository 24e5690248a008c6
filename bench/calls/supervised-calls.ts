import AudioBridgePlugin, { type AudioBridgeHandle } from 'janode/plugins/audiobridge';
import VideoRoomPlugin, { type VideoRoomHandle } from 'janode/plugins/videoroom';
import { MediaStreamTrack, RTCPeerConnection, type RtpPacket } from 'werift';
import type { JanusTransport } from '../../apps/server/src/modules/calls/media/janus/transport.ts';
import { codecs, publishPeer, subscribePeer, whenConnected, type SubscriberPeer } from './peer.ts';

/**
 * One supervised call with the supervisor in barge (visitor, agent and supervisor each hear the two
 * others), audio only, set up two ways straight through janode (no Frontdesk) so that only the Janus
 * plugins differ:
 *  - `videoRoomBarge`: what our barge does (docs/supervision.md): each party publishes Opus into the
 *    call's VideoRoom and has one subscription per other party (2 per party), Janus forwards packets;
 *  - `audioBridgeBarge`: one AudioBridge room per call; each party has one sendrecv peer connection and
 *    receives the mix of the two others, decoded and re-encoded by Janus.
 */

export const PARTIES = ['visitor', 'agent', 'supervisor'] as const;
type PartyName = (typeof PARTIES)[number];

/** What one party received, over all its peer connections. */
export interface Receiver {
  party: PartyName;
  packets: number;
  payloadBytes: number;
  /** Packets whose Opus payload is byte-identical to one the source encoded (forwarded, not re-encoded). */
  forwarded: number;
  ssrcs: Set<number>;
}

export interface SupervisedCall {
  receivers: Receiver[];
  hangUp(): Promise<void>;
}

export interface SupervisionSetup {
  name: string;
  call(index: number): Promise<SupervisedCall>;
}

/** The RTP source (one Opus encode written into every party's track) and its recent payloads. */
export interface AudioSource {
  add(tracks: { audio: MediaStreamTrack }): void;
  remove(tracks: { audio: MediaStreamTrack }): void;
  isSourcePayload(payload: Buffer): boolean;
}

const PEER_TIMEOUT_MS = 15_000;

function newReceiver(party: PartyName): Receiver {
  return { party, packets: 0, payloadBytes: 0, forwarded: 0, ssrcs: new Set() };
}

function counter(receiver: Receiver, source: AudioSource): (rtp: RtpPacket) => void {
  return (rtp) => {
    receiver.packets++;
    receiver.payloadBytes += rtp.payload.length;
    receiver.ssrcs.add(rtp.header.ssrc);
    if (source.isSourcePayload(rtp.payload)) receiver.forwarded++;
  };
}

async function untilEveryReceiverHasMedia(receivers: Receiver[], timeoutMs = PEER_TIMEOUT_MS): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; receivers.some((r) => r.packets === 0); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`no audio at ${receivers.filter((r) => r.packets === 0).map((r) => r.party).join(', ')} after ${timeoutMs} ms`);
  }
}

async function detachAll(handles: { detach(): Promise<void> }[]): Promise<void> {
  await Promise.all(handles.map((h) => h.detach().catch(() => {})));
}

export function videoRoomBarge(transport: JanusTransport, source: AudioSource, firstRoom: number): SupervisionSetup {
  let control: VideoRoomHandle | undefined;
  return {
    name: 'VideoRoom forwarding',
    async call(index) {
      control ??= await transport.attach(VideoRoomPlugin);
      const room = firstRoom + index;
      await control.create({ room, max_publishers: PARTIES.length, audiocodec: 'opus', is_private: true, notify_joining: false, permanent: false });
      const handles: VideoRoomHandle[] = [];
      const attach = async () => {
        const handle = await transport.attach(VideoRoomPlugin);
        handles.push(handle);
        return handle;
      };
      const publishers = await Promise.all(
        PARTIES.map(async (party) => {
          const handle = await attach();
          let feed = 0;
          const peer = await publishPeer(
            {
              publish: async (offer) => {
                const joined = await handle.joinConfigurePublisher({ room, display: party, jsep: offer });
                feed = joined.feed;
                return { legId: String(joined.feed), answer: joined.jsep! };
              },
            },
            PEER_TIMEOUT_MS,
            { video: false },
          );
          source.add(peer);
          return { party, feed, peer };
        }),
      );
      const receivers = PARTIES.map(newReceiver);
      // Like our barge: one subscription per (receiver, publisher), so switching modes adds or drops one.
      const subscriptions: SubscriberPeer[] = await Promise.all(
        receivers.flatMap((receiver) =>
          publishers
            .filter((p) => p.party !== receiver.party)
            .map(async (publisher) => {
              const handle = await attach();
              return subscribePeer(
                {
                  subscribe: async () => {
                    const joined = await handle.joinSubscriber({ room, streams: [{ feed: publisher.feed }], autoupdate: false });
                    return { legId: String(handle.id), offer: joined.jsep! };
                  },
                  answer: async (_legId, answer) => {
                    await handle.start({ jsep: answer });
                  },
                },
                PEER_TIMEOUT_MS,
                (kind, rtp) => kind === 'audio' && counter(receiver, source)(rtp),
              );
            }),
        ),
      );
      await untilEveryReceiverHasMedia(receivers);
      return {
        receivers,
        hangUp: async () => {
          publishers.forEach((p) => source.remove(p.peer));
          await Promise.all([...publishers.map((p) => p.peer), ...subscriptions].map((p) => p.close()));
          await detachAll(handles);
          await control!.destroy({ room });
        },
      };
    },
  };
}

interface BridgeParty {
  handle: AudioBridgeHandle;
  pc: RTCPeerConnection;
  tracks: { audio: MediaStreamTrack };
}

/** Joins the room and negotiates one sendrecv Opus peer connection: sends the source, receives the mix. */
async function joinBridge(transport: JanusTransport, room: number, receiver: Receiver, source: AudioSource): Promise<BridgeParty> {
  const handle = await transport.attach(AudioBridgePlugin);
  const pc = new RTCPeerConnection({ codecs });
  try {
    await handle.join({ room, display: receiver.party, muted: false });
    const audio = new MediaStreamTrack({ kind: 'audio' });
    pc.addTransceiver(audio, { direction: 'sendrecv' });
    const count = counter(receiver, source);
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(count));
    await pc.setLocalDescription(await pc.createOffer());
    // NOTE: Janus as the DTLS server, as in peer.ts (avoids OpenSSL's 1 s ClientHello retransmission).
    const sdp = pc.localDescription!.sdp.replace(/a=setup:actpass/g, 'a=setup:active');
    const configured = await handle.configure({ muted: false, jsep: { type: 'offer', sdp } });
    if (!configured.jsep) throw new Error('AudioBridge configure returned no JSEP answer');
    await pc.setRemoteDescription(configured.jsep);
    await whenConnected(pc, PEER_TIMEOUT_MS);
    const tracks = { audio };
    source.add(tracks);
    return { handle, pc, tracks };
  } catch (err) {
    await pc.close();
    await handle.detach().catch(() => {});
    throw err;
  }
}

/** `samplingHz`: the rate Janus mixes at (the room's `sampling`); 48000 is full band, like the source. */
export function audioBridgeBarge(transport: JanusTransport, source: AudioSource, firstRoom: number, samplingHz: number): SupervisionSetup {
  let control: AudioBridgeHandle | undefined;
  return {
    name: 'AudioBridge mix',
    async call(index) {
      control ??= await transport.attach(AudioBridgePlugin);
      const room = firstRoom + index;
      await control.create({ room, sampling_rate: samplingHz, is_private: true, permanent: false, talking_events: false });
      const receivers = PARTIES.map(newReceiver);
      const joined = await Promise.allSettled(receivers.map((r) => joinBridge(transport, room, r, source)));
      const parties = joined.flatMap((j) => (j.status === 'fulfilled' ? [j.value] : []));
      const hangUp = async () => {
        parties.forEach((p) => source.remove(p.tracks));
        await Promise.all(parties.map((p) => p.pc.close()));
        await Promise.all(parties.map((p) => p.handle.leave().catch(() => {})));
        await detachAll(parties.map((p) => p.handle));
        await control!.destroy({ room });
      };
      const failed = joined.find((j): j is PromiseRejectedResult => j.status === 'rejected');
      if (failed) {
        await hangUp();
        throw failed.reason;
      }
      await untilEveryReceiverHasMedia(receivers);
      return { receivers, hangUp };
    },
  };
}
