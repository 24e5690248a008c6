import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** janus-pp-rec, ffmpeg and ffprobe are installed (`sudo bash scripts/media.sh`): recordings can be post-processed. */
export const HAS_MEDIA_TOOLS = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v janus-pp-rec && command -v ffmpeg && command -v ffprobe'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Tracks Janus recorded of a short call (visitor:v1 440 Hz red, agent:a1 880 Hz green). */
const FIXTURE_TRACKS = path.join(import.meta.dirname, 'fixtures', 'recording');

/** Writes the fixture's tracks into `dir` as Janus would have left them: written 5 s ago, so complete. */
export function copyRecordedTracks(dir: string): void {
  const past = new Date(Date.now() - 5000);
  for (const name of fs.readdirSync(FIXTURE_TRACKS)) {
    const target = path.join(dir, name);
    fs.copyFileSync(path.join(FIXTURE_TRACKS, name), target);
    fs.utimesSync(target, past, past);
  }
}
