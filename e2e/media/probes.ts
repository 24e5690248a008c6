import type { Page } from 'playwright-core';

/**
 * In-page probes that prove media by its content: the dominant frequency and the level of a remote
 * audio track (WebAudio AnalyserNode) and the mean colour of a remote video track (a frame drawn to a
 * canvas). Each runs in the page through `page.evaluate`, on the tracks the call client received from
 * `publisherParticipantId` (call-client.ts).
 */

export interface AudioProbe {
  /** Strongest frequency over the window. */
  dominantHz: number;
  /** RMS level of the waveform, in dBFS (-Infinity for digital silence). */
  levelDb: number;
}

export interface ColourProbe {
  r: number;
  g: number;
  b: number;
  width: number;
  height: number;
}

/** Listens to the remote audio for `windowMs` and reports its dominant frequency and level. */
export function probeRemoteAudio(page: Page, publisherParticipantId: string, windowMs = 1000): Promise<AudioProbe> {
  return page.evaluate(
    async ({ publisherParticipantId, windowMs }) => {
      const call = (window as unknown as { __call: { remote: Record<string, { audio?: MediaStreamTrack }> } }).__call;
      const track = call.remote[publisherParticipantId]?.audio;
      if (!track) throw new Error(`no remote audio from ${publisherParticipantId}`);
      const stream = new MediaStream([track]);
      // NOTE: Chromium feeds a remote WebRTC track to WebAudio only while a media element plays it.
      const sink = document.createElement('audio');
      sink.muted = true;
      sink.srcObject = stream;
      await sink.play().catch(() => {});
      const ctx = new AudioContext();
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const bins = new Float32Array(analyser.frequencyBinCount);
      const sum = new Float32Array(analyser.frequencyBinCount);
      const wave = new Float32Array(analyser.fftSize);
      let squares = 0;
      let samples = 0;
      const endMs = performance.now() + windowMs;
      while (performance.now() < endMs) {
        await new Promise((r) => setTimeout(r, 100));
        analyser.getFloatFrequencyData(bins);
        for (let i = 0; i < bins.length; i++) sum[i]! += Math.pow(10, bins[i]! / 20);
        analyser.getFloatTimeDomainData(wave);
        for (const v of wave) squares += v * v;
        samples += wave.length;
      }
      let peak = 1;
      for (let i = 2; i < sum.length; i++) if (sum[i]! > sum[peak]!) peak = i;
      const result = { dominantHz: (peak * ctx.sampleRate) / analyser.fftSize, levelDb: 10 * Math.log10(squares / Math.max(1, samples)) };
      await ctx.close();
      sink.srcObject = null;
      return result;
    },
    { publisherParticipantId, windowMs },
  );
}

/** Plays the remote video and averages the colour of one decoded frame. */
export function probeRemoteColour(page: Page, publisherParticipantId: string): Promise<ColourProbe> {
  return page.evaluate(async (publisherParticipantId) => {
    const call = (window as unknown as { __call: { remote: Record<string, { video?: MediaStreamTrack }> } }).__call;
    const track = call.remote[publisherParticipantId]?.video;
    if (!track) throw new Error(`no remote video from ${publisherParticipantId}`);
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    await video.play();
    const deadline = performance.now() + 10_000;
    while (video.videoWidth === 0 || video.readyState < 2) {
      if (performance.now() > deadline) throw new Error('remote video never produced a frame');
      await new Promise((r) => setTimeout(r, 50));
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let r = 0;
    let g = 0;
    let b = 0;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]!;
      g += data[i + 1]!;
      b += data[i + 2]!;
    }
    const n = data.length / 4;
    video.srcObject = null;
    return { r: r / n, g: g / n, b: b / n, width: canvas.width, height: canvas.height };
  }, publisherParticipantId);
}

/** Which of red, green, blue dominates a mean colour (the fake captures are pure colours). */
export function dominantChannel(colour: ColourProbe): 'red' | 'green' | 'blue' {
  if (colour.r >= colour.g && colour.r >= colour.b) return 'red';
  return colour.g >= colour.b ? 'green' : 'blue';
}

export interface VideoActivityProbe {
  /** Frames the remote track delivered during the window. */
  frames: number;
  /** Mean colour of the last frame, null when none came. */
  colour: ColourProbe | null;
}

/**
 * Counts the frames a remote video track delivers during `windowMs` (requestVideoFrameCallback) and
 * averages the last one: a camera turned off shows as no frames (a still picture) or dark ones.
 */
export function probeRemoteVideoActivity(page: Page, publisherParticipantId: string, windowMs = 1000): Promise<VideoActivityProbe> {
  return page.evaluate(
    async ({ publisherParticipantId, windowMs }) => {
      const call = (window as unknown as { __call: { remote: Record<string, { video?: MediaStreamTrack }> } }).__call;
      const track = call.remote[publisherParticipantId]?.video;
      if (!track) throw new Error(`no remote video from ${publisherParticipantId}`);
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = new MediaStream([track]);
      void video.play().catch(() => {});
      let frames = 0;
      const count = () => {
        frames++;
        video.requestVideoFrameCallback(count);
      };
      video.requestVideoFrameCallback(count);
      await new Promise((r) => setTimeout(r, windowMs));
      let colour: { r: number; g: number; b: number; width: number; height: number } | null = null;
      if (video.videoWidth > 0) {
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
        ctx.drawImage(video, 0, 0);
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let r = 0;
        let g = 0;
        let b = 0;
        for (let i = 0; i < data.length; i += 4) {
          r += data[i]!;
          g += data[i + 1]!;
          b += data[i + 2]!;
        }
        const n = data.length / 4;
        colour = { r: r / n, g: g / n, b: b / n, width: canvas.width, height: canvas.height };
      }
      video.srcObject = null;
      return { frames, colour };
    },
    { publisherParticipantId, windowMs },
  );
}
