import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { MediaStreamTrack } from 'werift';

/**
 * One real encode for every publisher: ffmpeg loops a tone (Opus, 32 kbit/s) and a moving test
 * pattern (VP8, 640×360, 30 fps, constant 600 kbit/s, like a webcam call) to two loopback UDP ports as RTP, and each packet is written into every
 * registered werift track (werift sets each sender's own SSRC and payload type). One encoder instead
 * of one per party keeps the load generator's CPU out of the way of what is measured.
 */
type SourceTracks = { audio: MediaStreamTrack; video?: MediaStreamTrack };

export interface RtpSource {
  add(tracks: SourceTracks): void;
  remove(tracks: SourceTracks): void;
  packets: { audio: number; video: number };
  /** Sees every audio RTP packet the encoder sends (to compare what receivers get with what was sent). */
  onAudio(listener: (rtp: Buffer) => void): void;
  close(): Promise<void>;
}

async function bindUdp(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

/** `videoKbps` 0: audio only (no VP8 encode). */
export async function startRtpSource(audioPath: string, videoKbps = 600): Promise<RtpSource> {
  const [audioSocket, videoSocket] = await Promise.all([bindUdp(), bindUdp()]);
  const targets = new Set<SourceTracks>();
  const packets = { audio: 0, video: 0 };
  const audioListeners: ((rtp: Buffer) => void)[] = [];
  audioSocket.on('message', (buf) => {
    packets.audio++;
    for (const listener of audioListeners) listener(buf);
    for (const t of targets) t.audio.writeRtp(buf);
  });
  videoSocket.on('message', (buf) => {
    packets.video++;
    for (const t of targets) t.video?.writeRtp(buf);
  });
  const port = (s: dgram.Socket) => (s.address() as AddressInfo).port;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-loglevel', 'error',
      '-re', '-stream_loop', '-1', '-i', audioPath,
      ...(videoKbps > 0 ? ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30'] : []),
      '-map', '0:a', '-c:a', 'libopus', '-b:a', '32k', '-ar', '48000', '-ac', '2', '-payload_type', '111', '-f', 'rtp', `rtp://127.0.0.1:${port(audioSocket)}?pkt_size=1200`,
      ...(videoKbps > 0
        ? ['-map', '1:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${videoKbps}k`, '-minrate', `${videoKbps}k`, '-maxrate', `${videoKbps}k`, '-g', '60', '-payload_type', '96', '-f', 'rtp', `rtp://127.0.0.1:${port(videoSocket)}?pkt_size=1200`]
        : []),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    add: (tracks) => targets.add(tracks),
    remove: (tracks) => targets.delete(tracks),
    packets,
    onAudio: (listener) => audioListeners.push(listener),
    async close() {
      ffmpeg.kill('SIGKILL');
      audioSocket.close();
      videoSocket.close();
    },
  };
}
