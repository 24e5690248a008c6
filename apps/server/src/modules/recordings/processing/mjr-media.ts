import fs from 'node:fs/promises';

/** What the plan needs of a track, read from its `.mjr` packets instead of an ffprobe of the decoded file. */
export interface MjrMedia {
  /** From the first to the last RTP timestamp, plus one frame (ms). */
  durationMs: number;
  /** The first VP8 keyframe's picture size; absent for audio, other codecs, or when none was found. */
  width?: number | undefined;
  height?: number | undefined;
}

const WRAP = 0x1_0000_0000;

/** RTP clock rates: Opus and every video codec WebRTC sends. */
const clockRateOf = (kind: 'audio' | 'video') => (kind === 'audio' ? 48_000 : 90_000);
/** One Opus frame (20 ms) or one video frame at 30 fps, added to the span between first and last timestamp. */
const frameMsOf = (kind: 'audio' | 'video') => (kind === 'audio' ? 20 : 33);

/** The size in a VP8 RTP payload that starts a keyframe (RFC 7741 payload descriptor, then RFC 6386 §9.1), or null. */
export function vp8KeyframeSize(payload: Buffer): { width: number; height: number } | null {
  if (payload.length < 1) return null;
  const first = payload[0]!;
  // S (start of partition) with partition index 0: the frame's first bytes follow the descriptor.
  if ((first & 0x10) === 0 || (first & 0x07) !== 0) return null;
  let at = 1;
  if (first & 0x80) {
    const ext = payload[at++];
    if (ext === undefined) return null;
    if (ext & 0x80) at += (payload[at] ?? 0) & 0x80 ? 2 : 1; // I: PictureID, 7 or 15 bits
    if (ext & 0x40) at += 1; // L: TL0PICIDX
    if (ext & 0x30) at += 1; // T or K: TID/KEYIDX
  }
  // A keyframe: P bit clear, then the start code 9d 01 2a and two 14-bit sizes (little-endian).
  if (payload.length < at + 10 || (payload[at]! & 0x01) !== 0) return null;
  if (payload[at + 3] !== 0x9d || payload[at + 4] !== 0x01 || payload[at + 5] !== 0x2a) return null;
  return { width: payload.readUInt16LE(at + 6) & 0x3fff, height: payload.readUInt16LE(at + 8) & 0x3fff };
}

/**
 * Reads a `.mjr` (MJR00002): after the JSON header, each packet is `MEET`, a 32-bit arrival time (ms),
 * a 16-bit length, then the RTP packet. The duration is the span of the RTP timestamps (unwrapped),
 * as janus-pp-rec lays the packets out; the size is the first VP8 keyframe's.
 */
export async function readMjrMedia(file: string, kind: 'audio' | 'video', codec: string): Promise<MjrMedia> {
  const data = await fs.readFile(file);
  if (data.length < 10 || data.toString('latin1', 0, 8) !== 'MJR00002') throw new Error('not an MJR00002 recording');
  let at = 10 + data.readUInt16BE(8);
  let first: number | null = null;
  let last = 0;
  let min = 0;
  let max = 0;
  let size: { width: number; height: number } | null = null;
  while (at + 10 <= data.length) {
    if (data.toString('latin1', at, at + 4) !== 'MEET') break;
    const length = data.readUInt16BE(at + 8);
    const packet = data.subarray(at + 10, at + 10 + length);
    at += 10 + length;
    if (packet.length < 12 || (packet[0]! & 0xc0) !== 0x80) continue;
    const raw = packet.readUInt32BE(4);
    // Unwrapped against the previous packet: a 32-bit timestamp wraps (and packets may be a little out of order).
    if (first === null) {
      first = raw;
      last = min = max = raw;
    } else {
      const previous = ((last % WRAP) + WRAP) % WRAP;
      last += ((raw - previous + WRAP + WRAP / 2) % WRAP) - WRAP / 2;
      min = Math.min(min, last);
      max = Math.max(max, last);
    }
    if (!size && kind === 'video' && codec === 'vp8') {
      const cc = packet[0]! & 0x0f;
      let offset = 12 + 4 * cc;
      if (packet[0]! & 0x10 && packet.length >= offset + 4) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
      size = packet.length > offset ? vp8KeyframeSize(packet.subarray(offset)) : null;
    }
  }
  if (first === null) throw new Error('no RTP packet in the recording');
  const durationMs = Math.round(((max - min) * 1000) / clockRateOf(kind)) + frameMsOf(kind);
  return { durationMs, ...(size ? { width: size.width, height: size.height } : {}) };
}
