/**
 * The offer ringtone, synthesized with WebAudio (no audio files): two short tones every two
 * seconds while an offer rings. Browsers start audio only after a user gesture, so
 * `unlockSound()` is called from clicks (sign-in, status change).
 */
let context: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

export function unlockSound(): void {
  const ctx = audioContext();
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

function beep(ctx: AudioContext, startAt: number, frequencyHz: number, durationS: number) {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequencyHz;
  gain.gain.setValueAtTime(0, startAt);
  gain.gain.linearRampToValueAtTime(0.18, startAt + 0.02);
  gain.gain.setValueAtTime(0.18, startAt + durationS - 0.04);
  gain.gain.linearRampToValueAtTime(0, startAt + durationS);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(startAt);
  oscillator.stop(startAt + durationS);
}

function ringOnce() {
  const ctx = audioContext();
  if (!ctx || ctx.state !== 'running') return;
  const t = ctx.currentTime + 0.01;
  beep(ctx, t, 880, 0.18);
  beep(ctx, t + 0.24, 660, 0.18);
  beep(ctx, t + 0.48, 880, 0.18);
}

/** One soft tone for a new message (not a ring): once, and not while an offer or call rings. */
export function chimeOnce(): void {
  const ctx = audioContext();
  if (!ctx || ctx.state !== 'running' || timer) return;
  const t = ctx.currentTime + 0.01;
  beep(ctx, t, 740, 0.12);
  beep(ctx, t + 0.14, 988, 0.16);
}

/** Who wants the ring now: chat offers and calls ring with the one tone, until neither does. */
const ringers = new Set<string>();

/** Rings until `stopRinging()` of the same `ringer`; calling it again while ringing does nothing. */
export function startRinging(ringer = 'offer'): void {
  ringers.add(ringer);
  if (timer) return;
  ringOnce();
  timer = setInterval(ringOnce, 2000);
}

/** Stops `ringer`'s ring; the tone goes on while another still rings. */
export function stopRinging(ringer = 'offer'): void {
  ringers.delete(ringer);
  if (ringers.size > 0) return;
  if (timer) clearInterval(timer);
  timer = null;
}

export function isRinging(): boolean {
  return timer !== null;
}
