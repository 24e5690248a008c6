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
  /** `opus`, `vp8`… (the `.mjr` header's): decides whether a participant's file can be a remux. */
  codec: string;
  /** The decoded file (`.opus`, `.webm`, `.mkv`). */
  file: string;
  /** Wall-clock time of its first packet (µs, from the `.mjr` header). */
  firstPacketUs: number;
  /** Its duration (ms), from its RTP timestamps. */
  durationMs: number;
  /** A video's picture size (its first keyframe's); absent for audio or when unknown. */
  width?: number | undefined;
  height?: number | undefined;
}

export interface PlannedOutput {
  /** `mixed`: everyone; `participant`: one participant's own audio (and video). */
  role: 'mixed' | 'participant';
  participantId: string | null;
  /** File name in the output directory. */
  name: string;
  format: 'mp4' | 'm4a' | 'webm';
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

/** The box pictures are fitted into to size the slots: a slot is the largest picture once fitted (none is enlarged to size it). */
export const SLOT_MAX_WIDTH = 640;
export const SLOT_MAX_HEIGHT = 480;
export const OUTPUT_FPS = 15;
/** A participant's first picture is held back to the recording's start when its video began at most this late. */
export const LEAD_IN_HOLD_MAX_MS = 1000;
/** A picture that ends this much before the recording turns black (a stopped share, a participant gone); less keeps its last frame. */
export const TRAILING_BLACK_MIN_MS = 1000;

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
const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** A shared screen's tracks (calls' `screen:<role>:<id>` publisher): its own slot and file, video only. */
const isScreen = (participantId: string) => participantId.startsWith('screen:');
const slotRank = (participantId: string) => (isScreen(participantId) ? 2 : participantId.startsWith('visitor:') ? 0 : 1);

/** Every slot's size: each picture fitted into the box (scaled down only), then the largest width and height. */
export function slotSizeOf(videos: readonly DecodedTrack[]): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const t of videos) {
    if (!t.width || !t.height) continue;
    const scale = Math.min(1, SLOT_MAX_WIDTH / t.width, SLOT_MAX_HEIGHT / t.height);
    width = Math.max(width, even(t.width * scale));
    height = Math.max(height, even(t.height * scale));
  }
  return width > 0 ? { width, height } : { width: SLOT_MAX_WIDTH, height: SLOT_MAX_HEIGHT };
}

/**
 * A camera's own file is a remux of its tracks (no decoding, no encoding) when WebM holds them as they
 * are: at most one Opus audio and one VP8/VP9 video track (a republish makes more; H.264 is encoded).
 * A screen's file is encoded: it is black before and after the share, on the recording's timeline.
 */
function remuxable(pid: string, own: readonly DecodedTrack[]): boolean {
  if (isScreen(pid)) return false;
  const audio = own.filter((t) => t.kind === 'audio');
  const video = own.filter((t) => t.kind === 'video');
  return own.length > 0 && audio.length <= 1 && video.length <= 1 && audio.every((t) => t.codec === 'opus') && video.every((t) => t.codec === 'vp8' || t.codec === 'vp9');
}

