/** English strings of message notifications. */
export const en = {
  newMessageFrom: 'New message from {name}',
  soundSetting: 'Chime for new messages in my conversations',
  notificationSetting: 'Browser notifications for new messages when this tab is hidden',
};
export type NotificationStrings = typeof en;
