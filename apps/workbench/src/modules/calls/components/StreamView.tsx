import { useEffect, useRef } from 'react';

type SinkableMedia = HTMLMediaElement & { setSinkId?: (sinkId: string) => Promise<void> };

/**
 * A `<video>` or `<audio>` playing a stream, on the chosen speaker (`setSinkId` where the browser
 * has it). NOTE: after a reload browsers play sound only after a click: `onBlocked(true)` then, and
 * the call window offers the button whose click plays every element again.
 */
export function StreamView({ stream, kind, isMuted = false, speakerId, className, onBlocked, testId }: {
  stream: MediaStream | null;
  kind: 'video' | 'audio';
  isMuted?: boolean;
  speakerId?: string | undefined;
  className: string;
  onBlocked?: (isBlocked: boolean) => void;
  testId?: string;
}) {
  const ref = useRef<SinkableMedia | null>(null);
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
  useEffect(() => {
    const el = ref.current;
    if (el && !isMuted && typeof el.setSinkId === 'function') void el.setSinkId(speakerId ?? '').catch(() => undefined);
  }, [speakerId, isMuted]);
  useEffect(() => () => {
    if (ref.current) ref.current.srcObject = null;
  }, []);
  return kind === 'video' ? (
    <video ref={(el) => void (ref.current = el)} className={className} muted={isMuted} autoPlay playsInline data-testid={testId} />
  ) : (
    <audio ref={(el) => void (ref.current = el)} className={className} autoPlay data-testid={testId} />
  );
}

/** Plays every media element under `root` (the click of the "click to hear" button). */
export function playAll(root: Element | null): void {
  for (const el of root?.querySelectorAll<HTMLMediaElement>('video, audio') ?? []) void el.play().catch(() => undefined);
}
