import type { QueueType } from '@frontdesk/protocol';
import { callStrings } from '../../calls/locales/index.ts';

/** What a queue routes, in plain words (the calls from the chat are the click-to-call types). */
export function queueTypeLabel(type: QueueType): string {
  const s = callStrings();
  const labels: Record<QueueType, string> = {
    voice: s.queueTypeVoice,
    multimedia: s.queueTypeMultimedia,
    video: s.queueTypeVideo,
    audio_click_to_call: s.queueTypeAudioClick,
    video_click_to_call: s.queueTypeVideoClick,
  };
  return labels[type];
}
