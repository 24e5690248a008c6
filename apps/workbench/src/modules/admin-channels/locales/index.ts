import { stringsOf } from '../../../app/locale.ts';
import { en, type ChannelAdminStrings } from './en.ts';
import { zh } from './zh.ts';

export type { ChannelAdminStrings };
export const CHANNEL_ADMIN_STRINGS = { en, zh };

/** The channels screens' strings in the page's language. */
export const channelAdminStrings = (): ChannelAdminStrings => stringsOf(CHANNEL_ADMIN_STRINGS);
