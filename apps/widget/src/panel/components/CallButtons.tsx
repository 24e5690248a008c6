import type { CallKind } from '@frontdesk/sdk-visitor';
import { usePanel } from '../App.tsx';
import { useCallView } from '../use-call-view.ts';

const PHONE_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />
  </svg>
);
const VIDEO_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <rect x="2.5" y="6" width="13" height="12" rx="2" />
    <path d="M15.5 10.5L21 7v10l-5.5-3.5" />
  </svg>
);

/**
 * The header's call buttons: only the kinds the channel offers, once the visitor has a conversation
 * to call from, and while no call is in progress.
 */
export function CallButtons() {
  const { t, model, view } = usePanel();
  const calls = useCallView(model.calls);
  const offered = view.channel?.calls;
  const { stage } = calls;
  // An ended call or an error stays on the call screen a while: a new call replaces it.
  const isFree = stage.name === 'idle' || stage.name === 'error' || (stage.name === 'call' && stage.call.phase === 'ended');
  const canCall = view.ready && view.conversation?.status === 'open' && isFree;
  if (!offered || !canCall || (!offered.audio && !offered.video)) return null;
  const start = (kind: CallKind) => void model.calls.start(kind);
  return (
    <>
      {offered.audio && (
        <button type="button" class="icon" data-call="audio" aria-label={t.startAudioCall} title={t.startAudioCall} onClick={() => start('audio')}>
          {PHONE_ICON}
        </button>
      )}
      {offered.video && (
        <button type="button" class="icon" data-call="video" aria-label={t.startVideoCall} title={t.startVideoCall} onClick={() => start('video')}>
          {VIDEO_ICON}
        </button>
      )}
    </>
  );
}