/**
 * One ffmpeg run for the whole recording. Each participant gets a slot: its video from the moment its
 * first packet came (its first picture held over a short lead-in, black before a later start), its
 * audio delayed by the same offset. The mixed output stacks the slots side by side and mixes every
 * audio track (H.264 ultrafast and AAC in MP4; audio-only recordings are M4A). Each participant's
 * output is its tracks remuxed into WebM, shifted to the recording's timeline, when they allow it;
 * otherwise its slot encoded like the mixed file.
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
  const hasVideo = mode === 'audio_video';
  const slot = slotSizeOf(used.filter((t) => t.kind === 'video'));
  const size = `${slot.width}x${slot.height}`;
  const fit = `scale=${slot.width}:${slot.height}:force_original_aspect_ratio=decrease,pad=${slot.width}:${slot.height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;

  const inputs: string[] = [];
  let inputCount = 0;
  const input = (file: string, shiftMs?: number): number => {
    if (shiftMs !== undefined) inputs.push('-itsoffset', seconds(shiftMs));
    inputs.push('-i', file);
    return inputCount++;
  };
  used.forEach((t) => input(t.file));
  const filters: string[] = [];
  const slotAudio: (string | null)[] = [];
  const slotVideo: string[] = [];
  /** Per slot: the input indexes of its own file's remux, or null when its slot is encoded. */
  const remuxInputs: ({ index: number; kind: 'audio' | 'video' }[] | null)[] = [];

  participantIds.forEach((pid, s) => {
    const own = used.map((t, index) => ({ t, index })).filter(({ t }) => t.participantId === pid);
    const remux = hasVideo && remuxable(pid, own.map(({ t }) => t));
    if (remux) {
      // NOTE: the same file again as an input of its own, shifted by -itsoffset, copied as it is.
      remuxInputs.push(own.map(({ t }) => ({ index: input(t.file, offsetMs(t)), kind: t.kind })));
    } else remuxInputs.push(null);
    if (hasVideo) {
      const videos = own.filter(({ t }) => t.kind === 'video');
      const label = remux ? `vm${s}` : `vs${s}`;
      if (videos.length === 1) {
        // NOTE: one track (the usual case) is placed by tpad, without a full-length black picture to lay it over.
        const { t, index } = videos[0]!;
        const lead = offsetMs(t);
        // Video starts a little after audio (the first keyframe): its first picture is held over that lead-in
        // instead of showing black. A later start (a late joiner) is black until then; a screen is never held back.
        const hold = !isScreen(pid) && lead <= LEAD_IN_HOLD_MAX_MS;
        const trailing = durationMs - lead - t.durationMs;
        const pads = [
          ...(lead > 0 ? [`start_duration=${seconds(lead)}:start_mode=${hold ? 'clone' : 'add:color=black'}`] : []),
          ...(trailing >= TRAILING_BLACK_MIN_MS ? [`stop_duration=${seconds(trailing)}:stop_mode=add:color=black`] : []),
        ];
        // NOTE: fps first (fewer pictures to scale); the fit keeps every picture the slot's size even when the sender changes its resolution.
        filters.push(`[${index}:v]setpts=PTS-STARTPTS,fps=${OUTPUT_FPS},${fit}${pads.length > 0 ? `,tpad=${pads.join(':')}` : ''}[${label}]`);
      } else {
        // No track, or a republish: a black picture for the whole recording with each track laid over it from its first packet.
        let base = `vb${s}_0`;
        filters.push(`color=c=black:s=${size}:r=${OUTPUT_FPS}:d=${seconds(durationMs)}[${base}]`);
        videos.forEach(({ t, index }, n) => {
          const seg = `vs${s}_${n}`;
          const isLeadIn = n === 0 && !isScreen(pid) && offsetMs(t) <= LEAD_IN_HOLD_MAX_MS;
          const placed = isLeadIn ? `setpts=PTS-STARTPTS,fps=${OUTPUT_FPS},tpad=start_duration=${seconds(offsetMs(t))}:start_mode=clone` : `setpts=PTS-STARTPTS+${seconds(offsetMs(t))}/TB,fps=${OUTPUT_FPS}`;
          filters.push(`[${index}:v]${placed},${fit}[${seg}]`);
          const next = n === videos.length - 1 ? label : `vb${s}_${n + 1}`;
          filters.push(`[${base}][${seg}]overlay=eof_action=pass:repeatlast=0[${next}]`);
          base = next;
        });
        if (videos.length === 0) filters.push(`[${base}]null[${label}]`);
      }
      if (!remux) filters.push(`[${label}]split=2[vm${s}][vo${s}]`);
      slotVideo.push(`vm${s}`);
    }
    const audio = own.filter(({ t }) => t.kind === 'audio');
    if (audio.length === 0) {
      slotAudio.push(null);
      return;
    }
    // The slot's audio: straight into the mix when its own file is a remux, else split for its own file too.
    const joined = remux ? `am${s}` : `aj${s}`;
    audio.forEach(({ t, index }, n) => filters.push(`[${index}:a]aresample=48000${offsetMs(t) > 0 ? `,adelay=${offsetMs(t)}:all=1` : ''}[${audio.length === 1 ? joined : `as${s}_${n}`}]`));
    if (audio.length > 1) filters.push(`${audio.map((_, n) => `[as${s}_${n}]`).join('')}amix=inputs=${audio.length}:duration=longest:normalize=0[${joined}]`);
    if (!remux) filters.push(`[${joined}]asplit=2[am${s}][ao${s}]`);
    slotAudio.push(`am${s}`);
  });

  const mixedAudio = slotAudio.filter((a): a is string => a !== null);
  if (mixedAudio.length > 1) filters.push(`${mixedAudio.map((a) => `[${a}]`).join('')}amix=inputs=${mixedAudio.length}:duration=longest:normalize=0[amix]`);
  const mixedAudioLabel = mixedAudio.length === 0 ? null : mixedAudio.length === 1 ? mixedAudio[0]! : 'amix';
  const mixedVideoLabel = !hasVideo ? null : slotVideo.length === 1 ? slotVideo[0]! : 'vmix';
  if (hasVideo && slotVideo.length > 1) filters.push(`${slotVideo.map((v) => `[${v}]`).join('')}hstack=inputs=${slotVideo.length}[vmix]`);
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...inputs, '-filter_complex', filters.join(';')];

  const format: 'mp4' | 'm4a' = hasVideo ? 'mp4' : 'm4a';
  const outputs: PlannedOutput[] = [];
  const encode = (video: string | null, audio: string | null, output: PlannedOutput) => {
    if (video) args.push('-map', `[${video}]`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-r', String(OUTPUT_FPS));
    if (audio) args.push('-map', `[${audio}]`, '-c:a', 'aac', '-b:a', '96k', '-ar', '48000');
    args.push('-t', seconds(durationMs), '-movflags', '+faststart', output.name);
    outputs.push(output);
  };
  encode(mixedVideoLabel, mixedAudioLabel, { role: 'mixed', participantId: null, name: `mixed.${format}`, format });
  let screens = 0;
  participantIds.forEach((pid, s) => {
    const remux = remuxInputs[s];
    const own: PlannedOutput['format'] = remux ? 'webm' : format;
    const name = isScreen(pid) ? `screen-${++screens}.${own}` : `participant-${s + 1}.${own}`;
    if (remux) {
      for (const { index, kind } of remux) args.push('-map', `${index}:${kind[0]}`);
      args.push('-c', 'copy', name);
      outputs.push({ role: 'participant', participantId: pid, name, format: own });
      return;
    }
    encode(hasVideo ? `vo${s}` : null, slotAudio[s] ? `ao${s}` : null, { role: 'participant', participantId: pid, name, format: own });
  });
  // NOTE: a split or asplit output that no encoder reads would stall the graph; every one is mapped above.
  return { args, outputs, durationMs, startedAtMs: Math.round(startUs / 1000), participantIds };
}
