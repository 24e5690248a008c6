import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMjrMedia, vp8KeyframeSize } from './mjr-media.ts';
import { listRecordedTracks } from './mjr-tracks.ts';

/** An MJR00002 file of RTP packets with these timestamps (payload type 111 or 96, given payloads). */
function writeMjr(file: string, kind: 'a' | 'v', codec: string, packets: { ts: number; payload?: Buffer }[]): void {
  const json = Buffer.from(JSON.stringify({ t: kind, c: codec, s: 1, u: 2 }));
  const parts: Buffer[] = [Buffer.from('MJR00002'), Buffer.alloc(2), json];
  parts[1]!.writeUInt16BE(json.length);
  packets.forEach(({ ts, payload = Buffer.alloc(4) }, seq) => {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = kind === 'a' ? 111 : 96;
    rtp.writeUInt16BE(seq & 0xffff, 2);
    rtp.writeUInt32BE(ts >>> 0, 4);
    const frame = Buffer.alloc(10);
    frame.write('MEET', 0, 'latin1');
    frame.writeUInt32BE(seq * 20, 4);
    frame.writeUInt16BE(12 + payload.length, 8);
    parts.push(frame, rtp, payload);
  });
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** A VP8 payload descriptor (X with a 15-bit PictureID) and a keyframe header of `width`×`height`. */
function vp8Keyframe(width: number, height: number): Buffer {
  const b = Buffer.alloc(3 + 10);
  b[0] = 0x90; // X, S, partition 0
  b[1] = 0x80; // I
  b[2] = 0x80; // M: PictureID on 15 bits (one more byte)
  const frame = Buffer.alloc(10);
  frame[0] = 0x10; // P = 0: a keyframe
  frame[3] = 0x9d;
  frame[4] = 0x01;
  frame[5] = 0x2a;
  frame.writeUInt16LE(width, 6);
  frame.writeUInt16LE(height, 8);
  return Buffer.concat([b.subarray(0, 4), frame]);
}

describe('readMjrMedia', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mjr-media-'));

  it('an audio track lasts from its first to its last RTP timestamp plus a frame, across a 32-bit wrap', async () => {
    const file = path.join(dir, 'a.mjr');
    const start = 0xffff_ffff - 48_000; // wraps one second in
    writeMjr(file, 'a', 'opus', Array.from({ length: 151 }, (_, i) => ({ ts: start + i * 960 })));
    expect(await readMjrMedia(file, 'audio', 'opus')).toEqual({ durationMs: 3020 });
  });

  it('a VP8 track: its first keyframe gives the picture size; packets out of order do not stretch it', async () => {
    const file = path.join(dir, 'v.mjr');
    writeMjr(file, 'v', 'vp8', [{ ts: 9000 }, { ts: 12_000, payload: vp8Keyframe(640, 360) }, { ts: 18_000 }, { ts: 15_000 }, { ts: 99_000, payload: vp8Keyframe(1280, 720) }]);
    expect(await readMjrMedia(file, 'video', 'vp8')).toEqual({ durationMs: 1033, width: 640, height: 360 });
  });

  it('reads what janus-pp-rec reads of the recorded fixture (a short call): durations and 320×240', async () => {
    const tracks = await listRecordedTracks(path.join(import.meta.dirname, '../../../../test/fixtures/recording'));
    // `janus-pp-rec -e` of these files: agent 5.020 s audio, 4.933 s video; visitor 7.060 s and 7.000 s; 320×240.
    const expected: Record<string, number> = { 'agent:a1 audio': 5020, 'agent:a1 video': 4933, 'visitor:v1 audio': 7060, 'visitor:v1 video': 7000 };
    expect(tracks.map((t) => `${t.participantId} ${t.kind}`).sort()).toEqual(Object.keys(expected).sort());
    for (const t of tracks) {
      const media = await readMjrMedia(t.file, t.kind, t.codec);
      expect(Math.abs(media.durationMs - expected[`${t.participantId} ${t.kind}`]!)).toBeLessThanOrEqual(40);
      if (t.kind === 'video') expect([media.width, media.height]).toEqual([320, 240]);
    }
  });

  it('vp8KeyframeSize: null for a continuation, a later partition or an interframe', () => {
    expect(vp8KeyframeSize(vp8Keyframe(320, 240))).toEqual({ width: 320, height: 240 });
    const continuation = vp8Keyframe(320, 240);
    continuation[0] = 0x80;
    expect(vp8KeyframeSize(continuation)).toBeNull();
    const inter = vp8Keyframe(320, 240);
    inter[4] = 0x11;
    expect(vp8KeyframeSize(inter)).toBeNull();
  });
});
