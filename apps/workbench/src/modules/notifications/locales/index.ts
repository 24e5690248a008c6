import { stringsOf } from '../../../app/locale.ts';
import { en, type NotificationStrings } from './en.ts';
import { zh } from './zh.ts';

export type { NotificationStrings };
export const NOTIFICATION_STRINGS = { en, zh };

export const notificationStrings = (): NotificationStrings => stringsOf(NOTIFICATION_STRINGS);
