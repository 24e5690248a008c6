/**
 * The post-processing plan of one recording, as pure functions of its tracks: which file janus-pp-rec
 * makes of each `.mjr`, then one ffmpeg run that aligns every track by the wall-clock time of its
 * first packet and writes the mixed file (participants side by side, their audio mixed) and one file
 * per participant. No I/O here: `post-processor.ts` runs the plan.
 */

export type RecordingMode = 'audio' | 'audio_video';

/** A track once janus-pp-rec made a playable file of it. */
export interface DecodedTrack {
  participantId: string;
  kind: 'audio' | 'video';
  /** The decoded file (`.opus`, `.webm`, `.mkv`). */
  file: string;
  /** Wall-clock time of its first packet (µs, from the `.mjr` header). */
  firstPacketUs: number;
  /** Its duration as ffprobe reads it (ms). */
  durationMs: number;
}

export interface PlannedOutput {
  /** `mixed`: everyone; `participant`: one participant's own audio (and video). */
  role: 'mixed' | 'participant';
  participantId: string | null;
  /** File name in the output directory. */
  name: string;
  format: 'mp4' | 'm4a';
}

export interface FfmpegPlan {
  args: string[];
  outputs: PlannedOutput[];
  /** From the first packet of any track to the end of the last one. */
  durationMs: number;
  /** The first packet of any track (ms since the epoch): the recording's real start. */
  startedAtMs: number;
  /** Participants in slot order (left to right in the mixed video): first to send first. */
  participantIds: string[];
}

/** Each participant's picture in the mixed video, and its own file's. */
export const SLOT_WIDTH = 640;
export const SLOT_HEIGHT = 480;
export const OUTPUT_FPS = 15;
/** A participant's first picture is held back to the recording's start when its video began at most this late. */
export const LEAD_IN_HOLD_MAX_MS = 1000;

/** The extension janus-pp-rec is asked for per codec; null: a codec we do not post-process. */
export function decodedExtensionOf(codec: string): string | null {
  switch (codec) {
    case 'opus':
      return 'opus';
    case 'vp8':
    case 'vp9':
      return 'webm';
    case 'h264':
      return 'mkv';
    default:
      return null;
  }
}

/** janus-pp-rec's arguments for one track (quiet: errors only). */
export function janusPpRecArgs(mjrFile: string, outFile: string): string[] {
  return ['-d', '1', '-o', mjrFile, outFile];
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** A shared screen's tracks (calls' `screen:<role>:<id>` publisher): its own slot and file, video only. */
const isScreen = (participantId: string) => participantId.startsWith('screen:');
const slotRank = (participantId: string) => (isScreen(participantId) ? 2 : participantId.startsWith('visitor:') ? 0 : 1);

/**
 * One ffmpeg run for the whole recording. Each participant gets a slot: a black picture for the
 * whole recording with each of its video tracks laid over it from the moment its first packet came
 * (a republish adds tracks), and its audio tracks delayed by the same offsets. The mixed output
 * stacks the slots side by side and mixes every audio track; each participant's output has its own
 * slot. H.264 (ultrafast, yuv420p) and AAC in MP4; audio-only recordings are M4A.
 */
