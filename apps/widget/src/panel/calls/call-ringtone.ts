/**
 * The ring of an incoming call in the widget, synthesized with WebAudio (no audio file to load):
 * two soft tones every two seconds. The visitor has clicked in the page (opening the chat), so the
 * browser lets it play; if not, the call still shows.
 */
let context: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | undefined;

function tone(ctx: AudioContext, at: number, hz: number) {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.frequency.value = hz;
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(0.12, at + 0.03);
  gain.gain.linearRampToValueAtTime(0, at + 0.35);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(at);
  oscillator.stop(at + 0.4);
}

function ringOnce() {
  if (!context || context.state !== 'running') return;
  const at = context.currentTime + 0.02;
  tone(context, at, 740);
  tone(context, at + 0.45, 587);
}

export function startRinging(): void {
  if (timer !== undefined) return;
  try {
    context ??= new AudioContext();
    void context.resume().catch(() => {});
  } catch {
    return;
  }
  ringOnce();
  timer = setInterval(ringOnce, 2000);
}

export function stopRinging(): void {
  clearInterval(timer);
  timer = undefined;
}
