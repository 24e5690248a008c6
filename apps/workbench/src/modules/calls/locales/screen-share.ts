import { stringsOf } from '../../../app/locale.ts';

/** The call window's screen share strings (English and Chinese). */
const en = {
  invite: 'Ask the visitor to share their screen',
  inviteShort: 'Ask for screen',
  invited: 'Waiting for the visitor to share their screen…',
  declined: 'The visitor did not share their screen.',
  share: 'Share my screen',
  stop: 'Stop sharing',
  sharing: 'You are sharing your screen.',
  visitorSharing: "The visitor's screen",
  closed: 'The screen share ended.',
  failed: 'Your screen could not be shared.',
};
export type ScreenShareStrings = typeof en;

const zh: ScreenShareStrings = {
  invite: '邀请访客共享屏幕',
  inviteShort: '邀请共享',
  invited: '正在等待访客共享屏幕…',
  declined: '访客没有共享屏幕。',
  share: '共享我的屏幕',
  stop: '停止共享',
  sharing: '你正在共享屏幕。',
  visitorSharing: '访客的屏幕',
  closed: '屏幕共享已结束。',
  failed: '无法共享你的屏幕。',
};

export const screenShareStrings = (): ScreenShareStrings => stringsOf({ en, zh });