export function planFfmpeg(tracks: readonly DecodedTrack[], mode: RecordingMode): FfmpegPlan {
  const used = tracks.filter((t) => mode === 'audio_video' || t.kind === 'audio');
  if (used.length === 0) throw new Error('a recording without any track cannot be post-processed');
  const startUs = Math.min(...used.map((t) => t.firstPacketUs));
  const offsetMs = (t: DecodedTrack) => Math.round((t.firstPacketUs - startUs) / 1000);
  const durationMs = Math.max(...used.map((t) => offsetMs(t) + t.durationMs));
  // Visitors first (left), then the others in the order they first sent (used is sorted by first packet), screens last.
  const byFirstPacket = [...used].sort((x, y) => x.firstPacketUs - y.firstPacketUs);
  const participantIds = [...new Set(byFirstPacket.map((t) => t.participantId))].sort((x, y) => slotRank(x) - slotRank(y));

  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  used.forEach((t) => args.push('-i', t.file));
  const filters: string[] = [];
  const hasVideo = mode === 'audio_video';
  const slotAudio: (string | null)[] = [];
  const slotVideo: string[] = [];

  participantIds.forEach((pid, slot) => {
    const own = used.map((t, index) => ({ t, index })).filter(({ t }) => t.participantId === pid);
    if (hasVideo) {
      let base = `vb${slot}_0`;
      filters.push(`color=c=black:s=${SLOT_WIDTH}x${SLOT_HEIGHT}:r=${OUTPUT_FPS}:d=${seconds(durationMs)}[${base}]`);
      own
        .filter(({ t }) => t.kind === 'video')
        .forEach(({ t, index }, n) => {
          const seg = `vs${slot}_${n}`;
          // NOTE: video starts a little after audio (the first keyframe); a slot's first picture is held over
          // that lead-in instead of showing black. A later start (a late joiner) stays black until then.
          // A screen is never held back: it shows only from when it was shared.
          const isLeadIn = n === 0 && !isScreen(pid) && offsetMs(t) <= LEAD_IN_HOLD_MAX_MS;
          const placed = isLeadIn ? `setpts=PTS-STARTPTS,tpad=start_duration=${seconds(offsetMs(t))}:start_mode=clone` : `setpts=PTS-STARTPTS+${seconds(offsetMs(t))}/TB`;
          filters.push(
            `[${index}:v]${placed},scale=${SLOT_WIDTH}:${SLOT_HEIGHT}:force_original_aspect_ratio=decrease,` +
              `pad=${SLOT_WIDTH}:${SLOT_HEIGHT}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${OUTPUT_FPS}[${seg}]`,
          );
          const next = `vb${slot}_${n + 1}`;
          filters.push(`[${base}][${seg}]overlay=eof_action=pass:repeatlast=0[${next}]`);
          base = next;
        });
      filters.push(`[${base}]split=2[vm${slot}][vo${slot}]`);
      slotVideo.push(`vm${slot}`);
    }
    const audio = own.filter(({ t }) => t.kind === 'audio');
    audio.forEach(({ t, index }, n) => filters.push(`[${index}:a]aresample=48000,adelay=${offsetMs(t)}:all=1[as${slot}_${n}]`));
    if (audio.length === 0) {
      slotAudio.push(null);
      return;
    }
    const joined = audio.length === 1 ? `as${slot}_0` : `aj${slot}`;
    if (audio.length > 1) filters.push(`${audio.map((_, n) => `[as${slot}_${n}]`).join('')}amix=inputs=${audio.length}:duration=longest:normalize=0[${joined}]`);
    filters.push(`[${joined}]asplit=2[am${slot}][ao${slot}]`);
    slotAudio.push(`am${slot}`);
  });

  const mixedAudio = slotAudio.filter((a): a is string => a !== null);
  if (mixedAudio.length > 1) filters.push(`${mixedAudio.map((a) => `[${a}]`).join('')}amix=inputs=${mixedAudio.length}:duration=longest:normalize=0[amix]`);
  const mixedAudioLabel = mixedAudio.length === 0 ? null : mixedAudio.length === 1 ? mixedAudio[0]! : 'amix';
  const mixedVideoLabel = !hasVideo ? null : slotVideo.length === 1 ? slotVideo[0]! : 'vmix';
  if (hasVideo && slotVideo.length > 1) filters.push(`${slotVideo.map((v) => `[${v}]`).join('')}hstack=inputs=${slotVideo.length}[vmix]`);
  args.push('-filter_complex', filters.join(';'));

  const format: PlannedOutput['format'] = hasVideo ? 'mp4' : 'm4a';
  const outputs: PlannedOutput[] = [];
  const encode = (video: string | null, audio: string | null, output: PlannedOutput) => {
    if (video) args.push('-map', `[${video}]`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-r', String(OUTPUT_FPS));
    if (audio) args.push('-map', `[${audio}]`, '-c:a', 'aac', '-b:a', '96k', '-ar', '48000');
    args.push('-t', seconds(durationMs), '-movflags', '+faststart', output.name);
    outputs.push(output);
  };
  encode(mixedVideoLabel, mixedAudioLabel, { role: 'mixed', participantId: null, name: `mixed.${format}`, format });
  let screens = 0;
  participantIds.forEach((pid, slot) => {
    const audio = slotAudio[slot] ? `ao${slot}` : null;
    const video = hasVideo ? `vo${slot}` : null;
    const name = isScreen(pid) ? `screen-${++screens}.${format}` : `participant-${slot + 1}.${format}`;
    encode(video, audio, { role: 'participant', participantId: pid, name, format });
  });
  // NOTE: a split or asplit output that no encoder reads would stall the graph; every one is mapped above.
  return { args, outputs, durationMs, startedAtMs: Math.round(startUs / 1000), participantIds };
}
