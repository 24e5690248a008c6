import { stringsOf } from '../../../app/locale.ts';
import { en, type CobrowseStrings } from './en.ts';
import { zh } from './zh.ts';

export type { CobrowseStrings };
export const COBROWSE_STRINGS = { en, zh };

/** The co-browse strings in the page's language. */
export const cobrowseStrings = (): CobrowseStrings => stringsOf(COBROWSE_STRINGS);
