import { stringsOf } from '../../../app/locale.ts';
import { en, type WrapUpStrings } from './en.ts';
import { zh } from './zh.ts';

export type { WrapUpStrings };
export const WRAP_UP_STRINGS = { en, zh };

/** The wrap-up strings in the page's language. */
export const wrapUpStrings = (): WrapUpStrings => stringsOf(WRAP_UP_STRINGS);
