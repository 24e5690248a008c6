import fs from 'node:fs/promises';
import path from 'node:path';

/** One recorded track: a `.mjr` file Janus wrote for one publisher's audio or video. */
export interface RecordedTrack {
  /** Absolute path of the `.mjr` file. */
  file: string;
  /** Our media participant id (`visitor:…`, `agent:…`), from the file's name. */
  participantId: string;
  /** When the participant published (ms), from the file's name: a republish makes new files. */
  publishedAtMs: number;
  kind: 'audio' | 'video';
  /** `opus`, `vp8`, `h264`… (the header's `c`). */
  codec: string;
  /** Wall-clock time of the first packet written (µs, the header's `u`): what tracks are aligned by. */
  firstPacketUs: number;
}

/** `p-<participant id in base64url>-<published at ms>-<audio|video>-<m-line index>.mjr` (videoroom.ts names them). */
const TRACK_FILE = /^p-([A-Za-z0-9_-]+)-(\d+)-(audio|video)-(\d+)\.mjr$/;

interface MjrHeader {
  t?: string;
  c?: string;
  s?: number;
  u?: number;
}

/**
 * Reads a `.mjr` header: `MJR00002`, a 16-bit big-endian length, then that many bytes of JSON
 * (`t` a|v|d, `c` codec, `s` created and `u` first packet, both µs). Null: not a recording we can use
 * (no packet was ever written, an old format, a data channel).
 */
export async function readMjrHeader(file: string): Promise<MjrHeader | null> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(10);
    const { bytesRead } = await handle.read(head, 0, 10, 0);
    if (bytesRead < 10 || head.toString('latin1', 0, 8) !== 'MJR00002') return null;
    const length = head.readUInt16BE(8);
    const json = Buffer.alloc(length);
    const read = await handle.read(json, 0, length, 10);
    if (read.bytesRead < length) return null;
    return JSON.parse(json.toString('utf8')) as MjrHeader;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/** The usable tracks of a recording directory, oldest publish first. Files of other names are ignored. */
export async function listRecordedTracks(dir: string): Promise<RecordedTrack[]> {
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const tracks: RecordedTrack[] = [];
  for (const name of names.sort()) {
    const match = TRACK_FILE.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    const header = await readMjrHeader(file);
    const kind = match[3] as 'audio' | 'video';
    if (!header || header.t !== kind[0] || typeof header.c !== 'string' || typeof header.u !== 'number' || header.u <= 0) continue;
    tracks.push({ file, participantId: Buffer.from(match[1]!, 'base64url').toString('utf8'), publishedAtMs: Number(match[2]), kind, codec: header.c, firstPacketUs: header.u });
  }
  return tracks.sort((a, b) => a.firstPacketUs - b.firstPacketUs);
}
