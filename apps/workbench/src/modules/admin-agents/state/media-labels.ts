import type { MediaType } from '@frontdesk/protocol';
import { callStrings } from '../../calls/locales/index.ts';

/** What an agent handles, in plain words. */
export function mediaLabel(media: MediaType): string {
  const s = callStrings();
  return { chat: s.mediaChat, audio: s.mediaAudio, video: s.mediaVideo }[media];
}
