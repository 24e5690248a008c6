import type { ElementHandle, Page } from 'playwright-core';

/**
 * In-page probes that prove media by its content: the dominant frequency and the level of a remote
 * audio track (WebAudio AnalyserNode) and the mean colour of a remote video track (a frame drawn to a
 * canvas), run in the page: on the tracks the call client received from a publisher (call-client.ts),
 * or on what a product's own media element plays.
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

type MediaKind = 'audio' | 'video';

/**
 * A muted element of its own playing the track the call client received from `publisherParticipantId`
 * (`window.__call.remote`, call-client.ts). NOTE: Chromium feeds a remote WebRTC track to WebAudio
 * or a canvas only while a media element plays it.
 */
function remoteElement<K extends MediaKind>(page: Page, publisherParticipantId: string, kind: K): Promise<ElementHandle<HTMLElementTagNameMap[K]>> {
  return page
    .evaluateHandle(
      async ({ publisherParticipantId, kind }) => {
        const call = (window as unknown as { __call: { remote: Record<string, Partial<Record<MediaKind, MediaStreamTrack>>> } }).__call;
        const track = call.remote[publisherParticipantId]?.[kind];
        if (!track) throw new Error(`no remote ${kind} from ${publisherParticipantId}`);
        const element = document.createElement(kind);
        element.muted = true;
        if (element instanceof HTMLVideoElement) element.playsInline = true;
        element.srcObject = new MediaStream([track]);
        // A video whose camera is off may never start playing: the probes wait for frames themselves.
        const playing = element.play().catch(() => {});
        if (kind === 'audio') await playing;
        return element;
      },
      { publisherParticipantId, kind },
    )
    .then((handle) => handle as ElementHandle<HTMLElementTagNameMap[K]>);
}

async function withRemoteElement<K extends MediaKind, T>(page: Page, publisherParticipantId: string, kind: K, probe: (element: ElementHandle<HTMLElementTagNameMap[K]>) => Promise<T>): Promise<T> {
  const element = await remoteElement(page, publisherParticipantId, kind);
  try {
    return await probe(element);
  } finally {
    await element.evaluate((el) => void (el.srcObject = null)).catch(() => {});
    await element.dispose();
  }
}

/** What a media element plays, for `windowMs`: the dominant frequency and level of its audio (an AnalyserNode on its stream). */
export function probeElementAudio(element: ElementHandle<HTMLMediaElement>, windowMs = 1000): Promise<AudioProbe> {
  return element.evaluate(async (el, windowMs) => {
    const stream = el.srcObject as MediaStream | null;
    if (!stream || stream.getAudioTracks().length === 0) throw new Error('the element plays no audio track');
    const ctx = new AudioContext();
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks())).connect(analyser);
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
    return result;
  }, windowMs);
}

/** The mean colour of the frame a <video> element shows now (waiting up to 10 s for one). */
export function probeElementColour(video: ElementHandle<HTMLVideoElement>): Promise<ColourProbe> {
  return video.evaluate(async (el) => {
    const deadline = performance.now() + 10_000;
    while (el.videoWidth === 0 || el.readyState < 2 || el.paused) {
      if (performance.now() > deadline) throw new Error(`the video shows no frame (paused: ${el.paused}, readyState: ${el.readyState})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const canvas = document.createElement('canvas');
    canvas.width = el.videoWidth;
    canvas.height = el.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(el, 0, 0);
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
    return { r: r / n, g: g / n, b: b / n, width: canvas.width, height: canvas.height };
  });
}

/** Listens to the remote audio for `windowMs` and reports its dominant frequency and level. */
export function probeRemoteAudio(page: Page, publisherParticipantId: string, windowMs = 1000): Promise<AudioProbe> {
  return withRemoteElement(page, publisherParticipantId, 'audio', (element) => probeElementAudio(element, windowMs));
}

/** Plays the remote video and averages the colour of one decoded frame. */
export function probeRemoteColour(page: Page, publisherParticipantId: string): Promise<ColourProbe> {
  return withRemoteElement(page, publisherParticipantId, 'video', probeElementColour);
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
  return withRemoteElement(page, publisherParticipantId, 'video', async (video) => {
    const frames = await video.evaluate(async (el, windowMs) => {
      let frames = 0;
      const count = () => {
        frames++;
        el.requestVideoFrameCallback(count);
      };
      el.requestVideoFrameCallback(count);
      await new Promise((r) => setTimeout(r, windowMs));
      return frames;
    }, windowMs);
    const hasFrame = await video.evaluate((el) => el.videoWidth > 0);
    return { frames, colour: hasFrame ? await probeElementColour(video) : null };
  });
}
