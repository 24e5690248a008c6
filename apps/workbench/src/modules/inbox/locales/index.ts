import { stringsOf } from '../../../app/locale.ts';
import { en, type InboxStrings } from './en.ts';
import { zh } from './zh.ts';

export type { InboxStrings };
export const INBOX_STRINGS = { en, zh };

/** The inbox strings in the page's language. */
export const inboxStrings = (): InboxStrings => stringsOf(INBOX_STRINGS);
