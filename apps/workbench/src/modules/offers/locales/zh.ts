import type { OfferStrings } from './en.ts';

/** 来电提示栏（振铃中的咨询与待领取池）的中文文案。 */
export const zh: OfferStrings = {
  incomingChats: '新的咨询',
  incomingChat: '新咨询',
  waitingInPool: '在池中等待',
  timeLeft: '剩余应答时间',
  accept: '接入',
  take: '领取',
  decline: '拒绝',
  couldNotTake: '无法接入会话：{error}',
  couldNotDecline: '无法拒绝：{error}',
};
