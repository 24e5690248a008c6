import type { NotificationStrings } from './en.ts';

/** 消息提醒的中文文案。 */
export const zh: NotificationStrings = {
  newMessageFrom: '{name} 发来新消息',
  soundSetting: '我的会话有新消息时提示音',
  notificationSetting: '此标签页在后台时，新消息弹出浏览器通知',
};
