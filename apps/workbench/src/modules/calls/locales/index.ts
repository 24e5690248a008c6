import { stringsOf } from '../../../app/locale.ts';
import { en, type CallStrings } from './en.ts';
import { zh } from './zh.ts';

export type { CallStrings };
export const CALL_STRINGS = { en, zh };

/** The call strings in the page's language. */
export const callStrings = (): CallStrings => stringsOf(CALL_STRINGS);
