import { useEffect, useRef } from 'preact/hooks';

/**
 * A `<video>` (or `<audio>`) playing a stream. NOTE: browsers refuse to play sound without a user
 * gesture after a reload (a rejoined call): `onBlocked(true)` then, and the screen offers a button
 * whose click plays it (`playAll`).
 */
export function StreamMedia({ stream, kind, muted = false, className, onBlocked }: { stream: MediaStream | null; kind: 'video' | 'audio'; muted?: boolean; className: string; onBlocked?: (blocked: boolean) => void }) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (!stream) return;
    el.play().then(
      () => onBlocked?.(false),
      (err: { name?: string }) => err?.name === 'NotAllowedError' && onBlocked?.(true),
    );
  }, [stream]);
  useEffect(() => () => {
    if (ref.current) ref.current.srcObject = null;
  }, []);
  return kind === 'video' ? <video ref={ref} class={className} muted={muted} autoplay playsInline /> : <audio ref={ref} class={className} autoplay />;
}

/** Plays every media element of the call screen (the click of the "tap to hear" button). */
export function playAll(root: Element | null): void {
  for (const el of root?.querySelectorAll<HTMLMediaElement>('video, audio') ?? []) void el.play().catch(() => {});
}
