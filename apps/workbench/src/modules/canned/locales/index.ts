import { stringsOf } from '../../../app/locale.ts';
import { en, type CannedStrings } from './en.ts';
import { zh } from './zh.ts';

export type { CannedStrings };
export const CANNED_STRINGS = { en, zh };

/** The canned-response strings in the page's language. */
export const cannedStrings = (): CannedStrings => stringsOf(CANNED_STRINGS);
